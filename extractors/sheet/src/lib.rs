//! Workbook reader for gongkai: XLSX, XLS (BIFF8, including WPS-written files) and ODS through
//! calamine, one [`gongkai_model::Table`] per sheet.
//!
//! Budget workbooks put one disclosure table on each sheet with its caption rows
//! (`收入支出决算总表`, `公开01表`, `单位：万元`) above the grid; those become paragraphs before
//! the table so the recogniser locates tables as it does in a PDF. Numbers are rendered as the
//! sheet displays them (see [`number`]), never through float arithmetic.

mod layout;
pub mod number;
mod read;

use gongkai_model::{Block, Document, ExtractError, Extractor, Format, Options};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Reads one workbook format: `SheetExtractor::new(Format::Xlsx)`, `Format::Xls` or
/// `Format::Ods`.
#[derive(Debug, Clone, Copy)]
pub struct SheetExtractor {
    format: Format,
}

impl SheetExtractor {
    pub fn new(format: Format) -> Self {
        SheetExtractor { format }
    }
}

impl Extractor for SheetExtractor {
    fn format(&self) -> Format {
        self.format
    }

    fn extract(&self, bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
        refuse_non_workbook(self.format, bytes)?;
        check_inflation(self.format, bytes, opts)?;
        // calamine is not hardened against every hostile file; its panics become this file's
        // failure instead of the run's.
        let workbook = catch_unwind(AssertUnwindSafe(|| read::read(self.format, bytes, opts)))
            .map_err(|_| ExtractError::failed(format!("damaged workbook: the {} reader could not parse it", self.format)))??;
        let mut doc = Document { pages: Some(workbook.total), ..Default::default() };
        doc.warnings = workbook.warnings;
        for sheet in &workbook.sheets {
            let blocks: Vec<Block> = layout::sheet_blocks(sheet, sheet.number, &mut doc.warnings);
            doc.blocks.extend(blocks);
        }
        if workbook.skipped > 0 {
            doc.partial = Some(format!("only the first {} sheets read ({} more over the limit)", opts.max_pages, workbook.skipped));
        }
        Ok(doc)
    }
}

fn refuse_non_workbook(format: Format, bytes: &[u8]) -> Result<(), ExtractError> {
    match gongkai_model::detect(bytes) {
        Format::EncryptedOffice => Err(ExtractError::failed("encrypted Office file: remove the password and re-run")),
        Format::Empty => Err(ExtractError::failed("empty file")),
        found if found == format => Ok(()),
        // Truncated ZIPs may lose the member names detection relies on.
        Format::Zip if matches!(format, Format::Xlsx | Format::Ods) => Ok(()),
        found => Err(ExtractError::failed(format!("not an {format} workbook (the bytes look like {found})"))),
    }
}

/// XLSX and ODS are ZIPs: refuse before calamine inflates members past the caller's limit.
/// Declared sizes are what a bomb would have to lie about; the zip reader stops at them.
fn check_inflation(format: Format, bytes: &[u8], opts: &Options) -> Result<(), ExtractError> {
    if !matches!(format, Format::Xlsx | Format::Ods) {
        return Ok(());
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ExtractError::failed(format!("damaged workbook: not a readable ZIP archive (truncated or corrupt): {e}")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map(|f| f.size()).unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > opts.max_inflated_bytes {
        return Err(ExtractError::failed(format!(
            "workbook inflates to more than {} bytes: refused (zip bomb?)",
            opts.max_inflated_bytes
        )));
    }
    Ok(())
}
