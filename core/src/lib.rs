//! gongkai-core: the domain of [gongkai](https://github.com) — a Chinese government budget
//! disclosure (部门决算 / 部门预算 公开) in, its numbers out, each either verified or flagged.
//!
//! Data flows one way: bytes → format extractor ([`extract`], one crate per format under
//! `extractors/`, one document model) → [`recognise`] (metadata, table ids, canonical rows and
//! columns, driven by the [`recognise::catalogue`]) → records → [`checks`] and [`facts`] →
//! [`verify`] (a verdict per document). [`outcome::read_bytes`] runs one file through all of it;
//! across documents, [`parts`] links split publications and [`dedup`] picks one report per key;
//! [`dataset`] lays the outcomes out as the dataset's four tables, and [`columnar`] as Arrow.
//! [`run`] does all of it for files or bytes in memory (what the Python package calls).
//!
//! The CLI (`gongkai`), its writers and the Python package are clients of this crate; none of
//! them re-implements a stage.
//!
//! ```
//! use gongkai_core::outcome::{read_bytes, Settings, Status};
//! use gongkai_core::verify::Verdict;
//!
//! let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/seeds/003_66bd46d71a5bdd15.txt")).unwrap();
//! let outcomes = read_bytes("003.txt", &text, None, &Settings::default());
//! let doc = &outcomes[0];
//! assert_eq!(doc.status, Status::Ok);
//! assert_eq!(doc.report.meta.report_type, "决算");
//! assert!(doc.report.records.len() > 100);
//! assert_eq!(doc.report.verification.verdict, Some(Verdict::Verified));
//!
//! // The dataset's tables, as the CLI writes them (after dedup over all documents).
//! let records = gongkai_core::dataset::records(&outcomes);
//! assert_eq!(records.rows.len(), doc.report.records.len());
//! ```
//!
//! A damaged file is an outcome too, never a panic or an `Err`:
//!
//! ```
//! use gongkai_core::outcome::{read_bytes, Settings, Status};
//!
//! let outcomes = read_bytes("broken.pdf", b"%PDF-1.7 nothing else", None, &Settings::default());
//! assert_eq!(outcomes[0].status, Status::Failed);
//! assert!(!outcomes[0].error.is_empty());
//! ```

pub mod checks;
pub mod classify;
pub mod columnar;
pub mod dataset;
pub mod dedup;
pub mod extract;
pub mod facts;
pub mod inputs;
pub mod outcome;
pub mod parts;
pub mod recognise;
pub mod regions;
pub mod report;
pub mod run;
pub mod verify;
