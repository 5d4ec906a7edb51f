//! The output contract (reference/schema.md) as typed tables: documents, records, facts,
//! checks. Writers turn these into CSV and Parquet without knowing the domain.

use crate::classify::{self, Level};
use crate::outcome::{DocOutcome, Status};
use crate::recognise::catalogue::{self, RowKind};
use crate::report::{CellKey, Check, CheckStatus, Metadata, Record};
use rayon::prelude::*;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

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
    keyed_record_id(&report_key(m), r)
}

/// [`record_id`] under the document's [`report_key`], made once for all its records.
fn keyed_record_id(report: &str, r: &Record) -> String {
    let mut key = [report, &r.table, &r.side, r.item_key(), &r.column].join("|");
    // Only present dimensions join the key, so the ids of plain tables stay what they were.
    for (tag, value) in [("b", r.block.as_str()), ("x", r.cross_code.as_str())] {
        if !value.is_empty() {
            key.push_str(&format!("|{tag}:{value}"));
        }
    }
    if r.ordinal > 0 {
        key.push_str(&format!("|o:{}", r.ordinal));
    }
    crate::outcome::hex(&Sha256::digest(key.as_bytes())[..12])
}

/// Whether a document's values feed the records, facts and checks outputs: duplicates and
/// the losing copy of a correction are listed in documents only.
pub fn feeds_records(d: &DocOutcome) -> bool {
    matches!(d.status, Status::Ok | Status::Partial) && d.duplicate_of.is_empty()
}

/// Scopes whose report includes the figures of the narrower scope of the same department,
/// year and type: (wider, narrower). 汇总 adds the subordinate units to 本级; a 部门 budget
/// is the sum of its 单位 budgets.
const SCOPE_INCLUDES: [(&str, &str); 2] = [("汇总", "本级"), ("部门", "单位")];

/// Sets `included_in` on every document that feeds the dataset and whose figures a wider
/// report of the same run already holds, so that a regional total sums each figure once
/// (documents where `included_in` is empty).
pub fn link_scopes(docs: &mut [DocOutcome]) {
    let wider: std::collections::HashMap<(String, &str), String> = docs
        .iter()
        .filter(|d| feeds_records(d))
        .filter_map(|d| {
            let narrower = SCOPE_INCLUDES.iter().find(|(w, _)| *w == d.report.meta.scope)?.1;
            Some(((scope_free_key(&d.report.meta), narrower), d.doc_id.clone()))
        })
        .collect();
    for d in docs.iter_mut() {
        let key = (scope_free_key(&d.report.meta), d.report.meta.scope.as_str());
        d.included_in = match feeds_records(d) {
            true => wider.get(&key).cloned().unwrap_or_default(),
            false => String::new(),
        };
    }
}

/// The report key without its scope.
fn scope_free_key(m: &Metadata) -> String {
    report_key(&Metadata { scope: String::new(), ..m.clone() })
}

