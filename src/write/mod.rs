//! Writers: the dataset's tables to CSV, Parquet (flat and Hive-partitioned) and one Excel
//! workbook, plus the HTML report. Rows are streamed a chunk of documents at a time (the
//! records come back from the run's [`Store`]), so memory does not grow with the run. Every
//! file is first written under a temporary name in the destination folder and renamed over
//! the old one only when all are complete: an interrupted or failed run never leaves a
//! half-written dataset behind.

pub mod commit;
mod csv_out;
pub mod describe;
pub mod html_report;
mod parquet_out;
pub mod partition;
mod xlsx;

use crate::dataset::{self, feeds_records, OutTable};
use crate::inputs::Input;
use crate::pipeline::DocOutcome;
use crate::store::Store;
use csv_out::CsvSink;
use html_report::HtmlSink;
use parquet_out::ParquetSink;
use partition::PartitionSink;
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use xlsx::XlsxSink;

/// The one workbook `--format xlsx` writes (a sheet per table).
pub const XLSX_FILE: &str = "gongkai.xlsx";

/// Documents read back from the store and written per step: bounds the rows in memory (at
/// 64, a step's records, checks and bodies were 23 MiB of a 10,000-document run's peak).
const CHUNK_DOCS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Csv,
    Parquet,
    /// All tables as sheets of one workbook, [`XLSX_FILE`].
    Xlsx,
}

#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    pub formats: Vec<OutFormat>,
    pub csv_bom: bool,
    /// Hive partition keys for the Parquet of documents, records and facts (none: flat only).
    pub partition: Vec<String>,
}

