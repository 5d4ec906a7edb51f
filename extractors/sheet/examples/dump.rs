//! Prints what the workbook reader makes of a file: paragraphs as lines, each sheet's table as
//! tab-separated rows with spans marked `[r×c]`.
//! Usage: `cargo run -p gongkai-sheet --example dump FILE.xlsx|.xls|.ods`.

use gongkai_model::{detect, Block, Extractor, Options};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    let result = gongkai_sheet::SheetExtractor::new(match detect(&bytes) { gongkai_model::Format::Zip => gongkai_model::Format::Xlsx, f => f }).extract(&bytes, &Options::default());
    let elapsed = started.elapsed();
    match result {
        Ok(doc) => {
            for block in &doc.blocks {
                match block {
                    Block::Paragraph(p) => println!("P[{}:{}]: {}", p.prov.page.unwrap_or(0), p.prov.sheet.as_deref().unwrap_or(""), p.text),
                    Block::Table(t) => {
                        println!("T[{}:{}] {}x{}", t.prov.page.unwrap_or(0), t.prov.sheet.as_deref().unwrap_or(""), t.n_rows, t.n_cols);
                        for row in t.grid() {
                            let cells: Vec<String> = row
                                .iter()
                                .map(|c| match c {
                                    Some(c) if c.row_span > 1 || c.col_span > 1 => format!("{}[{}x{}]", flat(&c.text), c.row_span, c.col_span),
                                    Some(c) => flat(&c.text),
                                    None => "·".to_string(),
                                })
                                .collect();
                            println!("  {}", cells.join("\t"));
                        }
                    }
                }
            }
            for w in &doc.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!("{} blocks, {} sheets, {:?}", doc.blocks.len(), doc.pages.unwrap_or(0), elapsed);
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}

fn flat(s: &str) -> String {
    s.replace('\n', "⏎").replace('\t', "⇥")
}
