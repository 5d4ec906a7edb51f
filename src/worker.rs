//! Isolated reading: documents are read in reader processes (this binary, `gongkai worker`), so
//! that what a panic handler cannot catch — a failed allocation (abort), a stack overflow, the
//! kernel's OOM killer, a reader that never returns — costs the one file being read, never the
//! run. Each reader has a data-memory limit (`--max-memory-mb`). The pool keeps readers alive
//! from file to file (starting a process per file would cost more than most files take to
//! read) and starts a fresh one when one dies or is killed at the deadline.
//!
//! The protocol on a reader's stdin and stdout is frames: an 8-byte little-endian length, then
//! the payload. The parent sends a [`Hello`] once, then per file a [`Job`] and the file's
//! bytes; the reader answers each file with its outcomes (JSON), their bodies already in the
//! run's store (so records cross the pipe once, as the store's files), after any number of
//! frames counting the pages it has OCR'd so far (the run's progress shows them).

use crate::pipeline::{self, DocOutcome, Loaded, Settings};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// What every job of one reader shares.
#[derive(Serialize, Deserialize)]
struct Hello {
    settings: Settings,
    /// The run's store folder ([`Store::dir`]).
    store: PathBuf,
}

/// One file to read; its bytes follow in the next frame.
#[derive(Serialize, Deserialize)]
struct Job {
    source_path: String,
    /// The bytes' doc_id, hashed once by the parent (which needs it for the manifest).
    doc_id: String,
    mtime: Option<SystemTime>,
    /// Time the readers have for their own slow work (OCR), from when the job arrives.
    deadline_ms: Option<u64>,
}

/// A reader's answer: the outcomes, or why there are none (a caught panic).
type Reply = Result<Vec<DocOutcome>, String>;

/// What a reader says while it reads a file: pages OCR'd (so the run's progress moves), then
/// its reply.
#[derive(Serialize, Deserialize)]
enum Said {
    /// Pages read by OCR since the last such frame.
    OcrPages(usize),
    Reply(Reply),
}

/// How often a reader reports the pages it has OCR'd, on a thread with this stack.
const PAGE_REPORT_EVERY: Duration = Duration::from_millis(200);
const REPORTER_STACK: usize = 64 << 10;

/// The end of a reader's stderr kept to explain its death (the runtime's last words).
const STDERR_TAIL: usize = 4096;

/// A frame longer than this is a broken pipe, not a message (inputs are capped far below).
const MAX_FRAME: u64 = 4 << 30;

fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    w.write_all(&(payload.len() as u64).to_le_bytes())?;
    w.write_all(payload)?;
    w.flush()
}

/// The next frame, or `None` when the other side closed the pipe between frames.
fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let n = u64::from_le_bytes(len);
    if n > MAX_FRAME {
        return Err(io::Error::other(format!("frame of {n} bytes")));
    }
    let mut buf = vec![0; n as usize];
    r.read_exact(&mut buf)?;
    Ok(Some(buf))
}

/// `gongkai worker`: reads the jobs on stdin until it closes. Runs under a data-memory
/// limit of `max_memory_mb` (0: none), which its children (the OCR engine) inherit.
pub fn serve(max_memory_mb: u64) -> Result<(), String> {
    limit_memory(max_memory_mb).map_err(|e| format!("cannot set the memory limit: {e}"))?;
    let mut input = BufReader::new(io::stdin().lock());
    let output = Mutex::new(BufWriter::new(io::stdout()));
    let broken = |e: io::Error| format!("reader protocol: {e}");
    let hello = read_frame(&mut input).map_err(broken)?.ok_or("reader protocol: no hello")?;
    let hello: Hello = serde_json::from_slice(&hello).map_err(|e| format!("reader protocol: {e}"))?;
    let store = Store::at(hello.store);
    let never = AtomicBool::new(false);
    while let Some(header) = read_frame(&mut input).map_err(broken)? {
        let job: Job = serde_json::from_slice(&header).map_err(|e| format!("reader protocol: {e}"))?;
        let bytes = read_frame(&mut input).map_err(broken)?.ok_or("reader protocol: job without bytes")?;
        let mut settings = hello.settings.clone();
        settings.extract.deadline = job.deadline_ms.map(|ms| Instant::now() + Duration::from_millis(ms));
        let pages = gongkai_model::PageCounter::default();
        settings.extract.ocr_pages = pages.clone();
        let loaded = Loaded { source_path: job.source_path, mtime: job.mtime, bytes, doc_id: job.doc_id };
        let reply = std::thread::scope(|s| {
            // The reporter ends when `read` is dropped: at once, with the last pages sent.
            let (read, reading) = std::sync::mpsc::channel::<()>();
            // A small stack: the reader's memory is limited (--max-memory-mb).
            std::thread::Builder::new().stack_size(REPORTER_STACK).spawn_scoped(s, || report_pages(&pages, &output, reading)).map_err(|e| format!("cannot start the page reporter: {e}"))?;
            // On a thread of its own for the stack room and the caught panic; the parent keeps time.
            let reply: Reply = pipeline::with_deadline(move || pipeline::process_loaded(loaded, &settings), None, &never).map(|mut outcomes| {
                for d in &mut outcomes {
                    // A body that cannot be stored crosses the pipe instead.
                    let _ = store.spill(d);
                }
                outcomes
            });
            drop(read);
            reply
        });
        say(&output, &Said::Reply(reply)).map_err(broken)?;
    }
    Ok(())
}

