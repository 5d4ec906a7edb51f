//! `gongkai extract`: a folder of reports in, one dataset out.

use crate::dataset;
use crate::dedup::{self, Prefer};
use crate::inputs;
use crate::manifest;
use crate::pipeline::{self, DocOutcome, Settings, Status};
use crate::store::{Counts, Store};
use crate::verify::Verdict;
use crate::write::{self, OutFormat, WriteOptions};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  gongkai extract samples -o output
  gongkai extract scrape/ --jobs 2 --format parquet -o /data/budget
  gongkai extract a.pdf b.docx --csv-bom -o for_excel

Outputs (in DIR): documents, records, facts, checks — as .csv and/or .parquet, or as
sheets of one workbook gongkai.xlsx (--format xlsx); always report.html, the page to open
first (per file: status, tables, failed checks with their numbers, facts, source link).
Every input file gets a documents row, failed ones with a one-line reason.
Runs are incremental: DIR/.gongkai/manifest.json remembers each input's content hash and
result, and a re-run reprocesses only new or changed files (same binary and settings
required, else everything is redone); --full ignores the manifest. Output is identical to
a full run. Ctrl-C / SIGTERM stops cleanly: nothing is written, the previous output stays.
Nightly jobs: DIR/run.json (also on stdout with --json) holds the run's counts, every
file's status and reason, timings and the program's version and commit; --files-from
takes the list of inputs from a file or standard input (-). A missing or unreadable input
path becomes a failed documents row and the run goes on.
Exit status: 0 when the run completed and nothing --fail-on names happened; 3 when an
input failed or was unsupported (--fail-on failed, the default; partial with
--fail-on partial); 4 when a document is suspect (--fail-on suspect) and none failed;
2 when it could not run at all (no inputs, unwritable output folder); 130 when
interrupted. --fail-on none: 0 whenever the run completed.")]
pub struct ExtractArgs {
    /// Files or folders (searched recursively). The format of each file is detected from
    /// its bytes; file names and extensions are ignored.
    #[arg(required_unless_present = "files_from", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read more input paths from FILE, one per line (`-` = standard input; blank lines and
    /// lines starting with # skipped).
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// What makes the exit status non-zero, comma-separated: failed (an input failed or is
    /// unsupported: 3), partial (an input was read in part: 3), suspect (a document's numbers
    /// are suspect: 4), none.
    #[arg(long, value_enum, value_name = "LIST", value_delimiter = ',', default_value = "failed")]
    pub fail_on: Vec<FailOn>,

    /// Print the run summary (run.json) on standard output.
    #[arg(long)]
    pub json: bool,

    /// Output folder; created if missing. Existing dataset files in it are replaced
    /// atomically at the end of the run.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,

    /// Worker threads (default: all cores). Output is identical whatever the value.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Output formats, comma-separated: csv, parquet, xlsx (one workbook gongkai.xlsx, amounts as
    /// numbers shown in 万元; CSV and Parquet are the exact reference).
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "csv,parquet")]
    pub format: Vec<FormatArg>,

    /// Which copy feeds the records when two copies of one report disagree:
    /// the one with most records, or the newest file (modification time).
    #[arg(long, value_enum, default_value = "most-records")]
    pub prefer: PreferArg,

    /// Rounding difference (尾差) allowed per summed item in the accounting checks, in 万元.
    #[arg(long, value_name = "WANYUAN", default_value = "0.01")]
    pub tolerance: Decimal,

    /// Start each CSV with a UTF-8 byte-order mark, so that Excel opens it without mojibake.
    #[arg(long)]
    pub csv_bom: bool,

    /// Refuse files larger than this many MiB (reason recorded, the run goes on).
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_file_mb: u64,

    /// Refuse ZIP archives that would inflate to more than this many MiB in all.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub zip_max_mb: u64,

    /// Refuse ZIP members whose inflated/compressed size ratio exceeds this (zip bombs).
    #[arg(long, value_name = "RATIO", default_value_t = 200)]
    pub zip_max_ratio: u64,

    /// Give up on a file after this many seconds (status failed, `timed out after N s`);
    /// 0 = no limit. The stuck worker thread is abandoned, not killed: it finishes or dies
    /// with the process.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub timeout_secs: u64,

    /// Memory limit of each reader process in MiB (default: three quarters of the machine's
    /// memory shared by the --jobs readers, at least 1024). A file whose reading exceeds it
    /// fails (`out of memory reading this file …`) and the run goes on.
    #[arg(long, value_name = "MIB")]
    pub max_memory_mb: Option<u64>,

    /// Read files that symbolic links in the input folders lead to outside those folders (by
    /// default such a link gets a documents row saying it was not read). Links to folders are
    /// never followed.
    #[arg(long)]
    pub follow_links: bool,

    /// Read documents on threads of this process instead of isolated reader processes:
    /// slightly faster, but a reader that aborts (out of memory, stack overflow) ends the run.
    #[arg(long)]
    pub in_process: bool,

    /// Reprocess every file, ignoring the results cached in DIR/.gongkai/manifest.json.
    #[arg(long)]
    pub full: bool,

    /// Convert legacy binary Word files (.doc/.wps) with LibreOffice (`soffice` on PATH).
    #[arg(long)]
    pub convert_legacy: bool,

    /// OCR of scanned (image-only) PDF pages with Tesseract (`tesseract` with the chi_sim
    /// model, and `pdftoppm`): auto = scanned pages when it is installed; off = never; force =
    /// every page, ignoring a text layer. Records read by OCR are flagged `ocr;ocr_conf=N`.
    /// OCR time counts against --timeout-secs.
    #[arg(long, value_enum, default_value = "auto")]
    pub ocr: OcrArg,

    /// Also write the Parquet output as Hive-style partitioned datasets, e.g. `year,province`:
    /// DIR/records/year=2024/province=青海省/part-0.parquet, and the same for documents and
    /// facts (checks has no region columns and stays DIR/checks.parquet). Empty keys go to
    /// `__HIVE_DEFAULT_PARTITION__`. The flat CSV files are written as usual.
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    pub partition: Vec<String>,

    /// Print how long each stage took and the peak memory on stderr.
    #[arg(long)]
    pub timings: bool,

    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Parquet,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Failed,
    Partial,
    Suspect,
    None,
}

