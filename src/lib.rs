//! gongkai: scraped Chinese government budget disclosures (部门决算 / 部门预算) in, one clean
//! dataset out.
//!
//! Data flows one way: bytes → format extractor (`extractors/*`, one document model) →
//! [`recognise`] (metadata, table ids, canonical rows and columns) → records → [`checks`] →
//! dedup/tag → writers. `main` only wires these together.

pub mod report;
pub mod classify;
pub mod regions;
pub mod checks;
pub mod facts;
