//! Writes a document (paragraphs and tables) as a DOCX the way other word processors and
//! careless editors leave it: every character its own run among proofing and bookmark marks,
//! the table's title and unit merged into its first rows, header labels spaced with
//! full-width spaces, and long tables cut into two tables at a page break with the header
//! row repeated.

use gongkai_model::{Block, Document, Table};
use std::io::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One run per character, with the marks WPS and Word's spell checker scatter between them.
fn runs(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i % 3 == 1 {
            out.push_str(r#"<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>"#);
        }
        out.push_str(&format!(r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(&c.to_string())));
    }
    out
}

fn paragraph(text: &str) -> String {
    format!("<w:p>{}</w:p>", runs(text))
}

fn page_break() -> String {
    r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#.to_string()
}

/// 项目 → 项　　目: short header labels padded the way typists centre them.
fn spaced(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() == 2 && chars.iter().all(|c| !c.is_ascii()) {
        format!("{}\u{3000}\u{3000}{}", chars[0], chars[1])
    } else {
        label.to_string()
    }
}

fn is_amount(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ",.-".contains(c)) && s.chars().any(|c| c.is_ascii_digit())
}

fn row(cells: &[String], header: bool) -> String {
    let props = if header { "<w:trPr><w:tblHeader/></w:trPr>" } else { "" };
    let tcs: String = cells.iter().map(|c| format!(r#"<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p>{}</w:p></w:tc>"#, runs(c))).collect();
    format!("<w:tr>{props}{tcs}</w:tr>")
}

/// A row of one cell merged over the table's width (a title or unit line inside the grid).
fn merged_row(text: &str, n_cols: usize) -> String {
    format!(r#"<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{n_cols}"/></w:tcPr><w:p>{}</w:p></w:tc></w:tr>"#, runs(text))
}

fn table(rows: &str, n_cols: usize) -> String {
    let grid: String = (0..n_cols).map(|_| r#"<w:gridCol w:w="1200"/>"#).collect();
    format!(r#"<w:tbl><w:tblPr><w:tblBorders><w:insideH w:val="single"/></w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"#)
}

/// The blocks of `doc` as word/document.xml. The paragraphs just above a table (its title,
/// 公开表 number and unit, up to three) go into merged rows at the table's top.
fn document_xml(doc: &Document) -> String {
    let mut body = String::new();
    let mut pending: Vec<String> = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                pending.push(p.text.clone());
                if pending.len() > 3 {
                    body.push_str(&paragraph(&pending.remove(0)));
                }
            }
            Block::Table(t) => {
                body.push_str(&table_xml(t, &std::mem::take(&mut pending)));
            }
        }
    }
    for p in pending {
        body.push_str(&paragraph(&p));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
}

fn table_xml(t: &Table, captions: &[String]) -> String {
    let grid = t.text_grid();
    let header_rows = grid.iter().position(|r| r.iter().any(|c| is_amount(c))).unwrap_or(0).min(4);
    let header: Vec<String> =
        grid[..header_rows].iter().map(|r| row(&r.iter().map(|c| spaced(c.trim())).collect::<Vec<_>>(), true)).collect();
    let mut first = captions.iter().map(|c| merged_row(c, t.n_cols)).collect::<String>() + &header.concat();
    let body = &grid[header_rows..];
    // Long tables are cut in two at a page break, the header row repeated on the second part.
    let cut = if body.len() > 12 { body.len() / 2 } else { body.len() };
    for r in &body[..cut] {
        first.push_str(&row(&r.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>(), false));
    }
    let mut out = table(&first, t.n_cols);
    if cut < body.len() {
        let mut second = header.concat();
        for r in &body[cut..] {
            second.push_str(&row(&r.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>(), false));
        }
        out.push_str(&page_break());
        out.push_str(&table(&second, t.n_cols));
    }
    out
}

/// The document as a .docx package.
pub fn write(doc: &Document) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", document_xml(doc)),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
