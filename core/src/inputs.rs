//! Input discovery: files and folders (recursive) in, a sorted list of files out.

use std::path::{Path, PathBuf};

/// One file to process: where it is, and the path to report (relative to the input root
/// where a folder was given, so that outputs do not depend on where the scrape lives).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub source_path: String,
    pub path: PathBuf,
    /// Why the file is not read although it was found (a symbolic link not followed): its
    /// documents row says so.
    pub skipped: Option<String>,
}

/// Expands the inputs. Folders are walked recursively (hidden files and the output folder
/// itself skipped); the result is sorted so that runs are deterministic. A path that does not
/// exist or cannot be read stays an input: reading it fails, and it gets a failed documents
/// row with the reason, while the run goes on with the others. A symbolic link found in a
/// folder is read only when it leads to a file inside that folder, or anywhere with
/// `follow_links` (a scrape must not pull `/etc/passwd` into the dataset); links to folders
/// are never walked (no loops). Every link not read is an input with its reason.
pub fn discover(roots: &[PathBuf], skip: Option<&Path>, follow_links: bool) -> Vec<Input> {
    let mut out = Vec::new();
    for root in roots {
        match std::fs::metadata(root) {
            Ok(meta) if meta.is_dir() => {
                let walk_root = Root { path: root, canonical: root.canonicalize().unwrap_or_else(|_| root.clone()), follow_links };
                walk(&walk_root, root, skip, &mut out);
            }
            _ => out.push(Input { source_path: root.to_string_lossy().into_owned(), path: root.clone(), skipped: None }),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The input paths listed in `list` (`-` = standard input), one per line; blank lines and
/// lines starting with `#` are skipped. For schedulers that build the list of new files.
pub fn paths_from(list: &Path) -> Result<Vec<PathBuf>, String> {
    let text = if list == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read the input list from standard input: {e}"))?
    } else {
        std::fs::read_to_string(list).map_err(|e| format!("cannot read the input list {}: {e}", list.display()))?
    };
    Ok(text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(PathBuf::from).collect())
}

/// A folder given as input.
struct Root<'a> {
    path: &'a Path,
    canonical: PathBuf,
    follow_links: bool,
}

fn walk(root: &Root, dir: &Path, skip: Option<&Path>, out: &mut Vec<Input>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden || skip.is_some_and(|s| same_file(s, &path)) {
            continue;
        }
        let rel = path.strip_prefix(root.path).unwrap_or(&path);
        let source_path = Path::new(root.path.file_name().unwrap_or_default()).join(rel).to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(root, &path, skip, out),
            Ok(t) if t.is_file() => out.push(Input { source_path, path, skipped: None }),
            Ok(t) if t.is_symlink() => {
                let skipped = link_refused(root, &path);
                out.push(Input { source_path, path, skipped });
            }
            _ => {}
        }
    }
}

/// Why the symbolic link at `path` is not read, or `None` to read the file it leads to.
fn link_refused(root: &Root, path: &Path) -> Option<String> {
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Some("symbolic link loop: not read".into()),
        Err(_) => return Some(format!("dangling symbolic link to {}: not read", std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default())),
    };
    if target.is_dir() {
        return Some(format!("symbolic link to the folder {}: links to folders are not followed", target.display()));
    }
    if !root.follow_links && !target.starts_with(&root.canonical) {
        return Some(format!("symbolic link to {} outside the input folder: not read (see --follow-links)", target.display()));
    }
    None
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
