//! What a reader gets besides the dataset: the accounting checks and narrative facts in every
//! input format the project reads, the Excel workbook, the Excel-friendly CSV, and
//! report.html rendered by a real browser (headless Chromium).
//!
//! Inputs: the five seed renderings (tests/fixtures/seeds) and their generated PDF, DOCX and
//! XLSX copies (samples/generated; the generator made no XLSX for the narrative-only 001).

mod common;
use common::expected_failures::expected_failures;
use common::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

fn generated(ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/generated");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// One output row of checks.csv, reduced to what the comparison needs.
type CheckRow = (String, String, String); // check, subject, status

/// Runs the binary on `inputs` and returns the checks per seed (by its 3-digit prefix), with
/// the documents rows for the same prefix.
fn checks_by_seed(inputs: &[PathBuf], out: &Path) -> (BTreeMap<String, Vec<CheckRow>>, Vec<Row>) {
    let refs: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    extract(&refs, out, &["--quiet", "--format", "csv"]);
    let docs = read_csv(&out.join("documents.csv"));
    let prefix: HashMap<String, String> = docs.iter().map(|d| (d["doc_id"].clone(), stem(&d["source_path"])[..3].to_string())).collect();
    let mut by_seed: BTreeMap<String, Vec<CheckRow>> = BTreeMap::new();
    for d in &docs {
        by_seed.entry(prefix[&d["doc_id"]].clone()).or_default();
    }
    for c in read_csv(&out.join("checks.csv")) {
        by_seed.entry(prefix[&c["doc_id"]].clone()).or_default().push((c["check"].clone(), c["subject"].clone(), c["status"].clone()));
    }
    (by_seed, docs)
}

fn failing(rows: &[CheckRow]) -> BTreeSet<(String, String)> {
    rows.iter().filter(|r| r.2 == "fail").map(|r| (r.0.clone(), r.1.clone())).collect()
}

fn table_checks(rows: &[CheckRow]) -> BTreeSet<CheckRow> {
    rows.iter().filter(|r| !r.0.starts_with("narrative:")).cloned().collect()
}

#[test]
fn the_anomalies_fail_and_every_other_identity_passes_in_every_format() {
    let seeds_dir = fixtures().join("seeds");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&seeds_dir).unwrap().map(|e| e.unwrap().path()).collect();
    seeds.sort();
    let (txt, _) = checks_by_seed(&seeds, &out_dir("checks_txt"));
    assert_eq!(txt.keys().cloned().collect::<Vec<_>>(), ["000", "001", "002", "003", "004"]);
    // Table identities passing per seed when this test was written (a regression floor: more
    // identities are welcome; the gold's own tallies group them differently).
    let floor = [("000", 160), ("002", 81), ("003", 229), ("004", 165)];
    for (seed, n) in floor {
        let passed = table_checks(&txt[seed]).iter().filter(|r| r.2 == "pass").count();
        assert!(passed >= n, "{seed}: {passed} table identities pass, {n} did before");
    }
    for (seed, rows) in &txt {
        assert_eq!(failing(rows), expected_failures(seed), "txt {seed}: failing identities");
    }
    assert!(txt["001"].iter().all(|r| r.0.starts_with("narrative:")), "001 has no tables to check");

    for ext in ["pdf", "docx", "xlsx"] {
        let files = generated(ext);
        let (got, docs) = checks_by_seed(&files, &out_dir(&format!("checks_{ext}")));
        let want: Vec<&str> = if ext == "xlsx" { vec!["000", "002", "003", "004"] } else { vec!["000", "001", "002", "003", "004"] };
        assert_eq!(got.keys().map(String::as_str).collect::<Vec<_>>(), want, "{ext}: one document per generated file");
        assert!(docs.iter().all(|d| d["status"] == "ok"), "{ext}: every file reads ok");
        for (seed, rows) in &got {
            assert_eq!(failing(rows), expected_failures(seed), "{ext} {seed}: failing identities");
            // Same tables, same identities, same outcomes as the text rendering.
            assert_eq!(table_checks(rows), table_checks(&txt[seed]), "{ext} {seed}: table identities differ from txt");
            if ext == "xlsx" {
                assert!(rows.iter().all(|r| !r.0.starts_with("narrative:")), "xlsx {seed}: a workbook has no narrative to check");
            }
        }
    }
}

