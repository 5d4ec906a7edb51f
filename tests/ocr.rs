//! OCR of scanned reports (issue 17): the real binary on image-only scans of the seeds
//! reaches the gold within the floors measured when the OCR path was written, and OCR'd
//! records say so (`ocr`, `ocr_conf=N`). Needs Tesseract with chi_sim and pdftoppm
//! (`apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils`); without them the
//! OCR tests print that they were skipped — except where GONGKAI_REQUIRE_OCR is set (CI),
//! where a missing engine fails them.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// F1 of each whole clean 300 dpi scan against the gold. Measured with Debian's Tesseract
/// 5.3.0: 1.0000 for both (000, 004); the margin is for other engine builds.
const CLEAN_F1_FLOOR: f64 = 0.99;

fn ocr_installed() -> bool {
    let langs = Command::new("tesseract").arg("--list-langs").output();
    let chi_sim = langs.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "chi_sim"));
    chi_sim && Command::new("pdftoppm").arg("-v").output().is_ok()
}

/// True when the test must be skipped (said on stdout and stderr).
fn skipped(test: &str) -> bool {
    skipped_without(test, ocr_installed(), "tesseract (chi_sim) or pdftoppm", "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils")
}

/// True when `what` is not `installed` and the test must be skipped; with GONGKAI_REQUIRE_OCR
/// set (CI) it fails instead.
fn skipped_without(test: &str, installed: bool, what: &str, install: &str) -> bool {
    if installed {
        return false;
    }
    assert!(std::env::var_os("GONGKAI_REQUIRE_OCR").is_none(), "{test}: {what} is missing but GONGKAI_REQUIRE_OCR is set");
    let msg = format!("{test}: skipped: {what} not installed ({install})");
    println!("{msg}");
    eprintln!("{msg}");
    true
}

fn scanned() -> std::path::PathBuf {
    fixtures().join("scanned")
}

#[test]
fn clean_scans_reach_the_gold() {
    if skipped("clean_scans_reach_the_gold") {
        return;
    }
    let out = out_dir("ocr_clean300");
    extract(&[&scanned().join("clean300")], &out, &["--quiet", "--ocr", "auto", "--timeout-secs", "600"]);
    let (matched, failures) = gold_failures(&out, CLEAN_F1_FLOOR);
    assert_eq!(matched, 2);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let docs = read_csv(&out.join("documents.csv"));
    for d in &docs {
        assert!(!d["error"].contains("needs OCR"), "{}: {}", d["source_path"], d["error"]);
        let s = stem(&d["source_path"]);
        let g = gold(&s);
        let c = compare(d, &read_csv(&out.join("records.csv")), &g);
        eprintln!("{s}: f1={:.4} missing={} wrong={} extra={}", c.f1(g.records.len()), c.missing.len(), c.wrong.len(), c.extra.len());
    }
    // Every OCR'd report gets a verdict from its identities (the seeds' own errors keep 000
    // and 004 suspect; no OCR'd number that breaks an identity stands in a verified one).
    for d in &docs {
        assert!(["verified", "consistent", "suspect"].contains(&d["verification"].as_str()), "{}: no verdict", d["source_path"]);
    }
    let records = read_csv(&out.join("records.csv"));
    assert!(records.len() > 300, "only {} records", records.len());
    for r in &records {
        let flags: Vec<&str> = r["flags"].split(';').collect();
        assert!(flags.contains(&"ocr"), "record without the ocr flag: {r:?}");
        let conf = flags.iter().find_map(|f| f.strip_prefix("ocr_conf=")).unwrap_or_else(|| panic!("no ocr_conf: {r:?}"));
        assert!(conf.parse::<u8>().is_ok_and(|c| c <= 100), "{conf}");
    }
}

