//! Dedup: one fact once. Files are grouped into reports by the report key; within a group
//! identical bytes and identical values are duplicates of the kept copy, and differing
//! values (a correction) keep both documents visible with a check row per differing record.

use crate::dataset::{item_key, report_key};
use crate::pipeline::{DocOutcome, Status};
use crate::report::{Check, CheckStatus, Report};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Which copy of a report feeds the records when copies disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    /// The copy with the most records; ties by source path.
    MostRecords,
    /// The newest file by modification time; ties by source path.
    Newest,
}

type ValueKey = (String, String, String, String);

/// What copies of a report are compared on: the records' values, and the narrative's figures
/// (keyed under the pseudo-table `facts`).
#[derive(Default)]
struct Values {
    records: BTreeMap<ValueKey, Decimal>,
    facts: BTreeMap<ValueKey, Decimal>,
}

impl Values {
    fn of(report: &Report) -> Values {
        let records = report
            .records
            .iter()
            .map(|r| ((r.table.clone(), r.side.clone(), item_key(r).to_string(), r.column.clone()), r.amount.normalize()))
            .collect();
        // A narrative may state the same figure name twice: the n-th mention is compared
        // with the n-th mention.
        let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        let mut facts = BTreeMap::new();
        for f in &report.facts {
            let n = seen.entry((&f.topic, &f.name, &f.unit)).or_default();
            *n += 1;
            let name = if *n == 1 { f.name.clone() } else { format!("{}#{n}", f.name) };
            facts.insert(("facts".to_string(), f.topic.clone(), name, f.unit.clone()), f.value.normalize());
        }
        Values { records, facts }
    }

    fn is_empty(&self) -> bool {
        self.records.is_empty() && self.facts.is_empty()
    }

    /// The keys on which two copies disagree; none means the same values. Records must match
    /// one for one. Figures stated in both narratives must agree; a copy without narrative (a
    /// workbook of the tables only) does not disagree by omission — unless neither copy has
    /// records, and the figures are all there is to compare.
    fn disagreements<'a>(&'a self, other: &'a Values) -> Vec<&'a ValueKey> {
        let mut keys: Vec<&ValueKey> = self.records.keys().chain(other.records.keys()).collect();
        if self.records.is_empty() && other.records.is_empty() {
            keys.extend(self.facts.keys().chain(other.facts.keys()));
        } else {
            keys.extend(self.facts.keys().filter(|k| other.facts.contains_key(*k)));
        }
        keys.sort();
        keys.dedup();
        keys.retain(|k| self.get(k) != other.get(k));
        keys
    }

    fn get(&self, k: &ValueKey) -> Option<Decimal> {
        self.records.get(k).or_else(|| self.facts.get(k)).copied()
    }
}

/// Marks duplicates in place. `docs` must be sorted by source path (the run sorts inputs),
/// which makes the choice of kept copy independent of scheduling.
pub fn dedup(docs: &mut [DocOutcome], prefer: Prefer) {
    mark_identical_bytes(docs);
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.status != Status::Duplicate && matches!(d.status, Status::Ok | Status::Partial) && d.report.meta.year.is_some() && !d.report.meta.department.is_empty() {
            groups.entry(report_key(&d.report.meta)).or_default().push(i);
        }
    }
    // Sorted, so that groups are resolved in the same order whatever the hashing.
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    // Only copies that share a report key are compared; the values of the others are never built.
    let grouped: Vec<usize> = groups.iter().flatten().copied().collect();
    let built: Vec<(usize, Values)> = grouped.par_iter().filter_map(|&i| docs.get(i).map(|d| (i, Values::of(&d.report)))).collect();
    let values: HashMap<usize, Values> = built.into_iter().collect();
    for group in groups {
        resolve_group(docs, &values, group, prefer);
    }
}

fn mark_identical_bytes(docs: &mut [DocOutcome]) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for i in 0..docs.len() {
        if docs[i].doc_id.is_empty() {
            continue;
        }
        match first.get(&docs[i].doc_id) {
            Some(&k) => {
                let kept = docs[k].doc_id.clone();
                docs[i].status = Status::Duplicate;
                docs[i].duplicate_of = kept;
                docs[i].error.clear();
            }
            None => {
                first.insert(docs[i].doc_id.clone(), i);
            }
        }
    }
}

fn resolve_group(docs: &mut [DocOutcome], values: &HashMap<usize, Values>, mut group: Vec<usize>, prefer: Prefer) {
    group.sort_by(|&a, &b| rank(&docs[b], prefer).cmp(&rank(&docs[a], prefer)).then(docs[a].source_path.cmp(&docs[b].source_path)));
    let Some(&kept) = group.first() else { return };
    let kept_id = docs[kept].doc_id.clone();
    let none = Values::default();
    let kept_values = values.get(&kept).unwrap_or(&none);
    for &other in group.iter().skip(1) {
        let other_values = values.get(&other).unwrap_or(&none);
        // Two copies with nothing read from them (a cover page, a narrative without figures)
        // prove nothing by agreeing: only identical bytes make those one.
        if kept_values.is_empty() && other_values.is_empty() {
            continue;
        }
        let disagree = kept_values.disagreements(other_values);
        if disagree.is_empty() {
            docs[other].status = Status::Duplicate;
        } else {
            let other_id = docs[other].doc_id.clone();
            let rows = disagree.into_iter().map(|k| difference(k, kept_values, other_values, &other_id));
            docs[kept].report.checks.extend(rows);
        }
        // Both copies of a correction stay visible (status ok); only the kept one feeds records.
        docs[other].duplicate_of = kept_id.clone();
    }
}

fn rank(d: &DocOutcome, prefer: Prefer) -> (u128, usize) {
    let n = d.report.records.len();
    match prefer {
        Prefer::MostRecords => (0, n),
        Prefer::Newest => (d.mtime.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |t| t.as_nanos()), n),
    }
}

/// The check row for one value on which two copies of a report differ.
fn difference(k: &ValueKey, kept: &Values, other: &Values, other_id: &str) -> Check {
    Check {
        check: format!("dedup:copies_agree({other_id})"),
        subject: format!("{} {} {} [{}]", k.0, k.1, k.2, k.3).split_whitespace().collect::<Vec<_>>().join(" "),
        expected: kept.get(k),
        found: other.get(k),
        status: CheckStatus::Fail,
    }
}
