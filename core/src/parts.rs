//! Split publications: 北京 publishes a department's 预算 as 附件1 情况说明 (the narrative) and
//! 附件2 报表 (the tables), two files. Each is read on its own; when both parts of one
//! report are in a run they are linked, so that the narrative's figures are checked against
//! the tables (the verdict of the tables then rests on its own narrative) and neither part is
//! taken for a duplicate of the other.
//!
//! A narrative part: read ok, no record, narrative figures. A tables part: records, and no
//! narrative check of its own (its narrative is elsewhere). They pair when department, year
//! and report type agree and the scope is the same or printed by one part only. Both get a
//! flag naming the other (`narrative_in:<doc_id>`, `tables_in:<doc_id>`).

use crate::checks;
use crate::outcome::{DocOutcome, Status};
use crate::outcome::Bodies;
use crate::verify::Verification;
use rust_decimal::Decimal;

/// Flag prefix on a tables part: the doc_id of its narrative.
pub const NARRATIVE_IN: &str = "narrative_in:";
/// Flag prefix on a narrative part: the doc_id of its tables.
pub const TABLES_IN: &str = "tables_in:";

/// Links the parts of split publications in place; see the module doc. `docs` sorted by
/// source path, so that the pairing does not depend on scheduling.
pub fn link(docs: &mut [DocOutcome], store: &dyn Bodies, tolerance: Decimal) -> std::io::Result<()> {
    for n in 0..docs.len() {
        if !is_narrative_part(&docs[n]) {
            continue;
        }
        let mut found = None;
        for t in (0..docs.len()).filter(|&t| t != n && is_tables_part(&docs[t]) && same_report(&docs[n], &docs[t])) {
            let tables = store.hydrate(&docs[t])?;
            if !tables.report.checks.iter().any(|c| c.check.starts_with("narrative:")) {
                found = Some((t, tables));
                break;
            }
        }
        let Some((t, mut tables)) = found else { continue };
        tables.report.facts = store.hydrate(&docs[n])?.report.facts;
        let added = checks::narrative_checks(&tables.report, tolerance);
        tables.report.checks.extend(added.iter().cloned());
        let unread = (tables.status == Status::Partial).then_some(tables.error.as_str());
        docs[t].report.verification = crate::verify::verify(&tables.report, unread);
        docs[t].report.checks.extend(added);
        let (narrative_id, tables_id) = (docs[n].doc_id.clone(), docs[t].doc_id.clone());
        docs[t].report.meta.flags.push(format!("{NARRATIVE_IN}{narrative_id}"));
        docs[n].report.meta.flags.push(format!("{TABLES_IN}{tables_id}"));
        docs[n].report.verification = Verification::note(&format!("narrative part: its figures are checked against its tables, {}", docs[t].source_path));
        if docs[t].report.meta.scope.is_empty() {
            docs[t].report.meta.scope = docs[n].report.meta.scope.clone();
        }
    }
    Ok(())
}

/// Whether a document is one part of a linked pair (dedup leaves such parts alone).
pub fn is_linked(d: &DocOutcome) -> bool {
    d.report.meta.flags.iter().any(|f| f.starts_with(NARRATIVE_IN) || f.starts_with(TABLES_IN))
}

fn is_narrative_part(d: &DocOutcome) -> bool {
    let c = d.counts();
    d.status == Status::Ok && d.duplicate_of.is_empty() && c.records == 0 && c.facts > 0 && d.report.tables.is_empty()
}

/// Records and not yet linked; whether it has a narrative of its own is read from the store.
fn is_tables_part(d: &DocOutcome) -> bool {
    matches!(d.status, Status::Ok | Status::Partial) && d.duplicate_of.is_empty() && d.counts().records > 0 && !is_linked(d)
}

fn same_report(a: &DocOutcome, b: &DocOutcome) -> bool {
    let (a, b) = (&a.report.meta, &b.report.meta);
    !a.department.is_empty()
        && a.department == b.department
        && a.year.is_some()
        && a.year == b.year
        && a.report_type == b.report_type
        && (a.scope == b.scope || a.scope.is_empty() || b.scope.is_empty())
}