/// score.py --facts: a gold fact is found when a facts row has the same normalised topic and
/// name and the same decimal value.
fn missing_gold_facts(out: &Path) -> (usize, Vec<String>) {
    let docs = read_csv(&out.join("documents.csv"));
    let mut found: HashMap<String, BTreeSet<(String, String, rust_decimal::Decimal)>> = HashMap::new();
    for f in read_csv(&out.join("facts.csv")) {
        let v: rust_decimal::Decimal = f["value"].parse().unwrap();
        found.entry(f["doc_id"].clone()).or_default().insert((norm_name(&f["topic"]), norm_name(&f["name"]), v.normalize()));
    }
    let (mut total, mut missing) = (0, Vec::new());
    for d in &docs {
        let g = gold(&stem(&d["source_path"]));
        for f in &g.facts {
            total += 1;
            let v: rust_decimal::Decimal = f["value"].as_str().unwrap().parse().unwrap();
            let key = (norm_name(f["topic"].as_str().unwrap()), norm_name(f["name"].as_str().unwrap()), v.normalize());
            if !found.get(&d["doc_id"]).is_some_and(|s| s.contains(&key)) {
                missing.push(format!("{}: {key:?}", d["source_path"]));
            }
        }
    }
    (total, missing)
}

#[test]
fn every_gold_fact_is_found_in_text_pdf_and_docx() {
    let seeds_dir = fixtures().join("seeds");
    let runs: [(&str, Vec<PathBuf>); 3] = [
        ("txt", std::fs::read_dir(&seeds_dir).unwrap().map(|e| e.unwrap().path()).collect()),
        ("pdf", generated("pdf")),
        ("docx", generated("docx")),
    ];
    for (ext, files) in runs {
        assert_eq!(files.len(), 5, "{ext}: five seeds");
        let out = out_dir(&format!("facts_{ext}"));
        let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
        extract(&refs, &out, &["--quiet", "--format", "csv"]);
        let (total, missing) = missing_gold_facts(&out);
        assert_eq!(total, 228, "{ext}: the gold holds 228 facts");
        assert!(missing.is_empty(), "{ext}: {} of {total} gold facts missing:\n{}", missing.len(), missing.join("\n"));
    }
}

#[test]
fn xlsx_workbook_holds_the_dataset_with_amounts_as_numbers() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let out = out_dir("xlsx_output");
    extract(&[&fixtures().join("seeds")], &out, &["--quiet", "--format", "csv,xlsx"]);
    assert!(!out.join("records.parquet").exists(), "only the formats asked for");
    let mut wb: Xlsx<_> = open_workbook(out.join("gongkai.xlsx")).expect("gongkai.xlsx opens");
    assert_eq!(wb.sheet_names(), ["documents", "records", "facts", "checks"]);
    for name in ["documents", "records", "facts", "checks"] {
        let csv = read_csv(&out.join(format!("{name}.csv")));
        let range = wb.worksheet_range(name).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), csv.len() + 1, "{name}: header + one row per CSV row");
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        let csv_header: Vec<String> = csv::Reader::from_path(out.join(format!("{name}.csv"))).unwrap().headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, csv_header, "{name}: same columns as the CSV");
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        // Every decimal column: a number cell equal to the CSV's exact decimal read as f64.
        let decimals: &[&str] = match name {
            "records" => &["amount"],
            "facts" => &["value"],
            "checks" => &["expected", "found", "difference"],
            _ => &[],
        };
        for d in decimals {
            let c = col(d);
            for (i, row) in rows[1..].iter().enumerate() {
                let text = &csv[i][*d];
                match &row[c] {
                    Data::Float(f) => assert_eq!(*f, text.parse::<f64>().unwrap(), "{name} row {i} {d}: {text}"),
                    Data::Empty => assert!(text.is_empty(), "{name} row {i} {d}: {text} missing"),
                    other => panic!("{name} row {i} {d}: {other:?} is not a number"),
                }
            }
        }
        // Text stays text, CJK intact.
        if name == "records" {
            let (r, c) = (rows[1..].iter().position(|r| r[col("item_code")] == "30201").unwrap(), col("item_name"));
            assert_eq!(rows[r + 1][c].to_string(), csv[r]["item_name"]);
            assert_eq!(csv[r]["item_name"], "办公费");
        }
    }
    // The anomaly of seed 000 reads back with its numbers.
    let checks = wb.worksheet_range("checks").unwrap();
    let anomaly = checks.rows().find(|r| r[1] == "06:302=sum(children)" && r[4] == Data::Float(4.72)).expect("06:302 row");
    assert_eq!(anomaly[3], Data::Float(403.72));
    assert_eq!(anomaly[5], Data::Float(-399.0));
}

