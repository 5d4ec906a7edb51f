//! The HTML reader on the page generated from seed 000 (tests/fixtures/web/make_fixtures.py),
//! on a real landing page, and on hand-written tag soup.

use std::path::PathBuf;

use gongkai_html::{attachment_links, HtmlExtractor};
use gongkai_model::{Block, Document, Extractor, Options, Table};

fn repo_file(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn extract(bytes: &[u8]) -> Document {
    HtmlExtractor.extract(bytes, &Options::default()).expect("extract")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The seed's own blocks: non-empty lines and runs of tab-separated lines.
fn seed_blocks(text: &str) -> (Vec<String>, Vec<Vec<Vec<String>>>) {
    let (mut paras, mut tables, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.split('\n') {
        if line.contains('\t') {
            rows.push(line.split('\t').map(collapse).collect::<Vec<_>>());
            continue;
        }
        if !rows.is_empty() {
            tables.push(std::mem::take(&mut rows));
        }
        let line = line.trim().trim_start_matches("- ");
        if !line.is_empty() {
            paras.push(collapse(line));
        }
    }
    if !rows.is_empty() {
        tables.push(rows);
    }
    (paras, tables)
}

#[test]
fn seed_000_page_reads_back_as_the_seed() {
    let doc = extract(&repo_file("tests/fixtures/web/000_5010c9f98508a758.html"));
    let seed = String::from_utf8(repo_file("tests/fixtures/seeds/000_5010c9f98508a758.txt")).expect("utf-8");
    let (want_paras, want_tables) = seed_blocks(&seed);

    let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    // The article's h1 and byline, then exactly the seed's paragraphs: no menu, breadcrumb,
    // header, footer or script text.
    assert_eq!(paras[..2], ["西宁市城中区医疗保障局2024年度部门决算", "发布时间：2025-09-01 来源：西宁市城中区医疗保障局"]);
    assert_eq!(paras[2..], want_paras.iter().map(String::as_str).collect::<Vec<_>>()[..]);

    let tables: Vec<&Table> = doc.tables().collect();
    assert_eq!(tables.len(), want_tables.len());
    for (got, want) in tables.iter().zip(&want_tables) {
        let grid = got.text_grid();
        assert_eq!(grid.len(), want.len());
        for (g, w) in grid.iter().zip(want) {
            // Every printed cell is where the seed has it; empty seed cells under a merged
            // header read as the merged text.
            for (k, wcell) in w.iter().enumerate() {
                if !wcell.is_empty() {
                    assert_eq!(g.get(k), Some(wcell), "row {g:?} vs seed {w:?}");
                }
            }
        }
    }
    // Table 01's header: 收入 and 支出 each span three columns.
    let t01 = tables[0];
    let first = &t01.cells[0];
    assert_eq!((first.text.as_str(), first.row, first.col, first.row_span, first.col_span), ("收入", 0, 0, 1, 3));
    assert_eq!(t01.text_grid()[0], ["收入", "收入", "收入", "支出", "支出", "支出"]);
    assert_eq!(t01.text_grid()[3][2], "665.38");
    // Table 02's header: 本年收入合计 spans two rows.
    let t02 = tables[1];
    let total = t02.cells.iter().find(|c| c.text == "本年收入合计").expect("本年收入合计");
    assert_eq!((total.row, total.col, total.row_span, total.col_span), (0, 2, 2, 1));
    // Provenance: line = the block's 1-based index.
    for (i, block) in doc.blocks.iter().enumerate() {
        let line = match block {
            Block::Paragraph(p) => p.prov.line,
            Block::Table(t) => t.prov.line,
        };
        assert_eq!(line, Some(i as u32 + 1));
    }
}

#[test]
fn landing_page_lists_its_attachment_and_holds_no_table() {
    let bytes = repo_file("tests/fixtures/real/real_037_cq_city_czj_2026_landing_page.html");
    assert_eq!(
        attachment_links(&bytes),
        [("重庆市财政局（本级）2026年单位预算情况说明.pdf".to_owned(), "./W020260302356020551996.pdf".to_owned())]
    );
    let doc = extract(&bytes);
    assert_eq!(doc.tables().count(), 0);
    let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert!(paras.contains(&"重庆市财政局（本级）2026年单位预算情况说明见附件。"), "{paras:?}");
    assert!(!paras.iter().any(|p| p.contains("downloadFj") || p.contains("CKobject")), "{paras:?}");
    assert!(
        doc.warnings.iter().any(|w| w.contains("links attachments: 重庆市财政局（本级）2026年单位预算情况说明.pdf")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn spans_breaks_and_nested_tables() {
    let page = "<table><tr><td rowspan=0>项目<td colspan=3>金额<br>（万元）\
        <tr><td>1,529.16<td><table><tr><td>内<td>表</table><td>4\
        <tr><td>2<td>3</table><p>后</p>";
    let doc = extract(page.as_bytes());
    let tables: Vec<&Table> = doc.tables().collect();
    assert_eq!(tables.len(), 2);
    let outer = tables[0];
    // Four columns: a data table holding a table, not a page frame.
    assert_eq!((outer.n_rows, outer.n_cols), (3, 4));
    assert_eq!(outer.cells[0].row_span, 3);
    assert_eq!(outer.cells[1].text, "金额\n（万元）");
    assert_eq!(outer.text_grid()[1], ["项目", "1,529.16", "", "4"]);
    assert_eq!(outer.text_grid()[2], ["项目", "2", "3", ""]);
    assert_eq!(tables[1].text_grid(), [["内", "表"]]);
    assert!(matches!(doc.blocks.last(), Some(Block::Paragraph(p)) if p.text == "后"));
}

#[test]
fn layout_tables_hidden_blocks_and_menus_are_read_as_a_reader_sees_them() {
    let page = r#"<html><body><div id="topmenu"><a href="/">首页</a></div>
        <ul><li><a href="/a">机构</a></li><li><a href="/b">公开</a></li><li><a href="/c">互动</a></li></ul>
        <div style="display: none">隐藏</div>
        <table><tr><td><p>第一部分 部门概况</p><table><tr><td>收入</td><td>1.00</td></tr></table></td></tr></table>
        <footer>版权所有</footer></body></html>"#;
    let doc = extract(page.as_bytes());
    let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(paras, ["第一部分 部门概况"]);
    let tables: Vec<&Table> = doc.tables().collect();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].text_grid(), [["收入", "1.00"]]);
}

#[test]
fn hostile_pages_never_panic() {
    // Deeper than the walker's depth cap (200): read flat.
    let deep = "<div>".repeat(400) + "深" + &"</div>".repeat(10);
    let doc = extract(deep.as_bytes());
    assert!(doc.paragraphs().any(|p| p.text == "深"));
    // html5ever is quadratic in the depth: a page nested deeper than any real one is refused
    // before parsing (the fuzzer's slow input: 80,000 levels took 40 s).
    let deeper = "<div>".repeat(80_000) + "深";
    let refused = HtmlExtractor.extract(deeper.as_bytes(), &Options::default()).unwrap_err();
    assert!(refused.message.contains("nested 513+ deep"), "{}", refused.message);
    assert!(attachment_links(deeper.as_bytes()).is_empty());
    let spans = "<table><tr><td rowspan=99999999 colspan=99999999>x</td><td>y</td></tr></table>";
    let t = extract(spans.as_bytes());
    let table = t.tables().next().expect("table");
    assert_eq!((table.n_rows, table.n_cols), (1, 1001));
    let wide = "<table>".to_owned() + &"<tr><td colspan=1000>x<td>y".repeat(5_000) + "</table>";
    let doc = extract(wide.as_bytes());
    let table = doc.tables().next().expect("table");
    assert_eq!((table.n_rows, table.n_cols), (5_000, 2));
    assert!(doc.warnings.iter().any(|w| w == "table of 5000 rows x 1001 columns: spans ignored"), "{:?}", doc.warnings);
    let nested = "<table><tr><td>".repeat(3_000);
    assert!(HtmlExtractor.extract(nested.as_bytes(), &Options::default()).is_err());
    let nested = "<table><tr><td>".repeat(500);
    let _ = extract(nested.as_bytes());
    assert!(HtmlExtractor.extract(b"  \n", &Options::default()).is_err());
    let real = repo_file("tests/fixtures/web/000_5010c9f98508a758.html");
    for cut in (1..real.len()).step_by(4099) {
        let _ = extract(&real[..cut]);
    }
    let _ = extract(&[0xFF, 0xFE, 0x00, 0xD8, b'<', 0, b'p', 0]);
}
