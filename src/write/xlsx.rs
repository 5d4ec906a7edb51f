//! The dataset as one Excel workbook (`gongkai.xlsx`): a sheet per output table, for readers
//! who live in Excel. Header frozen and filterable, amounts as real numbers shown in 万元.
//!
//! Exactness: an XLSX cell holds an IEEE double, so an amount is converted from its exact
//! decimal text to the nearest f64 at the very last step (never through arithmetic). Every
//! amount the reports print (at most 15 significant digits) survives that round trip; the CSV
//! and Parquet outputs stay the exact reference.

use crate::dataset::{Kind, OutTable, Value};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Excel's limits: rows per sheet (with the header) and characters per cell.
const MAX_ROWS: usize = 1_048_576;
const MAX_CELL_CHARS: usize = 32_767;
/// Column widths are judged on the first rows only: enough to see the shape, bounded work.
const WIDTH_SAMPLE_ROWS: usize = 2_000;

/// 万元 amounts: thousands separators, at least two decimals and up to the six the data
/// carries, unit in the cell's display only (the value stays a number).
const WANYUAN_FORMAT: &str = "#,##0.00####\"万元\"";

/// The workbook, built in memory as rows arrive (a sheet holds at most ~1M rows anyway; for
/// bigger runs CSV and Parquet are the outputs), one sheet per table in the order added.
pub struct XlsxSink {
    workbook: Workbook,
    sheets: Vec<SheetState>,
}

struct SheetState {
    name: &'static str,
    columns: Vec<(&'static str, Kind)>,
    rows: usize,
    /// Widest value per column over the first rows (display units).
    widest: Vec<usize>,
}

impl XlsxSink {
    /// A workbook with one sheet per table shape, header row written.
    pub fn new(shapes: &[OutTable]) -> std::io::Result<Self> {
        let mut workbook = Workbook::new();
        let header = Format::new().set_bold();
        let mut sheets = Vec::new();
        for t in shapes {
            let sheet = workbook.add_worksheet();
            let started = sheet.set_name(t.name).and_then(|s| {
                for (c, (name, _)) in t.columns.iter().enumerate() {
                    s.write_string_with_format(0, col(c), *name, &header)?;
                }
                Ok(())
            });
            started.map_err(|e| xlsx_error(t.name, e))?;
            sheets.push(SheetState { name: t.name, columns: t.columns.clone(), rows: 0, widest: vec![0; t.columns.len()] });
        }
        Ok(XlsxSink { workbook, sheets })
    }

    /// Adds `table`'s rows to the sheet of the same name.
    pub fn append(&mut self, table: &OutTable) -> std::io::Result<()> {
        let Some(i) = self.sheets.iter().position(|s| s.name == table.name) else { return Ok(()) };
        let state = &mut self.sheets[i];
        if state.rows + table.rows.len() >= MAX_ROWS {
            return Err(std::io::Error::other(format!(
                "table {} has more rows than an Excel sheet holds ({}); use the CSV or Parquet output",
                table.name,
                MAX_ROWS - 1
            )));
        }
        let sheet = self.workbook.worksheet_from_index(i).map_err(|e| xlsx_error(table.name, e))?;
        add_rows(sheet, state, table).map_err(|e| xlsx_error(table.name, e))
    }

    pub fn finish(mut self) -> std::io::Result<Vec<u8>> {
        for (i, state) in self.sheets.iter().enumerate() {
            let sheet = self.workbook.worksheet_from_index(i).map_err(|e| xlsx_error(state.name, e))?;
            finish_sheet(sheet, state).map_err(|e| xlsx_error(state.name, e))?;
        }
        let xlsx = self.workbook.save_to_buffer().map_err(|e| xlsx_error("workbook", e))?;
        escape_every_x_escape(xlsx)
    }
}

/// OOXML escapes a character a cell cannot hold as `_xHHHH_`, and a literal `_x` as `_x005F_x`.
/// rust_xlsxwriter writes the second escape only where the text looks like the first, which is
/// all Excel decodes; LibreOffice decodes shorter forms too (`d_xa_1.pdf` would lose a line
/// feed's worth of its name). So every other `_x` in the shared strings is escaped as well, and
/// both read the text as printed. A workbook without such text is returned as it is.
fn escape_every_x_escape(xlsx: Vec<u8>) -> std::io::Result<Vec<u8>> {
    match escaped_strings(&xlsx)? {
        Some(strings) => with_strings(&xlsx, &strings),
        None => Ok(xlsx),
    }
}

const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

/// The shared strings with every lone `_x` escaped, if they hold one.
fn escaped_strings(xlsx: &[u8]) -> std::io::Result<Option<String>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).map_err(std::io::Error::other)?;
    let mut xml = String::new();
    match zip.by_name(SHARED_STRINGS) {
        Ok(mut strings) => strings.read_to_string(&mut xml)?,
        Err(_) => return Ok(None),
    };
    Ok(match escape_lone_x(&xml) {
        std::borrow::Cow::Owned(escaped) => Some(escaped),
        std::borrow::Cow::Borrowed(_) => None,
    })
}

