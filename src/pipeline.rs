//! One file through the stages: bytes → detect → extract → recognise → checks and facts.
//! Files are independent, so the run maps this over the inputs in parallel (rayon).

use crate::extract;
use crate::inputs::Input;
use crate::report::Report;
use gongkai_model::{detect, ErrorKind, Format, Options};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// The documents.status vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// Settings of one run that the per-file stages need.
#[derive(Debug, Clone)]
pub struct Settings {
    pub extract: Options,
    /// Files larger than this are refused unread.
    pub max_file_bytes: u64,
    /// 尾差 allowed per summed item, in 万元.
    pub tolerance: Decimal,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { extract: Options::default(), max_file_bytes: 256 << 20, tolerance: Decimal::new(1, 2) }
    }
}

/// What one input file became.
#[derive(Debug, Clone)]
pub struct DocOutcome {
    pub source_path: String,
    pub doc_id: String,
    pub format: Format,
    pub status: Status,
    pub error: String,
    pub pages: Option<u32>,
    pub mtime: Option<SystemTime>,
    pub duplicate_of: String,
    pub report: Report,
}

impl DocOutcome {
    fn new(input: &Input) -> Self {
        DocOutcome {
            source_path: input.source_path.clone(),
            doc_id: String::new(),
            format: Format::Unknown,
            status: Status::Failed,
            error: String::new(),
            pages: None,
            mtime: std::fs::metadata(&input.path).and_then(|m| m.modified()).ok(),
            duplicate_of: String::new(),
            report: Report::default(),
        }
    }

    fn fail(mut self, kind: ErrorKind, reason: impl Into<String>) -> Self {
        self.status = if kind == ErrorKind::Unsupported { Status::Unsupported } else { Status::Failed };
        self.error = reason.into();
        self
    }
}

/// Content hash of the bytes: same bytes, same id, on any machine.
pub fn doc_id(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Processes one input file. Never panics: every failure becomes this file's status and reason.
pub fn process(input: &Input, settings: &Settings) -> DocOutcome {
    let out = DocOutcome::new(input);
    let size = std::fs::metadata(&input.path).map(|m| m.len()).unwrap_or(0);
    if size > settings.max_file_bytes {
        return out.fail(ErrorKind::Failed, format!("file too large: {size} bytes > limit {} (see --max-file-mb)", settings.max_file_bytes));
    }
    match std::fs::read(&input.path) {
        Ok(bytes) => process_bytes(out, &bytes, settings),
        Err(e) => out.fail(ErrorKind::Failed, format!("cannot read file: {e}")),
    }
}

fn process_bytes(mut out: DocOutcome, bytes: &[u8], settings: &Settings) -> DocOutcome {
    out.doc_id = doc_id(bytes);
    out.format = detect(bytes);
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
        return out.fail(ErrorKind::Failed, reason);
    }
    match doc.partial {
        Some(reason) => {
            out.status = Status::Partial;
            out.error = reason;
        }
        None => out.status = Status::Ok,
    }
    out
}

/// The format-independent stages: recognise the report, read the narrative, try the checks.
fn analyse(doc: &gongkai_model::Document, settings: &Settings) -> Report {
    let mut report = crate::recognise::recognise(doc);
    report.facts = crate::facts::extract_facts(doc);
    report.checks = crate::checks::run_checks(&report, settings.tolerance);
    report
}
