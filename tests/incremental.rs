//! Nightly runs: incremental re-runs give byte-identical output to a full run (grown,
//! changed and shrunk input folders), and an interrupted run leaves the previous output and
//! manifest untouched and no temporary files, with the next run completing the work.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gongkai(inputs: &Path, out: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai")).arg("extract").arg(inputs).arg("-o").arg(out).args(args).output().unwrap();
    assert!(o.status.success(), "gongkai failed: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Every output file except the manifest folder, name → bytes.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

fn assert_same_outputs(a: &Path, b: &Path) {
    let (a, b) = (outputs(a), outputs(b));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert!(a.iter().any(|f| f.0 == "records.csv"));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        let (x, y) = if name == "report.html" { (without_links(x), without_links(y)) } else { (x.clone(), y.clone()) };
        assert!(x == y, "{name} differs between the incremental and the full run");
    }
}

/// report.html links each source relative to the output folder, and the two runs read
/// folders at different places; everything else in the report must be the same.
fn without_links(html: &[u8]) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let mut out = String::new();
    let mut rest = html.as_ref();
    while let Some(at) = rest.find("href=\"") {
        out.push_str(&rest[..at]);
        rest = &rest[at + 6..];
        rest = rest.find('"').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The inputs: the five seeds, a DOCX and a PDF rendering, and two broken files.
fn all_inputs() -> Vec<PathBuf> {
    let f = fixtures();
    let mut v: Vec<PathBuf> = std::fs::read_dir(f.join("seeds")).unwrap().flatten().map(|e| e.path()).collect();
    v.sort();
    v.push(f.join("office/004_295e34a150d1a2fa.docx"));
    v.push(f.join("pdf/003_66bd46d71a5bdd15.pdf"));
    v.push(f.join("bad/truncated.xlsx"));
    v.push(f.join("bad/random.bin"));
    v
}

/// A folder named `data` (source paths start with the root's name, so both runs of a
/// comparison must use the same name) holding `files`.
fn data_folder(test: &str, which: &str, files: &[PathBuf]) -> PathBuf {
    let dir = out_dir(&format!("{test}_{which}")).join("data");
    std::fs::create_dir_all(&dir).unwrap();
    for f in files {
        std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
    }
    dir
}

fn reused(o: &Output) -> usize {
    let err = String::from_utf8_lossy(&o.stderr);
    err.lines()
        .find_map(|l| l.strip_prefix("gongkai: ").and_then(|l| l.split(" unchanged files reused").next()).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

#[test]
fn growing_folder_incremental_equals_full_run() {
    let all = all_inputs();
    let (a, _) = all.split_at(4);
    let full_in = data_folder("grow", "full", &all);
    let full_out = out_dir("grow_full_out");
    gongkai(&full_in, &full_out, &["--full"]);

    let inc_in = data_folder("grow", "inc", a);
    let inc_out = out_dir("grow_inc_out");
    let first = gongkai(&inc_in, &inc_out, &[]);
    assert_eq!(reused(&first), 0);
    assert!(inc_out.join(".gongkai/manifest.json").exists());
    for f in &all {
        std::fs::copy(f, inc_in.join(f.file_name().unwrap())).unwrap();
    }
    let second = gongkai(&inc_in, &inc_out, &[]);
    assert_eq!(reused(&second), 4, "{}", String::from_utf8_lossy(&second.stderr));
    assert_same_outputs(&full_out, &inc_out);
    let (matched, failures) = gold_failures(&inc_out, 1.0);
    assert_eq!(matched, 5);
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Nothing changed: everything reused, still identical.
    let third = gongkai(&inc_in, &inc_out, &[]);
    assert_eq!(reused(&third), all.len());
    assert_same_outputs(&full_out, &inc_out);

    // The store holds the cached records: without it nothing can be reused, and the rerun
    // still gives the same dataset.
    std::fs::remove_dir_all(inc_out.join(".gongkai/store")).unwrap();
    let fourth = gongkai(&inc_in, &inc_out, &[]);
    // Only the two broken files, which have nothing in the store, are still reused.
    assert_eq!(reused(&fourth), 2, "entries whose records are gone are redone");
    assert_same_outputs(&full_out, &inc_out);
}

#[test]
fn changed_and_deleted_files_are_redone_not_reused() {
    let all = all_inputs();
    let inc_in = data_folder("change", "inc", &all);
    let inc_out = out_dir("change_inc_out");
    gongkai(&inc_in, &inc_out, &[]);

    // Seed 002 now holds seed 000's report; seed 003 and the PDF are gone.
    let seeds = fixtures().join("seeds");
    std::fs::copy(seeds.join("000_5010c9f98508a758.txt"), inc_in.join("002_97d50bc877a759dd.txt")).unwrap();
    std::fs::remove_file(inc_in.join("003_66bd46d71a5bdd15.txt")).unwrap();
    std::fs::remove_file(inc_in.join("003_66bd46d71a5bdd15.pdf")).unwrap();
    let again = gongkai(&inc_in, &inc_out, &[]);
    assert_eq!(reused(&again), all.len() - 3);

    let full_in = data_folder("change", "full", &[]);
    for e in std::fs::read_dir(&inc_in).unwrap().flatten() {
        std::fs::copy(e.path(), full_in.join(e.file_name())).unwrap();
    }
    let full_out = out_dir("change_full_out");
    gongkai(&full_in, &full_out, &["--full"]);
    assert_same_outputs(&full_out, &inc_out);
    let docs = read_csv(&inc_out.join("documents.csv"));
    assert!(!docs.iter().any(|d| d["source_path"].contains("003_")), "deleted files leave the dataset");
    let changed = docs.iter().find(|d| d["source_path"].ends_with("002_97d50bc877a759dd.txt")).unwrap();
    assert_eq!(changed["department"], docs.iter().find(|d| d["source_path"].ends_with("000_5010c9f98508a758.txt")).unwrap()["department"]);
}

#[test]
fn other_settings_invalidate_the_cache() {
    let inc_in = data_folder("settings", "inc", &all_inputs()[..3]);
    let out = out_dir("settings_out");
    gongkai(&inc_in, &out, &[]);
    assert_eq!(reused(&gongkai(&inc_in, &out, &[])), 3);
    assert_eq!(reused(&gongkai(&inc_in, &out, &["--tolerance", "0.05"])), 0, "a different tolerance changes the checks");
    assert_eq!(reused(&gongkai(&inc_in, &out, &["--tolerance", "0.05", "--full"])), 0);
}

#[test]
fn sigterm_leaves_the_previous_output_and_the_next_run_completes() {
    let out = out_dir("interrupt_out");
    gongkai(&fixtures().join("seeds"), &out, &[]);
    let before = outputs(&out);
    let manifest_before = std::fs::read(out.join(".gongkai/manifest.json")).unwrap();

    // Many copies of the seeds: long enough a run to be interrupted.
    let big = out_dir("interrupt_in").join("data");
    for i in 0..COPIES {
        let d = big.join(format!("copy{i:03}"));
        std::fs::create_dir_all(&d).unwrap();
        for e in std::fs::read_dir(fixtures().join("seeds")).unwrap().flatten() {
            std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
        }
    }
    let child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("extract")
        .arg(&big)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "1", "--quiet"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_sigterm_handler(child.id());
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("interrupted"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(before == outputs(&out), "the previous output files are unchanged");
    assert_eq!(std::fs::read(out.join(".gongkai/manifest.json")).unwrap(), manifest_before);
    let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.contains(".tmp")).collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    gongkai(&big, &out, &[]);
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), COPIES * 5);
    assert_eq!(docs.iter().filter(|d| d["status"] == "ok").count(), 5, "one copy of each report kept, the rest duplicates");
}

const COPIES: usize = 300;

/// Waits until the process catches SIGTERM (its handler is installed early in the run): a fixed
/// sleep was too short on a loaded machine, and the signal then killed the process outright.
fn wait_for_sigterm_handler(pid: u32) {
    const SIGTERM_BIT: u64 = 1 << (15 - 1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let caught = status.lines().find_map(|l| l.strip_prefix("SigCgt:")).and_then(|m| u64::from_str_radix(m.trim(), 16).ok());
        if caught.is_some_and(|m| m & SIGTERM_BIT != 0) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("gongkai did not install its SIGTERM handler within 60 s");
}
