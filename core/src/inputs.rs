//! Input discovery: files and folders (recursive) in, a sorted list of files out.

use std::path::{Path, PathBuf};

/// One file to process: where it is, and the path to report (relative to the input root
/// where a folder was given, so that outputs do not depend on where the scrape lives).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub source_path: String,
    pub path: PathBuf,
}

/// Expands the inputs. Folders are walked recursively (hidden files and the output folder
/// itself skipped); the result is sorted so that runs are deterministic.
pub fn discover(roots: &[PathBuf], skip: Option<&Path>) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| format!("cannot read input {}: {e}", root.display()))?;
        if meta.is_dir() {
            walk(root, root, skip, &mut out);
        } else {
            out.push(Input { source_path: root.to_string_lossy().into_owned(), path: root.clone() });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(root: &Path, dir: &Path, skip: Option<&Path>, out: &mut Vec<Input>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden || skip.is_some_and(|s| same_file(s, &path)) {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(root, &path, skip, out),
            Ok(t) if t.is_file() || t.is_symlink() && path.is_file() => {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let source_path = Path::new(root.file_name().unwrap_or_default()).join(rel);
                out.push(Input { source_path: source_path.to_string_lossy().into_owned(), path });
            }
            _ => {}
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
