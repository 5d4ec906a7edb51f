//! The nightly-job contract: exit statuses a scheduler can act on (--fail-on), run.json in the
//! output folder and on stdout (--json), inputs listed in a file or on stdin (--files-from),
//! a missing input path reported as a failed row while the run goes on, --version naming the
//! commit.

mod common;
use common::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn gongkai(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai")).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn seed(name: &str) -> String {
    fixtures().join("seeds").join(name).to_string_lossy().into_owned()
}

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("run.json written")).unwrap()
}

#[test]
fn a_failed_input_is_exit_3_with_run_json_and_the_run_goes_on() {
    let out = out_dir("cron_failed");
    let missing = out.join("gone/never_there.pdf").to_string_lossy().into_owned();
    let truncated = fixtures().join("bad/truncated.pdf").to_string_lossy().into_owned();
    // Two inputs on stdin (one of them missing), one on the command line.
    let list = format!("# tonight's files\n{}\n\n{missing}\n", seed("003_66bd46d71a5bdd15.txt"));
    let out_s = out.to_string_lossy().into_owned();
    let o = gongkai(&["extract", &truncated, "--files-from", "-", "-o", &out_s, "--quiet", "--json"], &list);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = run_json(&out);
    let stdout: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json prints run.json");
    assert_eq!(stdout, summary);
    assert_eq!(summary["exit_status"], 3);
    assert_eq!(summary["counts"]["files"], 3);
    assert_eq!(summary["counts"]["status"]["ok"], 1);
    assert_eq!(summary["counts"]["status"]["failed"], 2);
    assert!(summary["counts"]["records"].as_u64().unwrap() > 100);
    assert!(summary["program"]["commit"].as_str().is_some_and(|c| !c.is_empty()));
    let files = summary["files"].as_array().unwrap();
    let gone = files.iter().find(|f| f["source_path"] == missing.as_str()).expect("the missing path has a row");
    assert_eq!(gone["status"], "failed");
    assert!(gone["reason"].as_str().unwrap().contains("No such file"), "{gone}");
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 3, "every input, the missing one included, has a documents row");
    assert!(docs.iter().any(|d| d["source_path"] == missing && d["status"] == "failed" && !d["error"].is_empty()));

    // The same run told to tolerate failures exits 0.
    let o = gongkai(&["extract", &truncated, "--files-from", "-", "-o", &out_s, "--quiet", "--fail-on", "none"], &list);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(run_json(&out)["exit_status"], 0);
}

#[test]
fn a_clean_run_is_exit_0_and_suspect_documents_are_exit_4_when_asked() {
    let out = out_dir("cron_clean");
    let list_file = out_dir("cron_list").join("inputs.txt");
    let seeds: Vec<String> = ["000_5010c9f98508a758.txt", "003_66bd46d71a5bdd15.txt", "004_295e34a150d1a2fa.txt"].iter().map(|s| seed(s)).collect();
    std::fs::write(&list_file, seeds.join("\n")).unwrap();
    let (out_s, list_s) = (out.to_string_lossy().into_owned(), list_file.to_string_lossy().into_owned());
    let o = gongkai(&["extract", "--files-from", &list_s, "-o", &out_s, "--quiet"], "");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = run_json(&out);
    assert_eq!(summary["counts"]["files"], 3);
    let suspect = summary["counts"]["verification"]["suspect"].as_u64().unwrap_or(0);
    assert!(suspect > 0, "the seeds' anomalies make a document suspect: {summary}");
    let o = gongkai(&["extract", "--files-from", &list_s, "-o", &out_s, "--quiet", "--fail-on", "failed,suspect"], "");
    assert_eq!(o.status.code(), Some(4));
}

#[test]
fn version_names_the_commit() {
    let o = gongkai(&["--version"], "");
    let v = String::from_utf8_lossy(&o.stdout);
    assert!(v.starts_with("gongkai ") && v.contains("(commit "), "{v}");
}
