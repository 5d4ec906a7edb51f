//! One document through the domain stages: bytes → detect → extract → recognise → checks,
//! facts and verdict. [`read_bytes`] is the whole of it for one file in memory; the CLI adds
//! files, deadlines and the spill store around it.

use crate::extract;
use crate::recognise::catalogue::Family;
use crate::report::{Check, CheckStatus, Fact, Record, Report};
use gongkai_archive::ArchiveLimits;
use gongkai_model::{detect, ErrorKind, Format, Options};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// The documents.status vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    Ok,
    Partial,
    Duplicate,
    Failed,
    Unsupported,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Duplicate => "duplicate",
            Status::Failed => "failed",
            Status::Unsupported => "unsupported",
        }
    }
}

/// Settings of one run that the per-file stages need (serialisable: the CLI hands them to
/// its reader processes).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub extract: Options,
    /// Files larger than this are refused unread.
    pub max_file_bytes: u64,
    /// 尾差 allowed per summed item, in 万元.
    pub tolerance: Decimal,
    /// What a ZIP archive may make us inflate.
    pub archive: ArchiveLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { extract: Options::default(), max_file_bytes: 256 << 20, tolerance: Decimal::new(1, 2), archive: ArchiveLimits::default() }
    }
}

/// What one input file became. Serialisable so that incremental runs can reuse it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocOutcome {
    pub source_path: String,
    pub doc_id: String,
    #[serde(with = "format_name")]
    pub format: Format,
    pub status: Status,
    pub error: String,
    pub pages: Option<u32>,
    pub mtime: Option<SystemTime>,
    pub duplicate_of: String,
    /// doc_id of the wider report of this run that already includes this one's figures (a
    /// 本级 report in its department's 汇总, a 单位 budget in the 部门 budget); set per run by
    /// [`crate::dataset::link_scopes`], like duplicate_of.
    #[serde(default)]
    pub included_in: String,
    pub report: Report,
    /// Set when the report's records, facts and checks were moved to the run's store
    /// ([`crate::outcome`]): what is there. The report keeps what was added afterwards.
    #[serde(default)]
    pub stored: Option<Counts>,
}

impl DocOutcome {
    /// Records, facts and checks of the whole report, stored or in memory.
    pub fn counts(&self) -> Counts {
        let r = &self.report;
        self.stored.unwrap_or_default().plus(Counts::of(&r.records, &r.facts, &r.checks))
    }

    /// A failed outcome decided outside the stages (a timeout, an unreadable file).
    pub fn failed(source_path: String, mtime: Option<SystemTime>, doc_id: String, reason: impl Into<String>) -> Self {
        let mut out = DocOutcome::new(source_path, mtime).fail(ErrorKind::Failed, reason);
        out.doc_id = doc_id;
        out
    }

    pub fn new(source_path: String, mtime: Option<SystemTime>) -> Self {
        DocOutcome {
            source_path,
            doc_id: String::new(),
            format: Format::Unknown,
            status: Status::Failed,
            error: String::new(),
            pages: None,
            mtime,
            duplicate_of: String::new(),
            included_in: String::new(),
            report: Report::default(),
            stored: None,
        }
    }

    pub fn fail(mut self, kind: ErrorKind, reason: impl Into<String>) -> Self {
        self.status = if kind == ErrorKind::Unsupported { Status::Unsupported } else { Status::Failed };
        self.error = reason.into();
        self
    }
}

/// Content hash of the bytes: same bytes, same id, on any machine.
pub fn doc_id(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hexadecimal of `bytes` (ids and keys), into one string.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

/// How much of a document's report is in the store (what the summaries count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub records: usize,
    pub facts: usize,
    /// Checks that applied (pass or fail).
    pub checks: usize,
    pub failed_checks: usize,
}

