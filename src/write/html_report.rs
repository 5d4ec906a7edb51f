//! `report.html`: the page a journalist opens first. One self-contained file (inline CSS, a
//! few lines of inline script for the index filter — the page reads the same without it —,
//! no external asset): the run's counts, then the problems (failed, suspect, tableless
//! files, worst first), then the run's largest failing checks in plain words, then a
//! filterable index, then per input file a collapsible section (open when it needs a look)
//! with its verdict, the tables found, its failed accounting checks largest first with table
//! title and page, the first narrative facts, and a link back to the source file.

use crate::dataset::feeds_records;
use crate::inputs::Input;
use crate::pipeline::{DocOutcome, Status};
use crate::report::{Check, CheckStatus};
use crate::verify::Verdict;
use std::collections::{BTreeMap, HashMap};
use crate::store::Counts;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Seek, Write as _};
use std::path::{Component, Path, PathBuf};

/// How many facts each document shows; the full list is in facts.csv.
const FACTS_SHOWN: usize = 8;
/// Failed checks shown per document, largest first, before "… and N more" (checks.csv has
/// them all): enough to see what is wrong, few enough that 10,000 documents stay one page.
const FAILED_CHECKS_SHOWN: usize = 20;
/// The run's largest failing checks listed above the index.
const LARGEST_CHECKS_SHOWN: usize = 25;

pub const REPORT_FILE: &str = "report.html";

/// report.html written as the run's documents stream past: the counts, the problems and the
/// index are known from the outcomes at the start; each document's section is written as its
/// records come back, into a temporary file, because the run's largest failing checks, which
/// go between the problems and the index, are known only at the end. The index waits in a
/// temporary file too: in memory with the counts and problems it was 7 MiB of a
/// 10,000-document run's peak.
pub struct HtmlSink {
    out: BufWriter<File>,
    index: File,
    sections: BufWriter<File>,
    largest: Vec<FailingCheck>,
    links: HashMap<String, String>,
}

impl HtmlSink {
    /// Starts the page for `docs` in `dir`; `inputs` give the real location of each source so
    /// that the page links to it relative to `dir`.
    pub fn new(mut out: BufWriter<File>, dir: &Path, docs: &[DocOutcome], inputs: &[Input]) -> std::io::Result<Self> {
        // Unnamed: they vanish with the process, however the run ends.
        let (mut index_file, sections) = (tempfile::tempfile_in(dir)?, BufWriter::new(tempfile::tempfile_in(dir)?));
        let mut top = String::from(HEAD);
        summary(&mut top, docs);
        problems(&mut top, docs);
        out.write_all(top.as_bytes())?;
        drop(top);
        let mut index_html = String::new();
        index(&mut index_html, docs);
        index_file.write_all(index_html.as_bytes())?;
        Ok(HtmlSink { out, index: index_file, sections, largest: Vec::new(), links: source_links(dir, inputs) })
    }

    /// The section of the `i`-th document (with its records, facts and checks in memory).
    pub fn document(&mut self, i: usize, d: &DocOutcome) -> std::io::Result<()> {
        let mut h = String::new();
        document(&mut h, i, d, &|source: &str| {
            // An archive member links to its archive: `a.zip!/b.pdf` → `a.zip`.
            let outer = source.split("!/").next().unwrap_or(source);
            self.links.get(outer).cloned()
        });
        // Only a document's own largest can be among the run's largest.
        self.largest.extend(failed_checks(d).into_iter().take(LARGEST_CHECKS_SHOWN).map(|c| FailingCheck::new(i, d, c)));
        keep_largest(&mut self.largest);
        self.sections.write_all(h.as_bytes())
    }

    pub fn finish(mut self) -> std::io::Result<BufWriter<File>> {
        let mut largest = String::new();
        largest_checks(&mut largest, &self.largest);
        self.out.write_all(largest.as_bytes())?;
        self.index.rewind()?;
        std::io::copy(&mut self.index, &mut self.out)?;
        let mut sections = self.sections.into_inner().map_err(|e| e.into_error())?;
        sections.rewind()?;
        std::io::copy(&mut sections, &mut self.out)?;
        self.out.write_all(TAIL.as_bytes())?;
        Ok(self.out)
    }
}