/// Sends the pages OCR'd as the count grows, until `reading` ends (the last ones go out
/// before the reply).
fn report_pages(pages: &gongkai_model::PageCounter, output: &Mutex<impl Write>, reading: Receiver<()>) {
    let mut sent = 0;
    loop {
        let finished = !matches!(reading.recv_timeout(PAGE_REPORT_EVERY), Err(RecvTimeoutError::Timeout));
        let n = pages.get();
        if n > sent && say(output, &Said::OcrPages(n - sent)).is_ok() {
            sent = n;
        }
        if finished {
            return;
        }
    }
}

fn say(output: &Mutex<impl Write>, said: &Said) -> io::Result<()> {
    let frame = serde_json::to_vec(said).map_err(io::Error::other)?;
    write_frame(&mut *output.lock().unwrap_or_else(|p| p.into_inner()), &frame)
}

/// RLIMIT_DATA: allocations beyond it fail (the reader then aborts and the parent reports the
/// file as out of memory) instead of dragging the machine into swap or the OOM killer. Not
/// RLIMIT_AS: that counts address space merely reserved — glibc reserves 64 MiB per thread
/// arena, more arenas on machines with more cores — so a small limit failed good files on
/// some machines and not others. The data limit counts memory the reader can write.
fn limit_memory(mb: u64) -> io::Result<()> {
    if mb == 0 {
        return Ok(());
    }
    let bytes = mb.saturating_mul(1 << 20) as libc::rlim_t;
    let limit = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
    // SAFETY: setrlimit reads the struct it is given and nothing else.
    match unsafe { libc::setrlimit(libc::RLIMIT_DATA, &limit) } {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// The default `--max-memory-mb`: three quarters of the machine's memory shared by the
/// readers, and never below 1 GiB (a 300-page report needs a few hundred MiB).
pub fn default_memory_mb(jobs: usize) -> u64 {
    let total_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find(|l| l.starts_with("MemTotal:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()));
    match total_kib {
        Some(kib) => (kib / 1024 * 3 / 4 / jobs.max(1) as u64).max(1024),
        None => 4096,
    }
}

/// Reader processes, started on demand and reused.
pub struct Pool {
    exe: PathBuf,
    max_memory_mb: u64,
    hello: Vec<u8>,
    idle: Mutex<Vec<Reader>>,
}

impl Drop for Pool {
    /// Tells every reader to end (its stdin closed) before any is waited for: each takes
    /// milliseconds to exit, which one after the other was a serial step at the end of the
    /// reading.
    fn drop(&mut self) {
        let readers = self.idle.get_mut().unwrap_or_else(|p| p.into_inner());
        readers.iter_mut().for_each(|r| drop(r.stdin.take()));
    }
}

/// One live reader process.
struct Reader {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: Receiver<Vec<u8>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

impl Pool {
    /// A pool of readers running `exe` with the run's settings, storing bodies in `store`.
    pub fn new(exe: PathBuf, settings: &Settings, store: &Store, max_memory_mb: u64) -> io::Result<Pool> {
        let hello = serde_json::to_vec(&Hello { settings: settings.clone(), store: store.dir().to_path_buf() }).map_err(io::Error::other)?;
        Ok(Pool { exe, max_memory_mb, hello, idle: Mutex::new(Vec::new()) })
    }

    /// Reads one loaded file in a reader; `Err` is why there is no result (as
    /// [`pipeline::with_deadline`] gives it: timed out, interrupted, or what ended the reader).
    /// `settings.extract.deadline` is passed on to the reader; `deadline` is when it is killed.
    pub fn read(&self, loaded: Loaded, settings: &Settings, deadline: Option<Instant>, stop: &AtomicBool) -> Result<Vec<DocOutcome>, String> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut reader = match idle {
            Some(r) => r,
            None => self.start().map_err(|e| format!("cannot start a reader process ({}): {e}", self.exe.display()))?,
        };
        let now = Instant::now();
        let job = Job {
            source_path: loaded.source_path,
            doc_id: loaded.doc_id,
            mtime: loaded.mtime,
            deadline_ms: settings.extract.deadline.map(|d| d.saturating_duration_since(now).as_millis() as u64),
        };
        // A reader that died between files, or dies on these bytes, breaks the pipe: the
        // reply channel then says why.
        let _ = reader.send(&job, &loaded.bytes);
        loop {
            match reader.replies.recv_timeout(Duration::from_millis(20)) {
                Ok(frame) => match serde_json::from_slice(&frame).map_err(|e| format!("internal error: unreadable reply from the reader: {e}"))? {
                    Said::OcrPages(n) => (0..n).for_each(|_| settings.extract.ocr_pages.add()),
                    Said::Reply(reply) => {
                        self.idle.lock().unwrap_or_else(|p| p.into_inner()).push(reader);
                        return reply;
                    }
                },
                Err(RecvTimeoutError::Disconnected) if stop.load(Ordering::SeqCst) => return Err("interrupted".into()),
                Err(RecvTimeoutError::Disconnected) => return Err(reader.death(self.max_memory_mb)),
                Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => return Err("interrupted".into()),
                Err(RecvTimeoutError::Timeout) if deadline.is_some_and(|d| Instant::now() >= d) => return Err(pipeline::TIMED_OUT.into()),
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }

    fn start(&self) -> io::Result<Reader> {
        let mut child = Command::new(&self.exe)
            .args(["worker", "--max-memory-mb", &self.max_memory_mb.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group: a Ctrl-C at the terminal reaches the parent, which stops
            // the run, not the readers in the middle of a file.
            .process_group(0)
            .spawn()?;
        let (mut stdin, mut stdout, mut stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
        if let Err(e) = stdin.as_mut().map_or(Err(io::ErrorKind::BrokenPipe.into()), |s| write_frame(s, &self.hello)) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
        let (tx, replies) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let Some(out) = stdout.as_mut() else { return };
            let mut out = BufReader::new(out);
            while let Ok(Some(frame)) = read_frame(&mut out) {
                if tx.send(frame).is_err() {
                    return;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut tail = Vec::new();
            let mut buf = [0u8; 4096];
            while let Some(Ok(n @ 1..)) = stderr.as_mut().map(|e| e.read(&mut buf)) {
                tail.extend_from_slice(&buf[..n]);
                let excess = tail.len().saturating_sub(STDERR_TAIL);
                tail.drain(..excess);
            }
            tail
        });
        Ok(Reader { child, stdin, replies, stderr: Some(stderr) })
    }
}

impl Reader {
    fn send(&mut self, job: &Job, bytes: &[u8]) -> io::Result<()> {
        let stdin = self.stdin.as_mut().ok_or(io::ErrorKind::BrokenPipe)?;
        write_frame(stdin, &serde_json::to_vec(job).map_err(io::Error::other)?)?;
        write_frame(stdin, bytes)
    }

    /// Why the reader ended without answering: its exit and its last words on stderr.
    fn death(&mut self, max_memory_mb: u64) -> String {
        let status = self.child.wait();
        let said = self.stderr.take().and_then(|t| t.join().ok()).unwrap_or_default();
        let said = String::from_utf8_lossy(&said);
        let limit = format!("the reader process exceeded its limit of {max_memory_mb} MiB (see --max-memory-mb); the run went on without it");
        if said.contains("memory allocation of") {
            return format!("out of memory reading this file: {limit}");
        }
        if said.contains("overflowed its stack") {
            return "reader crashed (stack overflow) reading this file: nesting too deep for the reader; the run went on without it".into();
        }
        match status.map(|s| (s.signal(), s.code())) {
            Ok((Some(libc::SIGKILL), _)) => format!("reader killed (signal 9) reading this file, probably by the kernel for want of memory: {limit}"),
            Ok((Some(sig), _)) => format!("reader crashed (signal {sig}) reading this file; the run went on without it"),
            Ok((None, Some(code))) => format!("reader ended unexpectedly (exit status {code}) reading this file: {}", last_line(&said)),
            _ => "reader ended unexpectedly reading this file".into(),
        }
    }
}

fn last_line(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim()
}

impl Drop for Reader {
    /// A reader still working (a time-out, a stop) is killed; an idle one ends when its stdin
    /// closes. Either way it is waited for, so that no process outlives the run.
    fn drop(&mut self) {
        drop(self.stdin.take());
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
