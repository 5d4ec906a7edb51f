//! Writes a copy of each PDF with every path operator removed (no rules, no boxes), as the
//! `real_pdfs_with_their_rules_stripped…` test reads them: to look at a stripped file with
//! `gongkai dump --debug-svg`. Usage: cargo run -p gongkai-pdf --example strip_rules -- OUT_DIR FILE.pdf...
const PATHS: &[&str] = &["m", "l", "c", "v", "y", "h", "re", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, files)) = args.split_first() else {
        eprintln!("usage: strip_rules OUT_DIR FILE.pdf...");
        std::process::exit(2);
    };
    std::fs::create_dir_all(out).unwrap();
    for path in files {
        let mut doc = lopdf::Document::load(path).unwrap();
        let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
        for page in pages {
            let content = doc.get_and_decode_page_content(page).unwrap();
            let operations: Vec<lopdf::content::Operation> = content.operations.into_iter().filter(|op| !PATHS.contains(&op.operator.as_str())).collect();
            let encoded = lopdf::content::Content { operations }.encode().unwrap();
            doc.change_page_content(page, encoded).unwrap();
        }
        let name = std::path::Path::new(path).file_name().unwrap();
        doc.save(std::path::Path::new(out).join(name)).unwrap();
    }
}
