//! real_046: a 部门预算 converted from PDF into an article page of absolutely positioned
//! `<div>`s (53 pages, every text run and cell border placed by `top`/`left`), read by laying
//! the pages out by position. Amounts below were read off the page's own text.

mod common;

use common::{extract, fixtures, out_dir, read_csv, Row};
use std::time::{Duration, Instant};

const FILE: &str = "real/real_046_yt_city_tyjr_2026_dept_budget.html";

/// Records measured when the layout landed: 527.
const MIN_RECORDS: usize = 500;

/// (table, item code or name, column, amount) as printed.
const AMOUNTS: &[(&str, &str, &str, &str)] = &[
    ("Y01", "收入总计", "预算数", "35874.49"),
    ("Y01", "本年收入合计", "预算数", "32471.49"),
    ("Y01", "上级补助收入", "预算数", "3403.00"),
    ("Y01", "208", "预算数", "27416.60"),
    ("Y02", "合计", "合计", "35874.49"),
    ("Y02", "2080505", "合计", "904.32"),
    ("Y03", "合计", "基本支出", "10440.01"),
    ("Y03", "合计", "项目支出", "25434.48"),
    ("Y04", "支出总计", "一般公共预算财政拨款", "28467.65"),
    ("Y04", "支出总计", "政府性基金预算财政拨款", "218.00"),
    ("Y05", "合计", "人员经费", "9681.17"),
    ("Y05", "合计", "项目支出", "18343.48"),
    ("Y06", "合计", "公用经费", "443.00"),
    ("Y07", "合计", "预算数", "25.02"),
    ("Y07", "公务接待费", "预算数", "7.62"),
    ("Y08", "2296099", "合计", "218.00"),
    ("Y10", "合计", "合计", "25434.48"),
    ("Y10", "军供工作经费", "合计", "1140.00"),
];

#[test]
fn absolutely_positioned_html_reads_as_laid_out_pages() {
    let out = out_dir("real_html_positioned");
    let start = Instant::now();
    extract(&[&fixtures().join(FILE)], &out, &[]);
    let took = start.elapsed();
    // The 3.4 MB page reads in about a second; a layout gone quadratic would not.
    assert!(took < Duration::from_secs(20), "took {took:?}");

    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["department"], "烟台市退役军人事务局");
    assert_eq!(doc["year"], "2026");
    assert_eq!(doc["report_type"], "预算");
    assert_eq!(doc["scope"], "部门");
    assert_eq!(doc["region_code"], "370600");
    assert_eq!(doc["pages"], "53");
    // 公开表1-9 and 11 are the standard tables (10 基本支出预算情况表 and 12 政府采购预算表
    // are not in the catalogue); 公开表9 is printed without figures.
    let found: Vec<&str> = doc["tables_found"].split(',').collect();
    for t in [
        "Y01", "Y02", "Y03", "Y04", "Y05", "Y06", "Y07", "Y08", "Y10",
    ] {
        assert!(
            found.contains(&t),
            "{t} not found with figures in {found:?}"
        );
    }
    assert!(found.contains(&"Y09*"), "Y09 printed empty: {found:?}");

    let records = read_csv(&out.join("records.csv"));
    assert!(
        records.len() >= MIN_RECORDS,
        "{} records, at least {MIN_RECORDS} expected",
        records.len()
    );
    for &(table, item, column, amount) in AMOUNTS {
        let hits: Vec<&Row> = records
            .iter()
            .filter(|r| {
                r["table"] == table
                    && r["column"] == column
                    && (r["item_code"] == item
                        || (r["item_code"].is_empty() && r["item_name"] == item))
            })
            .collect();
        assert!(!hits.is_empty(), "{table} {item} {column}: no record");
        for r in hits {
            assert_eq!(r["amount"], amount, "{table} {item} {column}");
        }
    }
}