impl Counts {
    pub fn of(records: &[Record], facts: &[Fact], checks: &[Check]) -> Counts {
        Counts {
            records: records.len(),
            facts: facts.len(),
            checks: checks.iter().filter(|c| matches!(c.status, CheckStatus::Pass | CheckStatus::Fail)).count(),
            failed_checks: checks.iter().filter(|c| c.status == CheckStatus::Fail).count(),
        }
    }

    pub fn plus(self, o: Counts) -> Counts {
        Counts {
            records: self.records + o.records,
            facts: self.facts + o.facts,
            checks: self.checks + o.checks,
            failed_checks: self.failed_checks + o.failed_checks,
        }
    }
}

/// Reads one file held in memory: one outcome, or for an archive one for the archive itself and
/// one per member (named `archive.zip!/member.pdf`). Never panics: every failure becomes that
/// file's status and reason. `name` is what documents.source_path will say.
pub fn read_bytes(name: &str, bytes: &[u8], mtime: Option<SystemTime>, settings: &Settings) -> Vec<DocOutcome> {
    read_hashed(name, bytes, doc_id(bytes), mtime, settings)
}

/// [`read_bytes`] of bytes whose [`doc_id`] the caller already has: a file is hashed once
/// (the CLI needs the hash before reading, to look the file up in its manifest).
pub fn read_hashed(name: &str, bytes: &[u8], id: String, mtime: Option<SystemTime>, settings: &Settings) -> Vec<DocOutcome> {
    let out = DocOutcome::new(name.to_string(), mtime);
    let mut budget = Budget { bytes: settings.archive.max_total_bytes, members: settings.archive.max_members };
    match process_bytes(out.clone(), bytes, id.clone(), settings, 0, &mut budget) {
        Ok(outs) => outs,
        Err(reason) => {
            let mut failed = out.fail(ErrorKind::Failed, reason);
            failed.doc_id = id;
            failed.format = detect(bytes);
            vec![failed]
        }
    }
}

/// What one input may still make us inflate, across every nesting level of its archives (a
/// small ZIP of ZIPs within each archive's limits still multiplies: 100 × 100 × 100 members).
struct Budget {
    bytes: u64,
    members: usize,
}

/// Where the bulky part of a report (records, facts, checks) lives between the stages: in
/// memory (the report itself, [`InMemory`]) or spilled to disk by a client (the CLI's store).
/// Cross-document stages ([`crate::dedup`], [`crate::parts`]) read whole reports through it.
pub trait Bodies: Sync {
    /// The outcome with its whole report.
    fn hydrate(&self, d: &DocOutcome) -> std::io::Result<DocOutcome>;
}

/// Reports kept whole in memory: hydrating is a clone.
pub struct InMemory;

impl Bodies for InMemory {
    fn hydrate(&self, d: &DocOutcome) -> std::io::Result<DocOutcome> {
        Ok(d.clone())
    }
}

/// `Format` belongs to the model crate, which has no serde: it is stored by its column name.
mod format_name {
    use gongkai_model::Format;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(f: &Format, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(f.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
        let name = String::deserialize(d)?;
        Format::ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| serde::de::Error::custom(format!("unknown format {name}")))
    }
}

/// `Err` is why the whole input is refused (its archives exceed the budget of the input).
fn process_bytes(mut out: DocOutcome, bytes: &[u8], id: String, settings: &Settings, depth: u32, budget: &mut Budget) -> Result<Vec<DocOutcome>, String> {
    out.doc_id = id;
    out.format = detect(bytes);
    if out.format == Format::Zip {
        return process_archive(out, bytes, settings, depth, budget);
    }
    Ok(vec![process_document(out, bytes, settings)])
}

