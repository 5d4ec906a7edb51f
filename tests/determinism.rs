//! The same inputs give byte-identical output whatever the number of worker threads and the
//! order the inputs are named in — including with duplicates and a correction in the run,
//! where the choice of kept copy must not depend on scheduling.

mod common;
use common::*;
use std::path::PathBuf;

fn inputs() -> Vec<PathBuf> {
    let dir = out_dir("determinism_in");
    let seeds = fixtures().join("seeds");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&seeds).unwrap() {
        let p = e.unwrap().path();
        let to = dir.join(p.file_name().unwrap());
        std::fs::copy(&p, &to).unwrap();
        files.push(to);
    }
    let text = std::fs::read_to_string(seeds.join("000_5010c9f98508a758.txt")).unwrap();
    for (name, body) in [
        ("copy_of_000.txt", text.clone()),
        ("resaved_000.txt", format!("{text}\n\n")),
        ("correction_000.txt", text.replacen("2101501\t行政运行\t191.67", "2101501\t行政运行\t191.68", 1)),
    ] {
        std::fs::write(dir.join(name), body).unwrap();
        files.push(dir.join(name));
    }
    files.sort();
    files
}

fn outputs(name: &str, inputs: &[PathBuf], jobs: &str) -> Vec<(String, Vec<u8>)> {
    let out = out_dir(name);
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    extract(&refs, &out, &["--quiet", "--jobs", jobs]);
    ["documents", "records", "facts", "checks"]
        .iter()
        .flat_map(|t| [format!("{t}.csv"), format!("{t}.parquet")])
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn output_bytes_do_not_depend_on_jobs_or_input_order() {
    let files = inputs();
    let first = outputs("determinism_j1", &files, "1");
    let docs = String::from_utf8(first[0].1.clone()).unwrap();
    assert_eq!(docs.matches(",duplicate,").count(), 2, "the run has duplicates to choose among:\n{docs}");
    let mut reversed = files.clone();
    reversed.reverse();
    for (name, files, jobs) in [("determinism_j2", &files, "2"), ("determinism_rev", &reversed, "2"), ("determinism_rev1", &reversed, "1")] {
        let other = outputs(name, files, jobs);
        for ((f, a), (_, b)) in first.iter().zip(&other) {
            assert!(a == b, "{f} differs between --jobs 1 and {name} (--jobs {jobs})");
        }
    }
}
