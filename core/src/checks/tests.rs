//! The identities on the five hand-verified seeds (tests/fixtures/gold): exactly the failures
//! the gold notes list must fail, nothing else.

use super::*;
use crate::report::{Record, Report, TableFound};
use std::collections::BTreeSet;
use std::str::FromStr;

pub(crate) fn gold(stem: &str) -> serde_json::Value {
    let path = format!("{}/../tests/fixtures/gold/{stem}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(crate) fn gold_records(g: &serde_json::Value) -> Vec<Record> {
    let s = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap_or_default().to_string();
    g["records"]
        .as_array()
        .expect("records array")
        .iter()
        .map(|r| Record {
            table: s(r, "table"),
            side: s(r, "side"),
            item_code: s(r, "item_code"),
            item_name: s(r, "item_name"),
            column: s(r, "column"),
            amount: Decimal::from_str(&s(r, "amount")).expect("gold amount"),
            unit_printed: "万元".into(),
            text_printed: s(r, "text_printed"),
            page: None,
            line: r["line"].as_u64().map(|l| l as u32),
            flags: vec![],
            ..Default::default()
        })
        .collect()
}

pub(crate) fn gold_report(stem: &str) -> Report {
    let g = gold(stem);
    let empty: Vec<&str> = g["document"]["tables_empty"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    let tables = g["document"]["tables_found"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .map(|id| TableFound { id: id.to_string(), empty: empty.contains(&id) })
        .collect();
    Report { records: gold_records(&g), tables, ..Default::default() }
}

fn failed(checks: &[Check]) -> BTreeSet<(String, String)> {
    checks.iter().filter(|c| c.status == CheckStatus::Fail).map(|c| (c.check.clone(), c.subject.clone())).collect()
}

#[path = "../../../tests/common/expected_failures.rs"]
mod expected_failures;
use expected_failures::expected_failures;

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn passed(checks: &[Check]) -> usize {
    checks.iter().filter(|c| c.status == CheckStatus::Pass).count()
}

#[test]
fn seed_000_only_the_shifted_399_fails() {
    let checks = run_checks(&gold_report("000_5010c9f98508a758"), DEFAULT_TOLERANCE_PER_ITEM);
    assert_eq!(failed(&checks), expected_failures("000"));
    let c = checks.iter().find(|c| c.check == "06:302=sum(children)").unwrap();
    assert_eq!((c.expected, c.found), (Some(Decimal::new(40372, 2)), Some(Decimal::new(472, 2))));
    assert_eq!(c.difference(), Some(Decimal::new(-39900, 2)));
    assert!(passed(&checks) > 100, "{} passed", passed(&checks));
}

#[test]
fn seed_001_has_no_tables_so_no_checks() {
    assert!(run_checks(&gold_report("001_03d4e11e00e8d2e9"), DEFAULT_TOLERANCE_PER_ITEM).is_empty());
}

#[test]
fn seed_002_only_the_shifted_399_fails() {
    let checks = run_checks(&gold_report("002_97d50bc877a759dd"), DEFAULT_TOLERANCE_PER_ITEM);
    assert_eq!(failed(&checks), expected_failures("002"));
    assert!(passed(&checks) > 50, "{} passed", passed(&checks));
}

#[test]
fn seed_003_rounding_differences_pass_within_tolerance() {
    let report = gold_report("003_66bd46d71a5bdd15");
    let checks = run_checks(&report, DEFAULT_TOLERANCE_PER_ITEM);
    assert_eq!(failed(&checks), set(&[]));
    assert!(passed(&checks) > 150, "{} passed", passed(&checks));
    // Without tolerance the 尾差 the gold notes list become failures.
    let strict = failed(&run_checks(&report, Decimal::ZERO));
    assert!(strict.contains(&("03:合计=sum(类)".to_string(), "合计 [本年支出合计]".to_string())), "{strict:?}");
    assert!(strict.contains(&("06:人员经费合计=301+303".to_string(), "人员经费合计 [决算数]".to_string())), "{strict:?}");
}

#[test]
fn seed_004_exactly_the_sixteen_listed_failures() {
    let checks = run_checks(&gold_report("004_295e34a150d1a2fa"), DEFAULT_TOLERANCE_PER_ITEM);
    let expected = expected_failures("004");
    assert_eq!(expected.len(), 16);
    assert_eq!(failed(&checks), expected);
    let c = checks.iter().find(|c| c.check == "02:款=sum(项)" && c.subject == "21015 [本年收入合计]").unwrap();
    assert_eq!((c.expected, c.found), (Some(Decimal::from(475)), Some(Decimal::from(593))));
    assert!(passed(&checks) > 150, "{} passed", passed(&checks));
}

#[test]
fn absent_totals_are_not_checked_and_overflow_does_not_panic() {
    let rec = |t: &str, code: &str, name: &str, col: &str, v: Decimal| Record {
        table: t.into(),
        side: String::new(),
        item_code: code.into(),
        item_name: name.into(),
        column: col.into(),
        amount: v,
        unit_printed: "万元".into(),
        text_printed: v.to_string(),
        page: None,
        line: None,
        flags: vec![],
        ..Default::default()
    };
    // Children without their 类 row: nothing to compare against.
    let report = Report { records: vec![rec("03", "21015", "医疗保障管理事务", "本年支出合计", Decimal::ONE)], ..Default::default() };
    assert!(run_checks(&report, DEFAULT_TOLERANCE_PER_ITEM).is_empty());
    let report = Report {
        records: vec![
            rec("06", "301", "工资福利支出", "决算数", Decimal::ONE),
            rec("06", "30101", "基本工资", "决算数", Decimal::MAX),
            rec("06", "30102", "津贴补贴", "决算数", Decimal::MAX),
        ],
        ..Default::default()
    };
    let checks = run_checks(&report, DEFAULT_TOLERANCE_PER_ITEM);
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].status, CheckStatus::NotApplicable);
}


fn budget_record(item: &str, column: &str, v: i64) -> Record {
    Record {
        table: "Y03".into(),
        side: String::new(),
        item_code: "20101".into(),
        item_name: item.into(),
        column: column.into(),
        amount: Decimal::new(v, 2),
        unit_printed: "万元".into(),
        text_printed: String::new(),
        page: None,
        line: None,
        flags: vec![],
        ..Default::default()
    }
}

#[test]
fn budget_total_uses_the_parts_of_an_unprinted_basic_column() {
    let row = |project: i64| Report {
        records: vec![
            budget_record("人大事务", "合计", 1000),
            budget_record("人大事务", "人员经费", 300),
            budget_record("人大事务", "公用经费", 200),
            budget_record("人大事务", "项目支出", project),
        ],
        meta: crate::report::Metadata { report_type: "预算".into(), ..Default::default() },
        ..Default::default()
    };
    let status = |project| {
        let checks = run_checks(&row(project), DEFAULT_TOLERANCE_PER_ITEM);
        checks.iter().find(|c| c.check.starts_with("Y03:total=")).map(|c| (c.status, c.expected))
    };
    assert_eq!(status(500), Some((CheckStatus::Pass, Some(Decimal::new(1000, 2)))));
    assert_eq!(status(600).map(|s| s.0), Some(CheckStatus::Fail));
}

/// Gold facts of a seed as `Fact`s (the narrative as the gold reads it).
fn gold_facts(g: &serde_json::Value) -> Vec<crate::report::Fact> {
    g["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| crate::report::Fact {
            topic: f["topic"].as_str().unwrap().into(),
            name: f["name"].as_str().unwrap().into(),
            value: Decimal::from_str(f["value"].as_str().unwrap()).unwrap(),
            unit: f["unit"].as_str().unwrap().into(),
            sentence: f["sentence"].as_str().unwrap().into(),
        })
        .collect()
}

