//! One input file through the stages on this machine: read from disk within the size limit
//! (the core's [`load`]), then read by a [`Reader`] — a thread of this process or a reader
//! process — under the run's deadline; and the run's stop flag (SIGINT/SIGTERM).
//! Files are independent, so the run maps this over the inputs in parallel (rayon).

pub use gongkai_core::outcome::{doc_id, DocOutcome, Settings, Status};
pub use gongkai_core::run::{load, process_loaded, with_deadline, Loaded, TIMED_OUT};
use crate::inputs::Input;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use std::sync::{Arc, OnceLock};

/// Processes one input file: one outcome, or for an archive one for the archive itself and
/// one per member. Never panics: every failure becomes that file's status and reason.
pub fn process(input: &Input, settings: &Settings) -> Vec<DocOutcome> {
    match load(input, settings) {
        Ok(loaded) => process_loaded(loaded, settings),
        Err(failed) => vec![*failed],
    }
}

/// Where documents are read: on threads of this process, or in isolated reader processes.
pub enum Reader {
    /// On a thread per file: cheapest, but an abort or a stack overflow in a reader ends the
    /// run (what the library and the Python API do, one document at a time).
    InProcess,
    /// In the reader processes of [`crate::worker::Pool`]: a crash costs its one file.
    Isolated(crate::worker::Pool),
}

impl Reader {
    /// Reads a loaded file by `deadline`; `settings.extract.deadline` is the readers' own
    /// earlier one. `Err` is why there is no result, as [`with_deadline`] gives it.
    pub fn read(&self, loaded: Loaded, settings: Settings, deadline: Option<Instant>, stop: &AtomicBool) -> Result<Vec<DocOutcome>, String> {
        match self {
            Reader::InProcess => with_deadline(move || process_loaded(loaded, &settings), deadline, stop),
            Reader::Isolated(pool) => pool.read(loaded, &settings, deadline, stop),
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

