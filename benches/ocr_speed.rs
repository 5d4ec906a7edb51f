//! OCR speed: seconds per scanned page through the full path (render, OCR, tables, recognise,
//! checks, suggestions), files one after another, wall time and CPU time (ours and the
//! engine's child processes). The target is at most 3 s per page on a 2-core machine.
//!
//! Run: `cargo bench --bench ocr_speed [-- DIR_OR_PDFS...]` (default: the shared corpus's
//! `corpus/scanned/clean300` and `office200` next to the repository, else the scans in
//! tests/fixtures/scanned). Needs tesseract (chi_sim) and pdftoppm, see README.

use gongkai::inputs::Input;
use gongkai::pipeline::{process, Settings};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let sets = sets();
    let settings = Settings::default();
    for (name, files) in sets {
        let (wall, cpu0) = (Instant::now(), cpu_secs());
        let mut pages = 0;
        for f in &files {
            let input = Input { source_path: f.display().to_string(), path: f.clone(), skipped: None };
            let out = process(&input, &settings);
            if let Some(d) = out.first() {
                if !d.error.is_empty() {
                    eprintln!("{}: {} {}", f.display(), d.status.name(), d.error);
                }
                pages += d.pages.unwrap_or(0);
            }
        }
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_secs() - cpu0);
        let per = |s: f64| s / f64::from(pages.max(1));
        println!("{name}: {} files, {pages} pages: {:.2} s/page wall, {:.2} s/page CPU", files.len(), per(wall), per(cpu));
    }
}

/// The named sets of scans to time.
fn sets() -> Vec<(String, Vec<PathBuf>)> {
    let args: Vec<PathBuf> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).map(PathBuf::from).collect();
    let dirs: Vec<PathBuf> = if !args.is_empty() {
        args
    } else {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let shared = root.join("../shared/corpus/scanned");
        let base = if shared.is_dir() { shared } else { root.join("tests/fixtures/scanned") };
        vec![base.join("clean300"), base.join("office200")]
    };
    dirs.into_iter()
        .map(|d| {
            let mut files: Vec<PathBuf> = match std::fs::read_dir(&d) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "pdf")).collect(),
                Err(_) => vec![d.clone()],
            };
            files.sort();
            (d.display().to_string(), files)
        })
        .collect()
}

/// CPU seconds used so far by this process and the children it has waited for (the engine),
/// from /proc/self/stat (utime, stime, cutime, cstime; clock ticks of 1/100 s).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<f64> = after.split_whitespace().map(|v| v.parse().unwrap_or(0.0)).collect();
    f.get(11..15).map_or(0.0, |t| t.iter().sum::<f64>() / 100.0)
}