pub fn documents(docs: &[DocOutcome]) -> OutTable {
    let mut columns = vec![("doc_id", Kind::Str), ("source_path", Kind::Str), ("format", Kind::Str), ("status", Kind::Str), ("error", Kind::Str)];
    columns.extend(META_COLUMNS);
    columns.extend([
        ("duplicate_of", Kind::Str),
        ("included_in", Kind::Str),
        ("tables_found", Kind::Str),
        ("tables_unread", Kind::Str),
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
                s(&d.included_in),
                s(&d.report.tables_found()),
                s(&d.report.tables_unread()),
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

/// Where a record sits in its table's hierarchy: what it may be summed with. Rows of one
/// level (all 类, all 明细) of one table, block and column add up to its 合计; a 小计 or a
/// 类 beside its own parts would be counted twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLevel {
    /// A table's or a side's total (合计, 总计, 本年收入合计, 人员经费合计 …).
    Total,
    /// A named row that is the sum of other named rows (公务用车购置及运行维护费).
    Subtotal,
    Lei,
    Kuan,
    Xiang,
    /// A named row that is part of no other and sums no other.
    Item,
    /// A budget unit's row of a summary table by unit (flag `unit_row`).
    Unit,
    /// A code of no list length (`3010201`): its place is not known.
    Unknown,
}

impl RowLevel {
    pub fn name(self) -> &'static str {
        match self {
            RowLevel::Total => "合计",
            RowLevel::Subtotal => "小计",
            RowLevel::Lei => "类",
            RowLevel::Kuan => "款",
            RowLevel::Xiang => "项",
            RowLevel::Item => "明细",
            RowLevel::Unit => "单位",
            RowLevel::Unknown => "",
        }
    }

    pub const ALL: [RowLevel; 8] =
        [RowLevel::Total, RowLevel::Subtotal, RowLevel::Lei, RowLevel::Kuan, RowLevel::Xiang, RowLevel::Item, RowLevel::Unit, RowLevel::Unknown];
}

fn row_kind(table: &str) -> Option<RowKind> {
    catalogue::spec(table).map(|t| t.rows)
}

/// The record's level: from the code's length for coded rows, from the catalogue for named ones.
pub fn row_level(r: &Record) -> RowLevel {
    if r.flags.iter().any(|f| f == "unit_row") {
        return RowLevel::Unit;
    }
    if !r.item_code.is_empty() {
        return match classify::level(&r.item_code) {
            Level::Lei => RowLevel::Lei,
            Level::Kuan => RowLevel::Kuan,
            Level::Xiang => RowLevel::Xiang,
            Level::Unknown => RowLevel::Unknown,
        };
    }
    match row_kind(&r.table) {
        Some(kind) if catalogue::is_named_parent(kind, &r.item_name) && r.item_name != "合计" => RowLevel::Subtotal,
        _ if catalogue::is_total_row(&r.item_name) => RowLevel::Total,
        _ => RowLevel::Item,
    }
}

/// The item key (code or name) of the row this record is part of: the code one level up for
/// 款 and 项, the catalogue's parent for a named part; empty for totals, 类 and free items.
pub fn parent_item(r: &Record) -> &str {
    if !r.item_code.is_empty() {
        return classify::parent_code(&r.item_code).unwrap_or("");
    }
    row_kind(&r.table).and_then(|kind| catalogue::named_parent(kind, &r.item_name)).unwrap_or("")
}

/// The catalogue's concept and title of a table id (empty for an unknown id).
pub fn table_names(table: &str) -> (&'static str, &'static str) {
    catalogue::spec(table).map_or(("", ""), |t| (t.concept.name(), t.title))
}

pub fn records(docs: &[DocOutcome]) -> OutTable {
    let mut columns = vec![("record_id", Kind::Str), ("doc_id", Kind::Str)];
    columns.extend(META_COLUMNS);
    columns.extend([
        ("table", Kind::Str),
        ("table_concept", Kind::Str),
        ("table_title", Kind::Str),
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
        ("level", Kind::Str),
        ("parent_item", Kind::Str),
        ("check_status", Kind::Str),
    ]);
    // A document's rows are built apart from the others' (the writers run a chunk at a time).
    let per_doc: Vec<Vec<Vec<Value>>> = docs.par_iter().filter(|d| feeds_records(d)).map(record_rows).collect();
    let rows = per_doc.into_iter().flatten().collect();
    OutTable { name: "records", columns, rows }
}

fn record_rows(d: &DocOutcome) -> Vec<Vec<Value>> {
    let m = &d.report.meta;
    let report = report_key(m);
    let standing = check_standing(&d.report.records, &d.report.checks);
    let row = |(r, standing): (&Record, &CheckStanding)| {
        let mut row = vec![s(&keyed_record_id(&report, r)), s(&d.doc_id)];
        row.extend(meta_values(m));
        let (concept, title) = table_names(&r.table);
        row.extend([
            s(&r.table),
            s(concept),
            s(title),
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
            s(row_level(r).name()),
            s(parent_item(r)),
            s(standing.name()),
        ]);
        row
    };
    d.report.records.iter().zip(&standing).map(row).collect()
}

/// How a record stands in its report's identities (records `check_status`).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum CheckStanding {
    /// No identity sums or compares it: nothing vouches for the number but its reading.
    #[default]
    Unchecked,
    /// Every identity it takes part in holds (at least one).
    Pass,
    /// An identity it takes part in fails.
    Fail,
}

impl CheckStanding {
    fn name(self) -> &'static str {
        match self {
            CheckStanding::Unchecked => "",
            CheckStanding::Pass => "pass",
            CheckStanding::Fail => "fail",
        }
    }
}

