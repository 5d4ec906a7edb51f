//! A whole run in memory: files (paths or bytes) in, every document's outcome out, with split
//! publications linked and copies deduplicated — what the Python package calls, and the
//! building blocks (size-limited [`load`], [`with_deadline`]) the CLI runs its own loop with
//! (it adds the spill store, the manifest and the writers).
//!
//! ```
//! use gongkai_core::run::{extract_paths, RunSettings};
//! use gongkai_core::outcome::Status;
//!
//! let samples = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/seeds"));
//! let docs = extract_paths(&[samples], &RunSettings::default()).unwrap();
//! assert!(docs.iter().all(|d| d.source_path.starts_with("seeds/")));
//! assert!(docs.iter().any(|d| d.status == Status::Ok));
//! let batch = gongkai_core::columnar::record_batch(&gongkai_core::dataset::records(&docs)).unwrap();
//! assert!(batch.num_rows() > 300);
//! ```

use crate::dedup::{self, Prefer};
use crate::inputs::{self, Input};
use crate::outcome::{self, DocOutcome, InMemory, Settings};
use gongkai_model::ErrorKind;
use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant, SystemTime};

/// Everything a run's result depends on besides its inputs.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub settings: Settings,
    /// Which copy feeds the records when copies of a report disagree.
    pub prefer: Prefer,
    /// Give up on a file after this long (`None`: no limit).
    pub timeout: Option<Duration>,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings { settings: Settings::default(), prefer: Prefer::MostRecords, timeout: Some(Duration::from_secs(120)) }
    }
}

/// Files and folders (searched recursively, as the CLI does: source paths relative to a
/// folder's parent) through every stage, in parallel on the current rayon pool. `Err` only
/// when an input path cannot be read at all; a bad file is a failed outcome.
pub fn extract_paths(paths: &[PathBuf], run: &RunSettings) -> Result<Vec<DocOutcome>, String> {
    // A path named in a library call that is not there is the caller's mistake (the CLI,
    // reading a scheduler's list, makes it a failed row instead).
    if let Some(missing) = paths.iter().find(|p| std::fs::symlink_metadata(p).is_err()) {
        return Err(format!("cannot read input {}: no such file or folder", missing.display()));
    }
    let inputs = inputs::discover(paths, None, false);
    let never = AtomicBool::new(false);
    let per_input: Vec<Vec<DocOutcome>> = inputs.par_iter().map(|input| read_input(input, run, &never)).collect();
    Ok(finish(per_input.into_iter().flatten().collect(), run))
}

/// Files held in memory (name, bytes, modification time) through every stage; the names are
/// what documents.source_path says, and the result is as if they were files of one run.
pub fn extract_bytes(mut files: Vec<(String, Vec<u8>, Option<SystemTime>)>, run: &RunSettings) -> Vec<DocOutcome> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let per_file: Vec<Vec<DocOutcome>> = files.par_iter().map(|(name, bytes, mtime)| read_named(name, bytes, *mtime, run)).collect();
    finish(per_file.into_iter().flatten().collect(), run)
}

/// One file in memory under the size limit and the deadline (the per-file stage a
/// distributed run maps over its files; [`finish`] is the cross-document stage).
pub fn read_named(name: &str, bytes: &[u8], mtime: Option<SystemTime>, run: &RunSettings) -> Vec<DocOutcome> {
    let out = DocOutcome::new(name.to_string(), mtime);
    let size = bytes.len() as u64;
    if size > run.settings.max_file_bytes {
        return vec![out.fail(ErrorKind::Failed, too_large(size, run.settings.max_file_bytes))];
    }
    let loaded = Loaded::new(name.to_string(), mtime, bytes.to_vec());
    under_deadline(loaded, run, &AtomicBool::new(false))
}

/// The cross-document stages over one run's outcomes, sorted by source path as the CLI
/// sorts its inputs: split publications linked, then dedup.
pub fn finish(mut docs: Vec<DocOutcome>, run: &RunSettings) -> Vec<DocOutcome> {
    // In memory, hydrating cannot fail: the errors are the spill store's.
    let _ = crate::parts::link(&mut docs, &InMemory, run.settings.tolerance);
    let _ = dedup::dedup(&mut docs, run.prefer, &InMemory);
    crate::dataset::link_scopes(&mut docs);
    docs
}

