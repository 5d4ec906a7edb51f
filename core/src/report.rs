//! The recognised report: what the recogniser makes of one document, format-independent.
//! Writers, checks and dedup work on these types only.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Report type and scope as printed: 决算/预算; 汇总/本级 (决算) or 部门/单位 (预算).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Metadata {
    pub department: String,
    pub scope: String,
    pub province: String,
    pub prefecture: String,
    pub county: String,
    pub region_code: String,
    /// The fiscal year reported on (not the publication date).
    pub year: Option<i32>,
    pub report_type: String,
    /// 万元 or 元, as the tables state it.
    pub unit_printed: String,
    /// Notes on how the metadata was resolved (e.g. `region_ambiguous`).
    pub flags: Vec<String>,
}

impl Metadata {
    /// The report family, when the report type was recognised.
    pub fn family(&self) -> Option<crate::recognise::catalogue::Family> {
        crate::recognise::catalogue::Family::of(&self.report_type)
    }
}

/// One printed, non-empty number of a standard table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// `01` … `11` for 决算 tables; the 预算 family uses its own ids (see the catalogue).
    pub table: String,
    /// 收入 or 支出 for two-sided tables (01, 04), else empty.
    pub side: String,
    pub item_code: String,
    pub item_name: String,
    pub column: String,
    /// Always in 万元.
    pub amount: Decimal,
    pub unit_printed: String,
    /// The cell exactly as read.
    pub text_printed: String,
    pub page: Option<u32>,
    /// Source line for text renderings (provenance only).
    pub line: Option<u32>,
    pub flags: Vec<String>,
    /// The 预算单位 (or other block) the row is printed under, when a table prints one
    /// block per unit (深圳, 北京 部门 reports): identities hold within a block.
    #[serde(default)]
    pub block: String,
    /// The second classification code of a cross table (function × economic: 北京 prints
    /// `2010801 | 50201 | 30201`, 烟台 部门 × 政府 economic codes): `50201/30201`.
    #[serde(default)]
    pub cross_code: String,
    /// 0 for a row's first printing; n for the n-th repeat of the same key that the report
    /// itself prints (a code twice in one block): keeps every printed number its own key.
    #[serde(default)]
    pub ordinal: u32,
}

impl Record {
    /// The item part of a record's identity: its code, else its canonical name.
    pub fn item_key(&self) -> &str {
        if self.item_code.is_empty() { &self.item_name } else { &self.item_code }
    }
}

/// A standard table found in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFound {
    pub id: String,
    /// Published without data (注：本部门没有发生… / 公开空表).
    pub empty: bool,
}

/// A figure stated in the narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub topic: String,
    pub name: String,
    pub value: Decimal,
    /// 万元 for money (converted), else the count's own unit (个, 人次, 辆).
    pub unit: String,
    pub sentence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckStatus {
    Pass,
    Fail,
    NotApplicable,
    /// Not an identity: a reading of an OCR'd amount that would make every failing identity
    /// hold ([`crate::checks::suggest`]), for a person to confirm.
    Suggestion,
}

impl CheckStatus {
    pub fn name(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::NotApplicable => "not_applicable",
            CheckStatus::Suggestion => "suggestion",
        }
    }
}

/// One accounting identity tried on a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// e.g. `03:total=basic+project`, `06:302=sum(children)`.
    pub check: String,
    /// The item/column it was tried on.
    pub subject: String,
    pub expected: Option<Decimal>,
    pub found: Option<Decimal>,
    pub status: CheckStatus,
    /// Every printed cell the check compared — the total and its parts — in the order read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<CellKey>,
}

/// A printed cell of one report: table, side, item key (code, else canonical name), column.
/// Its block is the check's (see [`crate::checks::run_checks`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CellKey {
    pub table: String,
    pub side: String,
    pub item: String,
    pub column: String,
    /// The row's second classification, on the rows of a cross table (records `cross_code`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cross: String,
}

impl CellKey {
    pub fn of(r: &Record) -> CellKey {
        let (table, side, column, cross) = (r.table.clone(), r.side.clone(), r.column.clone(), r.cross_code.clone());
        CellKey { table, side, item: r.item_key().to_string(), column, cross }
    }
}

impl Check {
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.found? - self.expected?)
    }
}

/// Everything recognised in one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub meta: Metadata,
    pub tables: Vec<TableFound>,
    pub records: Vec<Record>,
    pub facts: Vec<Fact>,
    pub checks: Vec<Check>,
    /// Set when the document is not a budget disclosure at all (a landing page, an
    /// unrelated PDF): the one-line reason.
    pub not_disclosure: Option<String>,
    /// How sure the numbers are ([`crate::verify`]).
    #[serde(default)]
    pub verification: crate::verify::Verification,
    /// Tables printed with figures that were not read (outside the catalogue, or a
    /// standard title over a grid not recognised).
    #[serde(default)]
    pub unread: Vec<crate::recognise::locate::Unread>,
}

impl Report {
    /// `01,02,07*` — the documents.tables_found column.
    pub fn tables_found(&self) -> String {
        let mut t: Vec<_> = self.tables.iter().map(|t| format!("{}{}", t.id, if t.empty { "*" } else { "" })).collect();
        t.sort();
        t.dedup();
        t.join(",")
    }

    /// `政府采购预算明细表 (p.26); 项目绩效目标表 (p.31-32, 34)` — the documents.tables_unread
    /// column: each unread title once, with the pages it is printed on.
    pub fn tables_unread(&self) -> String {
        // One entry per table (its unread columns, the union over its pages) and its pages.
        let mut tables: Vec<(String, Vec<String>, Vec<u32>)> = Vec::new();
        for u in &self.unread {
            let name = match &u.id {
                Some(id) => format!("{id} {}", u.title),
                None => u.title.clone(),
            };
            let whole = u.columns.is_empty();
            let at = tables.iter().position(|(t, cols, _)| *t == name && cols.is_empty() == whole).unwrap_or_else(|| {
                tables.push((name, Vec::new(), Vec::new()));
                tables.len() - 1
            });
            let (_, columns, pages) = &mut tables[at];
            for c in &u.columns {
                if !columns.contains(c) {
                    columns.push(c.clone());
                }
            }
            pages.extend(u.page);
        }
        let one = |(name, columns, pages): &(String, Vec<String>, Vec<u32>)| {
            let columns = if columns.is_empty() { String::new() } else { format!(" [{}]", columns.join(", ")) };
            let pages = if pages.is_empty() { String::new() } else { format!(" (p.{})", page_ranges(pages)) };
            format!("{name}{columns}{pages}")
        };
        tables.iter().map(one).collect::<Vec<_>>().join("; ")
    }
}

/// `31-32, 34` from pages 31, 32, 32, 34.
fn page_ranges(pages: &[u32]) -> String {
    let mut sorted = pages.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for p in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    runs.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect::<Vec<_>>().join(", ")
}