/// Each record's [`CheckStanding`], from the cells every check compared.
fn check_standing(records: &[Record], checks: &[Check]) -> Vec<CheckStanding> {
    let cells = CellIndex::new(records);
    let mut standing = vec![CheckStanding::Unchecked; records.len()];
    for c in checks {
        let outcome = match c.status {
            CheckStatus::Pass => CheckStanding::Pass,
            CheckStatus::Fail => CheckStanding::Fail,
            _ => continue,
        };
        let block = check_subject(c).block;
        for i in c.compared.iter().filter_map(|k| cells.position(&block, k)) {
            if standing[i] != CheckStanding::Fail {
                standing[i] = outcome;
            }
        }
    }
    standing
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

/// What a check row is about, split out of its packed subject (`[unit] 2040601 [合计]`,
/// `09 合计 [决算数]`, `本年收入合计 [决算数] = Y01:收入总计 [预算数]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckSubject {
    /// The table whose printed cell is `found`.
    pub table: String,
    pub block: String,
    pub side: String,
    pub item: String,
    /// The row's second code where the subject names a cross table's row (`301 | 505 [合计]`).
    pub cross: String,
    pub column: String,
}

/// Splits a check's subject; the table comes from the check's name where the subject lacks it.
pub fn check_subject(c: &Check) -> CheckSubject {
    let mut out = CheckSubject::default();
    let mut rest = c.subject.as_str();
    if let Some(r) = rest.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        out.block = r.0.to_string();
        rest = r.1;
    }
    // A cross-table comparison names the other cell after ` = `; the subject's own cell is first.
    rest = rest.split(" = ").next().unwrap_or(rest);
    let (head, column) = match rest.rsplit_once(" [") {
        Some((h, col)) => (h, col.trim_end_matches(']')),
        None => (rest, ""),
    };
    out.column = column.to_string();
    let (check_table, check_rest) = c.check.split_once(':').unwrap_or(("", ""));
    let words: Vec<&str> = head.split(' ').collect();
    if c.check.starts_with("dedup:") {
        // `table [side] item`, or `facts topic name` for a narrative figure.
        out.table = words[0].to_string();
        out.item = words[1..].last().unwrap_or(&"").to_string();
        out.side = if words.len() == 3 { words[1].to_string() } else { String::new() };
        return out;
    }
    match head.split_once(" | ") {
        Some((item, cross)) => (out.item, out.cross) = (item.to_string(), cross.to_string()),
        None => out.item = head.to_string(),
    }
    out.table = match check_table {
        "narrative" => check_rest.rsplit_once('=').map_or("", |(_, t)| t).to_string(),
        t => t.to_string(),
    };
    out.side = ["收入", "支出"].into_iter().find(|s| check_rest.starts_with(&format!("{s} "))).unwrap_or("").to_string();
    out
}

/// A check's subject split, and the printed record its `found` is where the subject names one cell.
pub fn check_cell<'a>(records: &'a [Record], c: &Check) -> (CheckSubject, Option<&'a Record>) {
    let k = check_key(c);
    let same = |r: &&Record| {
        r.table == k.table && r.block == k.block && r.item_key() == k.item && r.cross_code == k.cross && r.column == k.column && r.ordinal == 0
    };
    let r = records.iter().filter(same).find(|r| k.side.is_empty() || r.side == k.side);
    (k, r)
}

/// The cell a check is about, from its subject.
fn check_key(c: &Check) -> CheckSubject {
    let mut k = check_subject(c);
    // A subject without its side (`总计 [决算数]` of table 01) takes it from the cell compared.
    if k.side.is_empty() {
        let same = |x: &&CellKey| x.table == k.table && x.item == k.item && x.column == k.column;
        if let Some(cell) = c.compared.iter().find(same) {
            k.side = cell.side.clone();
        }
    }
    k
}

/// [`check_cell`] over a document's records indexed once (every check of the document
/// looks one up): by block, table, item key, cross code and column, each key's records in their order.
struct FoundIndex<'a> {
    records: &'a [Record],
    by_cell: HashMap<[&'a str; 5], Vec<usize>>,
}

