//! The program's identity for incremental runs (`GONGKAI_PROGRAM_ID`, read by
//! `manifest::program_identity`): a SHA-256 of everything that can change what the program
//! reads out of a file — the source of every workspace crate, the embedded data, the manifests
//! and the lock file — plus the compiler and the build profile. Computed once here, so a run
//! no longer reads and hashes its own 100 MB executable at start-up, and still any change to
//! the reading invalidates the stored outcomes.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Folders that cannot change a reading: tests and their fixtures, benches, docs, the bundled
/// samples, fuzzing (its own workspace), outputs and build products.
const SKIPPED: &[&str] = &["target", "tests", "benches", "examples", "docs", "samples", "fuzz", "output"];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut hash = Sha256::new();
    for rel in &files {
        let bytes = std::fs::read(root.join(rel)).unwrap_or_default();
        hash.update(rel.to_string_lossy().as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc).arg("-V").output().map(|o| o.stdout).unwrap_or_default();
    hash.update(&version);
    for key in ["PROFILE", "TARGET", "OPT_LEVEL", "CARGO_PKG_VERSION"] {
        hash.update(std::env::var(key).unwrap_or_default().as_bytes());
        hash.update([0]);
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=GONGKAI_PROGRAM_ID={}-{hex}", std::env::var("CARGO_PKG_VERSION").unwrap_or_default());
}

/// Every file under `dir` outside the skipped and hidden folders (READMEs apart), relative to
/// `root`. Each file and each folder below the root is watched for changes (not the root
/// itself: cargo would then scan `target/` and rerun this on every build).
fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    if dir != root {
        println!("cargo:rerun-if-changed={}", dir.display());
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() && !SKIPPED.contains(&name.as_str()) => collect(root, &path, out),
            Ok(t) if t.is_file() && !name.ends_with(".md") => {
                println!("cargo:rerun-if-changed={}", path.display());
                out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
            }
            _ => {}
        }
    }
}
