//! Accounting identities tried on one recognised report.
//!
//! A 部门决算 is full of sums that must hold: totals over the functional classification
//! (合计 = Σ类, 类 = Σ款, 款 = Σ项), row identities (本年支出合计 = 基本支出 + 项目支出 + …),
//! the two sides of the summary tables, and the same figure printed in two tables. A failed
//! identity is a finding about the document (a publishing error, a shifted cell) or about our
//! reading of it; both are worth a row in checks.csv.
//!
//! Conventions:
//! * `expected` is the sum of the parts, `found` the printed total; `difference` = found − expected.
//! * Reports print rounded figures, so parts may miss their total by a few hundredths (尾差): an
//!   identity passes when |difference| ≤ tolerance × number of printed parts (at least one).
//! * An empty cell of a table that is present counts as zero; an identity whose total is not
//!   printed, or whose other table is absent, is not emitted at all (no flood of
//!   not_applicable rows).
//! * Narrative figures (report.facts) are compared with the table cell that prints the same
//!   figure: check `narrative:<topic>/<name>=<table>`, see [`narrative_vs_tables`].
//! * 预算 reports (tables `Y01`…, see docs/tables.md): the functional and economic hierarchies,
//!   合计 = 基本支出 + 项目支出 (Y03, Y05, Y08, Y09), 基本支出 = 人员经费 + 公用经费 (Y05), Y06 合计 =
//!   人员经费 + 公用经费, 支出总计 = 收入总计 (Y01, Y04), Y04 合计 = Σ funds, and the catalogue's
//!   class links and class sums (Y01/Y04 类 rows against the detail tables, the scheme twins
//!   code by code).
//! * Cross tables (function × economic rows): each row's amounts add up to the row above it in
//!   both classifications, see [`cross_details`].
//! * Check names: `02:合计=sum(类)`, `02:类=sum(款)`, `06:302=sum(children)`,
//!   `03:total=basic+project+…`, `01:本年收入合计=02:合计`; subjects name the row and the column,
//!   e.g. `210 [本年收入合计]`.

use crate::recognise::catalogue::{self, CellRef, ClassLink, Family, NarrativeLink, RowGroup, SameFigure, SideTotal};
use crate::report::{CellKey, Check, CheckStatus, Fact, Record, Report};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

/// 0.01 万元 per summed item: the rounding one printed hundredth can carry.
pub const DEFAULT_TOLERANCE_PER_ITEM: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Tables whose rows are the functional classification (类 3 / 款 5 / 项 7 digits).
const FUNCTIONAL_TABLES: [&str; 5] = ["02", "03", "05", "07", "08"];

const SPENDING_KINDS_03: [&str; 5] = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"];
const INCOME_ITEMS_01: [&str; 8] = [
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
];

/// Tries every identity that the report's printed figures allow; see the module doc.
///
/// Identities hold within one unit's block: the report-level tables are checked on the rows
/// outside blocks, each 预算单位 block on its own (subjects then start `[unit] `). Cross-table
/// rows (function × economic) and rows the report repeats are detail that no sum names.
pub fn run_checks(report: &Report, tolerance_per_item: Decimal) -> Vec<Check> {
    let top = top_level(report);
    let mut out = report_checks(&top, tolerance_per_item);
    out.extend(narrative(&top, tolerance_per_item));
    out.extend(cross_details(report.records.iter().filter(|r| r.block.is_empty()), tolerance_per_item));
    let mut blocks: Vec<&str> = report.records.iter().map(|r| r.block.as_str()).filter(|b| !b.is_empty()).collect();
    blocks.sort_unstable();
    blocks.dedup();
    let economic = report.meta.family() == Some(Family::Budget);
    for b in blocks {
        let records: Vec<Record> = report.records.iter().filter(|r| summed(r) && r.block == b).cloned().collect();
        let block = Report { records, meta: report.meta.clone(), ..Default::default() };
        let mut c = Checker::new(&block, tolerance_per_item);
        c.out.extend(cross_details(report.records.iter().filter(|r| r.block == b), tolerance_per_item));
        if economic {
            c.budget_suite();
        } else {
            for t in c.table_ids() {
                c.hierarchy(&t, false);
            }
        }
        out.extend(c.out.into_iter().map(|mut k| {
            k.subject = format!("[{b}] {}", k.subject);
            k
        }));
    }
    out
}

/// The narrative's figures against the tables only (a split publication's narrative part
/// against its tables part, [`crate::parts`]).
pub fn narrative_checks(report: &Report, tolerance_per_item: Decimal) -> Vec<Check> {
    narrative(&top_level(report), tolerance_per_item)
}

/// The records outside unit blocks that take part in sums: what the report-level tables hold.
fn top_level(report: &Report) -> Report {
    Report { records: report.records.iter().filter(|r| summed(r) && r.block.is_empty()).cloned().collect(), ..report.clone() }
}

/// Narrative figures against their cells: the catalogue's links (预算), the 决算 map.
fn narrative(report: &Report, tolerance_per_item: Decimal) -> Vec<Check> {
    if report.meta.family() == Some(Family::Budget) {
        let mut c = Checker::new(report, tolerance_per_item);
        c.narrative_links(&report.facts, catalogue::BUDGET_NARRATIVE);
        c.out
    } else {
        narrative_vs_tables(&report.facts, &report.records, tolerance_per_item)
    }
}