#[test]
fn narrative_agrees_with_tables_on_every_seed() {
    let mut compared = 0;
    for s in ["000_5010c9f98508a758", "001_03d4e11e00e8d2e9", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15", "004_295e34a150d1a2fa"] {
        let g = gold(s);
        let checks = narrative_vs_tables(&gold_facts(&g), &gold_records(&g), DEFAULT_TOLERANCE_PER_ITEM);
        assert_eq!(failed(&checks), set(&[]), "{s}");
        compared += checks.len();
    }
    assert!(compared >= 60, "only {compared} narrative figures compared");
}

#[test]
fn narrative_disagreement_is_a_failure() {
    let g = gold("004_295e34a150d1a2fa");
    let mut facts = gold_facts(&g);
    let basic = facts.iter_mut().find(|f| f.topic == "基本支出" && f.name == "人员经费").unwrap();
    basic.value = Decimal::from(439);
    let checks = narrative_vs_tables(&facts, &gold_records(&g), DEFAULT_TOLERANCE_PER_ITEM);
    assert_eq!(failed(&checks), set(&[("narrative:基本支出/人员经费=06", "人员经费合计 [决算数]")]));
    let c = checks.iter().find(|c| c.status == CheckStatus::Fail).unwrap();
    assert_eq!((c.expected, c.found), (Some(Decimal::from(493)), Some(Decimal::from(439))));
}

