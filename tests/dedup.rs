//! Dedup and tagging through the real binary. The corpora are built at test time from the seed
//! renderings in tests/fixtures/seeds and the bundled DOCX of seed 000 (samples/generated):
//! a copy under another name, the same report in another format, a correction (one amount
//! changed), the 汇总 and 本级 reports of one department, and copies with nothing read from them.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const SEED000: &str = "000_5010c9f98508a758";
const SEED004: &str = "004_295e34a150d1a2fa";

fn seed(stem: &str) -> String {
    std::fs::read_to_string(fixtures().join("seeds").join(format!("{stem}.txt"))).unwrap()
}

/// A folder holding exactly `files`.
fn corpus(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = out_dir(&format!("dedup_in_{name}"));
    for (file, bytes) in files {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    dir
}

struct Run {
    docs: Vec<Row>,
    records: Vec<Row>,
    checks: Vec<Row>,
}

impl Run {
    fn doc(&self, file: &str) -> &Row {
        self.docs.iter().find(|d| d["source_path"].ends_with(file)).unwrap_or_else(|| panic!("no documents row for {file}"))
    }
    fn records_of(&self, doc_id: &str) -> usize {
        self.records.iter().filter(|r| r["doc_id"] == doc_id).count()
    }
}

fn out_dir_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("dedup_out_{name}"))
}

fn run(name: &str, input: &Path, args: &[&str]) -> Run {
    let out = out_dir(&format!("dedup_out_{name}"));
    let mut all = vec!["--quiet", "--format", "csv"];
    all.extend_from_slice(args);
    extract(&[input], &out, &all);
    Run { docs: read_csv(&out.join("documents.csv")), records: read_csv(&out.join("records.csv")), checks: read_csv(&out.join("checks.csv")) }
}

/// Seed 000's records when read alone: what one copy of the report feeds.
fn seed000_records() -> usize {
    let dir = corpus("single", &[("a.txt", seed(SEED000).as_bytes())]);
    let r = run("single", &dir, &[]);
    let n = r.records.len();
    assert!(n > 100, "seed 000 reads {n} records");
    n
}

/// Seed 000 with 本年收入合计 of 2101501 行政运行 (table 02, the first such row) raised from
/// 191.67 to 191.68.
fn seed000_corrected() -> String {
    let text = seed(SEED000);
    let row = "2101501\t行政运行\t191.67\t191.67";
    assert!(text.contains(row));
    text.replacen(row, "2101501\t行政运行\t191.68\t191.67", 1)
}

#[test]
fn identical_bytes_under_another_name_are_one_report() {
    let text = seed(SEED000);
    let dir = corpus("identical", &[("a.txt", text.as_bytes()), ("b_copy.txt", text.as_bytes())]);
    let r = run("identical", &dir, &[]);
    let (a, b) = (r.doc("a.txt"), r.doc("b_copy.txt"));
    assert_eq!(a["status"], "ok");
    assert_eq!(a["duplicate_of"], "");
    assert_eq!(b["status"], "duplicate");
    assert_eq!(b["duplicate_of"], a["doc_id"]);
    assert_eq!(b["n_records"], "0");
    assert_eq!(r.records.len(), seed000_records(), "records fed once");
}

#[test]
fn the_same_report_as_text_and_as_docx_is_one_report() {
    let docx = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/generated").join(format!("{SEED000}.docx"))).unwrap();
    let dir = corpus("formats", &[("report.txt", seed(SEED000).as_bytes()), ("report.docx", &docx)]);
    let r = run("formats", &dir, &[]);
    let (txt, docx) = (r.doc("report.txt"), r.doc("report.docx"));
    assert_ne!(txt["doc_id"], docx["doc_id"]);
    let statuses = [txt["status"].as_str(), docx["status"].as_str()];
    assert!(statuses.contains(&"duplicate") && statuses.contains(&"ok"), "{statuses:?}");
    let (kept, dup) = if txt["status"] == "ok" { (txt, docx) } else { (docx, txt) };
    assert_eq!(dup["duplicate_of"], kept["doc_id"]);
    assert_eq!(r.records_of(&dup["doc_id"]), 0);
    assert_eq!(r.records.len(), r.records_of(&kept["doc_id"]), "only the kept copy feeds records");
    assert_eq!(r.records.len(), seed000_records());
    assert!(r.checks.iter().all(|c| !c["check"].starts_with("dedup:")), "copies that agree leave no dedup check");
}