/// OOXML escapes characters as `_xHHHH_`; LibreOffice also decodes shorter forms. A path
/// holding `_xa_` or `_x0041_` must read back as printed in Excel's reader (calamine) and in
/// LibreOffice.
#[test]
fn xlsx_text_with_x_escapes_reads_back_as_printed() {
    use calamine::{open_workbook, Reader, Xlsx};
    let input = out_dir("xlsx_escape_input");
    let folder = input.join("d_xa_");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(fixtures().join("seeds/000_5010c9f98508a758.txt"), folder.join("r_x0041_b_xa_1.txt")).unwrap();
    let out = out_dir("xlsx_escape");
    extract(&[&input], &out, &["--quiet", "--format", "csv,xlsx"]);
    let printed = read_csv(&out.join("documents.csv")).remove(0)["source_path"].clone();
    assert!(printed.ends_with("d_xa_/r_x0041_b_xa_1.txt"), "{printed}");
    let mut wb: Xlsx<_> = open_workbook(out.join("gongkai.xlsx")).unwrap();
    let documents = wb.worksheet_range("documents").unwrap();
    assert_eq!(documents.get((1, 1)).unwrap().to_string(), printed, "calamine");
    let Some(soffice) = soffice() else {
        eprintln!("LibreOffice part skipped: soffice is not installed");
        return;
    };
    // The first sheet (documents) as UTF-8 CSV.
    let csv = soffice_convert(&soffice, &out.join("gongkai.xlsx"), "csv:Text - txt - csv (StarCalc):44,34,76", &out_dir("xlsx_escape_lo"));
    let rows = read_csv(&csv);
    assert_eq!(rows[0]["source_path"], printed, "LibreOffice");
    assert_eq!(rows[0]["department"], "西宁市城中区医疗保障局");
}

#[test]
fn csv_starts_with_a_bom_only_when_asked() {
    let seed = fixtures().join("seeds").join("000_5010c9f98508a758.txt");
    for (args, bom) in [(vec!["--quiet", "--format", "csv"], false), (vec!["--quiet", "--format", "csv", "--csv-bom"], true)] {
        let out = out_dir(if bom { "csv_bom" } else { "csv_no_bom" });
        extract(&[&seed], &out, &args);
        for name in ["documents", "records", "facts", "checks"] {
            let bytes = std::fs::read(out.join(format!("{name}.csv"))).unwrap();
            assert_eq!(bytes.starts_with(b"\xEF\xBB\xBF"), bom, "{name}.csv BOM with {args:?}");
            let text = std::str::from_utf8(&bytes).unwrap().trim_start_matches('\u{feff}');
            assert!(text.starts_with(if name == "records" { "record_id" } else { "doc_id" }), "{name}.csv header");
            assert_eq!(text.matches('\u{feff}').count(), 0, "{name}.csv: a single BOM at most, at the start");
        }
        let records = std::fs::read_to_string(out.join("records.csv")).unwrap();
        assert!(records.contains("西宁市城中区医疗保障局"), "UTF-8 Chinese text");
    }
}

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        if let Ok(o) = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output() {
            let path = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if o.status.success() && !path.is_empty() {
                return PathBuf::from(path);
            }
        }
    }
    panic!("headless Chromium is needed to test report.html and none was found on PATH (chromium, chromium-browser, google-chrome); install it: apt-get install -y chromium (.ci/run does)");
}

