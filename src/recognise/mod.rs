//! The report recogniser: a document model in, a [`Report`] out (metadata, the standard
//! tables found, one record per printed number). Format-independent: it sees blocks,
//! paragraphs and grids, never PDF or XLSX.
//!
//! Steps: [`locate`] finds each standard table (title or 公开NN表 tag right above a table
//! block, continuation blocks after a page break); [`header`] maps the multi-row header to
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

/// The reason given for a document that is not a budget disclosure.
pub const NOT_DISCLOSURE: &str = "not a budget disclosure: no 部门决算/部门预算 title or standard table found";

/// Flag of a report whose standard tables are all printed without a figure (a template).
pub const TEMPLATE_FLAG: &str = "template_without_figures";

/// Recognises one document. Facts and checks are left empty (other stages fill them).
pub fn recognise(doc: &Document) -> Report {
    let titled = metadata::read(doc, "");
    let located = locate::find(doc, &titled.report_type);
    let family = located.iter().find_map(|l| catalogue::spec(l.id)).map(|s| s.family).unwrap_or("");
    let mut meta = titled;
    if meta.report_type.is_empty() {
        meta.report_type = family.to_string();
    }
    // The unit is the tables' own: a chart caption in a narrative-only report is not it.
    if let Some(unit) = located.iter().find_map(|l| l.unit) {
        meta.unit_printed = unit.to_string();
    } else if located.is_empty() {
        meta.unit_printed.clear();
    }
    let doc_unit = if meta.unit_printed.is_empty() { "万元" } else { meta.unit_printed.as_str() };
    let mut report = Report { meta: meta.clone(), ..Default::default() };
    for table in &located {
        let Some(spec) = catalogue::spec(table.id) else { continue };
        let unit = table.unit.unwrap_or(doc_unit);
        let records = read::read_table(spec, &table.blocks, unit);
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
mod tests;
