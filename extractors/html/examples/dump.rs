//! Prints what the HTML reader makes of a file: `cargo run -p gongkai-html --example dump FILE`.
use gongkai_model::{Block, Extractor, Options};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let start = std::time::Instant::now();
        let doc = gongkai_html::HtmlExtractor.extract(&bytes, &Options::default());
        let elapsed = start.elapsed();
        match doc {
            Err(e) => println!("{path}: failed: {e}"),
            Ok(doc) => {
                println!("{path}: {} blocks, {} tables in {elapsed:.2?}", doc.blocks.len(), doc.tables().count());
                if std::env::var_os("DUMP").is_some() {
                    for b in &doc.blocks {
                        match b {
                            Block::Paragraph(p) => println!("P{:?} {}", p.prov.line, p.text),
                            Block::Table(t) => println!("T{:?} {}x{} {:?}", t.prov.line, t.n_rows, t.n_cols, t.text_grid().first()),
                        }
                    }
                }
                for w in &doc.warnings {
                    println!("  warning: {w}");
                }
            }
        }
    }
}
