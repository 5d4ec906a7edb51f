//! Prints what the DOCX reader makes of a file: paragraphs as lines, tables as tab-separated
//! rows with spans marked `[r×c]`. Usage: `cargo run -p gongkai-docx --example dump FILE`.

use gongkai_model::{Block, Extractor, Options};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE.docx");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    match gongkai_docx::DocxExtractor.extract(&bytes, &Options::default()) {
        Ok(doc) => {
            for block in &doc.blocks {
                match block {
                    Block::Paragraph(p) => println!("P{:?}: {}", p.prov.line.unwrap_or(0), p.text),
                    Block::Table(t) => {
                        println!("T{:?} {}x{}", t.prov.line.unwrap_or(0), t.n_rows, t.n_cols);
                        for row in t.grid() {
                            let cells: Vec<String> = row
                                .iter()
                                .map(|c| match c {
                                    Some(c) if c.row_span > 1 || c.col_span > 1 => {
                                        format!("{}[{}x{}]", c.text.replace('\n', "⏎").replace('\t', "⇥"), c.row_span, c.col_span)
                                    }
                                    Some(c) => c.text.replace('\n', "⏎").replace('\t', "⇥"),
                                    None => "·".to_string(),
                                })
                                .collect();
                            println!("  {}", cells.join("\t"));
                        }
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