impl<'a> FoundIndex<'a> {
    fn new(records: &'a [Record]) -> Self {
        let mut by_cell: HashMap<[&'a str; 5], Vec<usize>> = HashMap::new();
        for (i, r) in records.iter().enumerate().filter(|(_, r)| r.ordinal == 0) {
            by_cell.entry([r.block.as_str(), &r.table, r.item_key(), &r.cross_code, &r.column]).or_default().push(i);
        }
        FoundIndex { records, by_cell }
    }

    /// As [`check_cell`], the record's position with it.
    fn check_cell(&self, c: &Check) -> (CheckSubject, Option<usize>) {
        let k = check_key(c);
        let same_cell = self.by_cell.get(&[k.block.as_str(), &k.table, &k.item, &k.cross, &k.column]);
        let i = same_cell.and_then(|is| is.iter().copied().find(|i| k.side.is_empty() || self.records[*i].side == k.side));
        (k, i)
    }
}

/// A document's printed cells by block, table, side, item key, cross code and column, for naming the
/// records a check compared: their positions in the document's records.
struct CellIndex<'a>(HashMap<[&'a str; 6], usize>);

impl<'a> CellIndex<'a> {
    fn new(records: &'a [Record]) -> Self {
        let first = records.iter().enumerate().filter(|(_, r)| r.ordinal == 0);
        CellIndex(first.map(|(i, r)| ([r.block.as_str(), &r.table, &r.side, r.item_key(), &r.cross_code, &r.column], i)).collect())
    }

    /// The position of a compared cell of `block` among the document's records.
    fn position(&self, block: &str, c: &CellKey) -> Option<usize> {
        self.0.get(&[block, &c.table, &c.side, &c.item, &c.cross, &c.column]).copied()
    }

    /// The record ids of `cells` in `block`, space-separated, in the order compared.
    fn record_ids(&self, ids: &RecordIds, block: &str, cells: &[CellKey]) -> String {
        let found = cells.iter().filter_map(|c| self.position(block, c).map(|i| ids.get(i)));
        found.collect::<Vec<_>>().join(" ")
    }
}

/// A document's record ids, each made once when first asked for (the checks name the
/// same cells again and again: a total in every sum it closes).
struct RecordIds<'a> {
    report: String,
    records: &'a [Record],
    ids: Vec<std::cell::OnceCell<String>>,
}

impl<'a> RecordIds<'a> {
    fn new(m: &Metadata, records: &'a [Record]) -> Self {
        RecordIds { report: report_key(m), records, ids: vec![Default::default(); records.len()] }
    }

    fn get(&self, i: usize) -> &str {
        self.ids[i].get_or_init(|| keyed_record_id(&self.report, &self.records[i]))
    }
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
        ("department", Kind::Str),
        ("year", Kind::Int),
        ("report_type", Kind::Str),
        ("table", Kind::Str),
        ("table_title", Kind::Str),
        ("block", Kind::Str),
        ("side", Kind::Str),
        ("item", Kind::Str),
        ("column", Kind::Str),
        ("page", Kind::Int),
        ("record_id", Kind::Str),
        ("compared_record_ids", Kind::Str),
    ];
    let per_doc: Vec<Vec<Vec<Value>>> = docs.par_iter().filter(|d| feeds_records(d)).map(check_rows).collect();
    let rows = per_doc.into_iter().flatten().collect();
    OutTable { name: "checks", columns, rows }
}

fn check_rows(d: &DocOutcome) -> Vec<Vec<Value>> {
    let m = &d.report.meta;
    let records = &d.report.records;
    let (cells, found_in, ids) = (CellIndex::new(records), FoundIndex::new(records), RecordIds::new(m, records));
    let row = |c: &Check| {
        let (k, found) = found_in.check_cell(c);
        let compared = cells.record_ids(&ids, &k.block, &c.compared);
        vec![
            s(&d.doc_id),
            s(&c.check),
            s(&c.subject),
            Value::Dec(c.expected),
            Value::Dec(c.found),
            Value::Dec(c.difference()),
            s(c.status.name()),
            s(&m.department),
            Value::Int(m.year.map(i64::from)),
            s(&m.report_type),
            s(&k.table),
            s(table_names(&k.table).1),
            s(&k.block),
            s(&k.side),
            s(&k.item),
            s(&k.column),
            Value::Int(found.and_then(|i| records[i].page).map(i64::from)),
            s(found.map_or("", |i| ids.get(i))),
            s(&compared),
        ]
    };
    d.report.checks.iter().map(row).collect()
}

