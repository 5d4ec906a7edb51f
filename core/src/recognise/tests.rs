//! Seeds against gold, scored the way `shared/tools/score.py` scores: records keyed by
//! (table, side, item_code or normalised name, column), amounts exact.

use super::recognise;
use crate::report::Report;
use gongkai_model::{Extractor, Format, Options};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;

fn fixture(dir: &str, stem: &str, ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(dir).join(format!("{stem}.{ext}"))
}

fn recognise_seed(stem: &str) -> Report {
    let bytes = std::fs::read(fixture("seeds", stem, "txt")).expect("seed fixture");
    let doc = gongkai_text::TextExtractor(Format::Text).extract(&bytes, &Options::default()).expect("seed reads");
    recognise(&doc)
}

/// score.py's norm_name: whitespace, ordinals, parenthetical qualifiers and quotes removed.
pub(crate) fn norm_name(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).map(|c| match c {
        '(' => '（',
        ')' => '）',
        _ => c,
    }).collect();
    let s = crate::recognise::rows::canonical_name(&s);
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '（' => depth += 1,
            '）' if depth > 0 => depth -= 1,
            '“' | '”' | '"' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

type Key = (String, String, String, String);

fn key(table: &str, side: &str, code: &str, name: &str, column: &str) -> Key {
    let item = if code.is_empty() { format!("name:{}", norm_name(name)) } else { code.to_string() };
    (format!("{table:0>2}"), side.to_string(), item, norm_name(column))
}

struct Score {
    f1: f64,
    problems: Vec<String>,
}

fn score(report: &Report, gold: &serde_json::Value) -> Score {
    let s = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let mut expected: HashMap<Key, Decimal> = HashMap::new();
    for r in gold["records"].as_array().into_iter().flatten() {
        let amount = Decimal::from_str(&s(r, "amount")).expect("gold amount");
        expected.insert(key(&s(r, "table"), &s(r, "side"), &s(r, "item_code"), &s(r, "item_name"), &s(r, "column")), amount);
    }
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let (mut tp, mut wrong, mut fp) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for r in &report.records {
        let k = key(&r.table, &r.side, &r.item_code, &r.item_name, &r.column);
        *seen.entry(k.clone()).or_default() += 1;
        if seen[&k] > 1 {
            fp += 1;
            problems.push(format!("duplicate {k:?}"));
            continue;
        }
        match expected.get(&k) {
            Some(g) if *g == r.amount => tp += 1,
            Some(g) => {
                wrong += 1;
                problems.push(format!("wrong {k:?}: gold {g} got {}", r.amount));
            }
            None if r.amount.is_zero() => {}
            None => {
                fp += 1;
                problems.push(format!("extra {k:?} = {}", r.amount));
            }
        }
    }
    for k in expected.keys().filter(|k| !seen.contains_key(*k)) {
        problems.push(format!("missing {k:?} = {}", expected[k]));
    }
    let p = if tp + wrong + fp == 0 { if expected.is_empty() { 1.0 } else { 0.0 } } else { tp as f64 / (tp + wrong + fp) as f64 };
    let r = if expected.is_empty() { 1.0 } else { tp as f64 / expected.len() as f64 };
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    problems.sort();
    Score { f1, problems }
}

fn metadata_problems(report: &Report, gold: &serde_json::Value) -> Vec<String> {
    let d = &gold["document"];
    let m = &report.meta;
    let got = [
        ("department", m.department.clone()),
        ("province", m.province.clone()),
        ("prefecture", m.prefecture.clone()),
        ("county", m.county.clone()),
        ("region_code", m.region_code.clone()),
        ("year", m.year.map(|y| y.to_string()).unwrap_or_default()),
        ("report_type", m.report_type.clone()),
    ];
    got.into_iter()
        .filter_map(|(field, value)| {
            let want = match &d[field] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            (!want.is_empty() && want != value).then(|| format!("{field}: gold {want:?} got {value:?}"))
        })
        .collect()
}

fn tables_found(gold: &serde_json::Value) -> String {
    let list = |k: &str| gold["document"][k].as_array().into_iter().flatten().filter_map(|v| v.as_str()).map(str::to_string).collect::<Vec<_>>();
    let empty = list("tables_empty");
    list("tables_found").iter().map(|t| if empty.contains(t) { format!("{t}*") } else { t.clone() }).collect::<Vec<_>>().join(",")
}

