//! Helpers for the end-to-end tests: run the real binary, read its CSV output, and compare
//! with the gold the way ../shared/tools/score.py does.
#![allow(dead_code)]

pub mod expected_failures;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh, empty folder under the target dir for one test's output.
pub fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `gongkai extract INPUTS -o OUT ARGS`, asserting it exits 0. Many tests feed failing
/// files on purpose: unless ARGS says otherwise, `--fail-on none` (tests/cron.rs tests the
/// exit statuses).
pub fn extract(inputs: &[&Path], out: &Path, args: &[&str]) -> std::process::Output {
    let fail_on: &[&str] = if args.contains(&"--fail-on") { &[] } else { &["--fail-on", "none"] };
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("extract")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(args)
        .args(fail_on)
        .output()
        .expect("the gongkai binary runs");
    assert!(output.status.success(), "gongkai failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

pub type Row = HashMap<String, String>;

pub fn read_csv(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records().map(|rec| headers.iter().zip(rec.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()).collect()
}

/// score.py's name normalisation: whitespace, ordinal prefixes, parenthetical qualifiers
/// and quotes removed; half-width parentheses made full-width.
pub fn norm_name(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace('(', "（").replace(')', "）");
    let ordinal = regex::Regex::new(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．]|其中[:：])+").unwrap();
    let s = ordinal.replace(&s, "").to_string();
    let paren = regex::Regex::new(r"（[^）]*）").unwrap();
    paren.replace_all(&s, "").replace(['“', '”', '"'], "")
}

pub fn record_key(table: &str, side: &str, code: &str, name: &str, column: &str) -> String {
    let item = if code.is_empty() { format!("name:{}", norm_name(name)) } else { code.to_string() };
    format!("{:0>2}|{}|{}|{}", table, side, item, norm_name(column))
}

pub struct Gold {
    pub document: serde_json::Value,
    pub records: HashMap<String, rust_decimal::Decimal>,
    pub facts: Vec<serde_json::Value>,
}

pub fn gold(stem: &str) -> Gold {
    let text = std::fs::read_to_string(fixtures().join("gold").join(format!("{stem}.json"))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let records = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let f = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (record_key(&f("table"), &f("side"), &f("item_code"), &f("item_name"), &f("column")), f("amount").parse().unwrap())
        })
        .collect();
    Gold { document: v["document"].clone(), records, facts: v["facts"].as_array().cloned().unwrap_or_default() }
}

/// Stem of a source path (`seeds/000_x.txt` → `000_x`; archive members by their own name).
pub fn stem(source_path: &str) -> String {
    let base = source_path.rsplit("!/").next().unwrap_or(source_path);
    let base = Path::new(base).file_name().unwrap().to_string_lossy().into_owned();
    base.split('.').next().unwrap().to_string()
}

/// Compares one output document with its gold: (missing, wrong, extra) record keys and the
/// metadata fields that differ.
pub struct Comparison {
    pub missing: Vec<String>,
    pub wrong: Vec<String>,
    pub extra: Vec<String>,
    pub metadata_wrong: Vec<String>,
}

impl Comparison {
    pub fn is_exact(&self) -> bool {
        self.missing.is_empty() && self.wrong.is_empty() && self.extra.is_empty() && self.metadata_wrong.is_empty()
    }
    pub fn f1(&self, gold_n: usize) -> f64 {
        if gold_n == 0 {
            return if self.extra.is_empty() && self.wrong.is_empty() { 1.0 } else { 0.0 };
        }
        let tp = gold_n - self.missing.len() - self.wrong.len();
        let p = tp as f64 / (tp + self.wrong.len() + self.extra.len()).max(1) as f64;
        let r = tp as f64 / gold_n.max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

pub const METADATA: [&str; 7] = ["department", "province", "prefecture", "county", "region_code", "year", "report_type"];

pub fn compare(doc: &Row, records: &[Row], gold: &Gold) -> Comparison {
    let mut predicted: HashMap<String, Vec<rust_decimal::Decimal>> = HashMap::new();
    for r in records.iter().filter(|r| r["doc_id"] == doc["doc_id"]) {
        let k = record_key(&r["table"], &r["side"], &r["item_code"], &r["item_name"], &r["column"]);
        predicted.entry(k).or_default().push(r["amount"].parse().unwrap());
    }
    let mut c = Comparison { missing: vec![], wrong: vec![], extra: vec![], metadata_wrong: vec![] };
    for (k, want) in &gold.records {
        match predicted.get(k) {
            None => c.missing.push(format!("{k} = {want}")),
            Some(got) if got.len() != 1 || got[0] != *want => c.wrong.push(format!("{k}: gold {want} got {got:?}")),
            _ => {}
        }
    }
    for (k, got) in &predicted {
        if !gold.records.contains_key(k) && got.iter().any(|v| !v.is_zero()) {
            c.extra.push(format!("{k} = {got:?}"));
        }
    }
    for m in METADATA {
        let want = match &gold.document[m] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        if !want.is_empty() && doc[m] != want {
            c.metadata_wrong.push(format!("{m}: gold {want:?} got {:?}", doc[m]));
        }
    }
    c
}

/// Runs the gold comparison over every gold-matched document of an output folder and
/// returns one line per document that is not exact (empty = all exact).
pub fn gold_failures(out: &Path, min_f1: f64) -> (usize, Vec<String>) {
    let docs = read_csv(&out.join("documents.csv"));
    let records = read_csv(&out.join("records.csv"));
    let mut matched = 0;
    let mut failures = Vec::new();
    for doc in docs.iter().filter(|d| d["status"] != "duplicate") {
        let s = stem(&doc["source_path"]);
        if !fixtures().join("gold").join(format!("{s}.json")).exists() {
            continue;
        }
        matched += 1;
        let g = gold(&s);
        let c = compare(doc, &records, &g);
        let f1 = c.f1(g.records.len());
        if f1 < min_f1 || !c.metadata_wrong.is_empty() {
            failures.push(format!(
                "{}: f1={f1:.4}\n  metadata: {:?}\n  missing: {:?}\n  wrong: {:?}\n  extra: {:?}",
                doc["source_path"],
                c.metadata_wrong,
                &c.missing[..c.missing.len().min(10)],
                &c.wrong[..c.wrong.len().min(10)],
                &c.extra[..c.extra.len().min(10)]
            ));
        }
    }
    (matched, failures)
}

/// LibreOffice's `soffice`, when installed; with GONGKAI_REQUIRE_LIBREOFFICE set (CI) its
/// absence fails the test instead of skipping it.
pub fn soffice() -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join("soffice")).find(|p| p.is_file());
    if found.is_none() && std::env::var_os("GONGKAI_REQUIRE_LIBREOFFICE").is_some() {
        panic!("GONGKAI_REQUIRE_LIBREOFFICE is set but soffice is not on PATH (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)");
    }
    found
}

/// `soffice --convert-to TARGET --outdir DIR FILE` with a private profile; the converted file.
pub fn soffice_convert(soffice: &Path, file: &Path, target: &str, dir: &Path) -> PathBuf {
    let status = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .args(["--headless", "--norestore", "--convert-to", target, "--outdir"])
        .arg(dir)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice --convert-to {target} {}", file.display());
    let extension = target.split(':').next().unwrap();
    dir.join(file.file_stem().unwrap()).with_extension(extension)
}
