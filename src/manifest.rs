//! The run manifest for incremental (nightly) runs: `DIR/.gongkai/manifest.json` remembers,
//! for every input of the last completed run, its size, mtime, content hash and what it
//! became (the per-document outcomes before dedup; their records, facts and checks are in the
//! run's [`Store`], which must still hold them for an entry to be reused). A later run reuses
//! an outcome only when the content hash, the binary and every result-changing setting are
//! unchanged, so a reused outcome is always the one a full run would compute: output never
//! goes stale.
//!
//! The manifest is committed with the output files (one journal, [`crate::write::commit`]), so
//! it always describes the outputs beside it; an interrupted run leaves the previous manifest
//! (and outputs) in place, and at worst the next run redoes more work.

use crate::inputs::Input;
use crate::pipeline::{self, DocOutcome, Settings};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

const FORMAT_VERSION: u32 = 1;

/// What one input was at the last run, and what it became.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub source_path: String,
    pub size: u64,
    /// Seconds since the epoch (informational: reuse is decided by the hash).
    pub mtime: Option<u64>,
    /// SHA-256 of the bytes (the document's doc_id).
    pub hash: String,
    pub outcomes: Vec<DocOutcome>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// Identifies the program and the settings that produced the cached outcomes; any
    /// difference invalidates every entry.
    pub fingerprint: String,
    pub entries: Vec<Entry>,
}

/// A manifest entry kept until the save in its JSON form: the run holds each outcome once
/// (its own), not a second copy for the manifest (at 10,000 documents the copies were a
/// fifth of the peak memory), and the encoding is done by the workers as files finish.
pub struct Kept {
    source_path: String,
    json: Box<RawValue>,
}

impl Kept {
    /// `None` when the entry cannot be encoded (an mtime before 1970): the file is then
    /// simply read again next run.
    fn of(entry: &Entry) -> Option<Kept> {
        let json = serde_json::value::to_raw_value(entry).ok()?;
        Some(Kept { source_path: entry.source_path.clone(), json })
    }
}

/// [`Manifest`] as written, its entries already encoded.
#[derive(Serialize)]
struct Saved<'a> {
    version: u32,
    fingerprint: &'a str,
    entries: Vec<&'a RawValue>,
}

pub fn path(out_dir: &Path) -> PathBuf {
    out_dir.join(".gongkai").join("manifest.json")
}

/// The cached entries usable under `fingerprint`, by source path. A missing, unreadable or
/// foreign manifest is no error: the run simply processes every file.
pub fn load(out_dir: &Path, fingerprint: &str) -> HashMap<String, Entry> {
    let Ok(bytes) = std::fs::read(path(out_dir)) else { return HashMap::new() };
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) if m.version == FORMAT_VERSION && m.fingerprint == fingerprint => {
            m.entries.into_iter().map(|e| (e.source_path.clone(), e)).collect()
        }
        _ => HashMap::new(),
    }
}

/// Stages the manifest with the run's outputs, so that it is published with them or not at all.
pub fn save(out_dir: &Path, fingerprint: &str, mut entries: Vec<Kept>, staged: &mut crate::write::commit::Staged) -> std::io::Result<()> {
    entries.sort_by(|a, b| a.source_path.cmp(&b.source_path));
    let manifest = Saved { version: FORMAT_VERSION, fingerprint, entries: entries.iter().map(|e| &*e.json).collect() };
    let bytes = serde_json::to_vec(&manifest).map_err(std::io::Error::other)?;
    let p = path(out_dir);
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir)?;
    }
    staged.write(&p, &bytes)
}

/// The program's own identity: fixed at build time from the source of every crate, the
/// embedded data, the compiler and the profile (see build.rs), so that any change to the
/// reading invalidates the cache even without a version bump — at no cost at start-up.
pub fn program_identity() -> &'static str {
    env!("GONGKAI_PROGRAM_ID")
}

/// One input through the cache: its outcomes, the manifest entry to keep (none when the
/// result must not be reused: a timeout or an unreadable file is retried next run), and
/// whether the cached result was reused.
pub fn process_cached(
    input: &Input,
    settings: &Settings,
    cache: &HashMap<String, Entry>,
    store: &Store,
    reader: &pipeline::Reader,
    timeout: Option<Duration>,
    stop: &AtomicBool,
) -> (Vec<DocOutcome>, Option<Kept>, bool) {
    let deadline = timeout.map(|t| Instant::now() + t);
    let explain = |reason: String| gongkai_core::run::explain(reason, timeout);
    // Reading is under the deadline too: a hung network share or a FIFO must not stall the run.
    let (job_input, job_settings) = (input.clone(), settings.clone());
    let loaded = match pipeline::with_deadline(move || pipeline::load(&job_input, &job_settings), deadline, stop) {
        Ok(Ok(l)) => l,
        Ok(Err(failed)) => return (vec![*failed], None, false),
        Err(reason) => return (vec![DocOutcome::failed(input.source_path.clone(), None, String::new(), explain(reason))], None, false),
    };
    let hash = loaded.doc_id.clone();
    let size = loaded.bytes.len() as u64;
    let mtime = loaded.mtime;
    let mtime_secs = mtime.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_secs());
    if let Some(hit) = cache.get(&input.source_path).filter(|e| e.hash == hash && e.outcomes.iter().all(|d| store.holds(d))) {
        // Only the mtime (used by --prefer newest) is taken from the file as it is now.
        let outcomes = hit.outcomes.iter().cloned().map(|d| DocOutcome { mtime, ..d }).collect();
        return (outcomes, Kept::of(&Entry { mtime: mtime_secs, ..hit.clone() }), true);
    }
    let source_path = loaded.source_path.clone();
    let mut job_settings = settings.clone();
    job_settings.extract.deadline = gongkai_core::run::reader_deadline(deadline, timeout);
    match reader.read(loaded, job_settings, deadline, stop) {
        Ok(mut outcomes) => {
            for d in &mut outcomes {
                // A body that cannot be stored stays in memory: slower for huge runs, never lost.
                let _ = store.spill(d);
            }
            let entry = Entry { source_path, size, mtime: mtime_secs, hash, outcomes };
            let kept = Kept::of(&entry);
            (entry.outcomes, kept, false)
        }
        Err(reason) => (vec![DocOutcome::failed(source_path, mtime, hash, explain(reason))], None, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries encoded one by one as files finish make the same file as the whole
    /// manifest encoded at once, which [`load`] reads back.
    #[test]
    fn entries_kept_encoded_save_the_manifest_load_reads() {
        let entry = |name: &str| {
            let outcome = DocOutcome::failed(name.into(), None, "ab".into(), "unreadable");
            Entry { source_path: name.into(), size: 3, mtime: Some(7), hash: "ab".into(), outcomes: vec![outcome] }
        };
        let (b, a) = (entry("b.pdf"), entry("a.pdf"));
        let kept = vec![Kept::of(&b).unwrap(), Kept::of(&a).unwrap()];
        let whole = Manifest { version: FORMAT_VERSION, fingerprint: "fp".into(), entries: vec![a, b] };
        let dir = std::env::temp_dir().join(format!("gongkai-manifest-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut staged = crate::write::commit::Staged::default();
        save(&dir, "fp", kept, &mut staged).unwrap();
        crate::write::commit::commit(&dir, staged).unwrap();
        assert_eq!(std::fs::read(path(&dir)).unwrap(), serde_json::to_vec(&whole).unwrap());
        let loaded = load(&dir, "fp");
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded["b.pdf"].outcomes[0].error, "unreadable");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
