//! gongkai: scraped Chinese government budget disclosures (部门决算 / 部门预算) in, one clean
//! dataset out.
//!
//! Data flows one way: bytes → format extractor ([`extract`], one crate per format under
//! `extractors/`, one document model) → [`recognise`] (metadata, table ids, canonical rows
//! and columns) → records → [`checks`] and [`facts`] → [`verify`] (a verdict per document) → [`store`] (spilled to disk) → [`dedup`] → [`dataset`] → [`write`].
//! [`pipeline`] runs one file through the stages; [`cmd`] holds one module per subcommand.

pub mod checks;
pub mod classify;
pub mod cmd;
pub mod dataset;
pub mod dedup;
pub mod extract;
pub mod facts;
pub mod inputs;
pub mod manifest;
pub mod parts;
pub mod pipeline;
pub mod recognise;
pub mod regions;
pub mod report;
pub mod store;
pub mod verify;
pub mod write;
