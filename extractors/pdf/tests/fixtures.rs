//! The extractor on real files: generated reports (tables checked cell by cell against the
//! seed renderings), truncated copies and encrypted files.

use gongkai_model::{Document, ErrorKind, Extractor, Options, Table};
use gongkai_pdf::PdfExtractor;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn extract(bytes: &[u8]) -> Result<Document, gongkai_model::ExtractError> {
    PdfExtractor.extract(bytes, &Options::default())
}

/// The table that follows the paragraph `code` (e.g. `公开06表`).
fn table_after<'a>(d: &'a Document, code: &str) -> &'a Table {
    let mut seen = false;
    for b in &d.blocks {
        match b {
            gongkai_model::Block::Paragraph(p) if p.text.replace(' ', "") == code => seen = true,
            gongkai_model::Block::Table(t) if seen => return t,
            _ => {}
        }
    }
    panic!("no table after {code}");
}

fn row_with(t: &Table, first: &str) -> Vec<String> {
    t.text_grid().into_iter().find(|r| r.iter().any(|c| c == first)).unwrap_or_else(|| panic!("no row with {first}"))
}

#[test]
fn report_000_tables_match_the_seed() {
    let d = extract(&fixture("000_5010c9f98508a758.pdf")).expect("readable");
    assert_eq!(d.pages, Some(18));
    assert!(d.partial.is_none());
    assert!(d.paragraphs().any(|p| p.text == "金额单位：万元"));

    let t01 = table_after(&d, "公开01表");
    assert_eq!(t01.n_cols, 6);
    assert_eq!(row_with(t01, "一、一般公共预算财政拨款收入"), ["一、一般公共预算财政拨款收入", "1", "665.38", "一、一般公共服务支出", "32", ""]);
    // Row 十九 is cut by the page break: its label is finished on the next page.
    assert_eq!(row_with(t01, "十九、住房保障支出"), ["", "19", "", "十九、住房保障支出", "50", "5.04"]);
    assert_eq!(row_with(t01, "总计"), ["总计", "31", "665.39", "总计", "62", "665.39"]);
    let header = t01.cells.iter().find(|c| c.text == "收入").expect("header");
    assert_eq!((header.row, header.col), (0, 0));

    let t06 = table_after(&d, "公开06表");
    assert_eq!(t06.n_cols, 9, "three side-by-side groups");
    assert_eq!(&row_with(t06, "工资福利支出")[..3], ["301", "工资福利支出", "204.16"]);
    assert_eq!(&row_with(t06, "其他工资福利支出")[..3], ["30199", "其他工资福利支出", "138.82"]);

    let t09 = table_after(&d, "公开09表");
    let g = t09.text_grid();
    assert_eq!(g[3], ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]);
    // This rendering draws the two group headers as unmerged cells over columns 1 and 6 (as the source table has them).
    assert_eq!(g[0][0], "“三公”经费预算数");
    assert_eq!(g[0][5], "“三公”经费决算数");
    assert_eq!(g[2][8], "小计");
    assert_eq!(g[4][0], "1.92");

    // Every table cell of the document carries its page and box.
    for t in d.tables() {
        assert!(t.cells.iter().all(|c| c.prov.page.is_some() && c.prov.bbox.is_some()));
    }
}

#[test]
fn report_003_tables_match_the_seed() {
    let d = extract(&fixture("003_66bd46d71a5bdd15.pdf")).expect("readable");
    let n_tables = d.tables().count();
    assert_eq!(n_tables, 17);
    let t = d.tables().find(|t| t.text_grid().iter().any(|r| r.iter().any(|c| c == "离休干部医药费补助支出"))).expect("table");
    let row = row_with(t, "离休干部医药费补助支出");
    assert_eq!(&row[..4], ["223010", "离休干部医药费补助支出", "650.00", "650.00"]);
}

#[test]
fn truncated_copies_fail_with_a_reason_or_keep_what_is_readable() {
    let full = fixture("000_5010c9f98508a758.pdf");
    let e = extract(&full[..1024]).expect_err("nothing readable");
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(e.message.starts_with("truncated or corrupt PDF"), "{}", e.message);
    for cut in [full.len() / 3, full.len() / 2, full.len() - 200] {
        match extract(&full[..cut]) {
            Ok(d) => assert!(d.paragraphs().any(|p| p.text.contains("医疗保障局"))),
            Err(e) => assert!(e.message.starts_with("truncated or corrupt PDF"), "{}", e.message),
        }
    }
}

#[test]
fn encrypted_files() {
    let e = extract(&fixture("encrypted_user_password.pdf")).expect_err("needs a password");
    assert_eq!(e.message, "encrypted PDF: needs a password");
    for name in ["encrypted_empty_user_password.pdf", "encrypted_empty_user_password_aes256.pdf"] {
        let d = extract(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.paragraphs().next().map(|p| p.text.as_str()), Some("Budget total 665.38"), "{name}");
    }
}
