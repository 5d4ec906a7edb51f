//! Prints the blocks of a text rendering: `cargo run -p gongkai-text --example dump -- FILE`.
use gongkai_model::{Block, Extractor, Format, Options};

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let doc = gongkai_text::TextExtractor(Format::Text).extract(&bytes, &Options::default()).expect("text");
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => println!("P {:?} {}", p.prov.line, p.text),
            Block::Table(t) => {
                println!("T {}x{} line {:?}", t.n_rows, t.n_cols, t.prov.line);
                for row in t.text_grid() {
                    println!("  | {}", row.join(" | "));
                }
            }
        }
    }
}
