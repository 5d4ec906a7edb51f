//! One input file through the stages on this machine: read from disk within the size limit,
//! then [`gongkai_core::outcome::read_bytes`] on a thread of its own under the run's deadline.
//! Files are independent, so the run maps this over the inputs in parallel (rayon).

pub use gongkai_core::outcome::{doc_id, DocOutcome, Settings, Status};
use crate::extract;
use crate::inputs::Input;
use gongkai_model::ErrorKind;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant, SystemTime};

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
    gongkai_core::outcome::read_bytes(&loaded.source_path, &loaded.bytes, loaded.mtime, settings)
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

