//! How sure the tool is of a document's numbers: one verdict per document, with its reasons.
//!
//! `ok` in documents.status only says the file was read without error. The verdict says
//! whether its numbers can be used:
//!
//! * `verified` — no identity fails beyond 尾差, and the totals tie to independent evidence:
//!   a narrative figure equal to a cell of a main table (01–06, Y01–Y06). Cross-table
//!   identities are necessary but not enough: a unit read wrong in every table keeps them.
//! * `consistent` — every identity tried holds, but no narrative figure confirms a total of
//!   the main tables (a wrong unit could still hide).
//! * `suspect` — an identity fails, amounts are implausible for a department (a unit read
//!   wrong), a table's total is missing or not reached by its rows, a summary table is read
//!   on one side only, coded rows repeat, or pages were not read. The reasons name the table.
//!
//! A document without records (a failed file, a narrative-only 情况说明, a blank template)
//! gets no verdict: there is no number to vouch for.

use crate::recognise::catalogue::{self, RowKind};
use crate::recognise::{REPEATED_KEY_FLAG, TEMPLATE_FLAG};
use crate::report::{Check, CheckStatus, Record, Report};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The verdict on a document's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Verdict {
    Verified,
    Consistent,
    Suspect,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Consistent => "consistent",
            Verdict::Suspect => "suspect",
        }
    }
}

/// A verdict with the reasons behind it, most important first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub verdict: Option<Verdict>,
    pub reasons: Vec<String>,
}

/// Why a document with narrative figures and no table has no verdict (until [`crate::parts`]
/// finds its tables among the run's files).
pub const NARRATIVE_ONLY: &str =
    "narrative only: no standard table in this file, so its figures are unchecked (the report's tables part was not among the inputs)";

impl Verification {
    /// No verdict (nothing to vouch for), with the reason a reader of the row needs.
    pub fn note(reason: &str) -> Verification {
        Verification { verdict: None, reasons: vec![reason.to_string()] }
    }

    pub fn name(&self) -> &'static str {
        self.verdict.map_or("", Verdict::name)
    }

    /// The reasons as one line for documents.csv.
    pub fn line(&self) -> String {
        self.reasons.join("; ")
    }
}

/// No department's total at the levels these reports come from reaches 500亿元 (5,000,000
/// 万元): a larger figure is a unit read wrong (元 taken for 万元).
pub const IMPLAUSIBLE_WANYUAN: i64 = 5_000_000;

/// Judges one recognised report. `unread_pages` is set when pages could not be read (a
/// partial document): their numbers are missing, so the document cannot be complete.
pub fn verify(report: &Report, unread_pages: Option<&str>) -> Verification {
    if report.meta.flags.iter().any(|f| f == TEMPLATE_FLAG) {
        return Verification::note("template: its tables print no figures");
    }
    if report.records.is_empty() {
        let narrative_only = !report.facts.is_empty() || !report.tables.is_empty();
        return if narrative_only { Verification::note(NARRATIVE_ONLY) } else { Verification::default() };
    }
    let mut reasons = Vec::new();
    if let Some(pages) = unread_pages {
        reasons.push(format!("pages not read ({pages}): their numbers are missing"));
    }
    reasons.extend(failed_identities(&report.checks));
    reasons.extend(suggested_readings(&report.checks));
    reasons.extend(implausible_amounts(&report.records));
    reasons.extend(mixed_units(&report.records, &report.checks));
    reasons.extend(missing_totals(report));
    reasons.extend(missing_sides(report));
    reasons.extend(unread_standard_tables(report));
    reasons.extend(repeated_codes(&report.records));
    let verdict = if !reasons.is_empty() {
        Verdict::Suspect
    } else if let Some(tie) = independent_tie(&report.checks) {
        reasons.push(tie);
        Verdict::Verified
    } else {
        reasons.push("identities hold; no narrative figure confirms a total of the main tables".to_string());
        Verdict::Consistent
    };
    Verification { verdict: Some(verdict), reasons }
}

