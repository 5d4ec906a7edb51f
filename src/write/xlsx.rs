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

/// Builds the workbook in memory: one sheet per table, in the given order.
pub fn write_xlsx(tables: &[OutTable]) -> std::io::Result<Vec<u8>> {
    for t in tables {
        if t.rows.len() >= MAX_ROWS {
            return Err(std::io::Error::other(format!(
                "table {} has {} rows, more than an Excel sheet holds ({}); use the CSV or Parquet output",
                t.name,
                t.rows.len(),
                MAX_ROWS - 1
            )));
        }
    }
    let mut workbook = Workbook::new();
    for t in tables {
        add_sheet(workbook.add_worksheet(), t).map_err(|e| xlsx_error(t.name, e))?;
    }
    workbook.save_to_buffer().map_err(|e| xlsx_error("workbook", e))
}

fn xlsx_error(what: &str, e: XlsxError) -> std::io::Error {
    std::io::Error::other(format!("cannot build the Excel sheet {what}: {e}"))
}

fn add_sheet(sheet: &mut Worksheet, table: &OutTable) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    let header = Format::new().set_bold();
    let wanyuan = Format::new().set_num_format(WANYUAN_FORMAT);
    // Counts and other non-money decimals (facts.value: its unit is in the next column).
    let plain = Format::new();
    for (c, (name, _)) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), *name, &header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let column = table.columns.get(c).map(|(n, _)| *n).unwrap_or("");
            let format = if is_wanyuan(table.name, column) { &wanyuan } else { &plain };
            write_value(sheet, r, col(c), value, format)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.columns.is_empty() {
        sheet.autofilter(0, 0, table.rows.len() as u32, col(table.columns.len() - 1))?;
    }
    for (c, width) in column_widths(table).into_iter().enumerate() {
        sheet.set_column_width(col(c), width)?;
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
fn column_widths(table: &OutTable) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, (name, kind))| {
            let numeric_floor = match kind {
                Kind::Dec { .. } => 14,
                _ => 4,
            };
            let widest = table
                .rows
                .iter()
                .take(WIDTH_SAMPLE_ROWS)
                .filter_map(|row| row.get(c))
                .map(|v| match v {
                    Value::Str(s) => display_width(s),
                    Value::Int(i) => i.map_or(0, |i| i.to_string().len()),
                    Value::Dec(d) => d.map_or(0, |d| d.to_string().len() + 6),
                })
                .max()
                .unwrap_or(0);
            (widest.max(display_width(name) + 3).max(numeric_floor).min(60) + 1) as f64
        })
        .collect()
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}