/// A 预算 record: (table, side, code or name, cross code, column, amount in hundredths).
fn cell(table: &str, side: &str, item: &str, cross: &str, column: &str, v: i64) -> Record {
    let coded = item.bytes().all(|b| b.is_ascii_digit());
    Record {
        table: table.into(),
        side: side.into(),
        item_code: if coded { item.into() } else { String::new() },
        item_name: if coded { String::new() } else { item.into() },
        cross_code: cross.into(),
        column: column.into(),
        amount: Decimal::new(v, 2),
        unit_printed: "万元".into(),
        ..Default::default()
    }
}

fn budget(records: Vec<Record>) -> Vec<Check> {
    let report = Report { records, meta: crate::report::Metadata { report_type: "预算".into(), ..Default::default() }, ..Default::default() };
    run_checks(&report, DEFAULT_TOLERANCE_PER_ITEM)
}

fn outcome(checks: &[Check], check: &str, subject: &str) -> Option<CheckStatus> {
    checks.iter().find(|c| c.check == check && c.subject == subject).map(|c| c.status)
}

#[test]
fn economic_tables_of_a_budget_sum_by_class() {
    let table = |first_kuan: i64| {
        budget(vec![
            cell("Y11", "", "合计", "", "合计", 1500),
            cell("Y11", "", "301", "", "合计", 1000),
            cell("Y11", "", "30101", "", "合计", first_kuan),
            cell("Y11", "", "30102", "", "合计", 400),
            cell("Y11", "", "302", "", "合计", 500),
            cell("Y11", "", "30201", "", "合计", 500),
        ])
    };
    assert_eq!(outcome(&table(600), "Y11:类=sum(款)", "301 [合计]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&table(600), "Y11:合计=sum(类)", "合计 [合计]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&table(700), "Y11:类=sum(款)", "301 [合计]"), Some(CheckStatus::Fail));
}

#[test]
fn a_lost_parent_row_fails_where_its_children_are_printed() {
    let checks = budget(vec![
        cell("Y05", "", "201", "", "合计", 300),
        cell("Y05", "", "20101", "", "合计", 100),
        cell("Y05", "", "2010101", "", "合计", 100),
        // 20110 not read, its 项 are:
        cell("Y05", "", "2011002", "", "合计", 150),
        cell("Y05", "", "2011004", "", "合计", 50),
    ]);
    let lost = checks.iter().find(|c| c.subject == "20110 [合计] not read").expect("a check on the lost row");
    assert_eq!((lost.check.as_str(), lost.status, lost.expected, lost.found), ("Y05:款=sum(项)", CheckStatus::Fail, Some(Decimal::new(200, 2)), None));
}

#[test]
fn summary_class_rows_equal_the_detail_tables() {
    let report = |general: i64| {
        budget(vec![
            cell("Y01", "支出", "201", "", "预算数", 700),
            cell("Y01", "支出", "208", "", "预算数", 300),
            cell("Y01", "支出", "本年支出合计", "", "预算数", 1000),
            cell("Y03", "", "201", "", "合计", general),
            cell("Y03", "", "208", "", "合计", 300),
        ])
    };
    assert_eq!(outcome(&report(700), "Y01:类=Y03:类", "201 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&report(700), "Y01:支出 本年支出合计=sum(类)", "本年支出合计 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&report(300), "Y01:类=Y03:类", "201 [预算数]"), Some(CheckStatus::Fail));
}