/// Failed identities, grouped by table: `Y03: 2 identities fail (合计=sum(类) 210 [合计] off by 12.30)`.
fn failed_identities(checks: &[Check]) -> Vec<String> {
    let mut by_table: BTreeMap<&str, Vec<&Check>> = BTreeMap::new();
    for c in checks.iter().filter(|c| c.status == CheckStatus::Fail) {
        let table = if c.check.starts_with("narrative:") { "narrative" } else { c.check.split(':').next().unwrap_or("") };
        by_table.entry(table).or_default().push(c);
    }
    by_table
        .into_iter()
        .map(|(table, fails)| {
            let first = fails[0];
            let off = first.difference().map(|d| format!(" off by {}", d.normalize())).unwrap_or_default();
            let n = fails.len();
            let what = if n == 1 { "identity fails".to_string() } else { format!("{n} identities fail") };
            format!("{table}: {what} (first {} {}{off})", first.check, first.subject)
        })
        .collect()
}

/// An OCR'd amount whose one look-alike reading would make every identity hold: the person
/// reading the reasons learns which cell to look at in the scan.
fn suggested_readings(checks: &[Check]) -> impl Iterator<Item = String> + '_ {
    checks.iter().filter(|c| c.status == CheckStatus::Suggestion).map(|c| {
        let num = |v: Option<Decimal>| v.map(|v| v.normalize().to_string()).unwrap_or_default();
        format!("OCR: {} read {}, its identities hold if it is {} (check the scan)", c.subject, num(c.found), num(c.expected))
    })
}

/// A total beyond any department's budget: the unit was read wrong.
fn implausible_amounts(records: &[Record]) -> Option<String> {
    let limit = Decimal::from(IMPLAUSIBLE_WANYUAN);
    let worst = records.iter().filter(|r| r.amount > limit).max_by_key(|r| r.amount)?;
    Some(format!(
        "{}: {} {} = {} 万元 exceeds 500亿元 (table unit {} wrong?)",
        worst.table,
        worst.item_name,
        worst.column,
        worst.amount.normalize(),
        if worst.unit_printed.is_empty() { "万元" } else { &worst.unit_printed }
    ))
}

/// A table in another unit than the rest of the report (上海 prints 三公 in 万元 and the
/// rest in 元) is right only if its caption was read right: it must be confirmed by the
/// narrative or by a second table, else the document is suspect and the table named.
fn mixed_units(records: &[Record], checks: &[Check]) -> Option<String> {
    let mut unit_of: BTreeMap<&str, &str> = BTreeMap::new();
    for r in records {
        unit_of.entry(&r.table).or_insert(if r.unit_printed.is_empty() { "万元" } else { &r.unit_printed });
    }
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for u in unit_of.values() {
        *count.entry(u).or_default() += 1;
    }
    let (&main, _) = count.iter().max_by_key(|(_, n)| **n)?;
    let odd: Vec<String> = unit_of.iter().filter(|(t, u)| **u != main && !confirmed(t, checks)).map(|(t, u)| format!("{t} in {u}")).collect();
    (!odd.is_empty()).then(|| format!("tables in another unit than the report's {main}, unconfirmed: {}", odd.join(", ")))
}

/// A passing narrative link or cross-table identity names the table.
fn confirmed(table: &str, checks: &[Check]) -> bool {
    checks.iter().filter(|c| c.status == CheckStatus::Pass).any(|c| {
        narrative_table(&c.check) == Some(table) || (is_cross_table(&c.check) && c.check.contains(&format!("{table}:")))
    })
}

/// Coded tables print a 合计 row; a table read without one was cut short (its foot lost at
/// a page break) or misread, and nothing can say whether its rows are all there.
fn missing_totals(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for t in report.tables.iter().filter(|t| !t.empty) {
        let Some(spec) = catalogue::spec(&t.id) else { continue };
        if !matches!(spec.rows, RowKind::Functional | RowKind::Economic) {
            continue;
        }
        let rows = || report.records.iter().filter(|r| r.table == t.id && r.block.is_empty());
        let coded = rows().filter(|r| !r.item_code.is_empty()).count();
        let total = rows().any(|r| r.item_code.is_empty() && crate::recognise::rows::is_total_label(&r.item_name));
        if coded > 0 && !total {
            out.push(format!("{}: no 合计 row read under {coded} coded figures (table cut short?)", t.id));
        }
    }
    out
}