/// One failed check of the run, with what a reader needs to find it in the report.
struct FailingCheck {
    doc: usize,
    department: String,
    year: Option<i32>,
    report_type: String,
    table: String,
    row: String,
    column: String,
    page: Option<u32>,
    in_plain_words: String,
    difference: Option<Decimal>,
}

impl FailingCheck {
    fn new(doc: usize, d: &DocOutcome, c: &Check) -> Self {
        let m = &d.report.meta;
        let (cell, found) = crate::dataset::check_cell(&d.report.records, c);
        let name = found.map(|r| r.item_name.as_str()).filter(|n| *n != cell.item).unwrap_or("");
        let row = [cell.block.as_str(), &cell.item, name].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
        FailingCheck {
            doc,
            department: if m.department.is_empty() { d.source_path.clone() } else { m.department.clone() },
            year: m.year,
            report_type: m.report_type.clone(),
            table: table_label(&cell.table),
            row,
            column: cell.column,
            page: found.and_then(|r| r.page),
            in_plain_words: in_plain_words(c),
            difference: c.difference(),
        }
    }
}

/// Keeps the largest differences only: the list stays small however many documents pass.
fn keep_largest(checks: &mut Vec<FailingCheck>) {
    checks.sort_by_key(|c| std::cmp::Reverse(c.difference.map(|d| d.abs())));
    checks.truncate(LARGEST_CHECKS_SHOWN);
}

/// What a failed check says, for a reader who does not know its id.
fn in_plain_words(c: &Check) -> String {
    let amount = |v: Option<Decimal>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    let (found, expected) = (amount(c.found), amount(c.expected));
    let rule = c.check.split_once('=').map_or("", |(_, rule)| rule);
    if c.check.starts_with("narrative:") {
        format!("the narrative states {found}, the table prints {expected}")
    } else if rule.contains("sum(") || rule.contains('+') {
        format!("printed {found}, but its parts add up to {expected}")
    } else {
        format!("printed {found}, but the same figure reads {expected} where it is printed again")
    }
}

/// A table by its title, with its id: `一般公共预算财政拨款基本支出决算表 (06)`.
fn table_label(id: &str) -> String {
    let (_, title) = crate::dataset::table_names(id);
    if title.is_empty() { id.to_string() } else { format!("{title} ({id})") }
}

/// The run's largest failing checks, in plain words, each linked to its document.
fn largest_checks(h: &mut String, checks: &[FailingCheck]) {
    if checks.is_empty() {
        return;
    }
    let _ = writeln!(h, "<h2>Largest failing checks of the run</h2>\n<p class=\"sub\">Where a report's own numbers do not add up, largest difference first (amounts in 万元; every check is in checks.csv).</p>");
    h.push_str("<table class=\"largest\">\n<tr><th>report</th><th>table</th><th>row</th><th>column</th><th>page</th><th>what is wrong</th><th>difference</th></tr>\n");
    for c in checks {
        let year = c.year.map(|y| format!(" {y}")).unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#doc-{}\">{}{}{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num diff\">{}</td></tr>",
            c.doc,
            esc(&c.department),
            esc(&year),
            esc(&c.report_type),
            esc(&c.table),
            esc(&c.row),
            esc(&c.column),
            c.page.map(|p| p.to_string()).unwrap_or_default(),
            esc(&c.in_plain_words),
            c.difference.map(|d| d.to_string()).unwrap_or_default(),
        );
    }
    h.push_str("</table>\n");
}

/// source_path → link relative to the output folder (percent-encoded).
fn source_links(dir: &Path, inputs: &[Input]) -> HashMap<String, String> {
    let base = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    inputs
        .iter()
        .map(|i| {
            let target = i.path.canonicalize().unwrap_or_else(|_| i.path.clone());
            let href = match relative(&base, &target) {
                Some(rel) => url_path(&rel),
                None => format!("file://{}", url_path(&target)),
            };
            (i.source_path.clone(), href)
        })
        .collect()
}