/// Exit status when an input named by --fail-on failed (failed, unsupported, partial).
pub const EXIT_INPUTS_FAILED: i32 = 3;
/// Exit status when documents are suspect (--fail-on suspect) and no input failed.
pub const EXIT_SUSPECT: i32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OcrArg {
    Auto,
    Off,
    Force,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    MostRecords,
    Newest,
}

/// Runs the command; `Ok` is the exit status (see [`exit_status`]), `Err` a reason the run
/// could not proceed at all.
pub fn run(args: &ExtractArgs) -> Result<i32, String> {
    let started = Instant::now();
    prepare_output(&args.output)?;
    // Before anything else: no other run in this folder, and none of a killed run's leftovers.
    let _lock = write::commit::open(&args.output)?;
    if !args.partition.is_empty() {
        write::partition::check_keys(&dataset::records(&[]), &args.partition)?;
    }
    let mut roots = args.inputs.clone();
    if let Some(list) = &args.files_from {
        roots.extend(inputs::paths_from(list)?);
    }
    let inputs = inputs::discover(&roots, Some(&args.output), args.follow_links);
    if inputs.is_empty() {
        return Err("no input files found in the given paths".into());
    }
    let settings = settings(args);
    let stop = pipeline::stop_on_signals()?;
    let fingerprint = format!("{}|{:?}", manifest::program_identity(), settings);
    let cache = if args.full { Default::default() } else { manifest::load(&args.output, &fingerprint) };
    let store = Store::open(&args.output, &fingerprint).map_err(|e| format!("cannot create the run's store in {}: {e}", args.output.display()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let mut timings = Timings { jobs: pool.current_num_threads(), ..Timings::default() };
    let reader = reader(args, &settings, &store, pool.current_num_threads())?;
    let (docs, entries) = pool.install(|| process_all(&inputs, &settings, args, &mut timings, &cache, &store, &reader, &stop))?;
    drop(reader);
    if stop.load(Ordering::SeqCst) {
        let out = args.output.display();
        return Err(format!("interrupted: nothing written, the previous output in {out} is unchanged; run again to finish"));
    }
    let opts = WriteOptions {
        formats: args.format.iter().map(|f| match f {
            FormatArg::Csv => OutFormat::Csv,
            FormatArg::Parquet => OutFormat::Parquet,
            FormatArg::Xlsx => OutFormat::Xlsx,
        }).collect(),
        csv_bom: args.csv_bom,
        partition: args.partition.clone(),
    };
    let code = exit_status(&docs, &args.fail_on);
    let run_json = run_summary(&docs, args, code, &timings, started);
    let stage = Instant::now();
    let cannot_write = |e: std::io::Error| format!("cannot write output in {}: {e}", args.output.display());
    // run.json and the manifest are staged before the tables and freed: held through the
    // write stage they were 18 MiB of a 10,000-document run's peak (megabytes of JSON each).
    let mut staged = write::commit::Staged::default();
    staged.write(&args.output.join(RUN_FILE), &run_json).map_err(cannot_write)?;
    let printed = args.json.then_some(run_json);
    if let Err(e) = manifest::save(&args.output, &fingerprint, entries, &mut staged) {
        staged.abandon();
        return Err(format!("cannot write the run manifest in {}: {e}", args.output.display()));
    }
    match pool.install(|| write::write_dataset(&args.output, &docs, &store, &inputs, &opts)) {
        Ok(tables) => staged.extend(tables),
        Err(e) => {
            staged.abandon();
            return Err(cannot_write(e));
        }
    }
    write::commit::commit(&args.output, staged).map_err(cannot_write)?;
    store.retain(&docs);
    timings.write = stage.elapsed();
    if !args.quiet {
        eprintln!("{}", summary(&docs, &args.output, started));
    }
    if args.timings {
        eprintln!("{}", timings.report(docs.len(), started.elapsed()));
    }
    if let Some(json) = printed {
        println!("{}", String::from_utf8_lossy(&json).trim_end());
    }
    Ok(code)
}

/// The run summary a scheduler reads, in the output folder.
pub const RUN_FILE: &str = "run.json";

/// 0, or the status for the first condition of --fail-on that the run met: inputs failed
/// ([`EXIT_INPUTS_FAILED`]) before suspect documents ([`EXIT_SUSPECT`]).
pub fn exit_status(docs: &[DocOutcome], fail_on: &[FailOn]) -> i32 {
    let any = |f: &dyn Fn(&DocOutcome) -> bool| docs.iter().any(f);
    let failed = fail_on.contains(&FailOn::Failed) && any(&|d| matches!(d.status, Status::Failed | Status::Unsupported));
    let partial = fail_on.contains(&FailOn::Partial) && any(&|d| d.status == Status::Partial);
    let suspect = fail_on.contains(&FailOn::Suspect) && any(&|d| dataset::feeds_records(d) && d.report.verification.verdict == Some(Verdict::Suspect));
    match (failed || partial, suspect) {
        (true, _) => EXIT_INPUTS_FAILED,
        (false, true) => EXIT_SUSPECT,
        _ => 0,
    }
}

/// run.json: the program, the counts, every file's status and reason, the stage timings
/// (writing excluded: the file is part of what is written) and the exit status.
fn run_summary(docs: &[DocOutcome], args: &ExtractArgs, exit: i32, timings: &Timings, started: Instant) -> Vec<u8> {
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_verdict: BTreeMap<&str, usize> = BTreeMap::new();
    for d in docs {
        *by_status.entry(d.status.name()).or_default() += 1;
        if dataset::feeds_records(d) && !d.report.verification.name().is_empty() {
            *by_verdict.entry(d.report.verification.name()).or_default() += 1;
        }
    }
    let fed = docs.iter().filter(|d| dataset::feeds_records(d)).map(DocOutcome::counts);
    let Counts { records, facts, failed_checks, .. } = fed.fold(Counts::default(), Counts::plus);
    let files: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| {
            let reason = if d.error.is_empty() { d.report.verification.line() } else { d.error.clone() };
            serde_json::json!({
                "source_path": d.source_path, "doc_id": d.doc_id, "status": d.status.name(),
                "verification": d.report.verification.name(), "reason": reason,
                "duplicate_of": d.duplicate_of, "records": if dataset::feeds_records(d) { d.counts().records } else { 0 },
            })
        })
        .collect();
    let summary = serde_json::json!({
        "program": {"name": "gongkai", "version": env!("CARGO_PKG_VERSION"), "commit": env!("GONGKAI_COMMIT")},
        "output": args.output.display().to_string(),
        "exit_status": exit,
        "fail_on": args.fail_on.iter().map(|f| format!("{f:?}").to_lowercase()).collect::<Vec<_>>(),
        "counts": {
            "files": docs.len(), "status": by_status, "verification": by_verdict,
            "records": records, "facts": facts, "failed_checks": failed_checks,
        },
        "timings_s": {
            "process": timings.process.as_secs_f64(), "dedup": timings.dedup.as_secs_f64(),
            "before_writing": started.elapsed().as_secs_f64(),
        },
        "files": files,
    });
    let mut out = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    out.push(b'\n');
    // Held through the whole write stage: without the slack of its growth (up to half).
    out.shrink_to_fit();
    out
}

/// Wall time per stage of one run (`--timings`).
#[derive(Debug, Default)]
struct Timings {
    jobs: usize,
    process: std::time::Duration,
    dedup: std::time::Duration,
    write: std::time::Duration,
}

impl Timings {
    fn report(&self, docs: usize, total: std::time::Duration) -> String {
        let share = |d: std::time::Duration| 100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9);
        let rss = peak_rss_kib().map_or("unknown".to_string(), |k| format!("{} MiB", k / 1024));
        // Tagging runs inside each worker: its thread time over the workers is its wall share.
        let tag = crate::regions::time_spent().div_f64(self.jobs.max(1) as f64);
        format!(
            "timings: total {:.3}s for {docs} documents ({:.1} docs/s); process {:.3}s ({:.1}%), of which region tags ≈{:.3}s ({:.2}%); dedup {:.3}s ({:.2}%), rows built and written {:.3}s ({:.1}%); peak RSS {rss}",
            total.as_secs_f64(),
            docs as f64 / total.as_secs_f64().max(1e-9),
            self.process.as_secs_f64(),
            share(self.process),
            tag.as_secs_f64(),
            share(tag),
            self.dedup.as_secs_f64(),
            share(self.dedup),
            self.write.as_secs_f64(),
            share(self.write),
        )
    }
}

