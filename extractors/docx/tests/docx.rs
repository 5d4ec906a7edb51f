//! The DOCX reader on the generated corpus copies and hand-made fixtures in
//! tests/fixtures/office (see the README there).

use gongkai_docx::{DocxExtractor, LegacyWordExtractor};
use gongkai_model::{Block, Document, ErrorKind, ExtractError, Extractor, Format, Options, Table};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/office/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(bytes: &[u8]) -> Result<Document, ExtractError> {
    DocxExtractor.extract(bytes, &Options::default())
}

fn text_at(t: &Table, r: usize, c: usize) -> &str {
    t.cells.iter().find(|x| x.row == r && x.col == c).map_or("<none>", |x| x.text.as_str())
}

/// The table that follows the paragraph with this title.
fn table_after<'a>(doc: &'a Document, title: &str) -> &'a Table {
    let at = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Paragraph(p) if p.text == title))
        .unwrap_or_else(|| panic!("no paragraph {title}"));
    doc.blocks[at..]
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table after {title}"))
}

#[test]
fn generated_000_tables_as_printed() {
    let doc = read(&fixture("000_5010c9f98508a758.docx")).unwrap();
    assert_eq!(doc.tables().count(), 14);
    let total = table_after(&doc, "收入支出决算总表");
    assert_eq!((total.n_rows, total.n_cols), (34, 6));
    assert_eq!(text_at(total, 0, 0), "收入");
    assert_eq!(text_at(total, 3, 0), "一、一般公共预算财政拨款收入");
    assert_eq!(text_at(total, 3, 2), "665.38");
    assert_eq!(text_at(total, 33, 5), "665.39");

    let income = table_after(&doc, "收入决算表");
    let item = income.cells.iter().find(|c| c.row == 0 && c.col == 0).unwrap();
    assert_eq!((item.text.as_str(), item.col_span, item.row_span), ("项目", 2, 1));
    assert!(income.grid()[0][1].is_none(), "the covered position holds no cell");
    assert_eq!(text_at(income, 6, 0), "2080505");
    assert_eq!(text_at(income, 6, 2), "5.50");

    // Paragraphs come in document order before their table, numbered by block.
    let titles: Vec<_> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(titles[0], "西宁市城中区医疗保障局");
    assert!(doc.paragraphs().all(|p| p.prov.page.is_none() && p.prov.line.is_some()));
}

#[test]
fn generated_004_title_rows_inside_the_grid() {
    let doc = read(&fixture("004_295e34a150d1a2fa.docx")).unwrap();
    assert_eq!(doc.tables().count(), 13);
    let first = doc.tables().next().unwrap();
    assert_eq!((first.n_rows, first.n_cols), (21, 6));
    assert_eq!(text_at(first, 0, 0), "收入支出决算总表");
    assert_eq!(text_at(first, 1, 5), "公开01表");
    assert_eq!(text_at(first, 4, 0), "项    目");
}

#[test]
fn spans_fields_tracked_changes_text_boxes_and_nested_tables() {
    let doc = read(&fixture("features.docx")).unwrap();
    let paras: Vec<_> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(paras, ["标题", "第3页", "2024年", "收入合计", "锚", "文本框内容", "结尾"]);

    let tables: Vec<_> = doc.tables().collect();
    assert_eq!(tables.len(), 2, "outer table, then the nested one");
    let t = tables[0];
    assert_eq!((t.n_rows, t.n_cols), (3, 3));
    let head = t.cells.iter().find(|c| c.row == 0 && c.col == 0).unwrap();
    assert_eq!(head.col_span, 2);
    let merged = t.cells.iter().find(|c| c.row == 1 && c.col == 0).unwrap();
    assert_eq!((merged.text.as_str(), merged.row_span), ("支出", 2));
    assert!(t.grid()[2][0].is_none(), "the vMerge continuation is covered, not a cell");
    assert_eq!(text_at(t, 1, 1), "基本\n支出");
    assert_eq!(text_at(t, 2, 1), "项目\t支出");
    assert_eq!(text_at(t, 2, 2), "内1\t内2\n2.00");
    assert_eq!(tables[1].text_grid(), vec![vec!["内1".to_string(), "内2".to_string()]]);
    // The nested table follows its outer table directly.
    let kinds: Vec<_> = doc.blocks.iter().map(|b| matches!(b, Block::Table(_))).collect();
    assert_eq!(kinds, [false, false, false, false, false, false, true, true, false]);
}

