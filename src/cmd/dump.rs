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
  gongkai dump --report samples/seeds/000_5010c9f98508a758.txt
  gongkai dump --debug-svg /tmp/pages report.pdf   # one SVG per page: what the PDF reader saw")]
pub struct DumpArgs {
    /// The file to show (format detected from its bytes).
    pub file: PathBuf,

    /// Also print the recognised metadata, tables and records.
    #[arg(long)]
    pub report: bool,

    /// For a PDF: write one SVG per page into DIR (page-001.svg, …) showing the words, the
    /// rulings found, the tables decided with their columns, rows and cells, and the table
    /// ids recognised on the page. The first thing to open when a PDF reads wrong.
    #[arg(long, value_name = "DIR")]
    pub debug_svg: Option<PathBuf>,
}

pub fn run(args: &DumpArgs) -> Result<(), String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let format = detect(&bytes);
    let doc = extract::extract(format, &bytes, &Options::default()).map_err(|e| format!("{} ({format}): {e}", args.file.display()))?;
    println!("# {} ({format}, {} blocks)", args.file.display(), doc.blocks.len());
    print!("{}", doc.render());
    if let Some(dir) = &args.debug_svg {
        write_svgs(dir, &bytes, &doc)?;
    }
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

/// One SVG per page of a PDF, labelled with the table ids whose records come from that page.
fn write_svgs(dir: &std::path::Path, bytes: &[u8], doc: &gongkai_model::Document) -> Result<(), String> {
    let views = gongkai_pdf::debug_pages(bytes, &Options::default(), &gongkai_pdf::TableSettings::default()).map_err(|e| format!("--debug-svg: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let report = crate::recognise::recognise(doc);
    for v in &views {
        let mut ids: Vec<String> = report.records.iter().filter(|r| r.page == Some(v.page)).map(|r| r.table.clone()).collect();
        ids.sort();
        ids.dedup();
        let path = dir.join(format!("page-{:03}.svg", v.page));
        std::fs::write(&path, gongkai_pdf::svg(v, &ids)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!("# {} page pictures in {}", views.len(), dir.display());
    Ok(())
}
