//! One module per subcommand, and [`main`]: the command line parsed and dispatched (the
//! binary and the Python package's `gongkai` command both call it).
pub mod dump;
pub mod extract;
pub mod gen;

use clap::{Parser, Subcommand};
use std::ffi::OsString;

/// gongkai (公开): turns scraped Chinese government budget disclosures — 部门决算 and 部门预算
/// reports as PDF, DOCX, XLSX, HTML or text — into one clean dataset (CSV and Parquet),
/// deduplicated and tagged by region and year.
#[derive(Debug, Parser)]
#[command(name = "gongkai", version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("GONGKAI_COMMIT"), ")"), about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract every report under the inputs into one dataset.
    Extract(extract::ExtractArgs),
    /// Show what the readers see in one file (document model, recognised records).
    Dump(dump::DumpArgs),
    /// Write a synthetic corpus made from the bundled seeds (for scale tests and benchmarks).
    Gen(gen::GenArgs),
    /// A reader process of `extract` (documents in on stdin, outcomes out on stdout).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Debug, clap::Args)]
struct WorkerArgs {
    /// Address-space limit of this process in MiB (0: none).
    #[arg(long, default_value_t = 0)]
    max_memory_mb: u64,
}

/// Runs the command line `args` (program name first); returns the exit status: 0 done,
/// 3 or 4 as `--fail-on` asks, 2 could not run, 130 interrupted. `--help`, `--version` and
/// usage errors print and exit the process, as clap does.
pub fn main(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    crate::extract::quiet_panics();
    let cli = Cli::parse_from(args);
    let result = match &cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Dump(args) => dump::run(args).map(|()| 0),
        Command::Gen(args) => gen::run(args).map(|()| 0),
        Command::Worker(args) => crate::worker::serve(args.max_memory_mb).map(|()| 0),
    };
    match result {
        Ok(code) => code,
        Err(reason) => {
            eprintln!("gongkai: {reason}");
            if crate::pipeline::interrupted() {
                130
            } else {
                2
            }
        }
    }
}
