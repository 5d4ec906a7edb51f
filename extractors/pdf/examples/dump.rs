//! Prints what the PDF extractor made of a file: paragraphs as `P<page>| text`, tables as
//! tab-separated rows (`[rs×cs]` after a merged cell's text), then warnings.
//! Usage: cargo run -p gongkai-pdf --example dump -- FILE.pdf [--time]
use gongkai_model::{Block, Extractor, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let timing = args.iter().any(|a| a == "--time");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let t = std::time::Instant::now();
        let r = gongkai_pdf::PdfExtractor.extract(&bytes, &Options::default());
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match r {
            Err(e) => println!("{path}: ERROR {e}"),
            Ok(doc) => {
                if timing {
                    let pages = doc.pages.unwrap_or(1).max(1);
                    println!("{path}: {pages} pages, {ms:.1} ms, {:.2} ms/page", ms / pages as f64);
                    continue;
                }
                println!("== {path}: {} pages, partial={:?}", doc.pages.unwrap_or(0), doc.partial);
                for b in &doc.blocks {
                    match b {
                        Block::Paragraph(p) => println!("P{}| {}", p.prov.page.unwrap_or(0), p.text),
                        Block::Table(t) => {
                            println!("T{} {}x{} ----", t.prov.page.unwrap_or(0), t.n_rows, t.n_cols);
                            for row in t.grid() {
                                let cells: Vec<String> = row
                                    .iter()
                                    .map(|c| match c {
                                        Some(c) if c.row_span > 1 || c.col_span > 1 => {
                                            format!("{}[{}x{}]", c.text, c.row_span, c.col_span)
                                        }
                                        Some(c) => c.text.clone(),
                                        None => String::new(),
                                    })
                                    .collect();
                                println!("  |{}", cells.join("\t"));
                            }
                            println!("  ----");
                        }
                    }
                }
                for w in &doc.warnings {
                    println!("W| {w}");
                }
            }
        }
    }
}