/// The rows of a cross table (北京 `2010801 | 50101 | 30101`, 西安 `30101 基本工资 | 50501`,
/// 烟台 `301 | 501` over `30101 | 50101`) add up to the row above them in both
/// classifications: the deepest printed row whose code and second code (empty on a plain
/// row) both begin theirs, else the table's 合计. Check `<table>:code=sum(cross rows)`, per
/// column.
fn cross_details<'r>(records: impl Iterator<Item = &'r Record>, tol: Decimal) -> Vec<Check> {
    let records: Vec<&Record> = records.filter(|r| r.ordinal == 0).collect();
    let coded = |r: &&Record| !r.item_code.is_empty();
    let mut groups: Vec<(&Record, Vec<&Record>)> = Vec::new();
    for &r in records.iter().filter(|r| !r.cross_code.is_empty()) {
        let same_column = records.iter().filter(|p| p.table == r.table && p.side == r.side && p.column == r.column);
        let above = |p: &&&Record| {
            let depth = (p.item_code.len(), p.cross_code.len());
            r.item_code.starts_with(&p.item_code) && r.cross_code.starts_with(&p.cross_code) && depth != (r.item_code.len(), r.cross_code.len())
        };
        let deepest = same_column.clone().filter(|p| coded(p)).filter(above).max_by_key(|p| p.item_code.len() + p.cross_code.len());
        let total = || same_column.clone().find(|p| p.cross_code.is_empty() && p.item_key() == "合计");
        let Some(&parent) = deepest.or_else(total) else { continue };
        match groups.iter_mut().find(|(p, _)| std::ptr::eq(*p, parent)) {
            Some((_, rows)) => rows.push(r),
            None => groups.push((parent, vec![r])),
        }
    }
    groups
        .into_iter()
        .map(|(parent, rows)| {
            let parts: Vec<Decimal> = rows.iter().map(|r| r.amount).collect();
            let (expected, status) = judge(parent.amount, &parts, tol);
            let compared = std::iter::once(parent).chain(rows).map(CellKey::of).collect();
            let row = match parent.cross_code.as_str() {
                "" => parent.item_key().to_string(),
                cross => format!("{} | {cross}", parent.item_key()),
            };
            let (check, subject) = (format!("{}:code=sum(cross rows)", parent.table), format!("{row} [{}]", parent.column));
            Check { check, subject, expected, found: Some(parent.amount), status, compared }
        })
        .collect()
}

/// Whether a record takes part in the classification's sums.
fn summed(r: &Record) -> bool {
    r.cross_code.is_empty() && r.ordinal == 0
}

fn report_checks(report: &Report, tolerance_per_item: Decimal) -> Vec<Check> {
    let mut c = Checker::new(report, tolerance_per_item);
    if report.meta.family() == Some(Family::Budget) {
        c.budget_suite();
        return c.out;
    }
    for t in FUNCTIONAL_TABLES {
        c.hierarchy(t, false);
    }
    c.row_sums();
    c.summary_01();
    c.class_sums(Family::Final);
    c.summary_04();
    c.economic("06");
    c.economic("10");
    c.footers_06();
    c.sangong("09");
    c.table_11();
    c.class_links(catalogue::FINAL_CLASS_LINKS);
    c.cross_tables();
    c.same_figures(catalogue::FINAL_SAME_FIGURES);
    c.out
}

