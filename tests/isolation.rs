//! One hostile file never costs the run: inputs that abort a reader (a failed allocation, which
//! no panic handler can catch) each get one `failed` row with the reason, and the good files
//! beside them are read as usual. The crashers are made here, small, from the descriptions in
//! issue 20.

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A PDF from its object bodies (object i+1 is `objects[i]`), with a correct xref table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").bytes());
    }
    pdf.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    pdf
}

const PAGE: &str = "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> /Contents 5 0 R >>";
const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// An intermediate /Pages node claiming 99,999,999,999 pages (lopdf's page map would take 1.2 TB).
fn huge_page_count(dir: &Path) -> PathBuf {
    let content = "BT /F1 12 Tf 72 760 Td (page) Tj ET";
    let objects: Vec<Vec<u8>> = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Pages /Parent 2 0 R /Kids [4 0 R] /Count 99999999999 >>".to_string(),
        PAGE.to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        FONT.to_string(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect();
    let path = dir.join("count_99999999999.pdf");
    std::fs::write(&path, pdf(&objects)).unwrap();
    path
}

/// One Flate-compressed string of 60 MiB on one page (about 60 KB on disk).
fn huge_string(dir: &Path) -> PathBuf {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(b"BT /F1 12 Tf 72 760 Td (").unwrap();
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..60 {
        z.write_all(&chunk).unwrap();
    }
    z.write_all(b") Tj ET").unwrap();
    let stream = z.finish().unwrap();
    let mut contents = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes();
    contents.extend(&stream);
    contents.extend(b"\nendstream");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        PAGE.replace("/Parent 3 0 R", "/Parent 2 0 R").into_bytes(),
        contents,
        FONT.as_bytes().to_vec(),
    ];
    let path = dir.join("string_60mib.pdf");
    std::fs::write(&path, pdf(&objects)).unwrap();
    path
}

/// A text report: the title line, then `piece` `times` over.
fn repeated(dir: &Path, name: &str, piece: &str, times: usize) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all("部门决算\n".as_bytes()).unwrap();
    for _ in 0..times {
        f.write_all(piece.as_bytes()).unwrap();
    }
    f.write_all(b"\n").unwrap();
    f.flush().unwrap();
    path
}

/// A 40 MB text file: one line of 20 million tab-separated cells.
fn huge_line(dir: &Path) -> PathBuf {
    repeated(dir, "line_20m_cells.txt", "1\t", 20_000_000)
}

/// Both good files read in full.
fn assert_good_files_read(docs: &[Row]) {
    for good in two_good_files() {
        let d = row(docs, &good.file_name().unwrap().to_string_lossy());
        assert_eq!(d["status"], "ok", "{d:?}");
        assert!(d["n_records"].parse::<usize>().unwrap() > 50, "{d:?}");
    }
}

fn two_good_files() -> Vec<PathBuf> {
    ["000_5010c9f98508a758.txt", "003_66bd46d71a5bdd15.txt"].iter().map(|n| fixtures().join("seeds").join(n)).collect()
}

fn row<'a>(docs: &'a [Row], file: &str) -> &'a Row {
    docs.iter().find(|d| d["source_path"].ends_with(file)).unwrap_or_else(|| panic!("no documents row for {file}"))
}