fn check_seed(stem: &str) {
    check_report(stem, &recognise_seed(stem));
}

fn recognise_pdf(path: PathBuf) -> Report {
    let bytes = std::fs::read(path).expect("pdf fixture");
    recognise(&gongkai_pdf::PdfExtractor.extract(&bytes, &Options::default()).expect("pdf reads"))
}

fn check_report(stem: &str, report: &Report) {
    let report = report.clone();
    let gold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("gold", stem, "json")).expect("gold fixture")).expect("gold json");
    let meta = metadata_problems(&report, &gold);
    let s = score(&report, &gold);
    let shown: Vec<&String> = s.problems.iter().take(40).collect();
    assert!(meta.is_empty(), "{stem} metadata: {meta:?}");
    assert_eq!(report.tables_found(), tables_found(&gold), "{stem} tables_found");
    let repeated: Vec<&String> = s.problems.iter().filter(|p| p.starts_with("duplicate")).collect();
    assert!(repeated.is_empty(), "{stem} reads a (table, side, item, column) twice: {repeated:?}");
    assert!(s.f1 == 1.0, "{stem} f1 = {:.4}; {} problems: {shown:#?}", s.f1, s.problems.len());
    assert_eq!(report.not_disclosure, None);
}

#[test]
fn seed_000_tab_layout_all_eleven_tables() {
    check_seed("000_5010c9f98508a758");
}

#[test]
fn seed_001_narrative_only() {
    check_seed("001_03d4e11e00e8d2e9");
}

#[test]
fn seed_002_transposed_09_and_shifted_headers() {
    check_seed("002_97d50bc877a759dd");
}

#[test]
fn seed_003_truncated_codes_and_page_breaks() {
    check_seed("003_66bd46d71a5bdd15");
}

#[test]
fn seed_004_one_cell_per_line() {
    check_seed("004_295e34a150d1a2fa");
}

#[test]
fn pdf_000_matches_gold() {
    check_report("000_5010c9f98508a758", &recognise_pdf(fixture("pdf", "000_5010c9f98508a758", "pdf")));
}

#[test]
fn pdf_004_with_misaligned_headers_matches_gold() {
    check_report("004_295e34a150d1a2fa", &recognise_pdf(fixture("recognise", "004_295e34a150d1a2fa", "pdf")));
}

#[test]
fn unrelated_text_is_not_a_disclosure() {
    let doc = gongkai_text::TextExtractor(Format::Text)
        .extract("关于召开2025年春季运动会的通知\n\n各单位：请于3月1日前报名。\n".as_bytes(), &Options::default())
        .expect("text");
    let r = recognise(&doc);
    assert_eq!(r.not_disclosure.as_deref(), Some(super::NOT_DISCLOSURE));
    assert!(r.records.is_empty() && r.tables.is_empty());
}

#[test]
fn a_title_without_a_body_is_not_a_disclosure() {
    let page = "重庆市财政局（本级）2026年单位预算公开\n\n重庆市财政局（本级）2026年单位预算情况说明见附件。\n";
    let doc = gongkai_text::TextExtractor(Format::Text).extract(page.as_bytes(), &Options::default()).expect("text");
    let r = recognise(&doc);
    assert_eq!(r.meta.report_type, "预算");
    assert_eq!(r.not_disclosure.as_deref(), Some(super::NOT_DISCLOSURE));
}

#[test]
fn hostile_grids_do_not_panic() {
    use gongkai_model::{Block, Cell, Document, Paragraph, Table};
    let title = |t: &str| Block::Paragraph(Paragraph { text: t.to_string(), ..Default::default() });
    let mut huge = Table::default();
    huge.push(Cell { row_span: 50, col_span: 40, ..Cell::new(0, 0, "合计") });
    huge.push(Cell::new(3, 2, "1.00"));
    let mut ragged = Table::default();
    for (r, n) in [(0usize, 1usize), (1, 9), (2, 0), (3, 4)] {
        for c in 0..n {
            ragged.push(Cell::new(r, c, if c == 0 { "208" } else { "1.5" }));
        }
    }
    let mut blocks = Vec::new();
    for spec in super::catalogue::TABLES {
        blocks.push(title(spec.title));
        blocks.push(Block::Table(Table::default()));
        blocks.push(title(spec.title));
        blocks.push(Block::Table(huge.clone()));
        blocks.push(title(spec.title));
        blocks.push(Block::Table(ragged.clone()));
    }
    let r = recognise(&Document { blocks, ..Default::default() });
    // Grids without a header of their table are not taken for it.
    assert!(r.tables.len() < super::catalogue::TABLES.len(), "{:?}", r.tables);
}

