use crate::dataset::{OutTable, Value};

/// RFC 4180 CSV, UTF-8, header row. Decimals are written as printed-scale plain text
/// (`665.38`, `735`), never through floating point. `bom` prefixes a UTF-8 BOM so that Excel
/// opens the file without mojibake.
pub fn write_csv(table: &OutTable, bom: bool) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if bom {
        buf.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(buf);
    w.write_record(table.columns.iter().map(|(n, _)| *n))?;
    for row in &table.rows {
        w.write_record(row.iter().map(cell_text))?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
        Value::Dec(d) => d.map(|d| d.to_string()).unwrap_or_default(),
    }
}
