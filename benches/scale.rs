//! Scale benchmark: `gongkai gen` corpora of N documents (30% duplicates of every kind), each
//! run through `gongkai extract --timings` at --jobs 1 and 2. Prints docs/s, the share of the
//! dedup stage, and the peak RSS the binary reports (VmHWM), per N — so that growth of memory
//! with N shows.
//!
//!   cargo bench --bench scale                      # N = 1000 and 10000
//!   GONGKAI_BENCH_N=2000 GONGKAI_BENCH_JOBS=2 cargo bench --bench scale

use std::path::{Path, PathBuf};
use std::process::Command;

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name).unwrap_or_else(|_| default.to_string()).split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn generate(n: usize, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let o = gongkai().args(["gen", "--n", &n.to_string(), "-o"]).arg(dir).output().expect("gongkai gen runs");
    assert!(o.status.success(), "gen failed: {}", String::from_utf8_lossy(&o.stderr));
}

fn main() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale_bench");
    println!("{:>7} {:>4} {:>9} {:>8} {:>9} {:>8} {:>7} {:>8}", "N", "jobs", "total_s", "docs/s", "dedup_s", "dedup_%", "tag_%", "rss_MiB");
    for n in env_list("GONGKAI_BENCH_N", "1000,10000") {
        let corpus = tmp.join(format!("corpus_{n}"));
        generate(n, &corpus);
        for jobs in env_list("GONGKAI_BENCH_JOBS", "1,2") {
            let out = tmp.join(format!("out_{n}_{jobs}"));
            let _ = std::fs::remove_dir_all(&out);
            let o = gongkai()
                .arg("extract")
                .arg(&corpus)
                .arg("-o")
                .arg(&out)
                .args(["--quiet", "--timings", "--jobs", &jobs.to_string()])
                .output()
                .expect("gongkai extract runs");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(o.status.success(), "extract failed: {err}");
            let line = err.lines().find(|l| l.starts_with("timings:")).unwrap_or("").to_string();
            // `KEY 1.234s (5.6%)` → ("1.234", "5.6")
            let stage = |key: &str| -> (String, String) {
                let rest = line.split(key).nth(1).unwrap_or("");
                let secs = rest.split_whitespace().next().unwrap_or("?").trim_start_matches('≈').trim_end_matches('s').to_string();
                let pct = rest.split('(').nth(1).and_then(|s| s.split('%').next()).unwrap_or("?").to_string();
                (secs, pct)
            };
            let (total, _) = stage("total ");
            let (dedup_s, dedup_pct) = stage("; dedup ");
            let (_, tag_pct) = stage("region tags ");
            let rss = line.split("peak RSS ").nth(1).and_then(|s| s.split_whitespace().next()).unwrap_or("?");
            let rate = line.split(" documents (").nth(1).and_then(|s| s.split(' ').next()).unwrap_or("?");
            println!("{n:>7} {jobs:>4} {total:>9} {rate:>8} {dedup_s:>9} {dedup_pct:>8} {tag_pct:>7} {rss:>8}");
            eprintln!("  {line}");
        }
    }
}