// ---------------------------------------------------------------- periods of 预算 columns

/// A grid written the way `gongkai dump` prints one: cells split by `|`, `·` a position
/// covered by a merged cell, `text[RxC]` a cell spanning R rows and C columns.
fn grid(lines: &[&str]) -> gongkai_model::Table {
    let mut t = gongkai_model::Table::default();
    for (r, line) in lines.iter().enumerate() {
        for (c, raw) in line.split('|').map(str::trim).enumerate() {
            if raw == "·" {
                continue;
            }
            let (text, spans) = match raw.strip_suffix(']').and_then(|x| x.rsplit_once('[')) {
                Some((text, spans)) => (text, spans.split_once('x').map(|(a, b)| (a.parse().unwrap_or(1), b.parse().unwrap_or(1)))),
                None => (raw, None),
            };
            let (row_span, col_span) = spans.unwrap_or((1, 1));
            t.push(gongkai_model::Cell { row_span, col_span, ..gongkai_model::Cell::new(r, c, text) });
        }
    }
    t
}

/// Canonical column per grid column of a table's header.
fn mapped(id: &str, t: &gongkai_model::Table) -> Vec<Option<&'static str>> {
    let s = super::catalogue::spec(id).expect("known table");
    let h = super::header::read(&t.text_grid(), &vec![t.n_cols; t.n_rows], t.n_cols);
    h.paths.iter().map(|p| super::header::map_column(s, p, "")).collect()
}

/// (item code or name, column, amount) of each record of one table read from one grid.
fn read_grid(id: &str, t: gongkai_model::Table) -> Vec<(String, String, String)> {
    let s = super::catalogue::spec(id).expect("known table");
    let records = super::read::read_table(s, &[t], "万元", &[]).records;
    records.iter().map(|r| (if r.item_code.is_empty() { r.item_name.clone() } else { r.item_code.clone() }, r.column.clone(), r.amount.to_string())).collect()
}

fn has(records: &[(String, String, String)], item: &str, column: &str, amount: &str) -> bool {
    records.iter().any(|(i, c, a)| i == item && c == column && a == amount)
}

/// The central template: 2025年执行数 | 2026年预算数 (小计 基本 项目) | 增减. Last year's
/// outturn is 上年执行数, the 扣除… variants and the comparisons are not read.
const CENTRAL_Y05: &[&str] = &[
    "功能分类科目[1x2]|·|2025年执行数[1x2]|·|2026年预算数[1x4]|·|·|·|2026年预算数比2025年执行数[1x2]|·",
    "科目编码[2x1]|科目名称[2x1]|执行数[2x1]|扣除中央基建投资后执行数[2x1]|年初预算数[1x3]|·|·|扣除中央基建投资后预算数[2x1]|增减额[2x1]|增减(%)[2x1]",
    "·|·|·|·|小计|基本支出|项目支出|·|·|·",
    "2014001|行政运行|5,555.07|5,555.07|5,826.21|5,826.21||5,826.21|271.14|4.88%",
    "2014002|一般行政管理事务|66.44|66.44|737.29||737.29|737.29|670.85|1009.71%",
];

#[test]
fn central_layout_reads_this_years_budget_not_last_years_outturn() {
    let t = grid(CENTRAL_Y05);
    assert_eq!(mapped("Y05", &t), vec![None, None, Some("上年执行数"), None, Some("合计"), Some("基本支出"), Some("项目支出"), None, None, None]);
    let r = read_grid("Y05", t);
    assert!(has(&r, "2014001", "合计", "5826.21") && has(&r, "2014001", "基本支出", "5826.21"), "{r:?}");
    assert!(has(&r, "2014002", "合计", "737.29") && has(&r, "2014002", "项目支出", "737.29"), "{r:?}");
    assert!(has(&r, "2014001", "上年执行数", "5555.07"), "{r:?}");
    assert_eq!(r.len(), 6, "{r:?}");
}