/// An archive gets its own documents row, and each member is a document of its own, named
/// `archive.zip!/member.pdf`.
fn process_archive(mut out: DocOutcome, bytes: &[u8], settings: &Settings, depth: u32, budget: &mut Budget) -> Result<Vec<DocOutcome>, String> {
    // Inflation stops at what is left of the input's budget (the members beyond it fail).
    let left = ArchiveLimits { max_total_bytes: budget.bytes, ..settings.archive.clone() };
    let members = match gongkai_archive::members_at(bytes, &left, depth) {
        Ok(m) => m,
        Err(e) => return Ok(vec![out.fail(e.kind, e.message)]),
    };
    if members.len() > budget.members {
        let limit = settings.archive.max_members;
        return Err(format!("zip bomb refused: its archives, nested ones included, hold more than {limit} members (the limit per input file)"));
    }
    budget.members -= members.len();
    budget.bytes -= members.iter().filter_map(|m| m.result.as_ref().ok()).map(|b| b.len() as u64).sum::<u64>().min(budget.bytes);
    out.status = Status::Ok;
    let mut outs = Vec::with_capacity(members.len() + 1);
    for member in members {
        let path = gongkai_archive::join_path(&out.source_path, &member.name);
        let child = DocOutcome::new(path, out.mtime);
        match member.result {
            Ok(member_bytes) => outs.extend(process_bytes(child, &member_bytes, doc_id(&member_bytes), settings, depth + 1, budget)?),
            Err(e) => outs.push(child.fail(e.kind, e.message)),
        }
    }
    let failed = outs.iter().filter(|d| matches!(d.status, Status::Failed | Status::Unsupported)).count();
    out.error = if failed > 0 { format!("archive: {failed} of {} members could not be read", outs.len()) } else { String::new() };
    outs.insert(0, out);
    Ok(outs)
}

fn process_document(mut out: DocOutcome, bytes: &[u8], settings: &Settings) -> DocOutcome {
    let doc = match extract::extract(out.format, bytes, &settings.extract) {
        Ok(doc) => doc,
        Err(e) => return out.fail(e.kind, e.message),
    };
    out.pages = doc.pages;
    let analysed = std::panic::catch_unwind(|| analyse(&doc, settings));
    out.report = match analysed {
        Ok(report) => report,
        Err(panic) => return out.fail(ErrorKind::Failed, format!("internal error in the recogniser: {}", extract::panic_message(&panic))),
    };
    if let Some(reason) = out.report.not_disclosure.clone() {
        out.report.records.clear();
        let mut reason = landing_page_reason(out.format, bytes).unwrap_or(reason);
        // What was cut off may be what would have made it one: say so.
        if let Some(cut) = doc.partial.as_ref().filter(|p| !reason.contains(p.as_str())) {
            reason = format!("{reason} (read in part: {cut})");
        }
        return out.fail(ErrorKind::Failed, reason);
    }
    match doc.partial {
        Some(reason) => {
            out.status = Status::Partial;
            out.error = reason;
        }
        None => out.status = Status::Ok,
    }
    let unread = (out.status == Status::Partial).then_some(out.error.as_str());
    out.report.verification = crate::verify::verify(&out.report, unread);
    out
}

/// A scraped article page that only links the report says which attachment to fetch.
fn landing_page_reason(format: Format, bytes: &[u8]) -> Option<String> {
    if format != Format::Html {
        return None;
    }
    let links = gongkai_html::attachment_links(bytes);
    let names: Vec<&str> = links.iter().take(3).map(|(text, href)| if text.is_empty() { href.as_str() } else { text.as_str() }).collect();
    (!names.is_empty()).then(|| format!("HTML landing page, not the report: it links {}", names.join(", ")))
}

/// The format-independent stages: recognise the report, read the narrative, try the checks.
fn analyse(doc: &gongkai_model::Document, settings: &Settings) -> Report {
    let mut report = crate::recognise::recognise(doc);
    report.facts = crate::facts::extract_facts(doc, report.meta.family());
    if report.meta.family() == Some(Family::Budget) {
        report.facts.extend(crate::facts::extract_budget_totals(doc));
    }
    report.checks = crate::checks::run_checks(&report, settings.tolerance);
    crate::checks::suggest::suggest_readings(&mut report, settings.tolerance);
    report
}
