use crate::dataset::{OutTable, Value};
use std::io::Write;

/// RFC 4180 CSV, UTF-8, header row, written as rows arrive. Decimals are written as
/// printed-scale plain text (`665.38`, `735`), never through floating point. `bom` prefixes a
/// UTF-8 BOM so that Excel opens the file without mojibake.
pub struct CsvSink<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvSink<W> {
    pub fn new(mut out: W, columns: &OutTable, bom: bool) -> std::io::Result<Self> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = csv::Writer::from_writer(out);
        w.write_record(columns.columns.iter().map(|(n, _)| *n))?;
        Ok(CsvSink { w })
    }

    pub fn append(&mut self, table: &OutTable) -> std::io::Result<()> {
        for row in &table.rows {
            self.w.write_record(row.iter().map(cell_text))?;
        }
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
    }
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
        Value::Dec(d) => d.map(|d| d.to_string()).unwrap_or_default(),
    }
}