fn read_input(input: &Input, run: &RunSettings, stop: &AtomicBool) -> Vec<DocOutcome> {
    let deadline = run.timeout.map(|t| Instant::now() + t);
    let job = (input.clone(), run.settings.clone());
    match with_deadline(move || load(&job.0, &job.1), deadline, stop) {
        Ok(Ok(loaded)) => under_deadline(loaded, run, stop),
        Ok(Err(failed)) => vec![*failed],
        Err(reason) => vec![DocOutcome::failed(input.source_path.clone(), None, String::new(), explain(reason, run.timeout))],
    }
}

fn under_deadline(loaded: Loaded, run: &RunSettings, stop: &AtomicBool) -> Vec<DocOutcome> {
    let deadline = run.timeout.map(|t| Instant::now() + t);
    let mut settings = run.settings.clone();
    settings.extract.deadline = reader_deadline(deadline, run.timeout);
    let (source_path, mtime, id) = (loaded.source_path.clone(), loaded.mtime, loaded.doc_id.clone());
    match with_deadline(move || process_loaded(loaded, &settings), deadline, stop) {
        Ok(outcomes) => outcomes,
        Err(reason) => vec![DocOutcome::failed(source_path, mtime, id, explain(reason, run.timeout))],
    }
}

/// The readers stop their own slow work (OCR) a little before the deadline, so that what
/// was read in time still becomes a partial result rather than a time-out.
pub fn reader_deadline(deadline: Option<Instant>, timeout: Option<Duration>) -> Option<Instant> {
    let margin = timeout.map(|t| (t / 10).min(Duration::from_secs(5))).unwrap_or_default();
    deadline.map(|d| d.checked_sub(margin).unwrap_or(d))
}

/// The documents.error of a file that got no result in time.
pub fn explain(reason: String, timeout: Option<Duration>) -> String {
    match timeout {
        Some(t) if reason == TIMED_OUT => format!("timed out after {} s (see --timeout-secs)", t.as_secs()),
        _ => reason,
    }
}

fn too_large(size: u64, limit: u64) -> String {
    format!("file too large: {size} bytes > limit {limit} (see --max-file-mb)")
}

/// An input file read into memory, not yet processed.
#[derive(Debug)]
pub struct Loaded {
    pub source_path: String,
    pub mtime: Option<SystemTime>,
    pub bytes: Vec<u8>,
    /// [`outcome::doc_id`] of the bytes, computed once when they are read.
    pub doc_id: String,
}

impl Loaded {
    pub fn new(source_path: String, mtime: Option<SystemTime>, bytes: Vec<u8>) -> Loaded {
        Loaded { doc_id: outcome::doc_id(&bytes), source_path, mtime, bytes }
    }
}

/// Reads one input, refusing it unread when it is over the size limit (so a 2 GB stream
/// never reaches memory). `Err` is the file's final, failed outcome.
pub fn load(input: &Input, settings: &Settings) -> Result<Loaded, Box<DocOutcome>> {
    let meta = std::fs::metadata(&input.path);
    let mtime = meta.as_ref().ok().and_then(|m| m.modified().ok());
    let out = DocOutcome::new(input.source_path.clone(), mtime);
    if let Some(reason) = &input.skipped {
        return Err(Box::new(out.fail(ErrorKind::Failed, reason.clone())));
    }
    let size = meta.map(|m| m.len()).unwrap_or(0);
    if size > settings.max_file_bytes {
        return Err(Box::new(out.fail(ErrorKind::Failed, too_large(size, settings.max_file_bytes))));
    }
    match std::fs::read(&input.path) {
        Ok(bytes) => Ok(Loaded::new(input.source_path.clone(), mtime, bytes)),
        Err(e) => Err(Box::new(out.fail(ErrorKind::Failed, format!("cannot read file: {e}")))),
    }
}

/// Runs the stages on a loaded file.
pub fn process_loaded(loaded: Loaded, settings: &Settings) -> Vec<DocOutcome> {
    outcome::read_hashed(&loaded.source_path, &loaded.bytes, loaded.doc_id, loaded.mtime, settings)
}

/// The reason [`with_deadline`] gives when the deadline passed.
pub const TIMED_OUT: &str = "timed out";

/// Deeply nested documents recurse: each file's thread gets room (the readers cap depth too).
const WORKER_STACK: usize = 16 << 20;

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
            Ok(Err(panic)) => return Err(format!("internal error: {}", crate::extract::panic_message(&panic))),
            Err(RecvTimeoutError::Disconnected) => return Err("internal error: the worker ended without a result".into()),
            Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => return Err("interrupted".into()),
            Err(RecvTimeoutError::Timeout) => match deadline {
                Some(d) if Instant::now() >= d => return Err(TIMED_OUT.into()),
                _ => {}
            },
        }
    }
}