/// `to` as seen from the folder `from` (both absolute), e.g. `../scrape/a.pdf`.
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    if !from.is_absolute() || !to.is_absolute() {
        return None;
    }
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in to.get(common..).unwrap_or(&[]) {
        rel.push(c.as_os_str());
    }
    Some(rel)
}

/// Percent-encodes a path for an href, keeping `/` and unreserved ASCII; other bytes (CJK
/// file names, spaces, `#`, `?`) are escaped so the browser finds the file.
fn url_path(p: &Path) -> String {
    let text = p.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const TAIL: &str = "</main>\n</body>\n</html>\n";

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gongkai — 部门决算/预算公开 extraction report</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; margin: 0; color: #1d232b; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 0 0 .4rem; }
h3 { font-size: .95rem; margin: 1rem 0 .3rem; color: #44505e; }
.sub { color: #5b6775; margin: 0 0 1rem; }
.counts { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0 1.5rem; }
.count { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .6rem 1rem; min-width: 7rem; }
.count b { display: block; font-size: 1.5rem; }
.count.bad b { color: #b3261e; }
details.doc { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .6rem 1.25rem; margin: 0 0 .75rem; content-visibility: auto; contain-intrinsic-size: auto 4rem; }
details.doc > summary { cursor: pointer; }
details.doc > summary h2 { display: inline; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .25rem 0; }
th, td { border-bottom: 1px solid #e6e9ed; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.diff { color: #b3261e; font-weight: 600; }
.status { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; }
.status.ok { background: #dcf2e0; color: #1b5e20; }
.status.partial { background: #fff2cc; color: #7a5a00; }
.status.duplicate { background: #e4e8ee; color: #3c4650; }
.status.failed, .status.unsupported { background: #fbdcdc; color: #8c1d18; }
.status.ok.suspect { background: #ffe0b2; color: #8a3c00; }
.verdict { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; }
.verdict.verified { background: #c8ecd0; color: #0d4d1a; }
.verdict.consistent { background: #e3eefc; color: #143c6e; }
.verdict.suspect { background: #ffe0b2; color: #8a3c00; }
.meta { color: #44505e; font-size: .9rem; margin: .2rem 0; }
.error { color: #8c1d18; }
.fine { color: #1b5e20; }
.more { color: #5b6775; font-size: .85rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; }
a { color: #0b57d0; }
.filter input { width: 100%; max-width: 28rem; padding: .35rem .5rem; font-size: .95rem; border: 1px solid #c4cad2; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>gongkai — extraction report</h1>
<p class="sub">部门决算 / 部门预算 公开: what was read from each file, and where the report's own numbers do not add up. The full data is in documents, records, facts and checks (.csv / .parquet) next to this page.</p>
"#;

/// Failed checks of a document that feeds the dataset (its report may be in the store).
fn n_failed(d: &DocOutcome) -> usize {
    if feeds_records(d) { d.counts().failed_checks } else { 0 }
}

/// A document's failed checks, the largest differences first: what a reader follows up.
fn failed_checks(d: &DocOutcome) -> Vec<&Check> {
    if !feeds_records(d) {
        return Vec::new();
    }
    let mut failed: Vec<&Check> = d.report.checks.iter().filter(|c| c.status == CheckStatus::Fail).collect();
    failed.sort_by_key(|c| std::cmp::Reverse(c.difference().map(|d| d.abs())));
    failed
}

fn summary(h: &mut String, docs: &[DocOutcome]) {
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    for d in docs {
        *by_status.entry(d.status).or_default() += 1;
    }
    let fed = docs.iter().filter(|d| feeds_records(d)).map(DocOutcome::counts);
    let total = fed.fold(Counts::default(), Counts::plus);
    let (records, facts, checks, failed) = (total.records, total.facts, total.checks, total.failed_checks);
    let docs_failing = docs.iter().filter(|d| n_failed(d) > 0).count();
    h.push_str("<div class=\"counts\">\n");
    count(h, "files", docs.len(), false);
    for (status, n) in &by_status {
        count(h, status.name(), *n, matches!(status, Status::Failed | Status::Unsupported));
    }
    count(h, "records", records, false);
    count(h, "facts", facts, false);
    count(h, "checks tried", checks, false);
    for verdict in [Verdict::Verified, Verdict::Consistent, Verdict::Suspect] {
        let n = docs.iter().filter(|d| feeds_records(d) && d.report.verification.verdict == Some(verdict)).count();
        count(h, verdict.name(), n, verdict == Verdict::Suspect && n > 0);
    }
    count(h, "failed checks", failed, failed > 0);
    count(h, "files with failed checks", docs_failing, docs_failing > 0);
    h.push_str("</div>\n");
}

fn count(h: &mut String, label: &str, n: usize, bad: bool) {
    let class = if bad { "count bad" } else { "count" };
    let _ = writeln!(h, "<div class=\"{class}\"><b>{n}</b>{}</div>", esc(label));
}

/// Why a document needs a person's eyes, if it does: not read, read in part, numbers suspect,
/// or read without a single standard table.
fn problem(d: &DocOutcome) -> Option<String> {
    match d.status {
        Status::Failed | Status::Unsupported | Status::Partial => return Some(d.error.clone()),
        Status::Duplicate => return None,
        Status::Ok => {}
    }
    if !feeds_records(d) {
        return None;
    }
    let v = &d.report.verification;
    if v.verdict == Some(Verdict::Suspect) {
        return Some(v.line());
    }
    if let Some(note) = unverified_note(d) {
        return Some(note.to_string());
    }
    let counts = d.counts();
    (counts.records == 0 && counts.facts == 0).then(|| "no standard table and no narrative figure found".to_string())
}

/// The documents that need attention, before anything else: failed first, then suspect.
fn problems(h: &mut String, docs: &[DocOutcome]) {
    let mut found: Vec<(usize, &DocOutcome, String)> = docs.iter().enumerate().filter_map(|(i, d)| problem(d).map(|p| (i, d, p))).collect();
    if found.is_empty() {
        h.push_str("<h2>Problems</h2>\n<p class=\"fine\">Every file was read and no document is suspect.</p>\n");
        return;
    }
    found.sort_by_key(|(i, d, _)| (d.status == Status::Ok, std::cmp::Reverse(n_failed(d)), *i));
    let _ = writeln!(h, "<h2>Problems: {} files need a look</h2>\n<table class=\"problems\">\n<tr><th>file</th><th>verdict</th><th>department</th><th>why</th><th>failed checks</th></tr>", found.len());
    for (i, d, why) in found {
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#doc-{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&d.source_path),
            status_badge(d),
            esc(&d.report.meta.department),
            esc(&why),
            n_failed(d)
        );
    }
    h.push_str("</table>\n");
}

fn index(h: &mut String, docs: &[DocOutcome]) {
    h.push_str("<h2>All files</h2>\n<p class=\"filter\"><input id=\"filter\" type=\"search\" placeholder=\"filter: file, department, verdict…\" aria-label=\"filter the files\"></p>\n");
    h.push_str(FILTER_SCRIPT);
    h.push_str("<table class=\"index\" id=\"index\">\n<tr><th>file</th><th>status</th><th>numbers</th><th>department</th><th>year</th><th>type</th><th>tables</th><th>records</th><th>failed checks</th></tr>\n");
    for (i, d) in docs.iter().enumerate() {
        let m = &d.report.meta;
        let records = if feeds_records(d) { d.counts().records } else { 0 };
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#doc-{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td class=\"num\">{records}</td><td class=\"num\">{}</td></tr>",
            esc(&d.source_path),
            status_badge(d),
            verdict_badge(d),
            esc(&m.department),
            m.year.map(|y| y.to_string()).unwrap_or_default(),
            esc(&m.report_type),
            if m.scope.is_empty() { String::new() } else { format!("（{}）", esc(&m.scope)) },
            esc(&d.report.tables_found()),
            n_failed(d),
        );
    }
    h.push_str("</table>\n");
}

/// Why a read document's figures are unchecked, when nothing else vouches for them: a
/// narrative whose tables file was not among the inputs, a template. (A narrative part whose
/// tables were found is checked against them, and needs no look.)
fn unverified_note(d: &DocOutcome) -> Option<&str> {
    let v = &d.report.verification;
    let note = v.reasons.first().filter(|_| v.verdict.is_none())?;
    (!note.starts_with(NARRATIVE_PART)).then_some(note.as_str())
}

const NARRATIVE_PART: &str = "narrative part";

/// A document's badge: its verdict when it was read (never a plain green `ok` for suspect
/// numbers, unchecked figures or a file without tables), else its status.
fn status_badge(d: &DocOutcome) -> String {
    if d.status == Status::Ok && feeds_records(d) {
        if let Some(v) = d.report.verification.verdict {
            let class = if v == Verdict::Suspect { "ok suspect" } else { "ok" };
            return format!("<span class=\"status {class}\">{}</span>", v.name());
        }
        if let Some(note) = unverified_note(d) {
            // `narrative only: …`, `template: …`: the words before the colon are the badge.
            let label = note.split(':').next().unwrap_or(note);
            return format!("<span class=\"status partial\" title=\"{}\">{}</span>", esc(note), esc(label));
        }
        if d.report.verification.reasons.first().is_some_and(|r| r.starts_with(NARRATIVE_PART)) {
            return format!("<span class=\"status duplicate\">{NARRATIVE_PART}</span>");
        }
        if problem(d).is_some() {
            return "<span class=\"status partial\">no tables</span>".into();
        }
    }
    format!("<span class=\"status {0}\">{0}</span>", d.status.name())
}

/// Narrows the index as one types; without script the whole index shows.
const FILTER_SCRIPT: &str = "<script>\ndocument.addEventListener('DOMContentLoaded', function () {\n  var box = document.getElementById('filter'), rows = document.querySelectorAll('#index tr:not(:first-child)');\n  box.addEventListener('input', function () {\n    var q = box.value.trim().toLowerCase();\n    rows.forEach(function (r) { r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none'; });\n  });\n});\n</script>\n";

fn verdict_badge(d: &DocOutcome) -> String {
    match d.report.verification.verdict {
        Some(v) if feeds_records(d) => format!("<span class=\"verdict {0}\" title=\"{1}\">{0}</span>", v.name(), esc(&d.report.verification.line())),
        _ => String::new(),
    }
}

fn document(h: &mut String, i: usize, d: &DocOutcome, link: &dyn Fn(&str) -> Option<String>) {
    let m = &d.report.meta;
    let title = if m.department.is_empty() { d.source_path.as_str() } else { m.department.as_str() };
    // Collapsed unless it needs a look: ten thousand documents stay a list one can scan.
    let open = if problem(d).is_some() || n_failed(d) > 0 { " open" } else { "" };
    let _ = writeln!(h, "<details class=\"doc\" id=\"doc-{i}\"{open}>");
    let year = m.year.map(|y| format!(" {y}年度")).unwrap_or_default();
    let _ = writeln!(h, "<summary><h2>{}{}{} {}</h2></summary>", esc(title), esc(&year), esc(&m.report_type), status_badge(d));
    let source = match link(&d.source_path) {
        Some(href) => format!("<a class=\"source\" href=\"{}\">{}</a>", esc(&href), esc(&d.source_path)),
        None => format!("<code>{}</code>", esc(&d.source_path)),
    };
    let _ = writeln!(h, "<p class=\"meta\">source: {source} · format {} · doc_id <code>{}</code></p>", esc(d.format.name()), esc(short_id(&d.doc_id)));
    let place: Vec<&str> = [m.province.as_str(), &m.prefecture, &m.county].into_iter().filter(|s| !s.is_empty()).collect();
    if !place.is_empty() || !m.region_code.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">region: {} {}</p>", esc(&place.join(" ")), esc(&m.region_code));
    }
    if !d.error.is_empty() {
        let _ = writeln!(h, "<p class=\"error\">{}</p>", esc(&d.error));
    }
    if !d.duplicate_of.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">duplicate of doc_id <code>{}</code>: its values are counted once, under that copy.</p>", esc(short_id(&d.duplicate_of)));
    }
    if feeds_records(d) {
        let tables = d.report.tables_found();
        let tables = if tables.is_empty() { "none".to_string() } else { tables };
        let _ = writeln!(h, "<p class=\"meta\">tables found: {} (* = published empty) · {} records · unit printed {}</p>", esc(&tables), d.report.records.len(), esc(or_dash(&m.unit_printed)));
        let unread = d.report.tables_unread();
        if !unread.is_empty() {
            let _ = writeln!(h, "<p class=\"meta\">printed with figures, not read: {}</p>", esc(&unread));
        }
        let v = &d.report.verification;
        if v.verdict.is_some() {
            let _ = writeln!(h, "<p class=\"meta\">numbers: {} {}</p>", verdict_badge(d), esc(&v.line()));
        }
        checks_section(h, d);
        facts_section(h, d);
    }
    h.push_str("</details>\n");
}

fn short_id(id: &str) -> &str {
    id.get(..16).unwrap_or(id)
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "—" } else { s }
}

fn checks_section(h: &mut String, d: &DocOutcome) {
    let failed = failed_checks(d);
    let passed = d.report.checks.iter().filter(|c| c.status == CheckStatus::Pass).count();
    if failed.is_empty() {
        if passed > 0 {
            let _ = writeln!(h, "<p class=\"fine\">All {passed} accounting checks pass.</p>");
        }
        return;
    }
    let _ = writeln!(h, "<h3>Failed checks: {} of {} ({passed} pass) — amounts in 万元</h3>", failed.len(), failed.len() + passed);
    h.push_str("<table class=\"checks\">\n<tr><th>table</th><th>row</th><th>column</th><th>page</th><th>should be</th><th>printed</th><th>difference</th><th>check</th></tr>\n");
    for c in failed.iter().take(FAILED_CHECKS_SHOWN) {
        let dec = |v: Option<rust_decimal::Decimal>| v.map(|v| v.to_string()).unwrap_or_default();
        let (cell, found) = crate::dataset::check_cell(&d.report.records, c);
        let table = table_label(&cell.table);
        let item = if cell.block.is_empty() { cell.item.clone() } else { format!("[{}] {}", cell.block, cell.item) };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num diff\">{}</td><td><code>{}</code></td></tr>",
            esc(&table),
            esc(&item),
            esc(&cell.column),
            found.and_then(|r| r.page).map(|p| p.to_string()).unwrap_or_default(),
            dec(c.expected),
            dec(c.found),
            dec(c.difference()),
            esc(&c.check),
        );
    }
    h.push_str("</table>\n");
    if failed.len() > FAILED_CHECKS_SHOWN {
        let _ = writeln!(h, "<p class=\"more\">… and {} more in checks.csv</p>", failed.len() - FAILED_CHECKS_SHOWN);
    }
}

fn facts_section(h: &mut String, d: &DocOutcome) {
    let facts = &d.report.facts;
    if facts.is_empty() {
        return;
    }
    let _ = writeln!(h, "<h3>Narrative facts (first {} of {})</h3>", facts.len().min(FACTS_SHOWN), facts.len());
    h.push_str("<table class=\"facts\">\n<tr><th>topic</th><th>name</th><th>value</th><th>unit</th></tr>\n");
    for f in facts.iter().take(FACTS_SHOWN) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&f.topic),
            esc(&f.name),
            f.value,
            esc(&f.unit)
        );
    }
    h.push_str("</table>\n");
}

/// HTML text and attribute escaping (the five characters that can break out of either).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_any_field() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn relative_link_climbs_out_of_the_output_folder() {
        let rel = relative(Path::new("/data/out"), Path::new("/data/scrape/青海 省/a#1.pdf")).unwrap();
        assert_eq!(rel, PathBuf::from("../scrape/青海 省/a#1.pdf"));
        assert_eq!(url_path(&rel), "../scrape/%E9%9D%92%E6%B5%B7%20%E7%9C%81/a%231.pdf");
    }
}