fn assert_failed(r: Result<Document, ExtractError>, reason: &str) {
    let e = r.expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Failed, "{e}");
    assert!(e.message.contains(reason), "{e}");
    assert!(!e.message.contains('\n'));
}

#[test]
fn truncated_zip_fails_with_reason() {
    let bytes = fixture("000_5010c9f98508a758.docx");
    assert_failed(read(&bytes[..bytes.len() / 2]), "not a readable ZIP archive");
}

#[test]
fn package_without_document_fails_with_reason() {
    assert_failed(read(&fixture("no_document.docx")), "has no word/document.xml");
}

#[test]
fn encrypted_office_file_fails_with_reason() {
    assert_failed(read(&fixture("encrypted.docx")), "encrypted Office file: remove the password and re-run");
}

#[test]
fn random_bytes_and_xml_errors_fail_without_panic() {
    let mut state = 0x9E37_79B9u32;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    assert_failed(read(&noise), "not a DOCX file");
    let mut zipped = b"PK\x03\x04".to_vec();
    zipped.extend(&noise);
    assert_failed(read(&zipped), "not a readable ZIP archive");
    // Every prefix of a real document fails cleanly or reads; none panics.
    let bytes = fixture("features.docx");
    for cut in (0..bytes.len()).step_by(7) {
        let _ = read(&bytes[..cut]);
    }
}

#[test]
fn zip_bomb_limit_is_honoured() {
    let opts = Options { max_inflated_bytes: 10_000, ..Options::default() };
    let e = DocxExtractor.extract(&fixture("000_5010c9f98508a758.docx"), &opts).unwrap_err();
    assert!(e.message.contains("zip bomb"), "{e}");
}

#[test]
fn legacy_word_is_unsupported_unless_conversion_is_asked_for() {
    let ole = fixture("encrypted.docx"); // any OLE2 bytes: conversion is never attempted
    let e = LegacyWordExtractor(Format::Doc).extract(&ole, &Options::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert!(e.message.starts_with("legacy Word binary (.doc/.wps): not read without LibreOffice"), "{e}");
}

#[test]
fn xml_errors_fail_with_reason() {
    assert_failed(read(&fixture("bad_xml.docx")), "damaged DOCX: word/document.xml");
}

fn docx_of(body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", stored).unwrap();
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    write!(zip, "<w:document {w}><w:body>{body}</w:body></w:document>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn hostile_spans_are_dropped_not_allocated() {
    let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"#;
    let row = format!("<w:tr>{cell}{cell}</w:tr>");
    let doc = read(&docx_of(&format!("<w:tbl>{}</w:tbl>", row.repeat(3000)))).unwrap();
    let t = doc.tables().next().unwrap();
    assert_eq!((t.n_rows, t.n_cols), (3000, 2), "spans dropped, text kept");
    assert!(t.cells.iter().all(|c| c.col_span == 1 && c.text == "x"));
}

#[test]
fn deeply_nested_tables_fit_a_worker_thread_stack() {
    let mut body = "<w:p><w:r><w:t>core</w:t></w:r></w:p>".to_string();
    for _ in 0..80 {
        body = format!("<w:tbl><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl><w:p/>");
    }
    let bytes = docx_of(&body);
    // 2 MiB: the default stack of spawned (e.g. rayon) threads.
    let tables = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || read(&bytes).map(|d| d.tables().count()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(tables, Ok(80));
}
