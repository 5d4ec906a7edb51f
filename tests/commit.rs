//! The output folder as a nightly job sees it: a run killed at any point of its commit leaves a
//! folder that the next start turns into exactly one run's outputs, with no temporaries left;
//! a second run into a folder in use stops at once, naming the first one's pid.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// Every file under `dir` except the lock and the store (the dataset and the manifest), with
/// its bytes; report.html is left out as it links to the inputs by path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            // run.json holds the run's own timings and output path: present, not compared.
            if rel == ".gongkai/store" || rel == ".gongkai/lock" || rel == "report.html" || rel == "run.json" {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn seed(name: &str) -> PathBuf {
    fixtures().join("seeds").join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let status = Command::new("cp").arg("-a").arg(from).arg(to).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_kill_at_every_rename_leaves_one_runs_outputs_after_the_next_start() {
    let (a, b) = (seed("000_5010c9f98508a758.txt"), seed("001_03d4e11e00e8d2e9.txt"));
    let args = ["--format", "csv,parquet", "--in-process", "-q"];
    let old = out_dir("commit_old");
    extract(&[&a], &old, &args);
    let new = out_dir("commit_new");
    extract(&[&b], &new, &args);
    let (old_files, new_files) = (snapshot(&old), snapshot(&new));
    assert_ne!(old_files["documents.csv"], new_files["documents.csv"]);
    // 4 tables × 2 formats, datapackage.json, load.sql, run.json, report.html and the manifest:
    // 13 renames, and the journal's removal.
    let renames = 13;
    let work = out_dir("commit_work");
    for kill_at in 0..=renames {
        let dir = work.join(kill_at.to_string());
        copy_dir(&old, &dir);
        let killed = gongkai().arg("extract").arg(&b).arg("-o").arg(&dir).args(args).env("GONGKAI_TEST_KILL_AT_RENAME", kill_at.to_string()).output().unwrap();
        assert_eq!(killed.status.signal(), Some(9), "kill point {kill_at} not reached: {}", String::from_utf8_lossy(&killed.stderr));
        assert!(dir.join(".gongkai/commit.json").is_file(), "kill point {kill_at}: no journal left");
        // The next start, whatever it then does (here: it stops on an input list that is not
        // there), first completes the killed run's commit and removes its leftovers.
        let next = gongkai().arg("extract").arg("--files-from").arg(work.join("missing.list")).arg("-o").arg(&dir).output().unwrap();
        assert_eq!(next.status.code(), Some(2));
        assert_eq!(snapshot(&dir), new_files, "kill point {kill_at}: the folder is not the new run's outputs");
        let leftovers: Vec<String> =
            std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.contains(".tmp-")).collect();
        assert!(leftovers.is_empty(), "kill point {kill_at}: {leftovers:?}");
    }
}

#[test]
fn temporaries_of_a_killed_run_are_removed_at_the_next_start() {
    let out = out_dir("commit_sweep");
    let a = seed("000_5010c9f98508a758.txt");
    extract(&[&a], &out, &["--format", "csv", "--in-process", "-q"]);
    std::fs::write(out.join(".records.csv.tmp-99999"), b"half").unwrap();
    std::fs::create_dir_all(out.join(".records.partitioned-tmp-99999/year=2024")).unwrap();
    extract(&[&a], &out, &["--format", "csv", "--in-process", "-q"]);
    assert!(!out.join(".records.csv.tmp-99999").exists());
    assert!(!out.join(".records.partitioned-tmp-99999").exists());
}

#[test]
fn a_second_run_into_a_folder_in_use_stops_at_once_naming_the_first() {
    let out = out_dir("commit_two_runs");
    let made = out_dir("commit_two_runs_in");
    // A FIFO nobody writes: the first run waits on it until its 5 s deadline.
    let fifo = made.join("stuck.txt");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut first = gongkai().arg("extract").arg(&fifo).arg("-o").arg(&out).args(["--timeout-secs", "5", "-q", "--fail-on", "none"]).stderr(Stdio::piped()).spawn().unwrap();
    let lock = out.join(".gongkai/lock");
    let since = Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |s| s.trim().is_empty()) {
        assert!(since.elapsed() < Duration::from_secs(20), "the first run never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    let second = gongkai().arg("extract").arg(seed("000_5010c9f98508a758.txt")).arg("-o").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("pid {}", first.id())), "{stderr}");
    assert!(first.wait().unwrap().success());
    assert!(out.join("documents.csv").is_file());
    // The lock goes with the process: a third run proceeds.
    extract(&[&seed("000_5010c9f98508a758.txt")], &out, &["-q"]);
}

/// Every file under `dir` with its bytes, the store and lock included.
fn everything(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A disk that fills up while the outputs are written (files over 16 KiB cannot grow: EFBIG, as
/// ENOSPC would) fails the run with the reason and leaves the folder exactly as it was.
#[test]
fn a_full_disk_fails_with_the_reason_and_leaves_the_folder_as_it_was() {
    use std::os::unix::process::CommandExt;
    let out = out_dir("commit_full_disk");
    let a = seed("000_5010c9f98508a758.txt");
    extract(&[&a], &out, &["--format", "csv,parquet", "-q"]);
    let before = everything(&out);
    let mut run = gongkai();
    run.arg("extract").arg(&a).arg("-o").arg(&out).args(["--format", "csv,parquet", "--full", "-q"]);
    // SAFETY: setrlimit and signal are async-signal-safe; nothing else runs in the child.
    unsafe {
        run.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 16 << 10, rlim_max: 16 << 10 };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            // Over the limit a write fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let o = run.output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write output in") && stderr.contains("File too large"), "{stderr}");
    let after = everything(&out);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&after), names(&before), "files left behind or lost");
    let lock = ".gongkai/lock".to_string();
    assert!(after.iter().filter(|(k, _)| **k != lock).all(|(k, v)| before[k] == *v), "a file changed");
}
