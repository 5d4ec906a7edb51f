//! `gongkai._gongkai`: the Rust side of the Python package. Every stage is
//! [`gongkai_core`]'s; this module only converts settings in and Arrow batches out (through
//! the C data interface, without copying). `python/gongkai/__init__.py` is the documented
//! API on top of it.

use arrow_pyarrow::ToPyArrow;
use gongkai_core::dataset::{self, OutTable};
use gongkai_core::dedup::Prefer;
use gongkai_core::outcome::DocOutcome;
use gongkai::write::partition;
use gongkai_core::run::{self, RunSettings};
use gongkai_model::OcrMode;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// The CLI's settings, by the CLI's flag names (`--max-file-mb` → `max_file_mb`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct PySettings {
    tolerance: String,
    max_file_mb: u64,
    zip_max_mb: u64,
    zip_max_ratio: u64,
    timeout_secs: u64,
    ocr: String,
    convert_legacy: bool,
    prefer: String,
}

impl PySettings {
    fn run_settings(&self) -> PyResult<RunSettings> {
        let mut run = RunSettings::default();
        let s = &mut run.settings;
        s.tolerance = self.tolerance.parse().map_err(|e| PyValueError::new_err(format!("tolerance {:?} is not a decimal number: {e}", self.tolerance)))?;
        s.max_file_bytes = self.max_file_mb << 20;
        s.archive.max_total_bytes = self.zip_max_mb << 20;
        s.archive.max_ratio = self.zip_max_ratio;
        s.extract.convert_legacy = self.convert_legacy;
        s.extract.ocr = match self.ocr.as_str() {
            "auto" => OcrMode::Auto,
            "off" => OcrMode::Off,
            "force" => OcrMode::Force,
            other => return Err(PyValueError::new_err(format!("ocr must be 'auto', 'off' or 'force', not {other:?}"))),
        };
        run.prefer = match self.prefer.as_str() {
            "most-records" => Prefer::MostRecords,
            "newest" => Prefer::Newest,
            other => return Err(PyValueError::new_err(format!("prefer must be 'most-records' or 'newest', not {other:?}"))),
        };
        run.timeout = (self.timeout_secs > 0).then(|| Duration::from_secs(self.timeout_secs));
        Ok(run)
    }
}

/// The four tables, in the order documents, records, facts, checks.
fn tables(docs: &[DocOutcome]) -> [OutTable; 4] {
    [dataset::documents(docs), dataset::records(docs), dataset::facts(docs), dataset::checks(docs)]
}

fn to_pyarrow<'py>(py: Python<'py>, docs: &[DocOutcome]) -> PyResult<Vec<Bound<'py, PyAny>>> {
    tables(docs).iter().map(|t| gongkai_core::columnar::record_batch(t).map_err(PyValueError::new_err).and_then(|b| b.to_pyarrow(py))).collect()
}

/// Files and folders → (documents, records, facts, checks) as pyarrow.RecordBatch.
#[pyfunction]
fn extract_paths<'py>(py: Python<'py>, paths: Vec<PathBuf>, settings: PySettings) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let run = settings.run_settings()?;
    let docs = py.detach(|| run::extract_paths(&paths, &run)).map_err(PyOSError::new_err)?;
    to_pyarrow(py, &docs)
}

/// Files in memory, (name, bytes) pairs → the four tables.
#[pyfunction]
fn extract_bytes<'py>(py: Python<'py>, files: Vec<(String, Vec<u8>)>, settings: PySettings) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let run = settings.run_settings()?;
    let files = files.into_iter().map(|(name, bytes)| (name, bytes, None)).collect();
    let docs = py.detach(|| run::extract_bytes(files, &run));
    to_pyarrow(py, &docs)
}

/// The per-file stage of a distributed run: one file's outcomes (several for an archive),
/// each as (group key for [`finish_outcomes`], MessagePack bytes). MessagePack, as the CLI's
/// spill store: several times quicker than JSON both ways; and like the store's, its structs
/// as arrays, not maps repeating every field's name (2,000 generated files: 172 MB named).
#[pyfunction]
#[pyo3(signature = (name, data, mtime_secs, settings))]
fn read_outcomes<'py>(py: Python<'py>, name: String, data: &[u8], mtime_secs: Option<f64>, settings: PySettings) -> PyResult<Vec<(String, Bound<'py, PyBytes>)>> {
    let run = settings.run_settings()?;
    let mtime = mtime_secs.filter(|s| *s >= 0.0).map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs_f64(s));
    let docs = py.detach(|| run::read_named(&name, data, mtime, &run));
    docs.iter().map(|d| Ok((group_key(d), PyBytes::new(py, &rmp_serde::to_vec(d).map_err(|e| PyValueError::new_err(e.to_string()))?)))).collect()
}

