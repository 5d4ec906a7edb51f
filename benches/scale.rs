//! Scale benchmark: `gongkai gen` corpora of N documents (30% duplicates of every kind), each
//! run through `gongkai extract --timings` at --jobs 1 and 2. Prints docs/s, the share of the
//! dedup stage, the CPU time of the run (the binary and its readers) as docs per CPU-second,
//! and the peak RSS the binary reports (VmHWM), per N — so that growth of memory with N shows.
//! The load average is printed with each run: on a shared machine docs/s at --jobs 2 depend on
//! it (as root, `chrt -f 10 cargo bench …` runs the bench ahead of other work).
//!
//! `gongkai gen` writes text renderings (and a few DOCX/XLSX): GONGKAI_BENCH_PDF_PERCENT of the
//! N files (default 10) are instead copies of the bundled generated PDFs, each made distinct by
//! a comment after its end (other bytes, same report: re-saved copies, read in full).
//!
//!   cargo bench --bench scale                      # N = 1000 and 10000
//!   GONGKAI_BENCH_N=2000 GONGKAI_BENCH_JOBS=2 cargo bench --bench scale

mod common;

use common::{children_cpu_s, load_average};
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
    let pdfs = n * env_list("GONGKAI_BENCH_PDF_PERCENT", "10").first().copied().unwrap_or(0).min(100) / 100;
    let o = gongkai().args(["gen", "--n", &(n - pdfs).to_string(), "-o"]).arg(dir).output().expect("gongkai gen runs");
    assert!(o.status.success(), "gen failed: {}", String::from_utf8_lossy(&o.stderr));
    add_pdfs(dir, pdfs);
}

/// `n` PDF files, copies of the bundled generated PDFs in turn, each with its own comment
/// after `%%EOF` (readers ignore it; the bytes, and so the doc_id, differ).
fn add_pdfs(dir: &Path, n: usize) {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/generated");
    let mut templates: Vec<PathBuf> = std::fs::read_dir(&samples).expect("samples/generated").flatten().map(|e| e.path()).collect();
    templates.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
    templates.sort();
    let bytes: Vec<Vec<u8>> = templates.iter().map(|p| std::fs::read(p).expect("a bundled PDF")).collect();
    for i in 0..n {
        let mut copy = bytes[i % bytes.len()].clone();
        copy.extend_from_slice(format!("\n% scale bench copy {i}\n").as_bytes());
        std::fs::write(dir.join(format!("pdf_{i:05}.pdf")), copy).expect("the corpus folder is writable");
    }
}

fn main() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale_bench");
    println!(
        "{:>7} {:>4} {:>9} {:>8} {:>10} {:>9} {:>8} {:>7} {:>8}  {}",
        "N", "jobs", "total_s", "docs/s", "docs/cpu_s", "dedup_s", "dedup_%", "tag_%", "rss_MiB", "load average"
    );
    for n in env_list("GONGKAI_BENCH_N", "1000,10000") {
        let corpus = tmp.join(format!("corpus_{n}"));
        generate(n, &corpus);
        for jobs in env_list("GONGKAI_BENCH_JOBS", "1,2") {
            let out = tmp.join(format!("out_{n}_{jobs}"));
            let _ = std::fs::remove_dir_all(&out);
            let cpu_before = children_cpu_s();
            let o = gongkai()
                .arg("extract")
                .arg(&corpus)
                .arg("-o")
                .arg(&out)
                .args(["--quiet", "--timings", "--jobs", &jobs.to_string()])
                .output()
                .expect("gongkai extract runs");
            let per_cpu_s = n as f64 / (children_cpu_s() - cpu_before).max(1e-9);
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
            let load = load_average();
            println!("{n:>7} {jobs:>4} {total:>9} {rate:>8} {per_cpu_s:>10.1} {dedup_s:>9} {dedup_pct:>8} {tag_pct:>7} {rss:>8}  {load}");
            eprintln!("  {line}");
        }
    }
}