/// 重庆: one 2025年预算数 column before the 2026年预算数 group.
#[test]
fn last_years_budget_column_before_this_years_group() {
    let t = grid(&[
        "功能分类科目[1x2]|·|2025年预算数[3x1]|2026年预算数[1x5]|·|·|·|·",
        "科目编码[2x1]|科目名称[2x1]|·|总计[2x1]|基本支出[1x3]|·|·|项目支出[2x1]",
        "·|·|·|·|小计|人员经费|公用经费|·",
        "2010301|行政运行|6,077.49|6,342.71|6,342.71|4,542.97|1,799.74|",
    ]);
    assert_eq!(mapped("Y05", &t), vec![None, None, Some("上年预算数"), Some("合计"), Some("基本支出"), Some("人员经费"), Some("公用经费"), Some("项目支出")]);
    let r = read_grid("Y05", t);
    assert!(has(&r, "2010301", "合计", "6342.71") && has(&r, "2010301", "上年预算数", "6077.49"), "{r:?}");
}

/// The same side by side in words: 上年预算数 and 本年预算数 groups of 合计/基本/项目. Only
/// the total of last year's group has a canonical column.
#[test]
fn words_name_the_years_too() {
    let t = grid(&[
        "科目编码[2x1]|科目名称[2x1]|上年预算数[1x3]|·|·|本年预算数[1x3]|·|·|增减变化情况[2x1]",
        "·|·|合计|基本支出|项目支出|合计|基本支出|项目支出|·",
        "201|一般公共服务支出|10.00|6.00|4.00|12.00|7.00|5.00|2.00",
    ]);
    assert_eq!(mapped("Y03", &t), vec![None, None, Some("上年预算数"), None, None, Some("合计"), Some("基本支出"), Some("项目支出"), None]);
    let r = read_grid("Y03", t);
    assert!(has(&r, "201", "合计", "12.00") && has(&r, "201", "基本支出", "7.00") && has(&r, "201", "上年预算数", "10.00"), "{r:?}");
    assert_eq!(r.len(), 4, "{r:?}");
}

/// 深圳 支出总表: 支出总计 is the 合计; the 小计 of the 政府采购 memo group is not.
#[test]
fn memo_subtotals_are_not_the_total() {
    let t = grid(&[
        "预算单位[2x1]|科目编码[2x1]|科目名称[2x1]|支出总计[2x1]|基本支出[2x1]|项目支出[2x1]|2026年政府采购项目[1x2]|·",
        "·|·|·|·|·|·|小计|其中：预留给中小企业的项目资金规模",
        "|208|社会保障和就业支出|1,101.93|1,101.93|0.00|0.00|0.00",
    ]);
    assert_eq!(mapped("Y03", &t), vec![None, None, None, Some("合计"), Some("基本支出"), Some("项目支出"), None, None]);
    let r = read_grid("Y03", t);
    assert!(has(&r, "208", "合计", "1101.93") && has(&r, "208", "项目支出", "0.00"), "{r:?}");
}

/// Money carried over from last year (上年结转, 西安's 上年实户资金余额) is this year's source,
/// not last year's budget.
#[test]
fn carried_over_money_is_not_last_years_budget() {
    let t = grid(&["科目编码|科目名称|合计|上年实户资金余额|上年结转", "201|一般公共服务支出|3.00|1.00|2.00"]);
    assert_eq!(mapped("Y03", &t), vec![None, None, Some("合计"), None, None]);
}

/// Regional names of the 基本支出 parts (杭州, 烟台 日常公用支出; 长沙 人员类).
#[test]
fn regional_names_of_personnel_and_public_costs() {
    let t = grid(&["经济科目编码|经济科目名称|总计|人员类|日常公用支出", "301|工资福利支出|1,212.01|1,212.01|"]);
    assert_eq!(mapped("Y06", &t), vec![None, None, Some("合计"), Some("人员经费"), Some("公用经费")]);
}

/// 三公 printed for 2025 and 2026 side by side: the 预算数 is 2026's.
#[test]
fn sangong_budget_is_this_years() {
    let t = grid(&[
        "2025年预算数[1x3]|·|·|2026年预算数[1x3]|·|·",
        "合计|因公出国（境）费|公务接待费|合计|因公出国（境）费|公务接待费",
        "5.00|2.00|3.00|4.00|1.00|3.00",
    ]);
    let r = read_grid("Y07", t);
    assert!(has(&r, "合计", "预算数", "4.00") && has(&r, "因公出国（境）费", "预算数", "1.00"), "{r:?}");
    assert_eq!(r.len(), 3, "{r:?}");
}