/// The documents the cross-document stages may relate: the same department, year and report
/// type (split parts pair and copies dedup only within it); identical bytes (same doc_id)
/// whatever was read from them; anything else alone.
fn group_key(d: &DocOutcome) -> String {
    let m = &d.report.meta;
    match m.year {
        Some(year) if !m.department.is_empty() => format!("report|{}|{year}|{}", m.department, m.report_type),
        _ if !d.doc_id.is_empty() => format!("bytes|{}", d.doc_id),
        _ => format!("path|{}", d.source_path),
    }
}

/// The cross-document stage of a distributed run over one partition's outcomes, as
/// (group key, MessagePack) pairs in run order (by input, then member): each group's parts
/// linked and copies deduplicated on its own, then the four tables of them all. One call per
/// partition, not per group: a call and its four tables cost the same for 1 or 1,000 groups.
#[pyfunction]
fn finish_outcomes<'py>(py: Python<'py>, outcomes: Vec<(String, Vec<u8>)>, settings: PySettings) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let run = settings.run_settings()?;
    let docs = finished(py, outcomes, &run)?;
    to_pyarrow(py, &docs)
}

/// [`finish_outcomes`] ending in files: each table as the Parquet files the CLI's
/// `--partition` writes (documents, records and facts under `partition`'s folders, checks
/// flat), as (table, folder, rows, Parquet bytes), for the executor to store. The rows never
/// pass through the JVM, and the files are the CLI's own.
#[pyfunction]
fn finish_to_parquet<'py>(py: Python<'py>, outcomes: Vec<(String, Vec<u8>)>, settings: PySettings, partition: Vec<String>) -> PyResult<Vec<(&'static str, String, usize, Bound<'py, PyBytes>)>> {
    let run = settings.run_settings()?;
    let docs = finished(py, outcomes, &run)?;
    let files = py.detach(|| {
        let each = |t: &OutTable| partition::part_files(t, if t.name == "checks" { &[] } else { &partition }).map(|files| (t.name, files));
        tables(&docs).iter().map(each).collect::<std::io::Result<Vec<_>>>()
    });
    let files = files.map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(files.into_iter().flat_map(|(name, files)| files.into_iter().map(move |f| (name, f))).map(|(name, f)| (name, f.folder, f.rows, PyBytes::new(py, &f.parquet))).collect())
}

/// Outcomes as (group key, MessagePack) through the cross-document stages, group by group.
/// Decoded without the GIL too: a local run's driver finishes its tasks in threads, one a core.
fn finished(py: Python<'_>, outcomes: Vec<(String, Vec<u8>)>, run: &RunSettings) -> PyResult<Vec<DocOutcome>> {
    let docs = py.detach(|| {
        let mut groups: BTreeMap<String, Vec<DocOutcome>> = BTreeMap::new();
        for (group, bytes) in outcomes {
            let doc = rmp_serde::from_slice(&bytes).map_err(|e| format!("not a gongkai outcome: {e}"))?;
            groups.entry(group).or_default().push(doc);
        }
        Ok::<_, String>(groups.into_values().flat_map(|g| run::finish(g, run)).collect())
    });
    docs.map_err(PyValueError::new_err)
}

/// The four tables' Arrow schemas (documents, records, facts, checks).
#[pyfunction]
fn schemas(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyAny>>> {
    tables(&[]).iter().map(|t| gongkai_core::columnar::schema(t).to_pyarrow(py)).collect()
}

/// The `gongkai` command line (argv with the program name first); returns the exit status.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| gongkai::cmd::main(argv))
}

#[pymodule]
fn _gongkai(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract_paths, m)?)?;
    m.add_function(wrap_pyfunction!(extract_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(read_outcomes, m)?)?;
    m.add_function(wrap_pyfunction!(finish_outcomes, m)?)?;
    m.add_function(wrap_pyfunction!(finish_to_parquet, m)?)?;
    m.add_function(wrap_pyfunction!(schemas, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    Ok(())
}