#[test]
fn crashers_cost_their_own_file_only() {
    let made = out_dir("isolation_made");
    let out = out_dir("isolation_out");
    let mut inputs = vec![huge_page_count(&made), huge_string(&made), huge_line(&made)];
    inputs.extend(two_good_files());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    // A limit far above what the good files need, far below what the crashers ask for.
    let o = extract(&refs, &out, &["--format", "csv", "--jobs", "2", "--max-memory-mb", "1024", "--timeout-secs", "300"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 5, "{}", String::from_utf8_lossy(&o.stderr));
    let bounded = [
        ("count_99999999999.pdf", "corrupt PDF page tree: a /Pages node claims 99999999999 pages, the file holds 6 objects"),
        ("string_60mib.pdf", "(read in part: pages 1: more content than a page holds (over 400000 glyphs, 3000000 operators or a 1 MiB string)"),
        ("line_20m_cells.txt", "(read in part: 1 lines from line 2 hold more than 1024 cells"),
    ];
    for (crasher, reason) in bounded {
        let d = row(&docs, crasher);
        assert_eq!(d["status"], "failed", "{crasher}: {d:?}");
        assert!(d["error"].contains(reason), "{crasher}: {}", d["error"]);
    }
    assert_good_files_read(&docs);
}

/// A ZIP of `width` ZIPs of `width` ZIPs of `width` one-byte files: small, within every
/// per-archive limit, and width³ documents once expanded.
fn nested_zip(dir: &Path, width: usize) -> PathBuf {
    fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in members {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }
    let mut level: Vec<u8> = zip_of(&(0..width).map(|i| (format!("{i}.txt"), b"x".to_vec())).collect::<Vec<_>>());
    for _ in 0..2 {
        level = zip_of(&(0..width).map(|i| (format!("{i}.zip"), level.clone())).collect::<Vec<_>>());
    }
    let path = dir.join("nested.zip");
    std::fs::write(&path, level).unwrap();
    path
}

#[test]
fn nested_archives_share_one_budget_per_input() {
    let made = out_dir("isolation_zip_made");
    let out = out_dir("isolation_zip_out");
    let bomb = nested_zip(&made, 30);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let mut inputs = vec![bomb];
    inputs.extend(two_good_files());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    extract(&refs, &out, &["--format", "csv"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 3, "27,931 documents when expanded, one row when refused");
    let d = row(&docs, "nested.zip");
    assert_eq!(d["status"], "failed");
    assert!(d["error"].starts_with("zip bomb refused: its archives, nested ones included, hold more than 10000 members"), "{}", d["error"]);
    assert_good_files_read(&docs);
}

#[test]
fn links_out_of_the_input_folder_are_not_followed_and_say_so() {
    let root = out_dir("isolation_links");
    let inputs = root.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let outside = root.join("secret.txt");
    std::fs::write(&outside, "部门决算\n").unwrap();
    std::fs::copy(&two_good_files()[0], inputs.join("good.txt")).unwrap();
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, inputs.join(name)).unwrap();
    link(&outside, "outside.txt");
    link(Path::new("good.txt"), "inside.txt");
    link(Path::new("nowhere.txt"), "dangling.txt");
    link(Path::new("loop.txt"), "loop.txt");
    link(&root, "folder");
    let out = root.join("out");
    extract(&[&inputs], &out, &["--format", "csv", "-q"]);
    let docs = read_csv(&out.join("documents.csv"));
    let error = |name: &str| row(&docs, name)["error"].clone();
    assert!(error("outside.txt").contains("outside the input folder: not read (see --follow-links)"), "{}", error("outside.txt"));
    assert!(error("dangling.txt").starts_with("dangling symbolic link"), "{}", error("dangling.txt"));
    assert_eq!(error("loop.txt"), "symbolic link loop: not read");
    assert!(error("folder").contains("links to folders are not followed"), "{}", error("folder"));
    assert_eq!(row(&docs, "inside.txt")["status"], "duplicate", "a link inside the folder is read (a copy of good.txt)");
    assert_eq!(docs.len(), 6);
    let followed = root.join("out_followed");
    extract(&[&inputs], &followed, &["--format", "csv", "-q", "--follow-links"]);
    let docs = read_csv(&followed.join("documents.csv"));
    assert!(!row(&docs, "outside.txt")["error"].contains("symbolic link"));
}

/// What no cap catches — a reader needing more memory than it may have — costs its one file:
/// the reader dies on a failed allocation (an abort no panic handler can catch), the file gets
/// its reason, and a fresh reader reads the next files (one job: the same slot of the pool).
#[test]
fn a_reader_out_of_memory_costs_its_file_only() {
    let made = out_dir("isolation_oom_made");
    let out = out_dir("isolation_oom_out");
    // A legitimate-looking report of 4 million two-cell rows (56 MB).
    let big = repeated(&made, "many_rows.txt", "项目\t金额\n", 4_000_000);
    let mut inputs = vec![big];
    inputs.extend(two_good_files());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    extract(&refs, &out, &["--format", "csv", "--jobs", "1", "--max-memory-mb", "150"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 3);
    let d = row(&docs, "many_rows.txt");
    assert_eq!(d["status"], "failed");
    assert!(
        d["error"].starts_with("out of memory reading this file: the reader process exceeded its limit of 150 MiB (see --max-memory-mb)"),
        "{}",
        d["error"]
    );
    assert_good_files_read(&docs);
}