/// A 决算 table's year prefix is dropped, and 决算数 stays its own column there.
#[test]
fn final_accounts_columns_keep_their_meaning() {
    let t = grid(&["项目|2024年决算数", "一般公共服务支出|3.00"]);
    let s = super::catalogue::spec("10").expect("table 10");
    let h = super::header::read(&t.text_grid(), &vec![t.n_cols; t.n_rows], t.n_cols);
    assert_eq!(h.paths.iter().map(|p| super::header::map_column(s, p, "")).collect::<Vec<_>>(), vec![None, Some("决算数")]);
}

/// One page of a 收入决算表 (table 02) as the PDF reader gives it: merged header, then rows,
/// every cell from `page`.
fn income_02_page(page: u32, rows: &[[&str; 4]]) -> gongkai_model::Table {
    use gongkai_model::{Cell, Provenance, Table};
    let on_page = |c: Cell| Cell { prov: Provenance::page(page), ..c };
    let mut t = Table::default();
    t.push(on_page(Cell { col_span: 2, ..Cell::new(0, 0, "项目") }));
    t.push(on_page(Cell { row_span: 2, ..Cell::new(0, 2, "本年收入合计") }));
    t.push(on_page(Cell { row_span: 2, ..Cell::new(0, 3, "财政拨款收入") }));
    t.push(on_page(Cell::new(1, 0, "功能分类科目编码")));
    t.push(on_page(Cell::new(1, 1, "科目名称")));
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            t.push(on_page(Cell::new(r + 2, c, *text)));
        }
    }
    t
}

/// 佛山/烟台/湖州 print the title, the header and the 合计 row again on every page a table runs
/// over, and some publishers repeat the last row: the table is read whole, a repeated row
/// counts once, and two equal rows with different codes stay two rows.
#[test]
fn a_table_continued_under_its_repeated_title_is_read_whole_and_once() {
    use gongkai_model::{Block, Document, Paragraph};
    let line = |t: &str| Block::Paragraph(Paragraph { text: t.to_string(), ..Default::default() });
    let total = ["", "合计", "30.00", "30.00"];
    let last_on_page_1 = ["2080506", "机关事业单位职业年金缴费支出", "5.00", "5.00"];
    let page_1 = income_02_page(1, &[
        total,
        ["208", "社会保障和就业支出", "10.00", "10.00"],
        ["20805", "行政事业单位养老支出", "10.00", "10.00"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "5.00", "5.00"],
        last_on_page_1,
    ]);
    let page_2 = income_02_page(2, &[
        total,
        last_on_page_1,
        ["221", "住房保障支出", "20.00", "20.00"],
        ["22102", "住房改革支出", "20.00", "20.00"],
        ["2210201", "住房公积金", "20.00", "20.00"],
    ]);
    let blocks = vec![
        line("表2"), line("收入决算表"), line("单位：万元"), Block::Table(page_1),
        line("表2"), line("收入决算表"), line("单位：万元"), Block::Table(page_2),
    ];
    let r = recognise(&Document { blocks, ..Default::default() });
    assert_eq!(r.tables_found(), "02");
    let rows = |code: &str, name: &str| r.records.iter().filter(|x| x.item_code == code && x.item_name == name && x.column == "本年收入合计").count();
    assert_eq!(rows("", "合计"), 1, "{:#?}", r.records);
    assert_eq!(rows("2080506", "机关事业单位职业年金缴费支出"), 1);
    assert_eq!(rows("2080505", "机关事业单位基本养老保险缴费支出"), 1);
    for code in ["221", "22102", "2210201"] {
        assert_eq!(r.records.iter().filter(|x| x.item_code == code).count(), 2, "{code} of page 2");
    }
    // 8 distinct rows × 2 columns.
    let read: Vec<String> = r.records.iter().map(|x| format!("{} {} {} {}", x.item_code, x.item_name, x.column, x.amount)).collect();
    assert_eq!(read.len(), 16, "{read:#?}");
}

#[test]
fn sangong_years_down_the_rows_read_this_year_only() {
    use super::read::{row_period, RowPeriod};
    let period = |labels: &[&str]| row_period(labels.iter().map(|s| s.to_string()));
    assert_eq!(period(&["深圳市医疗保障局（本级）", "2025年"]), RowPeriod::Year(2025));
    assert_eq!(period(&["", "2026年度"]), RowPeriod::Year(2026));
    assert_eq!(period(&["", "增减变化金额"]), RowPeriod::Change);
    assert_eq!(period(&["合计"]), RowPeriod::None);
}

