//! Prints what the PDF extractor made of a file (see `Document::render`), or with `--time`
//! only how long it took. Usage: cargo run -p gongkai-pdf --example dump -- FILE.pdf [--time]
//! (`gongkai dump FILE` shows the same for any format.)
use gongkai_model::{Extractor, Options};

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
            Ok(doc) if timing => {
                let pages = doc.pages.unwrap_or(1).max(1);
                println!("{path}: {pages} pages, {ms:.1} ms, {:.2} ms/page", ms / pages as f64);
            }
            Ok(doc) => print!("== {path}: {} pages\n{}", doc.pages.unwrap_or(0), doc.render()),
        }
    }
}