/// Where the tables print the figure a narrative fact states: (table, side, item, column).
fn table_cell_of(topic: &str, name: &str) -> Option<(&'static str, &'static str, String, &'static str)> {
    type Cell = (&'static str, &'static str, String, &'static str);
    fn named(t: &'static str, side: &'static str, item: &str, col: &'static str) -> Option<Cell> {
        Some((t, side, item.to_string(), col))
    }
    match (topic, name) {
        ("收支总体", "收入总计") => named("01", "收入", "总计", "决算数"),
        ("收支总体", "支出总计") => named("01", "支出", "总计", "决算数"),
        ("收入", "财政拨款收入") => named("02", "", "合计", "财政拨款收入"),
        ("收入", n) if INCOME_ITEMS_01.contains(&n) || n == "本年收入合计" => named("01", "收入", n, "决算数"),
        ("支出", "本年支出合计") => named("01", "支出", "本年支出合计", "决算数"),
        ("支出", n) => match SPENDING_KINDS_03.iter().find(|k| **k == n) {
            Some(kind) => named("03", "", "合计", kind),
            None => crate::classify::lei_of_name(n).and_then(|code| named("01", "支出", code, "决算数")),
        },
        ("财政拨款", "财政拨款收入总计") => named("04", "收入", "总计", "决算数"),
        ("财政拨款", "财政拨款支出总计") => named("04", "支出", "总计", "合计"),
        ("财政拨款", "一般公共预算财政拨款收入") => named("04", "收入", "一般公共预算财政拨款", "决算数"),
        ("财政拨款", "政府性基金预算财政拨款收入") => named("04", "收入", "政府性基金预算财政拨款", "决算数"),
        ("财政拨款", "国有资本经营预算财政拨款收入") => named("04", "收入", "国有资本经营预算财政拨款", "决算数"),
        ("财政拨款", "一般公共预算财政拨款支出") => named("05", "", "合计", "合计"),
        ("财政拨款", "一般公共预算财政拨款基本支出") | ("基本支出", "一般公共预算财政拨款基本支出") => named("05", "", "合计", "基本支出"),
        ("财政拨款", "一般公共预算财政拨款项目支出") => named("05", "", "合计", "项目支出"),
        ("财政拨款", "政府性基金预算财政拨款支出") => named("07", "", "合计", "本年支出合计"),
        ("财政拨款", "国有资本经营预算财政拨款支出") => named("08", "", "合计", "本年支出合计"),
        ("财政拨款", n) => crate::classify::lei_of_name(n).and_then(|code| named("05", "", code, "合计")),
        ("基本支出", "人员经费") => named("06", "", "人员经费合计", "决算数"),
        ("基本支出", "公用经费") => named("06", "", "公用经费合计", "决算数"),
        ("三公经费", "决算数") => named("09", "", "合计", "决算数"),
        ("三公经费", "预算数") => named("09", "", "合计", "预算数"),
        ("三公经费", n) => {
            let (item, col) = n.strip_suffix("决算数").map(|i| (i, "决算数")).or_else(|| n.strip_suffix("预算数").map(|i| (i, "预算数")))?;
            const ITEMS_09: [&str; 7] = ["因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费"];
            ITEMS_09.contains(&item).then(|| ("09", "", item.to_string(), col))
        }
        ("机关运行经费", "决算数") => named("10", "", "合计", "决算数"),
        ("政府采购", "政府采购支出总额") => named("11", "", "政府采购支出合计", "金额"),
        ("政府采购", "授予中小企业合同金额") => named("11", "", "政府采购授予中小企业合同金额", "金额"),
        ("政府采购", n @ ("政府采购货物支出" | "政府采购工程支出" | "政府采购服务支出" | "授予小微企业合同金额")) => named("11", "", n, "金额"),
        _ => None,
    }
}

/// A narrative figure against the table cell printing the same figure. Only facts whose cell
/// is printed are compared (a table left empty says nothing); change facts (`…_增减`) never.
/// Check `narrative:<topic>/<name>=<table>`, subject `<item> [<column>]`, expected = the table
/// value, found = the narrative value.
pub fn narrative_vs_tables(facts: &[Fact], records: &[Record], tolerance_per_item: Decimal) -> Vec<Check> {
    let mut out = Vec::new();
    for f in facts.iter().filter(|f| !f.name.contains("_增减") && f.unit == "万元") {
        let Some((t, side, item, col)) = table_cell_of(&f.topic, &f.name) else { continue };
        let printed = records.iter().find(|r| r.table == t && r.side == side && r.item_key() == item && r.column == col);
        let Some(r) = printed else { continue };
        let ok = f.value.checked_sub(r.amount).is_some_and(|d| d.abs() <= tolerance_per_item.abs());
        out.push(Check {
            check: format!("narrative:{}/{}={t}", f.topic, f.name),
            subject: format!("{item} [{col}]"),
            expected: Some(r.amount),
            found: Some(f.value),
            status: if ok { CheckStatus::Pass } else { CheckStatus::Fail },
            compared: vec![CellKey::of(r)],
        });
    }
    out
}

/// Row key: the code for coded rows, else the canonical name.
/// A cell: table, side, item key, column — borrowed from the report's records.
type Key<'a> = (&'a str, &'a str, &'a str, &'a str);

/// The rows and columns of a table side, in first-seen order.
#[derive(Default)]
struct Layout<'a> {
    items: Vec<&'a str>,
    columns: Vec<&'a str>,
}

struct Checker<'a> {
    /// Each printed cell's value and its position in `cells`.
    values: HashMap<Key<'a>, (Decimal, usize)>,
    cells: Vec<Key<'a>>,
    /// Built once, so that every check looks its cells up by key instead of rescanning the
    /// records.
    layouts: HashMap<(&'a str, &'a str), Layout<'a>>,
    tol: Decimal,
    out: Vec<Check>,
    /// The printed cells (positions in `cells`) read since the last check was emitted: what
    /// that check compared. Every emitting path takes them, so reads never carry over.
    reads: RefCell<Vec<usize>>,
}

/// Of the printed alternatives, the one nearest `target`.
fn closest<T>(target: Decimal, alternatives: impl IntoIterator<Item = (T, Decimal)>) -> Option<(T, Decimal)> {
    alternatives.into_iter().min_by_key(|(_, v)| target.checked_sub(*v).map(|d| d.abs()))
}

fn is_code(s: &str, len: usize) -> bool {
    s.len() == len && is_digits(s)
}

/// A code of any length: digits only, at least one.
fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A printed total against the sum of its printed parts: it holds within 尾差 per part (at
/// least one); a sum too large to compute is not applicable. Returns (expected, status).
fn judge(found: Decimal, printed: &[Decimal], tol: Decimal) -> (Option<Decimal>, CheckStatus) {
    let n = Decimal::from(printed.len().max(1) as u64);
    match (sum(printed), tol.abs().checked_mul(n)) {
        (Some(e), Some(allowed)) => match found.checked_sub(e) {
            Some(d) if d.abs() <= allowed => (Some(e), CheckStatus::Pass),
            Some(_) => (Some(e), CheckStatus::Fail),
            None => (Some(e), CheckStatus::NotApplicable),
        },
        _ => (None, CheckStatus::NotApplicable),
    }
}

/// A summary side's own rows in print order (each with whether it is carried money) and the
/// subtotal's place among them.
struct SideRows {
    rows: Vec<(String, bool)>,
    subtotal_at: Option<usize>,
}

impl SideRows {
    /// The rows the subtotal sums: this year's rows above it, or, where it heads them, below
    /// it up to the first carried row.
    fn of_subtotal(&self) -> Vec<usize> {
        let current = |i: &usize| !self.rows[*i].1;
        match self.subtotal_at {
            Some(0) => (0..self.rows.len()).take_while(current).collect(),
            Some(at) => (0..at).filter(current).collect(),
            None => Vec::new(),
        }
    }
}

/// The side's rows as [`SideTotal`] declares them; `None` where it prints a row the
/// declaration does not know.
fn side_rows(s: &SideTotal, items: &[String]) -> Option<SideRows> {
    let group_of = |k: &str| s.groups.iter().find(|g| g.names.contains(&k));
    let whole_printed = |k: &str| s.groups.iter().any(|g| is_part_of(g, k) && items.iter().any(|i| g.names.contains(&i.as_str())));
    let mut out = SideRows { rows: Vec::new(), subtotal_at: None };
    for k in items {
        if k == s.subtotal {
            out.subtotal_at = Some(out.rows.len());
            continue;
        }
        if k == s.total || s.of_which.contains(&k.as_str()) || whole_printed(k) {
            continue;
        }
        let group = group_of(k);
        // A group's whole is carried money under any of its names (上年结余、结转 is 上年结转).
        let carried = group.map_or(&[k.as_str()][..], |g| g.names).iter().any(|n| s.carried.contains(n));
        let known = carried || group.is_some() || s.current.is_some_and(|c| c.contains(&k.as_str()));
        match (known, s.current) {
            (true, _) => out.rows.push((k.clone(), carried)),
            (false, Some(_)) => return None,
            (false, None) => {}
        }
    }
    Some(out)
}

/// A group's part: one of its declared parts, or a sub-row of its whole (`上年结转/…`).
fn is_part_of(g: &RowGroup, k: &str) -> bool {
    g.parts.contains(&k) || g.names.iter().any(|w| k.strip_prefix(w).is_some_and(|rest| rest.starts_with('/')))
}

/// Sum with overflow guarded: hostile documents can print 29-digit numbers.
fn sum(parts: &[Decimal]) -> Option<Decimal> {
    parts.iter().try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))
}