/// Runs headless Chromium on `page` with `mode` (`--dump-dom` or `--screenshot=…`), bounded
/// in time; returns stdout. Fails on an error the page's script logs to the console.
fn run_chromium(page: &Path, mode: &str, profile: &Path) -> String {
    run_chromium_sized(page, mode, profile, "1280,2000")
}

fn run_chromium_sized(page: &Path, mode: &str, profile: &Path, size: &str) -> String {
    let log = profile.join("chromium-stderr.log");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
        ])
        .arg(format!("--window-size={size}"))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(mode)
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).map(|_| s)
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {mode} exited with {status}");
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium {mode} did not finish within 120 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let console: Vec<String> =
        std::fs::read_to_string(&log).unwrap_or_default().lines().filter(|l| l.contains("CONSOLE") || l.contains("Uncaught")).map(String::from).collect();
    assert!(console.is_empty(), "report.html logged to the console: {console:?}");
    reader.join().unwrap().unwrap()
}

/// The href of the link labelled `source_path` that leads out of the page (the index links
/// labelled the same way jump to `#doc-N`).
fn href_of(dom: &str, source_path: &str) -> String {
    let text = format!(">{source_path}</a>");
    for (end, _) in dom.match_indices(&text) {
        let start = dom[..end].rfind("href=\"").expect("an href") + 6;
        let href = &dom[start..end];
        let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
        if !href.starts_with('#') {
            return href;
        }
    }
    panic!("no link to the file labelled {source_path}")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn report_html_renders_in_headless_chromium() {
    chromium(); // fails first, with the install hint, when there is no browser
    // The five seeds, plus a copy of 000 under a hostile name in a folder with a space: it
    // must show as text (escaped), link correctly, and be listed as a duplicate.
    let input = out_dir("report_html_input");
    let seeds = input.join("my seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for e in std::fs::read_dir(fixtures().join("seeds")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, seeds.join(p.file_name().unwrap())).unwrap();
    }
    let hostile = "zz <b>bold & \"q\" #1.txt";
    std::fs::copy(seeds.join("000_5010c9f98508a758.txt"), seeds.join(hostile)).unwrap();
    let out = out_dir("report_html");
    let run = extract(&[&seeds], &out, &["--format", "csv"]);
    let summary = String::from_utf8_lossy(&run.stderr);
    // 000, 002 and 004 print identities that fail (the reports' own errors): suspect, listed.
    assert!(summary.contains("6 files (5 ok, 1 duplicate; numbers 1 verified, 0 consistent, 3 suspect)") && summary.contains("18 failed checks"), "run summary: {summary}");
    assert!(summary.contains("suspect my seeds/004_295e34a150d1a2fa.txt: 02: 4 identities fail"), "suspect files listed: {summary}");
    let page = out.join("report.html");
    assert!(page.exists(), "report.html is always written");

    let dom = run_chromium(&page, "--dump-dom", &out_dir("chromium_profile"));
    assert!(dom.contains("<table"), "the page rendered: {}", &dom[..dom.len().min(500)]);
    for seed in ["000_5010c9f98508a758", "001_03d4e11e00e8d2e9", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15", "004_295e34a150d1a2fa"] {
        let department = gold(seed).document["department"].as_str().unwrap().to_string();
        assert!(dom.contains(&department), "department {department} on the page");
        // The link resolves, from the output folder, to the source file itself.
        let href = href_of(&dom, &format!("my seeds/{seed}.txt"));
        let target = out.join(percent_decode(&href));
        assert_eq!(target.canonicalize().unwrap(), seeds.join(format!("{seed}.txt")).canonicalize().unwrap(), "link {href}");
    }
    // The anomaly of 000 with its numbers, in one table row.
    let check_at = dom.find("<code>06:302=sum(children)</code>").expect("the failed check 06:302=sum(children)");
    let row_start = dom[..check_at].rfind("<tr>").unwrap();
    let row = &dom[row_start..check_at + dom[check_at..].find("</tr>").unwrap()];
    assert!(row.contains("一般公共预算财政拨款基本支出决算表 (06)"), "the table by its title: {row}");
    assert!(row.contains(">403.72<") && row.contains(">4.72<") && row.contains(">-399.00<"), "expected, found, difference: {row}");
    // All 16 failures of 004 are listed, with the largest difference.
    assert!(dom.contains("<td>21015</td><td>本年收入合计</td>") && dom.contains(">118<"), "004's failures listed");
    // The hostile file name is text, not markup, and its link still finds the file.
    assert!(!dom.contains("<b>bold"), "a file name must not inject markup");
    assert!(dom.contains("zz &lt;b&gt;bold &amp; \"q\" #1.txt"), "the file name shown escaped");
    let href = href_of(&dom, "my seeds/zz &lt;b&gt;bold &amp; \"q\" #1.txt");
    assert!(out.join(percent_decode(&href)).is_file(), "link {href} to the hostile name");
    assert!(dom.contains(">duplicate<"), "the copy is marked duplicate");
    // Counts at the top.
    assert!(dom.contains("<b>18</b>failed checks") && dom.contains("<b>743</b>records"), "summary counts");
    // Verdicts: counted, and a suspect document is never a plain green ok.
    assert!(dom.contains("<b>1</b>verified") && dom.contains("<b>3</b>suspect"), "verdict counts");
    assert!(dom.contains("class=\"status ok suspect\"") && dom.contains("class=\"verdict verified\""), "badges");

    // Problems first: the suspect documents, and 001, a narrative without tables, are listed
    // before the index of all files.
    let problems = dom.find("<h2>Problems: 4 files need a look</h2>").expect("the problems section");
    assert!(problems < dom.find("<h2>All files</h2>").unwrap() && dom[problems..].contains("004_295e34a150d1a2fa.txt"), "problems before the index");
    assert!(dom.contains("id=\"filter\""), "the index can be filtered");
    // Then the run's largest failing checks, in plain words, before the index.
    let largest = dom.find("<h2>Largest failing checks of the run</h2>").expect("the largest failing checks");
    assert!(problems < largest && largest < dom.find("<h2>All files</h2>").unwrap(), "problems, largest checks, index");
    assert!(dom[largest..].contains("printed 4.72, but its parts add up to 403.72"), "06:302 of seed 000 in plain words");
    // Each document's section folds; the ones that need a look are open.
    assert_eq!(dom.matches("<details class=\"doc\"").count(), 6, "a section per file");
    let open = regex::Regex::new(r#"<details class="doc" id="doc-\d+" open="#).unwrap();
    assert_eq!(open.find_iter(&dom).count(), 4, "open: the three suspect seeds and 001");
    assert!(dom.contains(">narrative only</span>"), "001's figures are unchecked, and its badge says so");

    // Screenshots for a person to look at, desktop and phone (not asserted beyond being PNGs).
    for (name, size) in [("report.png", "1280,2000"), ("report-phone.png", "390,844")] {
        let shot = out.join(name);
        run_chromium_sized(&page, &format!("--screenshot={}", shot.display()), &out_dir(&format!("chromium_profile_{name}")), size);
        let png = std::fs::read(&shot).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{name} written ({} bytes)", png.len());
    }
}