/// Peak resident set size of this process (VmHWM), where the system reports it (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn settings(args: &ExtractArgs) -> Settings {
    let mut s = Settings { tolerance: args.tolerance, max_file_bytes: args.max_file_mb << 20, ..Settings::default() };
    s.extract.convert_legacy = args.convert_legacy;
    s.extract.ocr = match args.ocr {
        OcrArg::Auto => gongkai_model::OcrMode::Auto,
        OcrArg::Off => gongkai_model::OcrMode::Off,
        OcrArg::Force => gongkai_model::OcrMode::Force,
    };
    s.archive.max_total_bytes = args.zip_max_mb << 20;
    s.archive.max_ratio = args.zip_max_ratio;
    s
}

/// Reader processes unless `--in-process`, the current executable being the reader.
fn reader(args: &ExtractArgs, settings: &Settings, store: &Store, jobs: usize) -> Result<pipeline::Reader, String> {
    if args.in_process {
        return Ok(pipeline::Reader::InProcess);
    }
    // GONGKAI_READER names the program to start as reader: the Python package's `gongkai`
    // command runs this code inside the Python interpreter, which is no reader itself.
    let exe = match std::env::var_os("GONGKAI_READER") {
        Some(exe) => PathBuf::from(exe),
        None => std::env::current_exe().map_err(|e| format!("cannot find this program to start its reader processes: {e} (--in-process reads without them)"))?,
    };
    let mb = args.max_memory_mb.unwrap_or_else(|| crate::worker::default_memory_mb(jobs));
    let pool = crate::worker::Pool::new(exe, settings, store, mb).map_err(|e| format!("cannot prepare the reader processes: {e}"))?;
    Ok(pipeline::Reader::Isolated(pool))
}