#[test]
fn a_correction_keeps_both_visible_and_lists_the_differing_record() {
    let dir = corpus("correction", &[("a_original.txt", seed(SEED000).as_bytes()), ("b_correction.txt", seed000_corrected().as_bytes())]);
    let r = run("correction", &dir, &[]);
    let (a, b) = (r.doc("a_original.txt"), r.doc("b_correction.txt"));
    // Same number of records: most-records ties, the first path is kept.
    assert_eq!((a["status"].as_str(), b["status"].as_str()), ("ok", "ok"), "both copies of a correction stay visible");
    assert_eq!(a["duplicate_of"], "");
    assert_eq!(b["duplicate_of"], a["doc_id"]);
    assert_eq!(r.records_of(&b["doc_id"]), 0);
    assert_eq!(r.records.len(), seed000_records(), "records fed once");
    let dedup: Vec<&Row> = r.checks.iter().filter(|c| c["check"].starts_with("dedup:")).collect();
    assert_eq!(dedup.len(), 1, "one check row per differing record: {dedup:?}");
    let c = dedup[0];
    assert_eq!(c["check"], format!("dedup:copies_agree({})", b["doc_id"]));
    assert_eq!(c["doc_id"], a["doc_id"]);
    assert_eq!(c["subject"], "02 2101501 [本年收入合计]");
    assert_eq!((c["expected"].as_str(), c["found"].as_str(), c["status"].as_str()), ("191.67", "191.68", "fail"));
}

#[test]
fn prefer_newest_keeps_the_newer_copy() {
    let dir = corpus("newest", &[("a_original.txt", seed(SEED000).as_bytes()), ("b_correction.txt", seed000_corrected().as_bytes())]);
    let now = std::time::SystemTime::now();
    let set = |file: &str, age_s: u64| {
        let f = std::fs::File::options().write(true).open(dir.join(file)).unwrap();
        f.set_modified(now - std::time::Duration::from_secs(age_s)).unwrap();
    };
    // The original is the newer file: the correction in b loses under --prefer newest …
    set("a_original.txt", 10);
    set("b_correction.txt", 3600);
    let r = run("newest_a", &dir, &["--prefer", "newest"]);
    assert_eq!(r.doc("b_correction.txt")["duplicate_of"], r.doc("a_original.txt")["doc_id"]);
    // … and wins once it is the newer one, its amount feeding the records.
    set("b_correction.txt", 1);
    let r = run("newest_b", &dir, &["--prefer", "newest"]);
    let (a, b) = (r.doc("a_original.txt"), r.doc("b_correction.txt"));
    assert_eq!(b["duplicate_of"], "");
    assert_eq!(a["duplicate_of"], b["doc_id"]);
    assert_eq!(r.records_of(&a["doc_id"]), 0);
    let fed = r.records.iter().find(|x| x["table"] == "02" && x["item_code"] == "2101501" && x["column"] == "本年收入合计").unwrap();
    assert_eq!(fed["amount"], "191.68");
    let c = r.checks.iter().find(|c| c["check"].starts_with("dedup:")).unwrap();
    assert_eq!((c["expected"].as_str(), c["found"].as_str()), ("191.68", "191.67"));
    // --prefer most-records ignores the times: the tie goes to the first path.
    let r = run("newest_ignored", &dir, &[]);
    assert_eq!(r.doc("b_correction.txt")["duplicate_of"], r.doc("a_original.txt")["doc_id"]);
}

#[test]
fn consolidated_and_own_level_reports_are_different_reports() {
    let consolidated = seed(SEED004);
    let own = consolidated.replace("（汇总）", "（本级）").replace("(汇总)", "(本级)");
    let dir = corpus("scope", &[("huizong.txt", consolidated.as_bytes()), ("benji.txt", own.as_bytes())]);
    let r = run("scope", &dir, &[]);
    let (h, b) = (r.doc("huizong.txt"), r.doc("benji.txt"));
    assert_eq!((h["scope"].as_str(), b["scope"].as_str()), ("汇总", "本级"));
    assert_eq!(h["department"], b["department"]);
    for d in [h, b] {
        assert_eq!((d["status"].as_str(), d["duplicate_of"].as_str()), ("ok", ""), "{}", d["source_path"]);
        assert!(r.records_of(&d["doc_id"]) > 100);
    }
    // Same values, different reports: the record ids differ too.
    let ids = |doc: &Row| r.records.iter().filter(|x| x["doc_id"] == doc["doc_id"]).map(|x| x["record_id"].clone()).collect::<std::collections::HashSet<_>>();
    assert!(ids(h).is_disjoint(&ids(b)));
}