/// 西安's long titles wrap over two lines: the two lines together name the table.
#[test]
fn a_title_wrapped_over_two_lines_names_its_table() {
    let page = "2026年西安市某局部门综合预算\n\n表13\n\n2026年部门综合预算一般公共预算拨款“三公”经费及会议费、\n\n培训费支出预算表\n\n单位：万元\n\n\
                项目\t预算数\n合计\t12.00\n因公出国（境）费\t2.00\n公务接待费\t4.00\n公务用车购置及运行维护费\t6.00\n";
    let doc = gongkai_text::TextExtractor(Format::Text).extract(page.as_bytes(), &Options::default()).expect("text");
    let r = recognise(&doc);
    assert_eq!(r.tables_found(), "Y07", "{:?}", r.records);
    assert!(r.records.iter().any(|x| x.item_name == "公务接待费" && x.amount == rust_decimal::Decimal::from(4)));
}

/// The 三公 total printed as 小计 or 总计 is the table's 合计.
#[test]
fn a_sangong_total_under_another_label_is_the_total() {
    for label in ["小计", "总计", "合计"] {
        let page = format!(
            "2026年某局部门预算\n\n一般公共预算“三公”经费支出表\n\n单位：万元\n\n项目\t预算数\n{label}\t12.00\n因公出国（境）费\t2.00\n公务接待费\t4.00\n公务用车购置及运行维护费\t6.00\n"
        );
        let doc = gongkai_text::TextExtractor(Format::Text).extract(page.as_bytes(), &Options::default()).expect("text");
        let r = recognise(&doc);
        let total = r.records.iter().find(|x| x.item_name == "合计").map(|x| x.amount);
        assert_eq!(total, Some(rust_decimal::Decimal::from(12)), "{label}: {:?}", r.records);
    }
}

/// A standard table whose grid prints figures under a header the reader does not understand
/// is named as not read (and the document is suspect), not reported as published empty; a
/// table outside the catalogue is named with its pages; a grid of codes only loses nothing.
#[test]
fn tables_printed_with_figures_and_not_read_are_named() {
    let page = "2026年某局部门预算\n\n表2\n\n部门收入总表\n\n单位：万元\n\n甲栏\t乙栏\n某某\t1,234.56\n\n\
                政府采购预算明细表\n\n单位：万元\n\n采购品目\t金额\n办公设备\t12.50\n\n\
                项目支出绩效目标表\n\n科目编码\t科目名称\n201\t一般公共服务支出\n\n\
                一般公共预算“三公”经费支出表\n\n单位：万元\n\n项目\t预算数\n合计\t6.00\n因公出国（境）费\t2.00\n公务接待费\t4.00\n";
    let doc = gongkai_text::TextExtractor(Format::Text).extract(page.as_bytes(), &Options::default()).expect("text");
    let mut r = recognise(&doc);
    assert_eq!(r.tables_found(), "Y07", "{:?}", r.records);
    assert_eq!(r.tables_unread(), "Y02 部门收入总表; 政府采购预算明细表", "{:?}", r.unread);
    r.verification = crate::verify::verify(&r, None);
    assert!(r.verification.line().contains("Y02: printed with figures but not read"), "{}", r.verification.line());
}

#[test]
fn columns_printed_with_figures_under_unknown_headers_are_named() {
    // 长沙's 收入总表: 合计 | 本级财政拨款 (金额 | 其中：经费拨款); only 合计 is a column of Y02.
    let s = crate::recognise::catalogue::spec("Y02").unwrap();
    let rows: &[&[&str]] = &[
        &["科目编码", "科目名称", "合计", "本级财政拨款", ""],
        &["", "", "", "金额", "其中：经费拨款"],
        &["", "合计", "1,234.50", "1,234.50", "1,000.00"],
        &["201", "一般公共服务支出", "1,234.50", "1,234.50", "1,000.00"],
    ];
    let t = gongkai_model::Table::from_rows(rows.iter().map(|r| r.iter().map(|t| t.to_string()).collect()).collect(), Default::default());
    let read = super::read::read_table(s, &[t], "万元", &[]);
    assert!(!read.records.is_empty());
    assert_eq!(read.columns_unread, vec![(None, vec!["本级财政拨款金额".to_string(), "本级财政拨款经费拨款".to_string()])]);
}
