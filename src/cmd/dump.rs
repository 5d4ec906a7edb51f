//! `gongkai dump`: shows what the extractor and the recogniser see in one file — the document
//! model (paragraphs, table grids with spans) and, with `--report`, the recognised metadata,
//! tables and records. For finding out why a number was missed.

use crate::extract;
use clap::Args;
use gongkai_model::{detect, Options};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  gongkai dump report.pdf | less
  gongkai dump --report samples/seeds/000_5010c9f98508a758.txt")]
pub struct DumpArgs {
    /// The file to show (format detected from its bytes).
    pub file: PathBuf,

    /// Also print the recognised metadata, tables and records.
    #[arg(long)]
    pub report: bool,
}

pub fn run(args: &DumpArgs) -> Result<(), String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let format = detect(&bytes);
    let doc = extract::extract(format, &bytes, &Options::default()).map_err(|e| format!("{} ({format}): {e}", args.file.display()))?;
    println!("# {} ({format}, {} blocks)", args.file.display(), doc.blocks.len());
    print!("{}", doc.render());
    if args.report {
        let report = crate::recognise::recognise(&doc);
        println!("# metadata: {:?}", report.meta);
        println!("# tables: {}", report.tables_found());
        for r in &report.records {
            println!("R| {} {} {} {} [{}] = {} ({}) {}", r.table, r.side, r.item_code, r.item_name, r.column, r.amount, r.text_printed, r.flags.join(";"));
        }
    }
    Ok(())
}