/// The output folder must exist and be writable before any work is done.
fn prepare_output(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create output folder {}: {e}", dir.display()))?;
    let probe = dir.join(format!(".gongkai-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| format!("output folder {} is not writable: {e}", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Every input through the stages (in the current rayon pool), bodies spilled to `store`,
/// then dedup.
fn process_all(
    inputs: &[inputs::Input],
    settings: &Settings,
    args: &ExtractArgs,
    timings: &mut Timings,
    cache: &HashMap<String, manifest::Entry>,
    store: &Store,
    reader: &pipeline::Reader,
    stop: &AtomicBool,
) -> Result<(Vec<DocOutcome>, Vec<manifest::Kept>), String> {
    let stage = Instant::now();
    let bar = progress_bar(inputs.len() as u64, args.quiet);
    let timeout = (args.timeout_secs > 0).then(|| Duration::from_secs(args.timeout_secs));
    let mut per_input: Vec<_> = std::thread::scope(|s| {
        // A scanned file takes seconds per page: the pages OCR'd so far show that work goes on.
        // The display ends when `done` is dropped, at once (the scope waits for it).
        let (done, finished) = std::sync::mpsc::channel::<()>();
        s.spawn(|| show_ocr_pages(&bar, &settings.extract.ocr_pages, finished));
        // One file per task, the largest first: the workers share the queue to its end, and the
        // last file to finish is a small one, not a long report one worker reads alone.
        let per_input = largest_first(inputs)
            .into_par_iter()
            .with_max_len(1)
            .map(|i| {
                // After a stop request no new file is started.
                if stop.load(Ordering::SeqCst) {
                    return (i, None);
                }
                let r = manifest::process_cached(&inputs[i], settings, cache, store, reader, timeout, stop);
                bar.inc(1);
                (i, Some(r))
            })
            .collect();
        drop(done);
        per_input
    });
    bar.finish_and_clear();
    per_input.sort_unstable_by_key(|(i, _)| *i);
    // Sized once: held to the end of the run, a doubled Vec's slack would be a third of it.
    let (mut docs, mut entries, mut reused) = (Vec::with_capacity(per_input.len()), Vec::with_capacity(per_input.len()), 0usize);
    for (outcomes, entry, was_cached) in per_input.into_iter().filter_map(|(_, r)| r) {
        docs.extend(outcomes);
        entries.extend(entry);
        reused += usize::from(was_cached);
    }
    if reused > 0 && !args.quiet {
        eprintln!("gongkai: {reused} unchanged files reused from the last run (--full to redo them)");
    }
    let prefer = match args.prefer {
        PreferArg::MostRecords => Prefer::MostRecords,
        PreferArg::Newest => Prefer::Newest,
    };
    timings.process = stage.elapsed();
    let stage = Instant::now();
    crate::parts::link(&mut docs, store, args.tolerance).map_err(|e| format!("cannot read back the run's store: {e}"))?;
    dedup::dedup(&mut docs, prefer, store).map_err(|e| format!("cannot read back the run's store: {e}"))?;
    dataset::link_scopes(&mut docs);
    timings.dedup = stage.elapsed();
    Ok((docs, entries))
}

/// How often the bar's count of pages OCR'd is refreshed.
const OCR_PAGES_SHOWN_EVERY: Duration = Duration::from_millis(100);

/// Keeps the bar's message at the count of pages OCR'd until `finished` disconnects. Not a
/// sleep: the run waits for this thread, and a sleep cost a one-file run up to 100 ms of wall.
fn show_ocr_pages(bar: &ProgressBar, pages: &gongkai_model::PageCounter, finished: std::sync::mpsc::Receiver<()>) {
    let mut shown = 0;
    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(OCR_PAGES_SHOWN_EVERY) {
        let n = pages.get();
        if n != shown {
            shown = n;
            bar.set_message(format!(", {n} pages OCR'd"));
        }
    }
}

/// The positions of `inputs`, the largest file first (an unreadable size counts as empty:
/// reading it fails fast).
fn largest_first(inputs: &[inputs::Input]) -> Vec<usize> {
    let sizes: Vec<u64> = inputs.iter().map(|i| std::fs::metadata(&i.path).map_or(0, |m| m.len())).collect();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    order
}

fn progress_bar(n: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(n);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files{msg} ({per_sec}, eta {eta})") {
        bar.set_style(style);
    }
    bar
}

fn summary(docs: &[DocOutcome], out: &Path, started: Instant) -> String {
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    for d in docs {
        *by_status.entry(d.status).or_default() += 1;
    }
    let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{n} {}", s.name())).collect();
    let fed = docs.iter().filter(|d| dataset::feeds_records(d)).map(DocOutcome::counts);
    let Counts { records, facts, failed_checks, .. } = fed.fold(Counts::default(), Counts::plus);
    let verdicts: Vec<String> = [Verdict::Verified, Verdict::Consistent, Verdict::Suspect]
        .iter()
        .map(|v| (v, docs.iter().filter(|d| dataset::feeds_records(d) && d.report.verification.verdict == Some(*v)).count()))
        .map(|(v, n)| format!("{n} {}", v.name()))
        .collect();
    let mut s = format!(
        "gongkai: {} files ({}; numbers {}) → {records} records, {facts} facts, {failed_checks} failed checks in {:.1}s; output in {} (open report.html first)",
        docs.len(),
        statuses.join(", "),
        verdicts.join(", "),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    for d in docs.iter().filter(|d| matches!(d.status, Status::Failed | Status::Unsupported | Status::Partial)) {
        s.push_str(&format!("\n  {} {}: {}", d.status.name(), d.source_path, d.error));
    }
    for d in docs.iter().filter(|d| d.status == Status::Ok && dataset::feeds_records(d) && d.report.verification.verdict == Some(Verdict::Suspect)) {
        s.push_str(&format!("\n  suspect {}: {}", d.source_path, d.report.verification.line()));
    }
    s
}
