//! One file through the stages: bytes → detect → extract → recognise → checks and facts.
//! Files are independent, so the run maps this over the inputs in parallel (rayon).

use crate::extract;
use crate::inputs::Input;
use crate::report::Report;
use crate::store::Counts;
use gongkai_archive::ArchiveLimits;
use gongkai_model::{detect, ErrorKind, Format, Options};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant, SystemTime};

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

/// Settings of one run that the per-file stages need.
#[derive(Debug, Clone)]
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
    pub report: Report,
    /// Set when the report's records, facts and checks were moved to the run's store
    /// ([`crate::store`]): what is there. The report keeps what was added afterwards.
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

    fn new(source_path: String, mtime: Option<SystemTime>) -> Self {
        DocOutcome {
            source_path,
            doc_id: String::new(),
            format: Format::Unknown,
            status: Status::Failed,
            error: String::new(),
            pages: None,
            mtime,
            duplicate_of: String::new(),
            report: Report::default(),
            stored: None,
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

/// Processes one input file: one outcome, or for an archive one for the archive itself and
/// one per member. Never panics: every failure becomes that file's status and reason.
pub fn process(input: &Input, settings: &Settings) -> Vec<DocOutcome> {
    match load(input, settings) {
        Ok(loaded) => process_loaded(loaded, settings),
        Err(failed) => vec![*failed],
    }
}

/// An input file read into memory, not yet processed.
#[derive(Debug)]
pub struct Loaded {
    pub source_path: String,
    pub mtime: Option<SystemTime>,
    pub bytes: Vec<u8>,
}

/// Reads one input, refusing it unread when it is over the size limit (so a 2 GB stream
/// never reaches memory). `Err` is the file's final, failed outcome.
pub fn load(input: &Input, settings: &Settings) -> Result<Loaded, Box<DocOutcome>> {
    let meta = std::fs::metadata(&input.path);
    let mtime = meta.as_ref().ok().and_then(|m| m.modified().ok());
    let out = DocOutcome::new(input.source_path.clone(), mtime);
    let size = meta.map(|m| m.len()).unwrap_or(0);
    if size > settings.max_file_bytes {
        let reason = format!("file too large: {size} bytes > limit {} (see --max-file-mb)", settings.max_file_bytes);
        return Err(Box::new(out.fail(ErrorKind::Failed, reason)));
    }
    match std::fs::read(&input.path) {
        Ok(bytes) => Ok(Loaded { source_path: input.source_path.clone(), mtime, bytes }),
        Err(e) => Err(Box::new(out.fail(ErrorKind::Failed, format!("cannot read file: {e}")))),
    }
}

/// Runs the stages on a loaded file.
pub fn process_loaded(loaded: Loaded, settings: &Settings) -> Vec<DocOutcome> {
    let out = DocOutcome::new(loaded.source_path, loaded.mtime);
    process_bytes(out, &loaded.bytes, settings, 0)
}

/// The reason [`with_deadline`] gives when the deadline passed.
pub const TIMED_OUT: &str = "timed out";

/// Runs `work` on a thread of its own and waits until `deadline` (or until a stop is
/// requested); `Err` is the reason there is no result. Work that does not finish in time is
/// abandoned: Rust cannot kill a thread, so it runs on detached until it ends or the process
/// exits, and its result is dropped. Memory stays bounded by the readers' limits (Options,
/// ArchiveLimits), not by the deadline.
pub fn with_deadline<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static, deadline: Option<Instant>, stop: &AtomicBool) -> Result<T, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = std::thread::Builder::new().name("gongkai-file".into()).stack_size(WORKER_STACK).spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(AssertUnwindSafe(work)));
    });
    if let Err(e) = worker {
        return Err(format!("cannot start a worker thread: {e}"));
    }
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(result)) => return Ok(result),
            Ok(Err(panic)) => return Err(format!("internal error: {}", extract::panic_message(&panic))),
            Err(RecvTimeoutError::Disconnected) => return Err("internal error: the worker ended without a result".into()),
            Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => return Err("interrupted".into()),
            Err(RecvTimeoutError::Timeout) => match deadline {
                Some(d) if Instant::now() >= d => return Err(TIMED_OUT.into()),
                _ => {}
            },
        }
    }
}