#[test]
fn copies_with_nothing_read_are_not_duplicates_unless_identical() {
    // Two different files of one report key from which no record and no fact is read: the
    // cover and 部门职责 of seed 000, once as published and once with a sentence added.
    let head: String = seed(SEED000).lines().take(60).map(|l| format!("{l}\n")).collect();
    let a = head.clone();
    let b = format!("{head}补充说明：本部分内容无变化。\n");
    let dir = corpus("empty", &[("a.txt", a.as_bytes()), ("b.txt", b.as_bytes()), ("c_copy.txt", a.as_bytes())]);
    let r = run("empty", &dir, &[]);
    let (da, db, dc) = (r.doc("a.txt"), r.doc("b.txt"), r.doc("c_copy.txt"));
    assert_eq!(da["department"], db["department"]);
    assert_eq!(da["year"], "2024");
    assert_eq!(r.records.len(), 0);
    assert_eq!(read_csv(&out_dir_path("empty").join("facts.csv")).len(), 0, "nothing read, not even a narrative figure");
    assert_eq!((da["status"].as_str(), da["duplicate_of"].as_str()), ("ok", ""));
    assert_eq!((db["status"].as_str(), db["duplicate_of"].as_str()), ("ok", ""), "agreeing on nothing is not the same values");
    assert_eq!((dc["status"].as_str(), dc["duplicate_of"].as_str()), ("duplicate", da["doc_id"].as_str()), "identical bytes still are");
}

// ---- region and year tags, end to end ----

/// Seed 001 (narrative only) retitled for another department: the tag comes from the name.
fn retitled(department: &str, year: &str) -> String {
    seed("001_03d4e11e00e8d2e9").replace("盐边县医疗保障局", department).replace("盐边县", "").replace("2024年", &format!("{year}年"))
}

#[test]
fn every_department_name_form_is_tagged() {
    let files: Vec<(String, String)> = vec![
        ("seed000.txt".into(), seed(SEED000)),
        ("seed001.txt".into(), seed("001_03d4e11e00e8d2e9")),
        ("seed002.txt".into(), seed("002_97d50bc877a759dd")),
        ("seed004.txt".into(), seed(SEED004)),
        ("province.txt".into(), retitled("四川省医疗保障局", "2024")),
        ("prefecture.txt".into(), retitled("长春市医疗保障局", "2024")),
        ("renamed.txt".into(), retitled("襄樊市财政局", "2022")),
        ("ambiguous.txt".into(), retitled("城中区医疗保障局", "2024")),
        ("settled_by_text.txt".into(), retitled("城中区医疗保障局", "2023").replace("全县", "柳州市全区")),
    ];
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (n.as_str(), t.as_bytes())).collect();
    let dir = corpus("tags", &refs);
    let r = run("tags", &dir, &[]);
    let tag = |file: &str| {
        let d = r.doc(file);
        [&d["province"], &d["prefecture"], &d["county"], &d["region_code"], &d["year"], &d["flags"]].map(|s| s.to_string())
    };
    let want = |p: &str, pf: &str, c: &str, code: &str, y: &str, flags: &str| [p, pf, c, code, y, flags].map(String::from);
    assert_eq!(tag("seed000.txt"), want("青海省", "西宁市", "城中区", "630103", "2024", ""), "two levels");
    assert_eq!(tag("seed001.txt"), want("四川省", "攀枝花市", "盐边县", "510422", "2024", ""), "a county alone");
    assert_eq!(tag("seed004.txt"), want("吉林省", "长春市", "德惠市", "220183", "2024", ""), "a county-level city");
    // 2023年度 report: the fiscal year, not the year it was published
    assert_eq!(tag("seed002.txt"), want("陕西省", "西安市", "莲湖区", "610104", "2023", ""), "fiscal year");
    assert_eq!(tag("province.txt"), want("四川省", "", "", "510000", "2024", ""));
    assert_eq!(tag("prefecture.txt"), want("吉林省", "长春市", "", "220100", "2024", ""));
    assert_eq!(tag("renamed.txt"), want("湖北省", "襄阳市", "", "420600", "2022", ""), "襄樊 is now 襄阳");
    assert_eq!(tag("ambiguous.txt"), want("", "", "", "", "2024", "region_ambiguous"), "城中区 of 西宁 or of 柳州");
    assert_eq!(tag("settled_by_text.txt"), want("广西壮族自治区", "柳州市", "城中区", "450202", "2023", ""));
}