/// A two-sided summary table (01, 04, Y01, Y04) read on one side only: the other side's
/// columns were not understood (上海's 单位 tables split 支出's 预算数 before it was read), and
/// no identity needs the side that is missing, so the gap would stay silent.
fn missing_sides(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for t in report.tables.iter().filter(|t| !t.empty && catalogue::spec(&t.id).is_some_and(|s| s.rows == RowKind::TwoSided)) {
        let read = |side: &str| report.records.iter().any(|r| r.table == t.id && r.side == side);
        for side in ["收入", "支出"].into_iter().filter(|s| !read(s)) {
            out.push(format!("{}: its {side} side not read (the table is read in part)", t.id));
        }
    }
    out
}

/// A standard table printed with figures whose grid was not understood: none of its figures
/// is a record, and no identity needs them, so the loss would stay silent.
fn unread_standard_tables(report: &Report) -> Vec<String> {
    // A table read but for some columns is no unread table: those columns are named in
    // tables_unread, and the sums over what was read still decide.
    let unread = report.unread.iter().filter(|u| u.columns.is_empty()).filter_map(|u| Some((u.id.as_ref()?, u.page)));
    unread.map(|(id, page)| format!("{id}: printed with figures{} but not read", page.map(|p| format!(" (p.{p})")).unwrap_or_default())).collect()
}

/// A classification code printed twice in one block of a table: the report repeats a row or
/// a row was read twice. Project tables (named rows) legitimately repeat names.
fn repeated_codes(records: &[Record]) -> Vec<String> {
    let mut by_table: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records.iter().filter(|r| !r.item_code.is_empty() && r.flags.iter().any(|f| f == REPEATED_KEY_FLAG)) {
        *by_table.entry(&r.table).or_default() += 1;
    }
    by_table.into_iter().map(|(t, n)| format!("{t}: {n} figures repeat a coded row's key")).collect()
}

/// Tables whose totals carry the report's money: a narrative figure equal to one of their
/// cells confirms the unit and the reading of the main tables (a 三公 or 政府采购 figure
/// alone does not: those tables may be printed in their own unit).
const MAIN_TABLES: [&str; 12] = ["01", "02", "03", "04", "05", "06", "Y01", "Y02", "Y03", "Y04", "Y05", "Y06"];

/// What ties the numbers to independent evidence: a narrative figure equal to a cell of a
/// main table. Cross-table identities are counted too, but alone they cannot confirm a unit
/// (a unit read wrong in every table keeps them all).
fn independent_tie(checks: &[Check]) -> Option<String> {
    let passing = || checks.iter().filter(|c| c.status == CheckStatus::Pass);
    let main = |c: &&Check| narrative_table(&c.check).is_some_and(|t| MAIN_TABLES.contains(&t));
    let narrative = passing().filter(main).count();
    let cross = passing().filter(|c| is_cross_table(&c.check)).count();
    (narrative > 0).then(|| format!("totals confirmed by {narrative} narrative figures of the main tables and {cross} cross-table identities"))
}

/// The table a narrative check compares with: `narrative:收支总体/收支总预算=Y01` → `Y01`.
fn narrative_table(check: &str) -> Option<&str> {
    check.strip_prefix("narrative:")?.rsplit_once('=').map(|(_, t)| t)
}