/// One line per column for the described data (datapackage.json, load.sql comments); the
/// full contract is docs/schema.md. Columns shared by several tables are described once.
pub fn column_doc(table: &str, column: &str) -> &'static str {
    match (table, column) {
        ("documents", "doc_id") => "SHA-256 of the file bytes (hex): same bytes, same id",
        ("documents", "source_path") => "path as given, relative to the input root; archive members as a.zip!/b.pdf",
        ("documents", "format") => "detected from the bytes: pdf, docx, xlsx, html, txt, zip, …",
        ("documents", "status") => "ok, partial, duplicate, failed, unsupported",
        ("documents", "error") => "empty, or a one-line reason a person can act on",
        ("documents", "duplicate_of") => "doc_id of the kept copy when this file repeats a report already seen",
        ("documents", "included_in") => {
            "doc_id of the wider report of this run that includes this one's figures (本级 in 汇总, 单位 in 部门); sum documents where it is empty"
        }
        ("documents", "tables_found") => "standard tables found, e.g. 01,02,07* (* = published empty)",
        ("documents", "tables_unread") => {
            "tables printed with figures that were not read, `; ` separated: a title outside the catalogue, or a standard id and title whose grid was not recognised, with its page"
        }
        ("documents", "n_records") => "records written for this file",
        ("documents", "pages") => "PDF pages or workbook sheets",
        ("documents", "flags") => "; separated notes on metadata (region_ambiguous, tables_in:<doc_id>, …)",
        ("documents", "verification") => "verified, consistent, suspect, or empty when no records were read",
        ("documents", "verification_reasons") => "why, naming the tables",
        (_, "doc_id") => "the file the row was read from (documents.doc_id)",
        (_, "department") => "department as printed, without its scope",
        (_, "scope") => "汇总 or 本级 (决算), 部门 or 单位 (预算), or empty",
        (_, "province" | "prefecture" | "county") => "administrative division, as far as known",
        (_, "region_code") => "6-digit GB/T 2260 code of the most specific division known",
        (_, "year") => "fiscal year reported on",
        (_, "report_type") => "决算 or 预算",
        (_, "unit_printed") => "unit the tables print: 万元 or 元 (amounts are always 万元)",
        ("records", "record_id") => "stable hash of the report key, table, side, item, column (and block, cross_code, row_ordinal): unique within a document",
        (_, "table") => "standard table id: 01–11 (决算), Y01–Y10 (预算)",
        ("records", "table_concept") => "what the table reports, the same name in both families (三公经费支出表 for 09 and Y07)",
        (_, "table_title") => "the catalogue's title of the table in its family",
        (_, "side") => "收入 or 支出 on the two-sided summary tables, else empty",
        ("records", "item_code") => "classification code (functional or economic), empty for named rows",
        ("records", "item_name") => "official name of the code, or the canonical row name",
        (_, "block") => "the 预算单位 a row is printed under when a table prints one block per unit",
        ("records", "cross_code") => "second classification of a cross table (50101/30101)",
        ("records", "row_ordinal") => "0, or n for the n-th repeat of the same key in one document",
        (_, "column") => "canonical column name",
        ("records", "amount") => "exact decimal in 万元",
        ("records", "text_printed") => "the cell exactly as read",
        (_, "page") => "1-based page (PDF) or sheet number",
        ("records", "line") => "1-based source line of text renderings",
        ("records", "flags") => "; separated notes: code_recovered, unit_row, repeated_key, ocr, …",
        ("records", "level") => "合计, 小计, 类, 款, 项, 明细 or 单位: sum rows of one level, never a row with its parent",
        ("records", "parent_item") => "item_code (or item_name) of the row this one is part of; empty for totals, 类 and free items",
        ("records", "check_status") => "pass: every identity the number takes part in holds; fail: one fails; empty: no identity checks it",
        ("facts", "topic") => "三公经费, 机关运行经费, 政府采购, 收支总体, …",
        ("facts", "name") => "the figure's name within its topic",
        ("facts", "value") => "exact decimal: 万元 for money, else the count's unit",
        ("facts", "unit") => "万元, 辆, 个, 人次, …",
        ("facts", "sentence") => "the narrative sentence it came from",
        ("checks", "check") => "identity tried, e.g. 03:total=basic+project+…",
        ("checks", "subject") => "item and column it was tried on, packed (see item, column)",
        ("checks", "expected") => "sum of the parts (or the other table's figure), 万元",
        ("checks", "found") => "the printed total, 万元",
        ("checks", "difference") => "found − expected",
        ("checks", "status") => "pass, fail, not_applicable",
        ("checks", "item") => "the row of the printed total (code or name)",
        ("checks", "record_id") => "records.record_id of the printed total, where one cell is named",
        ("checks", "compared_record_ids") => "records.record_id of every printed cell the check compared (the total and its parts), space-separated",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CheckStatus;

    #[test]
    fn every_column_is_described() {
        for t in [documents(&[]), records(&[]), facts(&[]), checks(&[])] {
            for (name, _) in &t.columns {
                assert!(!column_doc(t.name, name).is_empty(), "{}.{name} has no description", t.name);
            }
        }
    }

    #[test]
    fn twin_tables_share_their_concept() {
        for (a, b) in [("09", "Y07"), ("05", "Y05"), ("07", "Y08"), ("08", "Y09"), ("01", "Y01")] {
            assert_eq!(table_names(a).0, table_names(b).0, "{a} and {b}");
        }
        assert_eq!(table_names("09").0, "三公经费支出表");
        assert_ne!(table_names("05").0, table_names("06").0);
    }

    fn record(table: &str, code: &str, name: &str) -> Record {
        Record { table: table.into(), item_code: code.into(), item_name: name.into(), ..Default::default() }
    }

    #[test]
    fn levels_and_parents_never_put_a_subtotal_beside_its_parts() {
        let vehicles = record("Y07", "", "公务用车购置及运行维护费");
        assert_eq!((row_level(&vehicles), parent_item(&vehicles)), (RowLevel::Subtotal, "合计"));
        let purchase = record("09", "", "公务用车购置费");
        assert_eq!((row_level(&purchase), parent_item(&purchase)), (RowLevel::Item, "公务用车购置及运行维护费"));
        assert_eq!(row_level(&record("09", "", "合计")), RowLevel::Total);
        assert_eq!(parent_item(&record("09", "", "会议费")), "", "会议费 is no part of the 三公");
        let xiang = record("05", "2080501", "行政单位离退休");
        assert_eq!((row_level(&xiang), parent_item(&xiang)), (RowLevel::Xiang, "20805"));
        assert_eq!(row_level(&record("01", "", "本年收入合计")), RowLevel::Total);
    }

    #[test]
    fn a_check_subject_splits_into_table_block_item_and_column() {
        let c = |check: &str, subject: &str| Check { check: check.into(), subject: subject.into(), expected: None, found: None, status: CheckStatus::Fail, compared: Vec::new() };
        let k = check_subject(&c("Y03:款=sum(项)", "[某单位] 20406 [项目支出]"));
        assert_eq!((k.table.as_str(), k.block.as_str(), k.item.as_str(), k.column.as_str()), ("Y03", "某单位", "20406", "项目支出"));
        let k = check_subject(&c("01:收入 本年收入合计=sum(收入)", "本年收入合计 [决算数]"));
        assert_eq!((k.table.as_str(), k.side.as_str(), k.item.as_str()), ("01", "收入", "本年收入合计"));
        let k = check_subject(&c("dedup:copies_agree(abc)", "01 支出 210 [决算数]"));
        assert_eq!((k.table.as_str(), k.side.as_str(), k.item.as_str(), k.column.as_str()), ("01", "支出", "210", "决算数"));
        let k = check_subject(&c("narrative:三公经费/预算数=Y07", "合计 [预算数]"));
        assert_eq!((k.table.as_str(), k.item.as_str()), ("Y07", "合计"));
        let k = check_subject(&c("Y02:合计=Y01:收入", "合计 [合计] = Y01:收入总计 [预算数]"));
        assert_eq!((k.item.as_str(), k.column.as_str()), ("合计", "合计"));
    }
}
