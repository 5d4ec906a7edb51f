//! The report recogniser: a document model in, a [`Report`] out (metadata, the standard
//! tables found, one record per printed number). Format-independent: it sees blocks,
//! paragraphs and grids, never PDF or XLSX.
//!
//! Steps: [`locate`] finds each standard table (title or 公开NN表 tag right above a table
//! block, continuation blocks after a page break, also under a title printed again on the
//! next page, a row repeated there counting once); [`header`] maps the multi-row header to
//! the canonical columns of the [`catalogue`]; [`read`] reads rows by kind (coded, named,
//! two-sided, 06 groups, 09 either orientation) with [`rows`] resolving codes and names and
//! [`amount`] parsing exact decimals; [`metadata`] reads department, year, type and unit.

pub mod amount;
pub mod catalogue;
pub mod header;
pub mod locate;
pub mod metadata;
mod read;
pub mod rows;

use crate::report::{Report, TableFound};
use gongkai_model::Document;
use std::collections::HashMap;

/// The reason given for a document that is not a budget disclosure.
pub const NOT_DISCLOSURE: &str = "not a budget disclosure: no 部门决算/部门预算 title or standard table found";

/// Flag of a report whose standard tables are all printed without a figure (a template).
pub const TEMPLATE_FLAG: &str = "template_without_figures";

/// Recognises one document. Facts and checks are left empty (other stages fill them).
pub fn recognise(doc: &Document) -> Report {
    let titled = metadata::read(doc, "");
    let found = locate::find(doc, catalogue::Family::of(&titled.report_type));
    let located = join_repeated_titles(found.tables);
    let family = located.iter().find_map(|l| catalogue::spec(l.id)).map(|s| s.family);
    let mut meta = titled;
    if meta.report_type.is_empty() {
        meta.report_type = family.map_or("", catalogue::Family::name).to_string();
    }
    // The unit is the tables' own: a chart caption in a narrative-only report is not it.
    if let Some(unit) = located.iter().find_map(|l| l.unit) {
        meta.unit_printed = unit.to_string();
    } else if located.is_empty() {
        meta.unit_printed.clear();
    }
    let doc_unit = if meta.unit_printed.is_empty() { "万元" } else { meta.unit_printed.as_str() };
    let mut report = Report { meta: meta.clone(), unread: found.unread, ..Default::default() };
    let named = |table: &locate::Located| catalogue::spec(table.id).is_some_and(|s| s.rows == catalogue::RowKind::Named);
    let read_one = |table: &locate::Located, units: &[String]| match catalogue::spec(table.id) {
        Some(spec) => read::read_table(spec, &table.blocks, table.unit.unwrap_or(doc_unit), units),
        None => read::TableRead::default(),
    };
    let mut tables: Vec<_> = located.iter().map(|t| read_one(t, &[])).collect();
    // A project table prints the units the other tables name as its block rows, some named
    // without a place (深圳鹏城技师学院): once those names are known, it is read again knowing them.
    let units = unit_blocks(&tables);
    if !units.is_empty() {
        for (table, records) in located.iter().zip(tables.iter_mut()).filter(|(t, _)| named(t)) {
            *records = read_one(table, &units);
        }
    }
    for (table, read) in located.iter().zip(tables) {
        let Some(spec) = catalogue::spec(table.id) else { continue };
        let mut records = read.records;
        drop_repeated_rows(&mut records);
        let unread = |page, columns| locate::Unread { title: spec.title.to_string(), id: Some(spec.id.to_string()), page, columns };
        // Figures printed and none read: a grid not understood, not a table published empty.
        if records.is_empty() && table.blocks.iter().any(locate::has_figures) {
            report.unread.push(unread(table.blocks.first().and_then(|b| b.prov.page), Vec::new()));
            continue;
        }
        if !records.is_empty() {
            report.unread.extend(read.columns_unread.into_iter().map(|(page, columns)| unread(page, columns)));
        }
        // A table printed twice (or a stray title above an empty grid): the first copy with
        // data wins.
        if let Some(seen) = report.tables.iter_mut().find(|t| t.id == table.id) {
            if seen.empty && !records.is_empty() {
                seen.empty = false;
                report.records.extend(records);
            }
            continue;
        }
        report.tables.push(TableFound { id: table.id.to_string(), empty: records.is_empty() });
        report.records.extend(records);
    }
    // A standard table not read in one copy and read in another is read.
    let read: Vec<String> = report.tables.iter().filter(|t| !t.empty).map(|t| t.id.clone()).collect();
    report.unread.retain(|u| !u.columns.is_empty() || u.id.as_ref().is_none_or(|id| !read.contains(id)));
    number_repeats(&mut report.records);
    // A blank template prints every standard table and no figure: kept (it is a valid
    // document), flagged so that nobody reads its zero records as a department with no money.
    if !report.tables.is_empty() && report.records.is_empty() {
        report.meta.flags.push(TEMPLATE_FLAG.to_string());
    }
    if report.tables.is_empty() && !(has_title(&meta) && has_budget_body(doc)) {
        report.not_disclosure = Some(NOT_DISCLOSURE.to_string());
    }
    report
}