/// The workbook with its shared strings replaced, every other part copied as it is.
fn with_strings(xlsx: &[u8], strings: &str) -> std::io::Result<Vec<u8>> {
    use std::io::{Cursor, Write};
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).map_err(std::io::Error::other)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(xlsx.len())));
    for i in 0..zip.len() {
        if matches!(zip.name_for_index(i), Some(Ok(name)) if name == SHARED_STRINGS) {
            out.start_file(SHARED_STRINGS, zip::write::SimpleFileOptions::default()).map_err(std::io::Error::other)?;
            out.write_all(strings.as_bytes())?;
        } else {
            out.raw_copy_file(zip.by_index_raw(i).map_err(std::io::Error::other)?).map_err(std::io::Error::other)?;
        }
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

/// `_x` not already starting an `_xHHHH_` escape becomes `_x005F_x`.
fn escape_lone_x(xml: &str) -> std::borrow::Cow<'_, str> {
    if !xml.contains("_x") {
        return xml.into();
    }
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(at) = rest.find("_x") {
        let after = &rest.as_bytes()[at + 2..];
        let escape = after.len() >= 5 && after[..4].iter().all(u8::is_ascii_hexdigit) && after[4] == b'_';
        out.push_str(&rest[..at]);
        out.push_str(if escape { "_x" } else { "_x005F_x" });
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out.into()
}

fn xlsx_error(what: &str, e: XlsxError) -> std::io::Error {
    std::io::Error::other(format!("cannot build the Excel sheet {what}: {e}"))
}

fn add_rows(sheet: &mut Worksheet, state: &mut SheetState, table: &OutTable) -> Result<(), XlsxError> {
    let wanyuan = Format::new().set_num_format(WANYUAN_FORMAT);
    // Counts and other non-money decimals (facts.value: its unit is in the next column).
    let plain = Format::new();
    for row in &table.rows {
        state.rows += 1;
        let r = state.rows as u32;
        for (c, value) in row.iter().enumerate() {
            let column = state.columns.get(c).map(|(n, _)| *n).unwrap_or("");
            let format = if is_wanyuan(table.name, column) { &wanyuan } else { &plain };
            write_value(sheet, r, col(c), value, format)?;
            if state.rows <= WIDTH_SAMPLE_ROWS {
                if let Some(w) = state.widest.get_mut(c) {
                    *w = (*w).max(value_width(value));
                }
            }
        }
    }
    Ok(())
}

fn finish_sheet(sheet: &mut Worksheet, state: &SheetState) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    if !state.columns.is_empty() {
        sheet.autofilter(0, 0, state.rows as u32, col(state.columns.len() - 1))?;
    }
    for (c, ((name, kind), widest)) in state.columns.iter().zip(&state.widest).enumerate() {
        sheet.set_column_width(col(c), column_width(name, *kind, *widest))?;
    }
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Every decimal column is money in 万元 except facts.value, whose unit varies per row.
fn is_wanyuan(table: &str, column: &str) -> bool {
    !(table == "facts" && column == "value")
}

fn write_value(sheet: &mut Worksheet, r: u32, c: u16, value: &Value, dec_format: &Format) -> Result<(), XlsxError> {
    match value {
        Value::Str(s) if s.is_empty() => {}
        Value::Str(s) => {
            sheet.write_string(r, c, clip(s))?;
        }
        Value::Int(Some(i)) => {
            // Integers here are years, pages, lines and counts: far inside f64's exact range.
            sheet.write_number(r, c, *i as f64)?;
        }
        Value::Dec(Some(d)) => match d.to_string().parse::<f64>() {
            Ok(f) => {
                sheet.write_number_with_format(r, c, f, dec_format)?;
            }
            Err(_) => {
                sheet.write_string(r, c, d.to_string())?;
            }
        },
        Value::Int(None) | Value::Dec(None) => {}
    }
    Ok(())
}

/// Excel refuses longer cells; a sentence that long is kept whole in the CSV.
fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((i, _)) => s.get(..i).unwrap_or(""),
        None => s,
    }
}

/// Width in Excel character units: CJK characters count double; long text is capped so that
/// a sentence column does not push everything off screen.
fn column_width(name: &str, kind: Kind, widest: usize) -> f64 {
    let numeric_floor = match kind {
        Kind::Dec { .. } => 14,
        _ => 4,
    };
    (widest.max(display_width(name) + 3).max(numeric_floor).min(60) + 1) as f64
}

fn value_width(v: &Value) -> usize {
    match v {
        Value::Str(s) => display_width(s),
        Value::Int(i) => i.map_or(0, |i| i.to_string().len()),
        Value::Dec(d) => d.map_or(0, |d| d.to_string().len() + 6),
    }
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::escape_lone_x;

    #[test]
    fn every_literal_x_escape_is_escaped_once() {
        // rust_xlsxwriter's own escapes (`_x005F_` before `_x0041_`, `_x000D_` for a control
        // character) stay; the short and long forms it leaves get theirs.
        assert_eq!(escape_lone_x("<t>d_xa_1 _x005F_x0041_ _x000D_ _xABCDE_ end_x</t>"), "<t>d_x005F_xa_1 _x005F_x0041_ _x000D_ _x005F_xABCDE_ end_x005F_x</t>");
        assert_eq!(escape_lone_x("<t>普通文本</t>"), "<t>普通文本</t>");
    }
}
