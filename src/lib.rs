//! gongkai: scraped Chinese government budget disclosures (部门决算 / 部门预算) in, one clean
//! dataset out — the command-line client of [`gongkai_core`].
//!
//! The domain (extract → recognise → checks and facts → verdict, dedup, the dataset's tables)
//! is [`gongkai_core`], re-exported here under the same module names. This crate adds what a
//! run on one machine needs: [`pipeline`] (each file under a deadline), [`worker`] (reader
//! processes that a crash cannot take the run down with), [`store`] (bodies spilled to disk),
//! [`manifest`] (incremental runs), [`write`] (CSV, Parquet, Excel, report.html) and [`cmd`],
//! one module per subcommand.

pub use gongkai_core::{checks, classify, columnar, dataset, dedup, extract, facts, inputs, outcome, parts, recognise, regions, report, run, verify};

pub mod cmd;
pub mod manifest;
pub mod pipeline;
pub mod store;
pub mod worker;
pub mod write;
