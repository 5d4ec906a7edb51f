//! Writes a copy of each PDF with every path operator removed (no rules, no boxes), as the
//! `real_pdfs_with_their_rules_stripped…` test reads them: to look at a stripped file with
//! `gongkai dump --debug-svg`. Usage: cargo run -p gongkai-pdf --example strip_rules -- OUT_DIR FILE.pdf...

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, files)) = args.split_first() else {
        eprintln!("usage: strip_rules OUT_DIR FILE.pdf...");
        std::process::exit(2);
    };
    std::fs::create_dir_all(out).unwrap();
    for path in files {
        let stripped = gongkai_pdf::without_rules(&std::fs::read(path).unwrap()).unwrap();
        let name = std::path::Path::new(path).file_name().unwrap();
        std::fs::write(std::path::Path::new(out).join(name), stripped).unwrap();
    }
}
