//! The seeds in other publishers' styles, made on the fly: the same report printed in 元
//! with thousands separators, as markdown pipe tables, and one cell per line. Each variant
//! must give the gold records (amounts in 万元) — the recogniser reads meaning, not layout.

mod common;
use common::*;
use gongkai_model::{Extractor, Format, Options};
use rust_decimal::Decimal;

fn seed(stem: &str) -> String {
    std::fs::read_to_string(fixtures().join("seeds").join(format!("{stem}.txt"))).unwrap()
}

/// Records of a text through the library, keyed like the gold.
fn records(text: &str) -> (gongkai::report::Report, std::collections::HashMap<String, Decimal>) {
    let doc = gongkai_text::TextExtractor(Format::Text).extract(text.as_bytes(), &Options::default()).unwrap();
    let report = gongkai::recognise::recognise(&doc);
    let map = report.records.iter().map(|r| (record_key(&r.table, &r.side, &r.item_code, &r.item_name, &r.column), r.amount)).collect();
    (report, map)
}

/// `1,529.16` 万元 → `15,291,600.00` 元, for every table cell that is a decimal amount.
fn in_yuan(text: &str) -> String {
    let amount = regex::Regex::new(r"^\d[\d,]*\.\d{2}$").unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let line = line.replace("单位：万元", "单位：元").replace("单位: 万元", "单位: 元").replace("单位:万元", "单位:元");
            if !line.contains('\t') {
                return line;
            }
            line.split('\t')
                .map(|cell| {
                    if !amount.is_match(cell.trim()) {
                        return cell.to_string();
                    }
                    let wan: Decimal = cell.trim().replace(',', "").parse().unwrap();
                    thousands(wan * Decimal::from(10000))
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    lines.join("\n")
}

fn thousands(d: Decimal) -> String {
    let s = format!("{:.2}", d);
    let (int, frac) = s.split_once('.').unwrap();
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{out}.{frac}")
}

/// Tab rows → markdown pipe tables (header rule after the first row of each table).
fn as_markdown(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('\t') {
            let cells: Vec<&str> = line.split('\t').collect();
            out.push(format!("| {} |", cells.join(" | ")));
            if !in_table {
                out.push(format!("|{}|", vec!["---"; cells.len()].join("|")));
            }
            in_table = true;
        } else {
            if !line.trim().is_empty() {
                in_table = false;
            }
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

/// Tab rows → one cell per line, rows separated by blank lines (seed 004's layout).
fn one_cell_per_line(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.contains('\t') {
            for cell in line.split('\t') {
                out.push(format!("\t{cell}"));
            }
            out.push(String::new());
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn assert_gold(stem: &str, text: &str, only_decimals: bool) {
    let gold = gold(stem);
    let (report, got) = records(text);
    let mut problems = Vec::new();
    let gold_text: std::collections::HashMap<String, String> = {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixtures().join("gold").join(format!("{stem}.json"))).unwrap()).unwrap();
        v["records"].as_array().unwrap().iter().map(|r| {
            let f = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (record_key(&f("table"), &f("side"), &f("item_code"), &f("item_name"), &f("column")), f("text_printed"))
        }).collect()
    };
    for (k, want) in &gold.records {
        if only_decimals && !gold_text[k].contains('.') {
            continue;
        }
        match got.get(k) {
            Some(v) if v == want => {}
            other => problems.push(format!("{k}: gold {want} got {other:?}")),
        }
    }
    assert!(problems.is_empty(), "{stem}: {} of {} differ, e.g.\n{}", problems.len(), gold.records.len(), problems[..problems.len().min(15)].join("\n"));
    assert_eq!(report.meta.year, gold.document["year"].as_i64().map(|y| y as i32));
}

#[test]
fn reports_printed_in_yuan_with_thousands_separators_give_wanyuan() {
    for stem in ["000_5010c9f98508a758", "003_66bd46d71a5bdd15"] {
        let text = in_yuan(&seed(stem));
        assert!(!text.contains("单位：万元") && !text.contains("单位: 万元"), "{stem}: the variant really is in 元");
        assert_gold(stem, &text, true);
        let (report, _) = records(&text);
        assert!(report.records.iter().any(|r| r.unit_printed == "元" && r.text_printed.contains(',')));
    }
}

#[test]
fn markdown_pipe_tables_give_the_gold() {
    for stem in ["000_5010c9f98508a758", "002_97d50bc877a759dd"] {
        assert_gold(stem, &as_markdown(&seed(stem)), false);
    }
}

#[test]
fn one_cell_per_line_layout_gives_the_gold() {
    for stem in ["000_5010c9f98508a758", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15"] {
        assert_gold(stem, &one_cell_per_line(&seed(stem)), false);
    }
}