/// The unit blocks the tables were read in (`#2`-style blocks of unnamed units aside).
fn unit_blocks(tables: &[read::TableRead]) -> Vec<String> {
    let mut units: Vec<String> = tables.iter().flat_map(|t| &t.records).filter(|r| !r.block.is_empty() && !r.block.starts_with('#')).map(|r| r.block.clone()).collect();
    units.sort();
    units.dedup();
    units
}

/// Paged reports print a table's title (and header) again on every page it runs over: a
/// title naming the table just found continues it. A block that is a copy of one already
/// held adds nothing.
fn join_repeated_titles(located: Vec<locate::Located>) -> Vec<locate::Located> {
    let mut out: Vec<locate::Located> = Vec::new();
    for table in located {
        match out.last_mut() {
            Some(last) if last.id == table.id => {
                for block in table.blocks {
                    let grid = block.text_grid();
                    if !last.blocks.iter().any(|b| b.text_grid() == grid) {
                        last.blocks.push(block);
                    }
                }
                last.unit = last.unit.or(table.unit);
            }
            _ => out.push(table),
        }
    }
    out
}

/// A row printed again at the top of the next page (the last row, or the 合计 row, repeated
/// by the publisher) counts once. Only rows that name themselves unambiguously qualify: a
/// code, or the table's total; two equal rows with different codes stay two rows.
fn drop_repeated_rows(records: &mut Vec<crate::report::Record>) {
    // (side, code or total label, column, block, cross code) → (page, amount) of its first printing.
    type Key = (String, String, String, String, String, String);
    let mut first: HashMap<Key, (Option<u32>, rust_decimal::Decimal)> = HashMap::new();
    records.retain(|r| {
        if r.item_code.is_empty() && !rows::is_total_label(&r.item_name) {
            return true;
        }
        let key = (r.side.clone(), r.item_code.clone(), r.item_name.clone(), r.column.clone(), r.block.clone(), r.cross_code.clone());
        match first.get(&key) {
            Some((page, amount)) => !(page.is_some() && r.page.is_some() && *page != r.page && *amount == r.amount),
            None => {
                first.insert(key, (r.page, r.amount));
                true
            }
        }
    });
}

/// Flag of a record whose key (table, side, item, column, block, cross code) an earlier
/// record of the document already has: the report prints the row twice, or we misread one.
pub const REPEATED_KEY_FLAG: &str = "repeated_key";

/// Every printed number keeps its own key: the n-th repeat of a key gets ordinal n and a
/// flag, so that nothing collapses onto one record_id and the repeat stays visible.
fn number_repeats(records: &mut [crate::report::Record]) {
    let mut seen: HashMap<(String, String, String, String, String, String), u32> = HashMap::new();
    for r in records.iter_mut() {
        let item = r.item_key().to_string();
        let n = seen.entry((r.table.clone(), r.side.clone(), item, r.column.clone(), r.block.clone(), r.cross_code.clone())).or_insert(0);
        if *n > 0 {
            r.ordinal = *n;
            r.flags.push(REPEATED_KEY_FLAG.to_string());
        }
        *n += 1;
    }
}

fn has_title(meta: &crate::report::Metadata) -> bool {
    meta.year.is_some() && !meta.report_type.is_empty()
}

/// Words every disclosure's narrative uses. A landing page that only links the report has
/// the title (in its page title and link text) but not the body.
const BODY_TERMS: &[&str] = &["基本支出", "项目支出", "财政拨款", "三公", "一般公共预算", "政府采购"];

fn has_budget_body(doc: &Document) -> bool {
    let mut seen = [false; BODY_TERMS.len()];
    for p in doc.paragraphs() {
        for (i, term) in BODY_TERMS.iter().enumerate() {
            seen[i] |= p.text.contains(term);
        }
    }
    seen.iter().filter(|s| **s).count() >= 3
}

#[cfg(test)]
pub(crate) mod tests;
