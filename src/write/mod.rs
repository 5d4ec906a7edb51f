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
    /// More files of the run (run.json), committed with the dataset: (file name, bytes).
    pub extra_files: Vec<(String, Vec<u8>)>,
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
    let streamed = docs.chunks(CHUNK_DOCS).enumerate().try_for_each(|(n, chunk)| {
        // Only the documents that feed the dataset need their records back.
        let full = chunk.par_iter().map(|d| if feeds_records(d) { store.hydrate(d) } else { Ok(d.clone()) }).collect::<std::io::Result<Vec<_>>>()?;
        out.append(n * CHUNK_DOCS, &full)
    });
    match streamed {
        Ok(()) => out.commit(),
        Err(e) => {
            out.abandon();
            Err(e)
        }
    }
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
}

impl Pending<()> {
    /// A small file written whole under its temporary name now, renamed at the commit.
    fn whole(path: PathBuf, bytes: &[u8]) -> std::io::Result<Self> {
        Pending::create(path, |mut f| {
            f.write_all(bytes)?;
            f.into_inner().map_err(|e| e.into_error())?.sync_all()
        })
    }
}

/// Flushes a finished temporary file to disk and returns its (temporary, final) paths.
fn synced(out: BufWriter<File>, tmp: PathBuf, path: PathBuf) -> std::io::Result<(PathBuf, PathBuf)> {
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok((tmp, path))
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
    /// Small files written whole at the start, renamed with the rest (describe, run.json).
    whole: Vec<Pending<()>>,
    xlsx: Option<(PathBuf, XlsxSink)>,
    html: Pending<HtmlSink>,
}

impl DatasetWriter {
    fn create(dir: &Path, docs: &[DocOutcome], inputs: &[Input], opts: &WriteOptions) -> std::io::Result<Self> {
        let shapes = [dataset::documents(&[]), dataset::records(&[]), dataset::facts(&[]), dataset::checks(&[])];
        let mut tables = Vec::new();
        for shape in shapes.iter().cloned() {
            let path = |ext: &str| dir.join(format!("{}.{ext}", shape.name));
            let csv = match opts.formats.contains(&OutFormat::Csv) {
                true => Some(Pending::create(path("csv"), |f| CsvSink::new(f, &shape, opts.csv_bom))?),
                false => None,
            };
            let parquet = match opts.formats.contains(&OutFormat::Parquet) {
                true => Some(Pending::create(path("parquet"), |f| ParquetSink::new(f, &shape))?),
                false => None,
            };
            // checks has no region columns: it stays flat.
            let partitioned = match !opts.partition.is_empty() && shape.name != "checks" {
                true => Some(PartitionSink::new(dir, &shape, &opts.partition)?),
                false => None,
            };
            tables.push(TableSinks { shape, csv, parquet, partitioned });
        }
        let xlsx = match opts.formats.contains(&OutFormat::Xlsx) {
            true => Some((dir.join(XLSX_FILE), XlsxSink::new(&shapes)?)),
            false => None,
        };
        let html = Pending::create(dir.join(html_report::REPORT_FILE), |f| HtmlSink::new(f, dir, docs, inputs))?;
        let (csv, parquet) = (opts.formats.contains(&OutFormat::Csv), opts.formats.contains(&OutFormat::Parquet));
        let mut described = Vec::new();
        if csv {
            described.push((describe::DATAPACKAGE_FILE.into(), describe::datapackage(&shapes, opts.csv_bom)));
        }
        if csv || parquet {
            described.push((describe::LOAD_SQL_FILE.into(), describe::load_sql(&shapes, parquet)));
        }
        // The run's files are written from where they are (run.json is megabytes at 10,000 documents).
        let files = opts.extra_files.iter().chain(&described);
        let whole = files.map(|(name, bytes)| Pending::whole(dir.join(name), bytes)).collect::<std::io::Result<_>>()?;
        Ok(DatasetWriter { tables, whole, xlsx, html })
    }

    /// Adds the rows of `docs`, the documents from position `first` of the run. The tables
    /// are encoded in parallel, each into its own files, and the report beside them; the
    /// workbook, which holds every table, takes their rows after, in table order.
    fn append(&mut self, first: usize, docs: &[DocOutcome]) -> std::io::Result<()> {
        let DatasetWriter { tables, xlsx, html, .. } = self;
        let (rows, report) = rayon::join(
            || tables.par_iter_mut().map(|t| t.append(docs)).collect::<std::io::Result<Vec<_>>>(),
            || docs.iter().enumerate().try_for_each(|(i, d)| html.sink.document(first + i, d)),
        );
        report?;
        if let Some((_, x)) = xlsx {
            rows?.iter().try_for_each(|r| x.append(r))?;
        } else {
            rows?;
        }
        Ok(())
    }

    /// Completes every file under its temporary name and stages it.
    fn commit(self) -> std::io::Result<commit::Staged> {
        let mut staged = commit::Staged::default();
        // The small files written whole at the start (datapackage.json, load.sql, run.json).
        self.whole.into_iter().for_each(|p| staged.add(p.tmp, p.path));
        let mut tables = self.tables.into_iter();
        let finished = tables.try_for_each(|t| {
            if let Some(p) = t.csv {
                let (tmp, path) = synced(p.sink.finish()?, p.tmp, p.path)?;
                staged.add(tmp, path);
            }
            if let Some(p) = t.parquet {
                let (tmp, path) = synced(p.sink.finish()?, p.tmp, p.path)?;
                staged.add(tmp, path);
            }
            if let Some(p) = t.partitioned {
                let (tmp, path) = p.finish()?;
                staged.add(tmp, path);
            }
            Ok::<_, std::io::Error>(())
        });
        let p = self.html;
        let finished = finished.and_then(|()| synced(p.sink.finish()?, p.tmp.clone(), p.path)).map(|(tmp, path)| staged.add(tmp, path));
        // The workbook last: a sheet's row limit can refuse a huge dataset.
        let finished = finished.and_then(|()| match self.xlsx {
            Some((path, x)) => staged.write(&path, &x.finish()?),
            None => Ok(()),
        });
        if let Err(e) = finished {
            let _ = std::fs::remove_file(&p.tmp);
            tables.for_each(TableSinks::abandon);
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
    fn abandon(self) {
        self.csv.into_iter().for_each(|p| drop(std::fs::remove_file(p.tmp)));
        self.parquet.into_iter().for_each(|p| drop(std::fs::remove_file(p.tmp)));
        self.partitioned.into_iter().for_each(PartitionSink::abandon);
    }
}
