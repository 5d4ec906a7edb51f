//! Writers: output tables to CSV, Parquet and one Excel workbook, plus the HTML report; each
//! file written atomically (a temporary file in the destination folder, renamed over the old
//! one), so an interrupted run never leaves a half-written dataset behind.

mod csv_out;
pub mod html_report;
mod parquet_out;
pub mod partition;
mod xlsx;

use crate::dataset::OutTable;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use csv_out::write_csv;
pub use parquet_out::write_parquet;
pub use xlsx::write_xlsx;

/// The one workbook `--format xlsx` writes (a sheet per table).
pub const XLSX_FILE: &str = "gongkai.xlsx";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Csv,
    Parquet,
    /// All tables as sheets of one workbook, [`XLSX_FILE`].
    Xlsx,
}

/// Writes `bytes` to `path` atomically.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes every table in every requested format into `dir`; returns the files written.
pub fn write_all(dir: &Path, tables: &[OutTable], formats: &[OutFormat], csv_bom: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for table in tables {
        for format in formats {
            let (ext, bytes) = match format {
                OutFormat::Csv => ("csv", write_csv(table, csv_bom)?),
                OutFormat::Parquet => ("parquet", write_parquet(table)?),
                OutFormat::Xlsx => continue,
            };
            let path = dir.join(format!("{}.{ext}", table.name));
            atomic_write(&path, &bytes)?;
            written.push(path);
        }
    }
    // Last: the row limit of a sheet can refuse a huge dataset, and CSV/Parquet are then
    // already in place.
    if formats.contains(&OutFormat::Xlsx) {
        let path = dir.join(XLSX_FILE);
        atomic_write(&path, &write_xlsx(tables)?)?;
        written.push(path);
    }
    Ok(written)
}
