//! The `gongkai` command line: wires the library's stages together, nothing more.

use clap::{Parser, Subcommand};

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
    Extract(gongkai::cmd::extract::ExtractArgs),
    /// Show what the readers see in one file (document model, recognised records).
    Dump(gongkai::cmd::dump::DumpArgs),
    /// Write a synthetic corpus made from the bundled seeds (for scale tests and benchmarks).
    Gen(gongkai::cmd::gen::GenArgs),
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

fn main() {
    gongkai::extract::quiet_panics();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Extract(args) => gongkai::cmd::extract::run(args),
        Command::Dump(args) => gongkai::cmd::dump::run(args).map(|()| 0),
        Command::Gen(args) => gongkai::cmd::gen::run(args).map(|()| 0),
        Command::Worker(args) => gongkai::worker::serve(args.max_memory_mb).map(|()| 0),
    };
    match result {
        Ok(0) => {}
        Ok(code) => std::process::exit(code),
        Err(reason) => {
            eprintln!("gongkai: {reason}");
            std::process::exit(if gongkai::pipeline::interrupted() { 130 } else { 2 });
        }
    }
}