static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// A flag the first SIGINT/SIGTERM sets (workers then take no new file and the command
/// writes nothing); a second signal ends the process at once with status 130.
pub fn stop_on_signals() -> Result<Arc<AtomicBool>, String> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let flag = STOP.get_or_init(|| Arc::new(AtomicBool::new(false))).clone();
    for sig in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, flag.clone())
            .and_then(|_| signal_hook::flag::register(sig, flag.clone()))
            .map_err(|e| format!("cannot install the signal handler: {e}"))?;
    }
    Ok(flag)
}

/// Whether a stop was requested by a signal (the command then exits with status 130).
pub fn interrupted() -> bool {
    STOP.get().is_some_and(|f| f.load(Ordering::SeqCst))
}

/// Deeply nested documents recurse: each file's thread gets room (the readers cap depth too).
const WORKER_STACK: usize = 16 << 20;

/// `Format` belongs to the model crate, which has no serde: it is stored by its column name.
mod format_name {
    use gongkai_model::Format;
    use serde::{Deserialize, Deserializer, Serializer};

    const ALL: [Format; 15] = [
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Ods,
        Format::Zip,
        Format::Xls,
        Format::Doc,
        Format::EncryptedOffice,
        Format::Html,
        Format::Markdown,
        Format::Text,
        Format::Rtf,
        Format::Image,
        Format::Empty,
        Format::Unknown,
    ];

    pub fn serialize<S: Serializer>(f: &Format, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(f.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
        let name = String::deserialize(d)?;
        ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| serde::de::Error::custom(format!("unknown format {name}")))
    }
}

fn process_bytes(mut out: DocOutcome, bytes: &[u8], settings: &Settings, depth: u32) -> Vec<DocOutcome> {
    out.doc_id = doc_id(bytes);
    out.format = detect(bytes);
    if out.format == Format::Zip {
        return process_archive(out, bytes, settings, depth);
    }
    vec![process_document(out, bytes, settings)]
}

/// An archive gets its own documents row, and each member is a document of its own, named
/// `archive.zip!/member.pdf`.
fn process_archive(mut out: DocOutcome, bytes: &[u8], settings: &Settings, depth: u32) -> Vec<DocOutcome> {
    let members = match gongkai_archive::members_at(bytes, &settings.archive, depth) {
        Ok(m) => m,
        Err(e) => return vec![out.fail(e.kind, e.message)],
    };
    out.status = Status::Ok;
    let mut outs = Vec::with_capacity(members.len() + 1);
    for member in members {
        let path = gongkai_archive::join_path(&out.source_path, &member.name);
        let child = DocOutcome::new(path, out.mtime);
        match member.result {
            Ok(member_bytes) => outs.extend(process_bytes(child, &member_bytes, settings, depth + 1)),
            Err(e) => outs.push(child.fail(e.kind, e.message)),
        }
    }
    let failed = outs.iter().filter(|d| matches!(d.status, Status::Failed | Status::Unsupported)).count();
    out.error = if failed > 0 { format!("archive: {failed} of {} members could not be read", outs.len()) } else { String::new() };
    outs.insert(0, out);
    outs
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
        let reason = landing_page_reason(out.format, bytes).unwrap_or(reason);
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
    report.facts = crate::facts::extract_facts(doc);
    if report.meta.report_type == "预算" {
        report.facts.extend(crate::facts::extract_budget_totals(doc));
    }
    report.checks = crate::checks::run_checks(&report, settings.tolerance);
    crate::checks::suggest::suggest_readings(&mut report, settings.tolerance);
    report
}