impl<'a> Checker<'a> {
    /// The 预算 family's identities, for the report's tables and for each unit's block alike
    /// (a 预算单位 prints the same tables as its department). The family numbers its tables
    /// its own way: only the classification's own sums and the catalogue's declarations are
    /// known to hold, whatever the table.
    fn budget_suite(&mut self) {
        for t in self.table_ids() {
            self.hierarchy(&t, true);
        }
        self.row_sums();
        self.sangong("Y07");
        self.budget_identities();
        self.class_sums(Family::Budget);
        self.side_totals();
        self.same_figures(catalogue::BUDGET_SAME_FIGURES);
        self.class_links(catalogue::BUDGET_CLASS_LINKS);
    }

    fn new(report: &'a Report, tol: Decimal) -> Self {
        let (mut values, mut cells) = (HashMap::new(), Vec::new());
        let mut layouts: HashMap<(&str, &str), Layout> = HashMap::new();
        let (mut items, mut columns) = (HashSet::new(), HashSet::new());
        for r in &report.records {
            let key = (r.table.as_str(), r.side.as_str(), r.item_key(), r.column.as_str());
            // A repeated cell keeps its first reading; the duplicate is the recogniser's concern.
            if let std::collections::hash_map::Entry::Vacant(e) = values.entry(key) {
                e.insert((r.amount, cells.len()));
                cells.push(key);
            }
            let layout = layouts.entry((key.0, key.1)).or_default();
            if items.insert((key.0, key.1, key.2)) {
                layout.items.push(key.2);
            }
            if columns.insert((key.0, key.1, key.3)) {
                layout.columns.push(key.3);
            }
        }
        Checker { values, cells, layouts, tol: tol.abs(), out: Vec::new(), reads: RefCell::new(Vec::new()) }
    }

    fn get(&self, table: &str, side: &str, item: &str, column: &str) -> Option<Decimal> {
        let &(value, cell) = self.values.get(&(table, side, item, column))?;
        self.reads.borrow_mut().push(cell);
        Some(value)
    }

    /// The cells read since the last check, each once, in the order read.
    fn take_reads(&self) -> Vec<CellKey> {
        let mut seen = HashSet::new();
        let reads = std::mem::take(&mut *self.reads.borrow_mut());
        reads
            .into_iter()
            .filter(|&cell| seen.insert(cell))
            .map(|cell| self.cells[cell])
            .map(|(table, side, item, column)| CellKey { table: table.into(), side: side.into(), item: item.into(), column: column.into(), cross: String::new() })
            .collect()
    }

    fn cell(&self, c: &CellRef) -> Option<Decimal> {
        self.get(c.table, c.side, c.item, c.column)
    }