#[test]
fn office_scan_pages_read_right() {
    if skipped("office_scan_pages_read_right") {
        return;
    }
    let out = out_dir("ocr_office200");
    extract(&[&scanned().join("office200")], &out, &["--quiet", "--timeout-secs", "600"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 1);
    let g = gold("004_295e34a150d1a2fa");
    let c = compare(&docs[0], &read_csv(&out.join("records.csv")), &g);
    // Three pages of the report: tables 05 and 06 (most of them) are there, the rest is not.
    let tp = g.records.len() - c.missing.len() - c.wrong.len();
    eprintln!("office200 pages 1,5,6: tp={tp} wrong={:?} extra={:?} metadata={:?}", c.wrong, c.extra, c.metadata_wrong);
    assert!(tp >= OFFICE_TP_FLOOR, "only {tp} gold records read right");
    assert!(c.wrong.len() + c.extra.len() <= OFFICE_WRONG_CEILING, "wrong: {:?}\nextra: {:?}", c.wrong, c.extra);
}

/// Of the gold records on the office scan's three pages (05: 63, 06: 25 of 28), how many are
/// read right at least, and how many wrong or extra at most. Measured with Tesseract 5.3.0:
/// 86 right, 1 wrong (05 2101550 公用经费 41 read 4), none extra.
const OFFICE_TP_FLOOR: usize = 80;
const OFFICE_WRONG_CEILING: usize = 2;

/// Seed 004's PDF printed as an office scanner would (tests/tools/scan.py: grey JPEG pages,
/// skewed, blurred, noisy), in the settings of the shared office200 scans and in harsher ones
/// standing for scans nobody gave us. Each reaches its F1 floor against the gold with its
/// metadata right, and every misread number is caught: a document whose records are not all
/// right is never verified. Needs Pillow and numpy besides the engine.
#[test]
fn printed_office_scans_reach_the_gold() {
    let pillow = Command::new("python3").args(["-c", "import PIL, numpy"]).status().is_ok_and(|s| s.success());
    if skipped("printed_office_scans_reach_the_gold")
        || skipped_without("printed_office_scans_reach_the_gold", pillow, "Pillow or numpy", "pip install pillow numpy")
    {
        return;
    }
    let source = fixtures().join("pdf").join("004_295e34a150d1a2fa.pdf");
    for (name, args, floor) in PRINTED_SCANS {
        let made = out_dir(&format!("ocr_printed_{name}_in"));
        let scan = made.join("004_295e34a150d1a2fa.pdf");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/scan.py");
        let printed = Command::new("python3").arg(script).arg(&source).arg(&scan).args(args.split_whitespace()).status().unwrap();
        assert!(printed.success(), "scan.py {args}");
        let out = out_dir(&format!("ocr_printed_{name}"));
        extract(&[&made], &out, &["--quiet", "--timeout-secs", "900"]);
        let docs = read_csv(&out.join("documents.csv"));
        let c = compare(&docs[0], &read_csv(&out.join("records.csv")), &gold("004_295e34a150d1a2fa"));
        let f1 = c.f1(gold("004_295e34a150d1a2fa").records.len());
        eprintln!("{name} ({args}): f1={f1:.4} wrong={:?} extra={:?} verification={}", c.wrong, c.extra, docs[0]["verification"]);
        assert!(f1 >= floor && c.metadata_wrong.is_empty(), "{name}: f1 {f1:.4} below {floor}; metadata {:?}", c.metadata_wrong);
        let all_right = c.wrong.is_empty() && c.extra.is_empty();
        assert!(all_right || docs[0]["verification"] != "verified", "{name}: verified with wrong records {:?} {:?}", c.wrong, c.extra);
    }
}

/// The printed scans and each one's F1 floor. Measured with Tesseract 5.3.0 on seed 004 (200
/// gold records): office200-like 1.0000 (the bar: 0.97); 1° of skew 0.9975; 150 dpi
/// 0.9800 and soft optics with strong compression 0.9375 (0.7531 and 0.7290 while misread
/// titles named the wrong table). Every one with a wrong record is left suspect.
const PRINTED_SCANS: [(&str, &str, f64); 4] =
    [("office200", "", 0.97), ("skew1", "--skew 1.0", 0.98), ("dpi150", "--dpi 150", 0.96), ("soft_q50", "--blur 1.0 --quality 50", 0.92)];

#[test]
fn without_ocr_a_scan_says_what_it_needs() {
    // No engine on PATH: the reason says how to install it (no tesseract needed to test this).
    let out = out_dir("ocr_missing_engine");
    let scan = scanned().join("office200");
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai")).arg("extract").arg(&scan).arg("-o").arg(&out).arg("--quiet").env("PATH", "").output().unwrap();
    assert_eq!(o.status.code(), Some(3), "a failed input is exit 3: {}", String::from_utf8_lossy(&o.stderr));
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs[0]["status"], "failed");
    assert!(docs[0]["error"].contains("needs OCR"), "{}", docs[0]["error"]);
    assert!(docs[0]["error"].contains("apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils"), "{}", docs[0]["error"]);

    // --ocr off: the scan stays unread, whatever is installed.
    let out = out_dir("ocr_off");
    extract(&[Path::new(&scan)], &out, &["--quiet", "--ocr", "off"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!((docs[0]["status"].as_str(), docs[0]["error"].as_str()), ("failed", "image-only PDF pages 1-3: needs OCR"));
}

/// The real scans: real_022's one scanned page (a chart of staff) no longer leaves the report
/// partial; real_030, all scan, is read and found to be no budget disclosure (a 绩效评价).
#[test]
fn real_scans_are_read() {
    if skipped("real_scans_are_read") {
        return;
    }
    let real = fixtures().join("real");
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&real)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("real_022") || p.file_name().unwrap().to_string_lossy().starts_with("real_030"))
        .collect();
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let out = out_dir("ocr_real");
    extract(&refs, &out, &["--quiet", "--timeout-secs", "600"]);
    let docs = read_csv(&out.join("documents.csv"));
    let by = |prefix: &str| docs.iter().find(|d| d["source_path"].contains(prefix)).unwrap();
    let (d22, d30) = (by("real_022"), by("real_030"));
    assert_eq!(d22["status"], "ok", "{}", d22["error"]);
    assert!(d22["n_records"].parse::<usize>().unwrap() >= 139, "real_022 keeps its records");
    assert_eq!(d30["status"], "failed");
    assert!(d30["error"].starts_with("not a budget disclosure"), "real_030 is read, and is not a disclosure: {}", d30["error"]);
}

