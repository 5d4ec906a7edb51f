//! PDF speed, side by side in one run: our full path (read + extract + recognise + facts +
//! checks) against `pdftotext -layout` alone, on the same pages.
//!
//! Run: `cargo bench --bench pdf_speed [-- DIR_OR_PDFS...]` (default: samples/generated/*.pdf).
//! Needs `pdftotext` (Debian package poppler-utils) on PATH for the comparison column.

use gongkai::inputs::Input;
use gongkai::pipeline::{process, Settings};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: u32 = 10;

fn main() {
    let files = pdfs();
    if files.is_empty() {
        eprintln!("no PDF files to measure");
        std::process::exit(1);
    }
    let settings = Settings::default();
    let inputs: Vec<Input> = files.iter().map(|p| Input { source_path: p.display().to_string(), path: p.clone(), skipped: None }).collect();
    let pages: u32 = inputs.iter().map(|i| process(i, &settings).first().and_then(|d| d.pages).unwrap_or(0)).sum();
    let ours = time_rounds(|| {
        for i in &inputs {
            std::hint::black_box(process(i, &settings));
        }
    });
    println!("files: {}, pages: {pages}, rounds: {ROUNDS}", files.len());
    println!("gongkai full path : {:8.3} ms/page", per_page(ours, pages));
    match pdftotext_available() {
        true => {
            let theirs = time_rounds(|| {
                for f in &files {
                    let _ = Command::new("pdftotext").arg("-layout").arg(f).arg("-").output();
                }
            });
            println!("pdftotext -layout : {:8.3} ms/page", per_page(theirs, pages));
            println!("ratio (ours / pdftotext): {:.2}", ours.as_secs_f64() / theirs.as_secs_f64());
        }
        false => println!("pdftotext -layout : not on PATH (apt-get install poppler-utils)"),
    }
}

fn pdfs() -> Vec<PathBuf> {
    let args: Vec<PathBuf> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).map(PathBuf::from).collect();
    let roots = if args.is_empty() { vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/generated")] } else { args };
    let mut out = Vec::new();
    for r in roots {
        if r.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(&r).into_iter().flatten().flatten().map(|e| e.path()).collect();
            v.retain(|p| std::fs::read(p).map(|b| gongkai_model::detect(&b) == gongkai_model::Format::Pdf).unwrap_or(false));
            v.sort();
            out.extend(v);
        } else {
            out.push(r);
        }
    }
    out
}

fn time_rounds(mut f: impl FnMut()) -> Duration {
    f(); // warm-up: page cache, lazily built tables
    let start = Instant::now();
    for _ in 0..ROUNDS {
        f();
    }
    start.elapsed() / ROUNDS
}

fn per_page(d: Duration, pages: u32) -> f64 {
    d.as_secs_f64() * 1000.0 / pages.max(1) as f64
}

fn pdftotext_available() -> bool {
    Command::new("pdftotext").arg("-v").output().is_ok()
}
