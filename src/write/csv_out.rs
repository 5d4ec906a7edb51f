use crate::dataset::{OutTable, Value};
use std::borrow::Cow;
use std::io::Write;

/// RFC 4180 CSV, UTF-8, header row, written as rows arrive. Decimals are written as
/// printed-scale plain text (`665.38`, `735`), never through floating point. `bom` prefixes a
/// UTF-8 BOM so that Excel opens the file without mojibake; such a file is for Excel, so its
/// text cells are also kept from being taken for formulas ([`for_excel`]).
pub struct CsvSink<W: Write> {
    w: csv::Writer<W>,
    excel: bool,
}

impl<W: Write> CsvSink<W> {
    pub fn new(mut out: W, columns: &OutTable, bom: bool) -> std::io::Result<Self> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = csv::Writer::from_writer(out);
        w.write_record(columns.columns.iter().map(|(n, _)| *n))?;
        Ok(CsvSink { w, excel: bom })
    }

    pub fn append(&mut self, table: &OutTable) -> std::io::Result<()> {
        for row in &table.rows {
            self.w.write_record(row.iter().map(|v| match v {
                Value::Str(s) if self.excel => for_excel(s),
                _ => cell_text(v),
            }))?;
        }
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// A cell's text, borrowed where the value is text already: a copy of every text cell was a
/// tenth of the write stage's allocations.
fn cell_text(v: &Value) -> Cow<'_, [u8]> {
    match v {
        Value::Str(s) => Cow::Borrowed(s.as_bytes()),
        Value::Int(i) => Cow::Owned(i.map(|i| i.to_string()).unwrap_or_default().into_bytes()),
        Value::Dec(d) => Cow::Owned(d.map(|d| d.to_string()).unwrap_or_default().into_bytes()),
    }
}

/// Text that Excel would run as a formula (`=`, `+`, `-`, `@` first, and not a number — a
/// scraped label like `=HYPERLINK(…)` or `-其他`) gets a leading `'`, the OWASP advice against
/// CSV injection: Excel then shows it as text. The plain CSV keeps the bytes as printed.
fn for_excel(s: &str) -> Cow<'_, [u8]> {
    let risky = s.starts_with(['=', '+', '-', '@']) && s.trim().parse::<f64>().is_err();
    if risky {
        Cow::Owned(format!("'{s}").into_bytes())
    } else {
        Cow::Borrowed(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::for_excel;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        let text = |s: &str| String::from_utf8(for_excel(s).into_owned()).unwrap();
        assert_eq!(text("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("-其他"), "'-其他");
        assert_eq!(text("-12.5"), "-12.5");
        assert_eq!(text("+3"), "+3");
        assert_eq!(text("一般公共服务支出"), "一般公共服务支出");
    }
}