#[test]
fn scheme_twins_agree_code_by_code() {
    let checks = budget(vec![
        cell("Y12", "", "20101", "", "合计", 400),
        cell("Y05", "", "20101", "", "基本支出", 400),
        cell("Y06", "", "30101", "", "合计", 250),
        cell("Y11", "", "30101", "", "基本支出", 260),
    ]);
    assert_eq!(outcome(&checks, "Y12:科目=Y05:科目", "20101 [合计]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&checks, "Y06:科目=Y11:科目", "30101 [合计]"), Some(CheckStatus::Fail));
}

#[test]
fn cross_rows_add_up_to_the_row_above_them_in_both_codes() {
    // 烟台: 301 | 501 over 30101 | 50101 …, under a plain 合计; 北京: rows of one 项 under 合计.
    let checks = budget(vec![
        cell("Y06", "", "合计", "", "合计", 1000),
        cell("Y06", "", "301", "501", "合计", 600),
        cell("Y06", "", "30101", "50101", "合计", 350),
        cell("Y06", "", "30102", "50101", "合计", 250),
        cell("Y06", "", "301", "505", "合计", 400),
        cell("Y06", "", "30101", "50501", "合计", 390),
    ]);
    assert_eq!(outcome(&checks, "Y06:code=sum(cross rows)", "合计 [合计]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&checks, "Y06:code=sum(cross rows)", "301 | 501 [合计]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&checks, "Y06:code=sum(cross rows)", "301 | 505 [合计]"), Some(CheckStatus::Fail));
}

#[test]
fn a_check_names_only_the_cells_it_compared() {
    // Y06's 合计 is printed and Y05's 基本支出 is not: no same-figure check, and the next
    // check (Y01's 类 against Y03's) must not count Y06's cell as compared.
    let checks = budget(vec![
        cell("Y06", "", "合计", "", "合计", 500),
        cell("Y01", "支出", "201", "", "预算数", 700),
        cell("Y03", "", "201", "", "合计", 700),
    ]);
    let link = checks.iter().find(|c| c.check == "Y01:类=Y03:类").expect("the class link");
    let tables: Vec<&str> = link.compared.iter().map(|k| k.table.as_str()).collect();
    assert_eq!(tables, ["Y01", "Y03"]);
}

#[test]
fn summary_sides_add_up_their_named_rows() {
    // 深圳's order: 本年收入合计 below this year's rows, 上年结转 over its parts after it.
    let trailing = |other: i64| {
        budget(vec![
            cell("Y01", "收入", "财政拨款收入", "", "预算数", 1000),
            cell("Y01", "收入", "一般公共预算财政拨款", "", "预算数", 1000),
            cell("Y01", "收入", "其他收入", "", "预算数", other),
            cell("Y01", "收入", "本年收入合计", "", "预算数", 1200),
            cell("Y01", "收入", "上年结转", "", "预算数", 50),
            cell("Y01", "收入", "财政拨款结余、结转", "", "预算数", 50),
            cell("Y01", "收入", "收入总计", "", "预算数", 1250),
        ])
    };
    let ok = trailing(200);
    assert_eq!(outcome(&ok, "Y01:收入 本年收入合计=sum(rows)", "本年收入合计 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&ok, "Y01:收入 收入总计=本年收入合计+rest", "收入总计 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&ok, "Y01:收入 财政拨款收入=sum(parts)", "财政拨款收入 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&ok, "Y01:收入 上年结转=sum(parts)", "上年结转 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&trailing(250), "Y01:收入 本年收入合计=sum(rows)", "本年收入合计 [预算数]"), Some(CheckStatus::Fail));

    // 北京's order: `一、本年收入` heads its rows; the carried rows end them.
    let heading = budget(vec![
        cell("Y04", "收入", "本年收入合计", "", "预算数", 900),
        cell("Y04", "收入", "一般公共预算财政拨款", "", "预算数", 900),
        cell("Y04", "收入", "上年结转", "", "预算数", 100),
        cell("Y04", "收入", "上年结转/一般公共预算财政拨款", "", "预算数", 100),
        cell("Y04", "收入", "收入总计", "", "预算数", 1000),
        cell("Y04", "支出", "本年支出合计", "", "合计", 990),
        cell("Y04", "支出", "结转下年", "", "合计", 10),
        cell("Y04", "支出", "支出总计", "", "合计", 1000),
    ]);
    assert_eq!(outcome(&heading, "Y04:收入 本年收入合计=sum(rows)", "本年收入合计 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&heading, "Y04:收入 收入总计=本年收入合计+rest", "收入总计 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&heading, "Y04:收入 上年结转=sum(parts)", "上年结转 [预算数]"), Some(CheckStatus::Pass));
    assert_eq!(outcome(&heading, "Y04:支出 支出总计=本年支出合计+rest", "支出总计 [合计]"), Some(CheckStatus::Pass));
}

#[test]
fn a_summary_row_the_catalogue_does_not_know_leaves_the_side_unsummed() {
    // 西安's `部门预算` heading: its place in the sums is unknown, so no sum is tried.
    let checks = budget(vec![
        cell("Y01", "收入", "部门预算", "", "预算数", 1000),
        cell("Y01", "收入", "一般公共预算财政拨款", "", "预算数", 1000),
        cell("Y01", "收入", "本年收入合计", "", "预算数", 1000),
        cell("Y01", "收入", "收入总计", "", "预算数", 1000),
    ]);
    assert!(checks.iter().all(|c| !c.check.starts_with("Y01:收入")), "{checks:?}");
}

#[test]
fn a_units_block_is_checked_by_the_row_sums_too() {
    let mut records = vec![
        cell("Y02", "", "合计", "", "合计", 1500),
        cell("Y02", "", "合计", "", "一般公共预算财政拨款", 1200),
        cell("Y02", "", "合计", "", "上年结转", 200),
    ];
    for r in &mut records {
        r.block = "深圳市考试院".into();
    }
    let checks = budget(records);
    assert_eq!(outcome(&checks, "Y02:合计=sum(sources)", "[深圳市考试院] 合计 [合计]"), Some(CheckStatus::Fail));
}
