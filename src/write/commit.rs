//! The output folder between runs: one run at a time (a lock), what a killed run left behind
//! removed, and the outputs of a run switched in all together or not at all.
//!
//! Every output is first written complete under a temporary name beside its destination and
//! added to a [`Staged`] list. [`commit`] then writes the list of renames to a journal,
//! `DIR/.gongkai/commit.json`, durably, and only then carries it out. A run killed among the
//! renames leaves the journal behind, and the next run into DIR rolls it forward before it does
//! anything else ([`open`]), so the folder never stays a mix of two runs. A step is done when
//! its temporary is gone, which makes rolling forward twice harmless.

use super::atomic_write;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The renames that publish one run's outputs, paths relative to the output folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Staged {
    steps: Vec<Step>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Step {
    tmp: PathBuf,
    path: PathBuf,
}

impl Staged {
    /// `tmp` (a complete file or folder) is to replace `path`.
    pub fn add(&mut self, tmp: PathBuf, path: PathBuf) {
        self.steps.push(Step { tmp, path });
    }

    /// Writes `bytes` under a temporary name beside `path`, durably, and stages it.
    pub fn write(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let tmp = super::tmp_path(path);
        let written = File::create(&tmp).and_then(|mut f| io::Write::write_all(&mut f, bytes).and_then(|()| f.sync_all()));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map(|()| self.add(tmp, path.to_path_buf()))
    }

    /// Adds the steps of `other` after these.
    pub fn extend(&mut self, other: Staged) {
        self.steps.extend(other.steps);
    }

    /// Removes the staged temporaries (the run failed before its commit).
    pub fn abandon(self) {
        for s in self.steps {
            let _ = std::fs::remove_file(&s.tmp).or_else(|_| std::fs::remove_dir_all(&s.tmp));
        }
    }
}

fn journal_path(dir: &Path) -> PathBuf {
    dir.join(".gongkai").join("commit.json")
}

/// Publishes `staged` in `dir`: journal first, then the renames.
pub fn commit(dir: &Path, staged: Staged) -> io::Result<()> {
    let relative = |p: &Path| p.strip_prefix(dir).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf());
    let steps = staged.steps.iter().map(|s| Step { tmp: relative(&s.tmp), path: relative(&s.path) }).collect();
    let journal = serde_json::to_vec(&Staged { steps }).map_err(io::Error::other)?;
    let path = journal_path(dir);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if let Err(e) = atomic_write(&path, &journal) {
        staged.abandon();
        return Err(e);
    }
    roll_forward(dir)
}

/// Carries out the journal of an unfinished commit, if there is one.
fn roll_forward(dir: &Path) -> io::Result<()> {
    let path = journal_path(dir);
    let Ok(bytes) = std::fs::read(&path) else { return Ok(()) };
    // Written by atomic rename, so never torn; unreadable means another version wrote it.
    let staged: Staged = serde_json::from_slice(&bytes).map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    for (n, step) in staged.steps.iter().enumerate() {
        kill_point(n);
        let (tmp, dest) = (dir.join(&step.tmp), dir.join(&step.path));
        if std::fs::symlink_metadata(&tmp).is_err() {
            continue;
        }
        if tmp.is_dir() && dest.is_dir() {
            // A folder cannot be renamed over a full one: the old one goes aside first (the
            // sweep of the next start removes it if this is cut short).
            let old = sibling(&dest, "old-commit");
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(&dest, &old)?;
            std::fs::rename(&tmp, &dest)?;
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&tmp, &dest)?;
        }
    }
    kill_point(staged.steps.len());
    std::fs::remove_file(&path)
}

/// `dir/.name.tag` beside `path`.
fn sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}"))
}

/// The test seam of tests/commit.rs: `GONGKAI_TEST_KILL_AT_RENAME=N` kills the process with
/// SIGKILL just before rename N of a commit (N = the number of renames: after the last).
fn kill_point(n: usize) {
    if std::env::var("GONGKAI_TEST_KILL_AT_RENAME").ok().and_then(|v| v.parse::<usize>().ok()) == Some(n) {
        // SAFETY: kill(2) on our own pid; nothing is shared with Rust.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}

/// The output folder held by this run: locked against other runs until dropped (the lock is
/// the kernel's, so a killed run never leaves a stale one).
pub struct Lock {
    _file: File,
}

/// Takes the output folder `dir` for this run: the lock, then a roll-forward of a commit that a
/// killed run left unfinished, then the removal of every temporary a failed or killed run left.
/// `Err` is a one-line reason (another run holds the folder, or it cannot be repaired).
pub fn open(dir: &Path) -> Result<Lock, String> {
    let state = dir.join(".gongkai");
    std::fs::create_dir_all(&state).map_err(|e| format!("cannot create {}: {e}", state.display()))?;
    let path = state.join("lock");
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(&path).unwrap_or_default();
            let pid = pid.trim();
            let who = if pid.is_empty() { "another gongkai run".to_string() } else { format!("another gongkai run (pid {pid})") };
            return Err(format!("{who} is writing into {}: wait for it to end, or choose another output folder with -o", dir.display()));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(format!("cannot lock {}: {e}", path.display())),
    }
    let _ = file.set_len(0).and_then(|()| io::Write::write_all(&mut file, format!("{}\n", std::process::id()).as_bytes()));
    roll_forward(dir).map_err(|e| format!("cannot finish the commit of an interrupted run in {}: {e}", dir.display()))?;
    sweep(dir);
    Ok(Lock { _file: file })
}

/// Removes the temporaries of earlier runs (all named `.NAME.tmp-PID`, `.NAME.partitioned-tmp-PID`,
/// `.NAME.partitioned-old-PID` or `.NAME.old-commit`) from the folder, its state folder and the
/// store; only the lock holder may, so none of them belongs to a live run.
fn sweep(dir: &Path) {
    let store = dir.join(".gongkai").join("store");
    let stores = std::fs::read_dir(&store).into_iter().flatten().flatten().map(|e| e.path());
    let folders = [dir.to_path_buf(), dir.join(".gongkai")].into_iter().chain(stores);
    for folder in folders {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.starts_with('.') && [".tmp-", ".partitioned-tmp-", ".partitioned-old-", ".old-commit"].iter().any(|t| name.contains(t));
            if ours {
                let p = entry.path();
                let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
            }
        }
    }
}