    /// Tables with records, in id order.
    fn table_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.layouts.keys().map(|(t, _)| t.to_string()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The catalogue's cross-table identities: a cell against its printed alternatives; it
    /// holds when it equals any of them, and is reported against the closest one.
    fn same_figures(&mut self, declared: &[SameFigure]) {
        for d in declared {
            let Some(found) = self.cell(&d.cell) else { continue };
            let closest = closest(found, d.any_of.iter().filter_map(|c| self.cell(c).map(|v| (c, v))));
            if let Some((o, expected)) = closest {
                let subject = match d.any_of {
                    [_] => format!("{} [{}]", d.cell.item, d.cell.column),
                    _ => format!("{} [{}] = {}:{} [{}]", d.cell.item, d.cell.column, o.table, o.item, o.column),
                };
                self.identity(d.check, subject, Some(found), &[Some(expected)]);
            } else {
                // The cell is printed and none of its alternatives: no check, and its read
                // must not be counted as compared by the next one.
                self.take_reads();
            }
        }
    }

    /// The catalogue's narrative links: a stated figure against the first cell printing it.
    /// found = the narrative, expected = the table.
    fn narrative_links(&mut self, facts: &[Fact], links: &[NarrativeLink]) {
        for l in links {
            self.take_reads();
            let Some(fact) = facts.iter().find(|f| f.topic == l.topic && f.name == l.name && f.unit == "万元") else { continue };
            let mut printed: Vec<(String, Decimal)> = l.cells.iter().filter_map(|c| self.cell(c).map(|v| (format!("{} [{}]", c.item, c.column), v))).collect();
            let parts: Vec<Decimal> = l.sum_of.iter().filter_map(|c| self.cell(c)).collect();
            if let (false, Some(total)) = (parts.is_empty(), sum(&parts)) {
                printed.push((format!("sum({}) [{}]", l.sum_of.iter().map(|c| c.item).collect::<Vec<_>>().join("+"), l.sum_of[0].column), total));
            }
            let Some((subject, value)) = closest(fact.value, printed) else { continue };
            let table = l.cells.first().or(l.sum_of.first()).map_or("", |c| c.table);
            // A narrative rounds to its own precision (`收入预算17,192万元` for 17,191.5169):
            // half its last printed digit, plus one 尾差.
            let rounding = Decimal::new(5, fact.value.scale() + 1);
            let ok = fact.value.checked_sub(value).is_some_and(|d| d.abs() <= self.tol + rounding);
            let compared = self.take_reads();
            self.out.push(Check {
                check: format!("narrative:{}/{}={table}", l.topic, l.name),
                subject,
                expected: Some(value),
                found: Some(fact.value),
                status: if ok { CheckStatus::Pass } else { CheckStatus::Fail },
                compared,
            });
        }
    }

    /// Rows (item keys) of a table/side, in first-seen order.
    fn items(&self, table: &str, side: &str) -> Vec<String> {
        self.layouts.get(&(table, side)).map_or_else(Vec::new, |l| l.items.iter().map(|s| s.to_string()).collect())
    }

    fn columns(&self, table: &str, side: &str) -> Vec<String> {
        self.layouts.get(&(table, side)).map_or_else(Vec::new, |l| l.columns.iter().map(|s| s.to_string()).collect())
    }

    /// Records one identity: `found` printed total against the sum of `parts` (absent = 0).
    /// Not emitted when the total is absent.
    fn identity(&mut self, check: &str, subject: String, found: Option<Decimal>, parts: &[Option<Decimal>]) {
        let compared = self.take_reads();
        let Some(found) = found else { return };
        let printed: Vec<Decimal> = parts.iter().flatten().copied().collect();
        let (expected, status) = judge(found, &printed, self.tol);
        self.out.push(Check { check: check.to_string(), subject, expected, found: Some(found), status, compared });
    }

    /// Same figure printed in two places (both must be printed).
    fn equal(&mut self, check: &str, subject: String, found: Option<Decimal>, expected: Option<Decimal>) {
        if found.is_some() && expected.is_some() {
            self.identity(check, subject, found, &[expected]);
        } else {
            self.take_reads();
        }
    }

    /// 合计 = Σ类, 类 = Σ款, 款 = Σ项, per column, wherever children are printed: over the
    /// functional codes (2xx…) and, where `economic`, over each economic scheme (部门 3xx, 政府
    /// 5xx) on its own. 合计 is summed over the 类 of a scheme only when no other scheme prints 类
    /// in the table (a table printing both would count its money twice).
    fn hierarchy(&mut self, t: &str, economic: bool) {
        let items = self.items(t, "");
        let schemes: &[u8] = if economic { b"235" } else { b"2" };
        let coded: Vec<Vec<&String>> = schemes
            .iter()
            .map(|&first| items.iter().filter(|k| k.as_bytes().first() == Some(&first) && is_digits(k)).collect())
            .collect();
        let with_classes = coded.iter().filter(|codes| codes.iter().any(|c| is_code(c, 3))).count();
        let has_total = items.iter().any(|k| k == "合计");
        let (mut groups, mut missing): (Vec<(String, String, Vec<String>)>, Vec<_>) = (Vec::new(), Vec::new());
        for codes in &coded {
            let children = |parent: Option<&str>, len: usize| -> Vec<String> {
                codes.iter().filter(|c| is_code(c, len) && parent.is_none_or(|p| c.starts_with(p))).map(|c| c.to_string()).collect()
            };
            let classes = children(None, 3);
            if has_total && with_classes == 1 && !classes.is_empty() {
                groups.push((format!("{t}:合计=sum(类)"), "合计".into(), classes));
            }
            for (len, child_len, level) in [(3, 5, "类=sum(款)"), (5, 7, "款=sum(项)")] {
                let parents: Vec<String> = codes.iter().filter(|c| is_code(c, len)).map(|c| c.to_string()).collect();
                // A child whose parent the table does not print, while it prints that level: the
                // parent row was lost (or never printed), and no sum would notice.
                if !parents.is_empty() {
                    let orphaned = codes.iter().filter(|c| is_code(c, child_len)).map(|c| c[..len].to_string()).filter(|p| !parents.contains(p));
                    let mut orphaned: Vec<String> = orphaned.collect();
                    orphaned.sort_unstable();
                    orphaned.dedup();
                    missing.extend(orphaned.into_iter().map(|p| (format!("{t}:{level}"), p.clone(), children(Some(&p), child_len))));
                }
                for p in &parents {
                    let kids = children(Some(p), child_len);
                    if !kids.is_empty() {
                        groups.push((format!("{t}:{level}"), p.to_string(), kids));
                    }
                }
            }
        }
        let columns = self.columns(t, "");
        for (check, parent, kids) in groups {
            for col in &columns {
                let parts: Vec<_> = kids.iter().map(|k| self.get(t, "", k, col)).collect();
                let found = self.get(t, "", &parent, col);
                self.identity(&check, format!("{parent} [{col}]"), found, &parts);
            }
        }
        for (check, parent, kids) in missing {
            for col in &columns {
                let parts: Vec<Decimal> = kids.iter().filter_map(|k| self.get(t, "", k, col)).collect();
                let compared = self.take_reads();
                if !parts.is_empty() {
                    let subject = format!("{parent} [{col}] not read");
                    self.out.push(Check { check: check.clone(), subject, expected: sum(&parts), found: None, status: CheckStatus::Fail, compared });
                }
            }
        }
    }

    /// The catalogue's class sums: a summary side's total = Σ its functional 类 rows, per column.
    fn class_sums(&mut self, family: Family) {
        for &(check, t, side, total) in catalogue::CLASS_SUMS.iter().filter(|(_, t, _, _)| catalogue::spec(t).map(|s| s.family) == Some(family)) {
            let classes: Vec<String> = self.items(t, side).into_iter().filter(|k| is_code(k, 3) && k.starts_with('2')).collect();
            if classes.is_empty() {
                continue;
            }
            for col in self.columns(t, side) {
                let parts: Vec<_> = classes.iter().map(|k| self.get(t, side, k, &col)).collect();
                let found = self.get(t, side, total, &col);
                self.identity(check, format!("{total} [{col}]"), found, &parts);
            }
        }
    }

    /// The catalogue's side totals of the 预算 summary tables ([`SideTotal`]), per column.
    fn side_totals(&mut self) {
        for s in catalogue::SIDE_TOTALS {
            for t in s.tables {
                let items = self.items(t, s.side);
                let rows = side_rows(s, &items);
                for col in self.columns(t, s.side) {
                    for g in s.groups {
                        self.group_sum(t, s.side, g, &items, &col);
                    }
                    if let Some(rows) = &rows {
                        self.side_sums(t, s, rows, &col);
                    }
                }
            }
        }
    }

    /// A group's whole printed above its parts: whole = Σ parts, where both are printed.
    fn group_sum(&mut self, t: &str, side: &str, g: &RowGroup, items: &[String], col: &str) {
        let Some(whole) = items.iter().find(|k| g.names.contains(&k.as_str())) else { return };
        let parts: Vec<_> = items.iter().filter(|k| is_part_of(g, k)).map(|k| self.get(t, side, k, col)).collect();
        if parts.iter().any(Option::is_some) {
            let found = self.get(t, side, whole, col);
            self.identity(&format!("{t}:{side} {}=sum(parts)", g.names[0]), format!("{whole} [{col}]"), found, &parts);
        } else {
            self.take_reads();
        }
    }

    /// The subtotal against this year's rows, the total against the subtotal and the rest.
    fn side_sums(&mut self, t: &str, s: &SideTotal, rows: &SideRows, col: &str) {
        let side = s.side;
        let of_subtotal = rows.of_subtotal();
        if s.current.is_some() && !of_subtotal.is_empty() {
            let parts: Vec<_> = of_subtotal.iter().map(|&i| self.get(t, side, &rows.rows[i].0, col)).collect();
            let found = self.get(t, side, s.subtotal, col);
            self.identity(&format!("{t}:{side} {}=sum(rows)", s.subtotal), format!("{} [{col}]", s.subtotal), found, &parts);
        }
        let rest = (0..rows.rows.len()).filter(|i| !of_subtotal.contains(i));
        let parts: Vec<_> = match (rows.subtotal_at, s.current) {
            (Some(_), _) => std::iter::once(s.subtotal).chain(rest.map(|i| rows.rows[i].0.as_str())).map(|k| self.get(t, side, k, col)).collect(),
            (None, Some(_)) if !rows.rows.is_empty() => rows.rows.iter().map(|(k, _)| self.get(t, side, k, col)).collect(),
            _ => return,
        };
        let found = self.get(t, side, s.total, col);
        self.identity(&format!("{t}:{side} {}={}+rest", s.total, s.subtotal), format!("{} [{col}]", s.total), found, &parts);
    }

    /// The catalogue's class links: each code row `from` prints equals the same code's row of
    /// `to`, wherever `to` is present, prints that column and prints codes of that length (01
    /// prints 类 only; a code of a printed level missing from `to` counts as zero there).
    fn class_links(&mut self, links: &[ClassLink]) {
        for l in links {
            let (from, to) = (l.from, l.to);
            if !self.columns(to.table, to.side).iter().any(|c| c == to.column) {
                continue;
            }
            let to_items = self.items(to.table, to.side);
            let printed_level = |k: &String| to_items.iter().any(|o| o.len() == k.len() && is_digits(o));
            for k in self.items(from.table, from.side).into_iter().filter(|k| is_digits(k) && printed_level(k)) {
                let a = self.get(from.table, from.side, &k, from.column);
                if a.is_some() {
                    let b = self.get(to.table, to.side, &k, to.column);
                    self.identity(l.check, format!("{k} [{}]", from.column), a, &[b]);
                }
            }
        }
    }

    /// Per-row column identities; only rows that print at least one part.
    fn row_identity(&mut self, t: &str, side: &str, check: &str, total: &str, parts: &[&str]) {
        for item in self.items(t, side) {
            let mut vals = Vec::new();
            for p in parts {
                let printed_as_parts = catalogue::PRINTED_AS_PARTS.iter().find(|(whole, _)| whole == p).filter(|_| t.starts_with('Y'));
                match (self.get(t, side, &item, p), printed_as_parts) {
                    (None, Some((_, subs))) => vals.extend(subs.iter().map(|q| self.get(t, side, &item, q))),
                    (v, _) => vals.push(v),
                }
            }
            if vals.iter().any(Option::is_some) {
                let found = self.get(t, side, &item, total);
                self.identity(check, format!("{item} [{total}]"), found, &vals);
            }
        }
    }

    /// 预算 family (ids `Y01`… of the catalogue): row identities of the 支出 tables and
    /// the balance of the two summary tables. Only identities every template prints.
    fn budget_identities(&mut self) {
        for t in ["Y01", "Y04"] {
            let (income_col, spending_col) = if t == "Y01" { ("预算数", "预算数") } else { ("预算数", "合计") };
            let found = self.get(t, "支出", "支出总计", spending_col);
            let expected = self.get(t, "收入", "收入总计", income_col);
            self.equal(&format!("{t}:支出总计=收入总计"), format!("支出总计 [{spending_col}]"), found, expected);
        }
        for item in self.items("Y04", "支出") {
            let parts: Vec<_> = catalogue::FUNDS.iter().map(|f| self.get("Y04", "支出", &item, f)).collect();
            if parts.iter().any(Option::is_some) {
                let found = self.get("Y04", "支出", &item, "合计");
                self.identity("Y04:合计=sum(funds)", format!("{item} [合计]"), found, &parts);
            }
        }
    }

    /// The catalogue's row identities (`total = Σ parts` on every row).
    fn row_sums(&mut self) {
        for r in catalogue::ROW_SUMS {
            self.row_identity(r.table, r.side, r.check, r.total, r.parts);
        }
    }

    fn summary_01(&mut self) {
        let col = "决算数";
        let get = |s: &Self, side: &str, item: &str| s.get("01", side, item, col);
        let income: Vec<_> = INCOME_ITEMS_01.iter().map(|i| get(self, "收入", i)).collect();
        if income.iter().any(Option::is_some) {
            let found = get(self, "收入", "本年收入合计");
            self.identity("01:收入 本年收入合计=sum(收入)", format!("本年收入合计 [{col}]"), found, &income);
        }
        let surplus_used = self
            .items("01", "收入")
            .into_iter()
            .find(|k| k.starts_with("使用非财政拨款结余"))
            .and_then(|k| get(self, "收入", &k));
        let parts = [get(self, "收入", "本年收入合计"), surplus_used, get(self, "收入", "年初结转和结余")];
        let found = get(self, "收入", "总计");
        self.identity("01:收入 总计=本年收入合计+使用非财政拨款结余+年初结转和结余", format!("总计 [{col}]"), found, &parts);

        let parts = [get(self, "支出", "本年支出合计"), get(self, "支出", "结余分配"), get(self, "支出", "年末结转和结余")];
        let found = get(self, "支出", "总计");
        self.identity("01:支出 总计=本年支出合计+结余分配+年末结转和结余", format!("总计 [{col}]"), found, &parts);
        let (i, e) = (get(self, "收入", "总计"), get(self, "支出", "总计"));
        self.equal("01:收入总计=支出总计", format!("总计 [{col}]"), i, e);
    }

    /// Value of a 04 row, or the sum of its prefixed sub-rows (`年初财政拨款结转和结余/…`).
    fn row_or_subrows(&self, side: &str, item: &str, col: &str) -> Option<Decimal> {
        if let Some(v) = self.get("04", side, item, col) {
            return Some(v);
        }
        let prefix = format!("{item}/");
        let subs: Vec<Decimal> = self
            .items("04", side)
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .filter_map(|k| self.get("04", side, k, col))
            .collect();
        if subs.is_empty() {
            None
        } else {
            sum(&subs)
        }
    }

    fn summary_04(&mut self) {
        let income_col = "决算数";
        let funds: Vec<_> = catalogue::FUNDS.iter().map(|f| self.get("04", "收入", f, income_col)).collect();
        if funds.iter().any(Option::is_some) {
            let found = self.get("04", "收入", "本年收入合计", income_col);
            self.identity("04:收入 本年收入合计=sum(资金)", format!("本年收入合计 [{income_col}]"), found, &funds);
        }
        let carried = self.row_or_subrows("收入", "年初财政拨款结转和结余", income_col);
        let parts = [self.get("04", "收入", "本年收入合计", income_col), carried];
        let found = self.get("04", "收入", "总计", income_col);
        self.identity("04:收入 总计=本年收入合计+年初财政拨款结转和结余", format!("总计 [{income_col}]"), found, &parts);

        let classes: Vec<String> = self.items("04", "支出").into_iter().filter(|k| is_code(k, 3)).collect();
        for col in self.columns("04", "支出") {
            if !classes.is_empty() {
                let parts: Vec<_> = classes.iter().map(|k| self.get("04", "支出", k, &col)).collect();
                let found = self.get("04", "支出", "本年支出合计", &col);
                self.identity("04:支出 本年支出合计=sum(类)", format!("本年支出合计 [{col}]"), found, &parts);
            }
            let carried = self.row_or_subrows("支出", "年末财政拨款结转和结余", &col);
            let parts = [self.get("04", "支出", "本年支出合计", &col), carried];
            let found = self.get("04", "支出", "总计", &col);
            self.identity("04:支出 总计=本年支出合计+年末财政拨款结转和结余", format!("总计 [{col}]"), found, &parts);
        }
        for item in self.items("04", "支出") {
            let parts: Vec<_> = catalogue::FUNDS.iter().map(|f| self.get("04", "支出", &item, f)).collect();
            if parts.iter().any(Option::is_some) {
                let found = self.get("04", "支出", &item, "合计");
                self.identity("04:支出 合计=sum(资金)", format!("{item} [合计]"), found, &parts);
            }
        }
        let (i, e) = (self.get("04", "收入", "总计", income_col), self.get("04", "支出", "总计", "合计"));
        self.equal("04:收入总计=支出总计", "总计 [合计]".into(), i, e);
    }

    /// Σ of the printed 5-digit items of an economic group, if any are printed.
    fn children_sum(&self, t: &str, group: &str) -> Option<(Vec<Option<Decimal>>, Option<Decimal>)> {
        let kids: BTreeSet<String> =
            self.items(t, "").into_iter().filter(|k| is_code(k, 5) && k.starts_with(group)).collect();
        if kids.is_empty() {
            return None;
        }
        let parts: Vec<_> = kids.iter().map(|k| self.get(t, "", k, "决算数")).collect();
        let total = sum(&parts.iter().flatten().copied().collect::<Vec<_>>());
        Some((parts, total))
    }

    /// The group's printed total, or the sum of its items where the total row is not printed.
    fn group_value(&self, t: &str, group: &str) -> Option<Decimal> {
        self.get(t, "", group, "决算数").or_else(|| self.children_sum(t, group).and_then(|(_, s)| s))
    }

    /// Tables 06 and 10: each 3-digit group = Σ its printed 5-digit items; 10 合计 = Σ groups.
    fn economic(&mut self, t: &str) {
        let groups: BTreeSet<String> = self
            .items(t, "")
            .into_iter()
            .filter(|k| is_code(k, 3) || is_code(k, 5))
            .filter_map(|k| k.get(..3).map(str::to_string))
            .collect();
        for g in &groups {
            if let Some((parts, _)) = self.children_sum(t, g) {
                let found = self.get(t, "", g, "决算数");
                self.identity(&format!("{t}:{g}=sum(children)"), format!("{g} [决算数]"), found, &parts);
            }
        }
        if t == "10" && !groups.is_empty() {
            let parts: Vec<_> = groups.iter().map(|g| self.group_value(t, g)).collect();
            let found = self.get(t, "", "合计", "决算数");
            self.identity("10:合计=sum(类)", "合计 [决算数]".into(), found, &parts);
        }
    }

    fn footers_06(&mut self) {
        let personnel: Vec<_> = ["301", "303"].iter().map(|g| self.group_value("06", g)).collect();
        let found = self.get("06", "", "人员经费合计", "决算数");
        self.identity("06:人员经费合计=301+303", "人员经费合计 [决算数]".into(), found, &personnel);
        let public: Vec<_> = ["302", "307", "310", "399"].iter().map(|g| self.group_value("06", g)).collect();
        let found = self.get("06", "", "公用经费合计", "决算数");
        self.identity("06:公用经费合计=302+307+310+399", "公用经费合计 [决算数]".into(), found, &public);
    }

    /// The 三公 table's sums (决算 09, 预算 Y07), per column: the vehicles' two parts, the
    /// three 三公 items, and where printed the 合计 that also counts 会议费 and 培训费.
    fn sangong(&mut self, t: &str) {
        for col in self.columns(t, "") {
            let get = |s: &Self, item: &str| s.get(t, "", item, &col);
            let purchase_run = [get(self, "公务用车购置费"), get(self, "公务用车运行维护费")];
            let vehicles = get(self, "公务用车购置及运行维护费");
            if purchase_run.iter().any(Option::is_some) {
                self.identity(&format!("{t}:公务用车购置及运行维护费=购置费+运行维护费"), format!("公务用车购置及运行维护费 [{col}]"), vehicles, &purchase_run);
            }
            let vehicles = vehicles.or_else(|| sum(&purchase_run.iter().flatten().copied().collect::<Vec<_>>()).filter(|_| purchase_run.iter().any(Option::is_some)));
            let parts = [get(self, "因公出国（境）费"), vehicles, get(self, "公务接待费")];
            let found = get(self, "合计");
            self.identity(&format!("{t}:合计=因公出国（境）费+公务用车购置及运行维护费+公务接待费"), format!("合计 [{col}]"), found, &parts);
            let wide = catalogue::SANGONG_WITH_MEETINGS;
            let parts = [get(self, "合计"), get(self, "会议费"), get(self, "培训费")];
            let found = get(self, wide);
            self.identity(&format!("{t}:{wide}=合计+会议费+培训费"), format!("{wide} [{col}]"), found, &parts);
        }
    }

    fn table_11(&mut self) {
        let parts: Vec<_> =
            ["政府采购货物支出", "政府采购工程支出", "政府采购服务支出"].iter().map(|i| self.get("11", "", i, "金额")).collect();
        let found = self.get("11", "", "政府采购支出合计", "金额");
        self.identity("11:合计=货物+工程+服务", "政府采购支出合计 [金额]".into(), found, &parts);
    }

    fn cross_tables(&mut self) {
        let v = |s: &Self, t: &str, side: &str, item: &str, col: &str| s.get(t, side, item, col);
        let basic = v(self, "05", "", "合计", "基本支出");
        let footers = [v(self, "06", "", "人员经费合计", "决算数"), v(self, "06", "", "公用经费合计", "决算数")];
        if footers.iter().any(Option::is_some) {
            self.identity("05:基本支出=06:人员经费合计+公用经费合计", "合计 [基本支出]".into(), basic, &footers);
        }
        let (a, b) = (v(self, "10", "", "合计", "决算数"), v(self, "06", "", "公用经费合计", "决算数"));
        self.equal("10:合计=06:公用经费合计", "合计 [决算数]".into(), a, b);
    }
}

pub mod suggest;

#[cfg(test)]
pub(crate) mod tests;