/// `01:本年收入合计=02:合计`, `Y02:合计=Y01:收入`: a check naming two different tables.
fn is_cross_table(check: &str) -> bool {
    let tables: Vec<&str> = check.split(['=', ' ']).filter_map(|part| part.split_once(':').map(|(t, _)| t)).collect();
    tables.windows(2).any(|w| w[0] != w[1] && !w[0].is_empty() && !w[1].is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::TableFound;

    fn record(table: &str, code: &str, name: &str, amount: i64, unit: &str) -> Record {
        Record {
            table: table.into(),
            item_code: code.into(),
            item_name: name.into(),
            column: "合计".into(),
            amount: Decimal::from(amount),
            unit_printed: unit.into(),
            ..Default::default()
        }
    }

    fn check(name: &str, status: CheckStatus) -> Check {
        Check { check: name.into(), subject: "合计 [合计]".into(), expected: Some(Decimal::ONE), found: Some(Decimal::TWO), status, compared: Vec::new() }
    }

    fn report(records: Vec<Record>, checks: Vec<Check>) -> Report {
        let mut tables: Vec<TableFound> = records.iter().map(|r| TableFound { id: r.table.clone(), empty: false }).collect();
        tables.dedup();
        Report { records, checks, tables, ..Default::default() }
    }

    #[test]
    fn verdicts() {
        let y05 = || vec![record("Y05", "", "合计", 10, "万元"), record("Y05", "201", "一般公共服务支出", 10, "万元")];
        let tied = report(y05(), vec![check("narrative:收支总体/收支总预算=Y01", CheckStatus::Pass)]);
        assert_eq!(verify(&tied, None).verdict, Some(Verdict::Verified));
        let alone = report(y05(), vec![check("Y05:合计=sum(类)", CheckStatus::Pass)]);
        assert_eq!(verify(&alone, None).verdict, Some(Verdict::Consistent));
        let failing = report(y05(), vec![check("Y05:合计=sum(类)", CheckStatus::Fail), check("Y02:合计=Y01:收入", CheckStatus::Pass)]);
        let v = verify(&failing, None);
        assert_eq!(v.verdict, Some(Verdict::Suspect));
        assert!(v.line().starts_with("Y05: identity fails (first Y05:合计=sum(类) 合计 [合计] off by 1)"), "{}", v.line());
        assert_eq!(verify(&tied, Some("image-only PDF pages 3")).verdict, Some(Verdict::Suspect));
        assert_eq!(verify(&Report::default(), None).verdict, None);
    }

    #[test]
    fn a_unit_read_wrong_is_suspect() {
        // 371,514,655 元 read as 万元 (real_008 before the unit fix).
        let r = report(vec![record("Y01", "", "收入总计", 371_514_655, "万元")], vec![]);
        let v = verify(&r, None);
        assert_eq!(v.verdict, Some(Verdict::Suspect));
        assert!(v.line().contains("exceeds 500亿元"), "{}", v.line());
        // One table in another unit, confirmed by nothing.
        let r = report(vec![record("Y05", "", "合计", 10, "元"), record("Y06", "", "合计", 10, "元"), record("Y07", "", "合计", 1, "万元")], vec![]);
        assert!(verify(&r, None).line().contains("Y07 in 万元"));
        // The same, the narrative confirming Y07: its unit is right, but no main total is
        // confirmed, so the rest is only consistent.
        let r = report(r.records.clone(), vec![check("narrative:三公经费/预算数=Y07", CheckStatus::Pass)]);
        assert_eq!(verify(&r, None).verdict, Some(Verdict::Consistent));
        // Cross-table identities alone cannot confirm a unit.
        let r = report(r.records.clone(), vec![check("narrative:三公经费/预算数=Y07", CheckStatus::Pass), check("Y06:合计=Y05:基本支出", CheckStatus::Pass)]);
        assert_eq!(verify(&r, None).verdict, Some(Verdict::Consistent));
    }

    #[test]
    fn a_coded_table_without_its_total_is_suspect() {
        let r = report(vec![record("Y05", "201", "一般公共服务支出", 10, "万元")], vec![]);
        let v = verify(&r, None);
        assert_eq!(v.verdict, Some(Verdict::Suspect));
        assert!(v.line().starts_with("Y05: no 合计 row read under 1 coded figures"), "{}", v.line());
    }

    #[test]
    fn a_summary_table_read_on_one_side_is_suspect() {
        let income = Record { side: "收入".into(), ..record("Y01", "", "收入总计", 10, "万元") };
        let v = verify(&report(vec![income], vec![]), None);
        assert_eq!(v.verdict, Some(Verdict::Suspect));
        assert_eq!(v.line(), "Y01: its 支出 side not read (the table is read in part)");
    }

    #[test]
    fn cross_table_checks_name_two_tables() {
        assert!(is_cross_table("01:本年收入合计=02:合计"));
        assert!(is_cross_table("Y02:合计=Y01:收入"));
        assert!(!is_cross_table("Y04:收入总计=Y04:支出总计"));
        assert!(!is_cross_table("02:合计=sum(类)"));
        assert!(!is_cross_table("01:收入 总计=本年收入合计+使用非财政拨款结余+年初结转和结余"));
    }
}