/// A digit misread on a scan (the 8 of 01's 208 支出 `82` cut to a 3): the amount stays as
/// read, the document is suspect (never verified with a number that breaks an identity), and
/// the one reading that mends the identities is suggested, in checks and on the record.
#[test]
fn a_misread_digit_is_suggested_not_corrected() {
    if skipped("a_misread_digit_is_suggested_not_corrected") {
        return;
    }
    let out = out_dir("ocr_misread");
    extract(&[&scanned().join("misread")], &out, &["--quiet", "--timeout-secs", "600"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs[0]["verification"], "suspect", "{}", docs[0]["verification_reasons"]);
    assert!(
        docs[0]["verification_reasons"].contains("OCR: 01 支出 208 [决算数] read 32, its identities hold if it is 82"),
        "{}",
        docs[0]["verification_reasons"]
    );
    let records = read_csv(&out.join("records.csv"));
    let r = records.iter().find(|r| r["table"] == "01" && r["item_code"] == "208").expect("01 208 read");
    assert_eq!((r["amount"].as_str(), r["text_printed"].as_str()), ("32", "32"), "the printed reading stays");
    assert!(r["flags"].split(';').any(|f| f == "ocr_suggest=82"), "{}", r["flags"]);
    let checks = read_csv(&out.join("checks.csv"));
    let suggested: Vec<_> = checks.iter().filter(|c| c["status"] == "suggestion").collect();
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    assert_eq!((suggested[0]["check"].as_str(), suggested[0]["expected"].as_str(), suggested[0]["found"].as_str()), ("ocr:suggested_reading", "82", "32"));
    // The identities the misread breaks fail, as they must.
    assert!(checks.iter().any(|c| c["check"].starts_with("01:支出 本年支出合计=sum(类)") && c["status"] == "fail"));
}

/// OCR time counts against --timeout-secs: a scan that cannot be read in time ends partial
/// (what was read is kept, the rest named) instead of running on.
#[test]
fn ocr_stops_at_the_time_limit() {
    if skipped("ocr_stops_at_the_time_limit") {
        return;
    }
    let out = out_dir("ocr_timeout");
    let t = std::time::Instant::now();
    extract(&[&scanned().join("office200")], &out, &["--quiet", "--timeout-secs", "2"]);
    assert!(t.elapsed().as_secs() < 30, "took {:?}", t.elapsed());
    let docs = read_csv(&out.join("documents.csv"));
    assert!(["partial", "failed"].contains(&docs[0]["status"].as_str()), "{:?}", docs[0]);
    assert!(docs[0]["error"].contains("time limit") || docs[0]["error"].contains("timed out"), "{}", docs[0]["error"]);
}

/// A scanned table pasted as a picture into a text PDF (page 2 of the fixture: a line of text
/// and the picture of table 05, see tests/fixtures/scanned/pasted.py): only the picture is
/// read by OCR, its words join the page's, and the table readers give table 05's records from
/// it, flagged as OCR'd, while the text page keeps its own text unflagged.
#[test]
fn a_table_pasted_as_a_picture_is_read() {
    if skipped("a_table_pasted_as_a_picture_is_read") {
        return;
    }
    let out = out_dir("ocr_pasted");
    extract(&[&scanned().join("pasted")], &out, &["--quiet", "--timeout-secs", "600"]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs[0]["status"], "ok", "{}", docs[0]["error"]);
    let records = read_csv(&out.join("records.csv"));
    let g = gold("004_295e34a150d1a2fa");
    let c = compare(&docs[0], &records, &g);
    assert!(c.metadata_wrong.is_empty(), "{:?}", c.metadata_wrong);
    // Table 05 is on the picture (its rows on the scan's page 5); the gold has more tables.
    let in_05 = |k: &&String| k.starts_with("05|");
    let (wrong, extra) = (c.wrong.iter().filter(in_05).count(), c.extra.iter().filter(in_05).count());
    let right = g.records.keys().filter(in_05).count() - c.missing.iter().filter(|m| m.starts_with("05|")).count() - wrong;
    eprintln!("pasted table 05: right={right} wrong={:?} extra={:?}", c.wrong, c.extra);
    assert!(right >= PASTED_RIGHT_FLOOR && wrong + extra <= 1, "right {right}, wrong {:?}, extra {:?}", c.wrong, c.extra);
    assert!(records.iter().all(|r| r["table"] == "05" && r["page"] == "2" && r["flags"].split(';').any(|f| f == "ocr")), "only the picture's table, flagged");
}

/// Of table 05's gold records, how many the pasted picture gives right at least. Measured with
/// Tesseract 5.3.0: 62 of 63 (one wrong: 2101550 公用经费 41 read 4, as on the office scan).
const PASTED_RIGHT_FLOOR: usize = 58;

/// With reader processes (the default), each reader reports the pages it OCRs over its pipe,
/// so the run's count of pages OCR'd (the progress display) moves as with `--in-process`.
#[test]
fn reader_processes_report_pages_ocrd() {
    if skipped("reader_processes_report_pages_ocrd") {
        return;
    }
    use gongkai::pipeline::{Loaded, Settings};
    let scan = scanned().join("office200/004_295e34a150d1a2fa_pages_1_5_6.pdf");
    let settings = Settings::default();
    let out = out_dir("ocr_worker_pages");
    let store = gongkai::store::Store::open(&out, "ocr pages").unwrap();
    let pool = gongkai::worker::Pool::new(env!("CARGO_BIN_EXE_gongkai").into(), &settings, &store, 0).unwrap();
    let loaded = Loaded::new("office200.pdf".into(), None, std::fs::read(&scan).unwrap());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let outcomes = pool.read(loaded, &settings, None, &stop).unwrap();
    assert_eq!(outcomes[0].pages, Some(3));
    assert_eq!(settings.extract.ocr_pages.get(), 3, "the reader's 3 pages OCR'd reached this process");
}
