//! The workbook reader on generated corpus copies and hand-made fixtures in
//! tests/fixtures/office (see the README there), and on one real WPS .xls when present.

use gongkai_model::{Block, Document, ErrorKind, ExtractError, Extractor, Format, Options, Table};
use gongkai_sheet::SheetExtractor;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/office/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn xlsx(bytes: &[u8]) -> Result<Document, ExtractError> {
    SheetExtractor::new(Format::Xlsx).extract(bytes, &Options::default())
}

fn text_at(t: &Table, r: usize, c: usize) -> &str {
    t.cells.iter().find(|x| x.row == r && x.col == c).map_or("<none>", |x| x.text.as_str())
}

fn sheet_blocks(doc: &Document, sheet: u32) -> Vec<&Block> {
    doc.blocks
        .iter()
        .filter(|b| match b {
            Block::Paragraph(p) => p.prov.page == Some(sheet),
            Block::Table(t) => t.prov.page == Some(sheet),
        })
        .collect()
}

fn table_of(doc: &Document, sheet: u32) -> &Table {
    doc.tables().find(|t| t.prov.page == Some(sheet)).unwrap_or_else(|| panic!("no table on sheet {sheet}"))
}

#[test]
fn generated_000_caption_rows_then_grid() {
    let doc = xlsx(&fixture("000_5010c9f98508a758.xlsx")).unwrap();
    assert_eq!(doc.pages, Some(14));
    let first = sheet_blocks(&doc, 1);
    let paras: Vec<_> = first
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(paras, ["2024年度收入支出决算总表", "公开01表", "部门：西宁市城中区医疗保障局    金额单位：万元"]);
    assert!(matches!(first[3], Block::Table(_)), "paragraphs come before the table");

    let total = table_of(&doc, 1);
    assert_eq!((total.n_rows, total.n_cols), (34, 6));
    assert_eq!(text_at(total, 0, 0), "收入");
    assert_eq!(text_at(total, 0, 3), "支出");
    assert_eq!(text_at(total, 3, 2), "665.38");
    // Stored as 8.279999999999999 with format 0.00: shown as printed.
    assert_eq!(text_at(total, 10, 5), "8.28");
    assert_eq!(total.prov.sheet.as_deref(), Some("表1"));
    let cell = total.cells.iter().find(|c| c.row == 3 && c.col == 2).unwrap();
    assert_eq!((cell.prov.page, cell.prov.sheet.as_deref(), cell.prov.line), (Some(1), Some("表1"), Some(8)));

    let spending = table_of(&doc, 3);
    assert_eq!(text_at(spending, 3, 4), "456.50", "fixed decimals kept (456.5 stored)");
    assert_eq!(text_at(spending, 6, 0), "2080505", "codes stored as text stay text");
}

#[test]
fn generated_002_numbers_as_displayed() {
    let doc = xlsx(&fixture("002_97d50bc877a759dd.xlsx")).unwrap();
    assert_eq!(doc.pages, Some(17));
    let income = table_of(&doc, 10);
    assert_eq!(text_at(income, 0, 0), "项目");
    assert_eq!(text_at(income, 7, 0), "2101501");
    assert_eq!(text_at(income, 7, 2), "194.40");
    assert_eq!(text_at(income, 7, 3), "194.39");
}

#[test]
fn corrupt_and_truncated_workbooks_fail_with_reason() {
    for (name, bytes) in [
        ("garbage sheet", fixture("corrupt.xlsx")),
        ("truncated", {
            let b = fixture("000_5010c9f98508a758.xlsx");
            b[..b.len() / 2].to_vec()
        }),
    ] {
        let e = xlsx(&bytes).expect_err(name);
        assert_eq!(e.kind, ErrorKind::Failed, "{name}: {e}");
        assert!(e.message.starts_with("damaged workbook"), "{name}: {e}");
        assert!(!e.message.contains('\n'));
    }
    let e = SheetExtractor::new(Format::Xls).extract(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage", &Options::default());
    assert_eq!(e.unwrap_err().kind, ErrorKind::Failed);
    let e = xlsx(&fixture("encrypted.docx")).unwrap_err();
    assert_eq!(e.message, "encrypted Office file: remove the password and re-run");
}

#[test]
fn every_prefix_fails_cleanly_or_reads() {
    let bytes = fixture("002_97d50bc877a759dd.xlsx");
    for cut in (0..bytes.len()).step_by(997) {
        let _ = xlsx(&bytes[..cut]);
    }
}

#[test]
fn zip_bomb_limit_is_honoured() {
    let opts = Options { max_inflated_bytes: 50_000, ..Options::default() };
    let e = SheetExtractor::new(Format::Xlsx).extract(&fixture("000_5010c9f98508a758.xlsx"), &opts).unwrap_err();
    assert!(e.message.contains("zip bomb"), "{e}");
}

/// The real WPS-written BIFF8 workbook of the shared corpus (codepage 1200, 16 sheets).
#[test]
fn real_wps_xls_opens() {
    let path = format!("{}/../../../shared/corpus/real/real_017_sh_putuo_template_2026_unit_budget.xls", env!("CARGO_MANIFEST_DIR"));
    let path = if std::path::Path::new(&path).exists() { path } else { "/work/shared/corpus/real/real_017_sh_putuo_template_2026_unit_budget.xls".into() };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let doc = SheetExtractor::new(Format::Xls).extract(&bytes, &Options::default()).unwrap();
    assert_eq!(doc.pages, Some(16));
    let t = table_of(&doc, 7);
    let head = t.cells.iter().find(|c| c.row == 0 && c.col == 0).unwrap();
    assert_eq!((head.text.as_str(), head.col_span), ("本年收入", 2));
    let item = t.cells.iter().find(|c| c.row == 1 && c.col == 0).unwrap();
    assert_eq!((item.text.as_str(), item.row_span), ("项目", 3));
    assert!(doc.paragraphs().any(|p| p.text == "2026年预算单位财务收支预算总表" && p.prov.page == Some(7)));
}

#[test]
fn empty_boxes_of_the_grid_are_empty_cells() {
    // 2101504 信息化建设 prints 11.00 under 本年支出合计 and 项目支出 only; the empty 基本支出
    // box between them must be a cell, or readers that walk a row's cells shift the value.
    let doc = xlsx(&fixture("000_5010c9f98508a758.xlsx")).unwrap();
    let spending = table_of(&doc, 3);
    let row: Vec<_> = spending.grid()[16].iter().map(|c| c.map(|c| c.text.as_str())).collect();
    assert_eq!(row[..5], [Some("2101504"), Some("信息化建设"), Some("11.00"), Some(""), Some("11.00")]);
}

#[test]
fn ods_workbook_reads_and_hidden_sheets_are_skipped() {
    let doc = SheetExtractor::new(Format::Ods).extract(&fixture("budget.ods"), &Options::default()).unwrap();
    assert_eq!(doc.pages, Some(2));
    let paras: Vec<_> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(paras, ["2024年度收入决算表", "单位：万元"]);
    let t = table_of(&doc, 1);
    assert_eq!(t.text_grid()[1], ["2080505", "机关事业单位基本养老保险缴费支出", "5.5"]);
    assert_eq!(text_at(t, 2, 2), "652.06");
    assert_eq!(doc.tables().count(), 1, "the hidden sheet is not read");
    assert!(doc.warnings.iter().any(|w| w.contains("隐藏")));
}
