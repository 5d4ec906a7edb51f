//! The spill store: the bulky part of each document's report (records, facts, checks) kept on
//! disk between processing and writing, so that a run's memory does not grow with the
//! number of files. Each body is written once, by the worker that made it, and read back a
//! chunk of documents at a time by dedup and the writers.
//!
//! Bodies live in `DIR/.gongkai/store/<settings>/<doc_id>.msgpack` (MessagePack): the doc_id is the content
//! hash and the folder name a hash of the binary and every result-changing setting, so a body
//! found there is exactly what processing the file again would give — which also makes the
//! store the cache of incremental runs (see [`crate::manifest`]).

use crate::pipeline::DocOutcome;
pub use gongkai_core::outcome::Counts;
use gongkai_core::outcome::Bodies;
use crate::report::{Check, Fact, Record};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Serialize, Deserialize)]
struct Body {
    records: Vec<Record>,
    facts: Vec<Fact>,
    checks: Vec<Check>,
}

/// Bodies are MessagePack: binary and compact, and several times quicker to write and read
/// back than JSON (the store round trip was an eighth of a text-heavy run).
const BODY_EXT: &str = "msgpack";

pub struct Store {
    dir: PathBuf,
}

impl Bodies for Store {
    fn hydrate(&self, d: &DocOutcome) -> std::io::Result<DocOutcome> {
        Store::hydrate(self, d)
    }
}

/// Distinguishes temporary files of concurrent writers within this process.
static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// The store of `out_dir` for results made under `fingerprint` (created if missing).
    pub fn open(out_dir: &Path, fingerprint: &str) -> std::io::Result<Store> {
        let key = gongkai_core::outcome::hex(&Sha256::digest(fingerprint.as_bytes())[..8]);
        let dir = root(out_dir).join(key);
        std::fs::create_dir_all(&dir)?;
        Ok(Store { dir })
    }

    /// The store in `dir`, a folder [`Store::dir`] gave (how a reader process opens its
    /// parent's store).
    pub fn at(dir: PathBuf) -> Store {
        Store { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn body_path(&self, doc_id: &str) -> PathBuf {
        self.dir.join(format!("{doc_id}.{BODY_EXT}"))
    }

    /// Moves the outcome's records, facts and checks into the store, leaving their counts.
    /// Outcomes without a content hash (nothing was read) keep what they have in memory.
    pub fn spill(&self, d: &mut DocOutcome) -> std::io::Result<()> {
        let r = &mut d.report;
        if d.doc_id.is_empty() || d.stored.is_some() || (r.records.is_empty() && r.facts.is_empty() && r.checks.is_empty()) {
            return Ok(());
        }
        let body = Body { records: std::mem::take(&mut r.records), facts: std::mem::take(&mut r.facts), checks: std::mem::take(&mut r.checks) };
        let counts = Counts::of(&body.records, &body.facts, &body.checks);
        let path = self.body_path(&d.doc_id);
        // Same doc_id under the same settings is the same body: an existing one is complete
        // (bodies are renamed into place) and need not be written again.
        if !path.exists() {
            let bytes = rmp_serde::to_vec(&body).map_err(std::io::Error::other)?;
            let tmp = self.dir.join(format!(".{}.tmp-{}-{}", d.doc_id, std::process::id(), TMP_SEQ.fetch_add(1, Ordering::Relaxed)));
            std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path)).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })?;
        }
        d.stored = Some(counts);
        Ok(())
    }

    /// Whether everything an outcome left in the store is still there (incremental reuse).
    pub fn holds(&self, d: &DocOutcome) -> bool {
        d.stored.is_none() || self.body_path(&d.doc_id).is_file()
    }

    /// A copy of the outcome with its stored body back in place; what was added in memory
    /// after the spill (dedup's check rows) follows the stored checks.
    pub fn hydrate(&self, d: &DocOutcome) -> std::io::Result<DocOutcome> {
        let mut full = d.clone();
        if d.stored.is_none() {
            return Ok(full);
        }
        let path = self.body_path(&d.doc_id);
        let bytes = std::fs::read(&path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let body: Body = rmp_serde::from_slice(&bytes).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
        full.report.records = body.records;
        full.report.facts = body.facts;
        full.report.checks = body.checks.into_iter().chain(d.report.checks.iter().cloned()).collect();
        full.stored = None;
        Ok(full)
    }

    /// Removes the bodies no outcome of this run refers to, and the stores of other settings
    /// (after a completed run only its own results can be reused).
    pub fn retain(&self, docs: &[DocOutcome]) {
        let keep: HashSet<String> = docs.iter().filter(|d| d.stored.is_some()).map(|d| format!("{}.{BODY_EXT}", d.doc_id)).collect();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                if !keep.contains(e.file_name().to_string_lossy().as_ref()) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        if let Some(Ok(siblings)) = self.dir.parent().map(std::fs::read_dir) {
            for e in siblings.flatten() {
                if e.path() != self.dir {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

fn root(out_dir: &Path) -> PathBuf {
    out_dir.join(".gongkai").join("store")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    fn outcome(doc_id: &str, n: usize) -> DocOutcome {
        let record = Record {
            table: "01".into(),
            side: String::new(),
            item_code: String::new(),
            item_name: "合计".into(),
            column: "合计".into(),
            amount: rust_decimal::Decimal::new(66538, 2),
            unit_printed: "万元".into(),
            text_printed: "665.38".into(),
            page: Some(1),
            line: None,
            flags: vec![],
            ..Default::default()
        };
        let mut d = DocOutcome::failed("a.txt".into(), None, doc_id.into(), "");
        d.report = Report { records: vec![record; n], ..Report::default() };
        d
    }

    #[test]
    fn spill_then_hydrate_gives_the_body_back_and_retain_collects_garbage() {
        let dir = std::env::temp_dir().join(format!("gongkai-store-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir, "fp").unwrap();
        let mut d = outcome("abc", 3);
        let before = d.clone();
        store.spill(&mut d).unwrap();
        assert!(d.report.records.is_empty());
        assert_eq!(d.counts().records, 3);
        assert!(store.holds(&d));
        let back = store.hydrate(&d).unwrap();
        assert_eq!(back.report, before.report);
        let mut other = outcome("def", 1);
        store.spill(&mut other).unwrap();
        store.retain(std::slice::from_ref(&d));
        assert!(store.holds(&d) && !store.holds(&other));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