/// Writes `bytes` to `path` atomically.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = tmp_path(path);
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `dir/.name.tmp-PID`: hidden, next to its destination (same file system, so the final
/// rename is atomic).
fn tmp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes documents, records, facts and checks in every requested format, and report.html,
/// into `dir`; `docs` in output order. Returns them staged, complete under temporary names, for
/// [`commit::commit`] to publish together with the run's other files.
pub fn write_dataset(dir: &Path, docs: &[DocOutcome], store: &Store, inputs: &[Input], opts: &WriteOptions) -> std::io::Result<commit::Staged> {
    let mut out = DatasetWriter::create(dir, docs, inputs, opts)?;
    match stream(&mut out, docs, store) {
        Ok(()) => out.commit(),
        Err(e) => {
            out.abandon();
            Err(e)
        }
    }
}

/// Appends `docs` to `out` a chunk at a time, each read back from the store while the one
/// before is written: the tables' encoding alone left a core idle at the end of every chunk.
fn stream(out: &mut DatasetWriter, docs: &[DocOutcome], store: &Store) -> std::io::Result<()> {
    // Only the documents that feed the dataset need their records back.
    let hydrate = |chunk: &[DocOutcome]| chunk.par_iter().map(|d| if feeds_records(d) { store.hydrate(d) } else { Ok(d.clone()) }).collect::<std::io::Result<Vec<_>>>();
    let mut chunks = docs.chunks(CHUNK_DOCS);
    let mut next = chunks.next().map(hydrate);
    let mut first = 0;
    while let Some(full) = next.take() {
        let full = full?;
        let (appended, following) = rayon::join(|| out.append(first, &full), || chunks.next().map(hydrate));
        // Freed side by side: a chunk's records are tens of thousands of allocations, and
        // freeing them on one thread was a serial step of the write stage.
        full.into_par_iter().for_each(drop);
        appended?;
        (first, next) = (first + CHUNK_DOCS, following);
    }
    Ok(())
}

/// An output file being written under its temporary name.
struct Pending<S> {
    tmp: PathBuf,
    path: PathBuf,
    sink: S,
}

impl<S> Pending<S> {
    fn create(path: PathBuf, make: impl FnOnce(BufWriter<File>) -> std::io::Result<S>) -> std::io::Result<Self> {
        let tmp = tmp_path(&path);
        let sink = File::create(&tmp).map(BufWriter::new).and_then(make).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
        Ok(Pending { tmp, path, sink })
    }

    /// Completes the file with the sink's `finish`, flushes it to disk and returns its
    /// (temporary, final) paths; a file that cannot be completed is removed.
    fn finish(self, finish: impl FnOnce(S) -> std::io::Result<BufWriter<File>>) -> std::io::Result<(PathBuf, PathBuf)> {
        let finished = finish(self.sink).and_then(|out| out.into_inner().map_err(|e| e.into_error())?.sync_all());
        if finished.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        finished.map(|()| (self.tmp, self.path))
    }
}

impl Pending<BufWriter<File>> {
    /// A small file written whole under its temporary name now, flushed to disk with the
    /// others at the commit and renamed with them.
    fn whole(path: PathBuf, bytes: &[u8]) -> std::io::Result<Self> {
        Pending::create(path, |mut f| f.write_all(bytes).map(|()| f))
    }
}

/// One output table in every requested form.
struct TableSinks {
    shape: OutTable,
    csv: Option<Pending<CsvSink<BufWriter<File>>>>,
    parquet: Option<Pending<ParquetSink<BufWriter<File>>>>,
    partitioned: Option<PartitionSink>,
}

impl TableSinks {
    /// Writes the table's rows of `docs` to its files, and returns them.
    fn append(&mut self, docs: &[DocOutcome]) -> std::io::Result<OutTable> {
        let rows = match self.shape.name {
            "documents" => dataset::documents(docs),
            "records" => dataset::records(docs),
            "facts" => dataset::facts(docs),
            _ => dataset::checks(docs),
        };
        // The records' CSV and Parquet take about as long as each other: encoded side by side.
        let (csv, parquet) = rayon::join(
            || self.csv.as_mut().map_or(Ok(()), |p| p.sink.append(&rows)),
            || self.parquet.as_mut().map_or(Ok(()), |p| p.sink.append(&rows)),
        );
        csv?;
        parquet?;
        if let Some(p) = &mut self.partitioned {
            p.append(&rows)?;
        }
        Ok(rows)
    }
}

struct DatasetWriter {
    tables: Vec<TableSinks>,
    /// Small files written whole at the start, renamed with the rest (datapackage.json, load.sql).
    whole: Vec<Pending<BufWriter<File>>>,
    xlsx: Option<(PathBuf, XlsxSink)>,
    html: Pending<HtmlSink>,
}

impl DatasetWriter {
    fn create(dir: &Path, docs: &[DocOutcome], inputs: &[Input], opts: &WriteOptions) -> std::io::Result<Self> {
        let html = Pending::create(dir.join(html_report::REPORT_FILE), |f| HtmlSink::new(f, dir, docs, inputs))?;
        let mut out = DatasetWriter { tables: Vec::new(), whole: Vec::new(), xlsx: None, html };
        // A file that cannot be made (a full disk) leaves none of those made before it behind.
        match out.open(dir, opts) {
            Ok(()) => Ok(out),
            Err(e) => {
                out.abandon();
                Err(e)
            }
        }
    }

    /// Makes the tables' files, the workbook and the small files written whole.
    fn open(&mut self, dir: &Path, opts: &WriteOptions) -> std::io::Result<()> {
        let shapes = [dataset::documents(&[]), dataset::records(&[]), dataset::facts(&[]), dataset::checks(&[])];
        for shape in shapes.iter().cloned() {
            let mut table = TableSinks { shape, csv: None, parquet: None, partitioned: None };
            let made = table.open(dir, opts);
            self.tables.push(table);
            made?;
        }
        if opts.formats.contains(&OutFormat::Xlsx) {
            self.xlsx = Some((dir.join(XLSX_FILE), XlsxSink::new(&shapes)?));
        }
        let (csv, parquet) = (opts.formats.contains(&OutFormat::Csv), opts.formats.contains(&OutFormat::Parquet));
        let mut described = Vec::new();
        if csv {
            described.push((describe::DATAPACKAGE_FILE, describe::datapackage(&shapes, opts.csv_bom)));
        }
        if csv || parquet {
            described.push((describe::LOAD_SQL_FILE, describe::load_sql(&shapes, parquet)));
        }
        for (name, bytes) in &described {
            self.whole.push(Pending::whole(dir.join(name), bytes)?);
        }
        Ok(())
    }

    /// Adds the rows of `docs`, the documents from position `first` of the run. The tables
    /// are encoded in parallel, each into its own files, and the report beside them; the
    /// workbook, which holds every table, takes their rows after, in table order.
    fn append(&mut self, first: usize, docs: &[DocOutcome]) -> std::io::Result<()> {
        let DatasetWriter { tables, xlsx, html, .. } = self;
        // A table's rows are freed where they were built unless the workbook takes them:
        // freeing every table's rows on one thread after the join was a serial step.
        let keep = xlsx.is_some();
        let (rows, report) = rayon::join(
            || tables.par_iter_mut().map(|t| t.append(docs).map(|rows| keep.then_some(rows))).collect::<std::io::Result<Vec<_>>>(),
            || docs.iter().enumerate().try_for_each(|(i, d)| html.sink.document(first + i, d)),
        );
        report?;
        let rows = rows?;
        if let Some((_, x)) = xlsx {
            rows.iter().flatten().try_for_each(|r| x.append(r))?;
        }
        Ok(())
    }

    /// Completes every file under its temporary name and stages it. The files are finished side
    /// by side: each Parquet file encodes and compresses its open row group here, which on one
    /// thread was the longest serial step of a small run's write stage.
    fn commit(self) -> std::io::Result<commit::Staged> {
        let DatasetWriter { tables, whole, xlsx, html } = self;
        // The small files written whole at the start (datapackage.json, load.sql) first.
        let ((whole, tables), report) = rayon::join(
            || rayon::join(|| whole.into_par_iter().map(|p| p.finish(Ok)).collect::<Vec<_>>(), || tables.into_par_iter().flat_map_iter(TableSinks::finish).collect::<Vec<_>>()),
            || html.finish(HtmlSink::finish),
        );
        let mut staged = commit::Staged::default();
        let mut failed = None;
        for finished in whole.into_iter().chain(tables).chain([report]) {
            match finished {
                Ok((tmp, path)) => staged.add(tmp, path),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        // The workbook last: a sheet's row limit can refuse a huge dataset.
        let finished = match (failed, xlsx) {
            (Some(e), _) => Err(e),
            (None, Some((path, x))) => x.finish().and_then(|bytes| staged.write(&path, &bytes)),
            (None, None) => Ok(()),
        };
        if let Err(e) = finished {
            staged.abandon();
            return Err(e);
        }
        Ok(staged)
    }

    fn abandon(self) {
        self.tables.into_iter().for_each(TableSinks::abandon);
        let _ = std::fs::remove_file(self.html.tmp);
        self.whole.into_iter().for_each(|p| drop(std::fs::remove_file(p.tmp)));
    }
}

impl TableSinks {
    /// Makes the table's files in every requested form; those made stay in `self` when one fails.
    fn open(&mut self, dir: &Path, opts: &WriteOptions) -> std::io::Result<()> {
        let TableSinks { shape, csv, parquet, partitioned } = self;
        let path = |ext: &str| dir.join(format!("{}.{ext}", shape.name));
        if opts.formats.contains(&OutFormat::Csv) {
            *csv = Some(Pending::create(path("csv"), |f| CsvSink::new(f, shape, opts.csv_bom))?);
        }
        if opts.formats.contains(&OutFormat::Parquet) {
            *parquet = Some(Pending::create(path("parquet"), |f| ParquetSink::new(f, shape))?);
        }
        // checks has no region columns: it stays flat.
        if !opts.partition.is_empty() && shape.name != "checks" {
            *partitioned = Some(PartitionSink::new(dir, shape, &opts.partition)?);
        }
        Ok(())
    }

    /// Completes the table's files; (temporary, final) paths in the order CSV, Parquet, partitioned.
    fn finish(self) -> Vec<std::io::Result<(PathBuf, PathBuf)>> {
        let TableSinks { csv, parquet, partitioned, .. } = self;
        let (csv, parquet) = rayon::join(|| csv.map(|p| p.finish(CsvSink::finish)), || parquet.map(|p| p.finish(ParquetSink::finish)));
        csv.into_iter().chain(parquet).chain(partitioned.map(PartitionSink::finish)).collect()
    }

    fn abandon(self) {
        self.csv.into_iter().for_each(|p| drop(std::fs::remove_file(p.tmp)));
        self.parquet.into_iter().for_each(|p| drop(std::fs::remove_file(p.tmp)));
        self.partitioned.into_iter().for_each(PartitionSink::abandon);
    }
}
