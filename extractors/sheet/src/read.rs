//! Opens a workbook with calamine and collects each sheet's non-empty cells (as displayed
//! text) and merged regions, sparsely, so that a hostile used range never allocates a grid.

use crate::number::float_text;
use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, Sheet, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use gongkai_model::{ExtractError, Format, Options};
use std::io::Cursor;

/// A sheet with more non-empty cells than this is not a report table.
const MAX_CELLS: usize = 2_000_000;

/// One non-empty cell, absolute 0-based position.
#[derive(Debug, Clone)]
pub struct RawCell {
    pub row: u32,
    pub col: u32,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct RawSheet {
    /// 1-based position in the workbook (hidden sheets keep their number).
    pub number: u32,
    pub name: String,
    pub cells: Vec<RawCell>,
    /// Merged regions, absolute and inclusive, as calamine gives them.
    pub merges: Vec<Dimensions>,
}

pub struct Workbook {
    pub sheets: Vec<RawSheet>,
    /// Sheets left out by the page limit or because they could not be read.
    pub warnings: Vec<String>,
    pub skipped: usize,
    /// Sheets in the workbook, shown or not.
    pub total: u32,
}

fn failed(what: impl std::fmt::Display) -> ExtractError {
    ExtractError::failed(format!("damaged workbook: {what}"))
}

pub fn read(format: Format, bytes: &[u8], opts: &Options) -> Result<Workbook, ExtractError> {
    match format {
        // An .xlsb is detected as Xlsx (an OOXML workbook); its parts are binary.
        Format::Xlsx if is_xlsb(bytes) => {
            let mut wb = Xlsb::new(Cursor::new(bytes)).map_err(failed)?;
            // calamine does not expose xlsb merged regions: its tables come without spans.
            read_ranges(&mut wb, opts, |_, _| Vec::new())
        }
        Format::Xlsx => read_xlsx(bytes, opts),
        Format::Xls => {
            let mut wb = Xls::new(Cursor::new(bytes)).map_err(failed)?;
            let merges = |wb: &mut Xls<_>, name: &str| wb.merge_cells_by_sheet_name(name).unwrap_or_default();
            read_ranges(&mut wb, opts, merges)
        }
        Format::Ods => {
            let mut wb = Ods::new(Cursor::new(bytes)).map_err(failed)?;
            // calamine does not expose ODS merged regions: ODS tables come without spans.
            read_ranges(&mut wb, opts, |_, _| Vec::new())
        }
        other => Err(ExtractError::failed(format!("not a workbook: {other}"))),
    }
}

/// The binary workbook part's name sits in the ZIP headers (stored uncompressed).
fn is_xlsb(bytes: &[u8]) -> bool {
    bytes.windows(15).any(|w| w == b"xl/workbook.bin")
}

fn read_xlsx(bytes: &[u8], opts: &Options) -> Result<Workbook, ExtractError> {
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(failed)?;
    let mut out = Workbook { sheets: Vec::new(), warnings: Vec::new(), skipped: 0, total: 0 };
    for (number, name) in shown_sheets(wb.sheets_metadata(), opts, &mut out) {
        let cells = match xlsx_cells(&mut wb, &name) {
            Ok(c) => c,
            Err(reason) => return Err(failed(format!("sheet {name}: {reason}"))),
        };
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_else(|e| {
            out.warnings.push(format!("sheet {name}: merged cells not read: {e}"));
            Vec::new()
        });
        out.sheets.push(RawSheet { number, name, cells, merges });
    }
    Ok(out)
}

/// The sheets a reader of the workbook sees: worksheets that are not hidden, with their
/// 1-based position, up to the sheet limit. Chart and macro sheets hold no table; hidden
/// sheets are lookup data, not part of the disclosure.
fn shown_sheets(meta: &[Sheet], opts: &Options, out: &mut Workbook) -> Vec<(u32, String)> {
    let mut shown = Vec::new();
    out.total = u32::try_from(meta.len()).unwrap_or(u32::MAX);
    for (i, sheet) in meta.iter().enumerate() {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        if sheet.visible != SheetVisible::Visible {
            out.warnings.push(format!("sheet {}: hidden, not read", sheet.name));
            continue;
        }
        if shown.len() >= opts.max_pages as usize {
            out.skipped += 1;
            continue;
        }
        shown.push((u32::try_from(i + 1).unwrap_or(u32::MAX), sheet.name.clone()));
    }
    shown
}

/// Streams an XLSX sheet's cells with their style, so fixed-decimal formats (`0.00`) are shown
/// as the sheet shows them.
fn xlsx_cells(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Vec<RawCell>, String> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
    let mut cells = Vec::new();
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| e.to_string())? {
        let format = reader.styles().get(style).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.clone());
        let (row, col) = cell.get_position();
        let text = data_ref_text(cell.get_value(), format.as_deref());
        if !text.trim().is_empty() {
            if cells.len() >= MAX_CELLS {
                return Err(format!("more than {MAX_CELLS} non-empty cells"));
            }
            cells.push(RawCell { row, col, text });
        }
    }
    Ok(cells)
}

/// XLS and ODS: calamine returns no number formats for them, so floats show as General.
fn read_ranges<RS, R, F>(wb: &mut R, opts: &Options, merges_of: F) -> Result<Workbook, ExtractError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    F: Fn(&mut R, &str) -> Vec<Dimensions>,
{
    let mut out = Workbook { sheets: Vec::new(), warnings: Vec::new(), skipped: 0, total: 0 };
    let meta = wb.sheets_metadata().to_vec();
    for (number, name) in shown_sheets(&meta, opts, &mut out) {
        let range = wb.worksheet_range(&name).map_err(|e| failed(format!("sheet {name}: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, value) in range.used_cells() {
            let text = data_text(value, None);
            if text.trim().is_empty() {
                continue;
            }
            if cells.len() >= MAX_CELLS {
                return Err(failed(format!("sheet {name}: more than {MAX_CELLS} non-empty cells")));
            }
            let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else { continue };
            cells.push(RawCell { row: row0.saturating_add(r), col: col0.saturating_add(c), text });
        }
        let merges = merges_of(wb, &name);
        out.sheets.push(RawSheet { number, name, cells, merges });
    }
    Ok(out)
}

fn data_ref_text(value: &DataRef, format: Option<&str>) -> String {
    match value {
        DataRef::Int(i) => int_text(*i, format),
        DataRef::Float(f) => float_text(*f, format),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(d) => date_text(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("{e}"),
        DataRef::Empty => String::new(),
    }
}

pub fn data_text(value: &Data, format: Option<&str>) -> String {
    match value {
        Data::Int(i) => int_text(*i, format),
        Data::Float(f) => float_text(*f, format),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(d) => date_text(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
        Data::Empty => String::new(),
    }
}

fn int_text(i: i64, format: Option<&str>) -> String {
    match format {
        // An integer under a fixed-decimal format still prints its decimals (350 → 350.00).
        Some(_) => crate::number::round_to(&i.to_string(), shape_decimals(i, format)),
        None => i.to_string(),
    }
}

fn shape_decimals(i: i64, format: Option<&str>) -> usize {
    format
        .and_then(|f| crate::number::shape_of(f, i < 0, i == 0).ok())
        .and_then(|s| s.decimals)
        .unwrap_or(0)
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// Dates as ISO text (`2024-12-31`, with the time only when there is one): report sheets use
/// dates only in headers, so imitating every date format is not worth it.
fn date_text(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        return crate::number::significant15(d.as_f64());
    }
    let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
    if (h, min, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
    }
}
