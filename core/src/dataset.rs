//! The output contract (reference/schema.md) as typed tables: documents, records, facts,
//! checks. Writers turn these into CSV and Parquet without knowing the domain.

use crate::outcome::{DocOutcome, Status};
use crate::report::{Metadata, Record};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

/// One typed value of an output cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(Option<i64>),
    Dec(Option<Decimal>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    /// Exact decimal; Parquet stores it as DECIMAL(38, scale).
    Dec { scale: u32 },
}

/// An output table: named, typed columns and rows.
#[derive(Debug, Clone)]
pub struct OutTable {
    pub name: &'static str,
    pub columns: Vec<(&'static str, Kind)>,
    pub rows: Vec<Vec<Value>>,
}

/// Amounts in 万元 carry at most 6 decimals (元 with fen → 万元).
pub const AMOUNT_SCALE: u32 = 6;

const META_COLUMNS: [(&str, Kind); 8] = [
    ("department", Kind::Str),
    ("scope", Kind::Str),
    ("province", Kind::Str),
    ("prefecture", Kind::Str),
    ("county", Kind::Str),
    ("region_code", Kind::Str),
    ("year", Kind::Int),
    ("report_type", Kind::Str),
];

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

fn meta_values(m: &Metadata) -> Vec<Value> {
    vec![
        s(&m.department),
        s(&m.scope),
        s(&m.province),
        s(&m.prefecture),
        s(&m.county),
        s(&m.region_code),
        Value::Int(m.year.map(i64::from)),
        s(&m.report_type),
    ]
}

/// The key that identifies a report across files and runs (schema.md, Dedup and tags).
pub fn report_key(m: &Metadata) -> String {
    let place = if m.region_code.is_empty() { &m.department } else { &m.region_code };
    let year = m.year.map(|y| y.to_string()).unwrap_or_default();
    [place.as_str(), &m.department, &year, &m.report_type, &m.scope].join("|")
}

/// Stable id of a fact: the same report, table, side, item and column (and block, cross
/// code and ordinal where the table has them) give the same id in every run, whichever file
/// it was read from. Unique within a document: the recogniser numbers repeats (`ordinal`).
pub fn record_id(m: &Metadata, r: &Record) -> String {
    let mut key = [report_key(m).as_str(), &r.table, &r.side, r.item_key(), &r.column].join("|");
    // Only present dimensions join the key, so the ids of plain tables stay what they were.
    for (tag, value) in [("b", r.block.as_str()), ("x", r.cross_code.as_str())] {
        if !value.is_empty() {
            key.push_str(&format!("|{tag}:{value}"));
        }
    }
    if r.ordinal > 0 {
        key.push_str(&format!("|o:{}", r.ordinal));
    }
    Sha256::digest(key.as_bytes())[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a document's values feed the records, facts and checks outputs: duplicates and
/// the losing copy of a correction are listed in documents only.
pub fn feeds_records(d: &DocOutcome) -> bool {
    matches!(d.status, Status::Ok | Status::Partial) && d.duplicate_of.is_empty()
}

pub fn documents(docs: &[DocOutcome]) -> OutTable {
    let mut columns = vec![("doc_id", Kind::Str), ("source_path", Kind::Str), ("format", Kind::Str), ("status", Kind::Str), ("error", Kind::Str)];
    columns.extend(META_COLUMNS);
    columns.extend([
        ("duplicate_of", Kind::Str),
        ("tables_found", Kind::Str),
        ("n_records", Kind::Int),
        ("unit_printed", Kind::Str),
        ("pages", Kind::Int),
        ("flags", Kind::Str),
        ("verification", Kind::Str),
        ("verification_reasons", Kind::Str),
    ]);
    let rows = docs
        .iter()
        .map(|d| {
            let m = &d.report.meta;
            let n = if feeds_records(d) { d.report.records.len() as i64 } else { 0 };
            let mut row = vec![s(&d.doc_id), s(&d.source_path), s(d.format.name()), s(d.status.name()), s(&d.error)];
            row.extend(meta_values(m));
            row.extend([
                s(&d.duplicate_of),
                s(&d.report.tables_found()),
                Value::Int(Some(n)),
                s(&m.unit_printed),
                Value::Int(d.pages.map(i64::from)),
                s(&m.flags.join(";")),
                s(d.report.verification.name()),
                s(&d.report.verification.line()),
            ]);
            row
        })
        .collect();
    OutTable { name: "documents", columns, rows }
}

pub fn records(docs: &[DocOutcome]) -> OutTable {
    let mut columns = vec![("record_id", Kind::Str), ("doc_id", Kind::Str)];
    columns.extend(META_COLUMNS);
    columns.extend([
        ("table", Kind::Str),
        ("side", Kind::Str),
        ("item_code", Kind::Str),
        ("item_name", Kind::Str),
        ("block", Kind::Str),
        ("cross_code", Kind::Str),
        ("row_ordinal", Kind::Int),
        ("column", Kind::Str),
        ("amount", Kind::Dec { scale: AMOUNT_SCALE }),
        ("unit_printed", Kind::Str),
        ("text_printed", Kind::Str),
        ("page", Kind::Int),
        ("line", Kind::Int),
        ("flags", Kind::Str),
    ]);
    let mut rows = Vec::new();
    for d in docs.iter().filter(|d| feeds_records(d)) {
        let m = &d.report.meta;
        for r in &d.report.records {
            let mut row = vec![s(&record_id(m, r)), s(&d.doc_id)];
            row.extend(meta_values(m));
            row.extend([
                s(&r.table),
                s(&r.side),
                s(&r.item_code),
                s(&r.item_name),
                s(&r.block),
                s(&r.cross_code),
                Value::Int(Some(i64::from(r.ordinal))),
                s(&r.column),
                Value::Dec(Some(r.amount)),
                s(&r.unit_printed),
                s(&r.text_printed),
                Value::Int(r.page.map(i64::from)),
                Value::Int(r.line.map(i64::from)),
                s(&r.flags.join(";")),
            ]);
            rows.push(row);
        }
    }
    OutTable { name: "records", columns, rows }
}

pub fn facts(docs: &[DocOutcome]) -> OutTable {
    let mut columns = vec![("doc_id", Kind::Str)];
    columns.extend(META_COLUMNS);
    columns.extend([
        ("topic", Kind::Str),
        ("name", Kind::Str),
        ("value", Kind::Dec { scale: AMOUNT_SCALE }),
        ("unit", Kind::Str),
        ("sentence", Kind::Str),
    ]);
    let mut rows = Vec::new();
    for d in docs.iter().filter(|d| feeds_records(d)) {
        for f in &d.report.facts {
            let mut row = vec![s(&d.doc_id)];
            row.extend(meta_values(&d.report.meta));
            row.extend([s(&f.topic), s(&f.name), Value::Dec(Some(f.value)), s(&f.unit), s(&f.sentence)]);
            rows.push(row);
        }
    }
    OutTable { name: "facts", columns, rows }
}

pub fn checks(docs: &[DocOutcome]) -> OutTable {
    let dec = Kind::Dec { scale: AMOUNT_SCALE };
    let columns = vec![
        ("doc_id", Kind::Str),
        ("check", Kind::Str),
        ("subject", Kind::Str),
        ("expected", dec),
        ("found", dec),
        ("difference", dec),
        ("status", Kind::Str),
    ];
    let mut rows = Vec::new();
    for d in docs.iter().filter(|d| feeds_records(d)) {
        for c in &d.report.checks {
            rows.push(vec![
                s(&d.doc_id),
                s(&c.check),
                s(&c.subject),
                Value::Dec(c.expected),
                Value::Dec(c.found),
                Value::Dec(c.difference()),
                s(c.status.name()),
            ]);
        }
    }
    OutTable { name: "checks", columns, rows }
}
