//! Dedup: one fact once. Files are grouped into reports by the report key; within a group
//! identical bytes and identical values are duplicates of the kept copy, and differing
//! values (a correction) keep both documents visible with a check row per differing record.

use crate::dataset::{item_key, report_key};
use crate::pipeline::{DocOutcome, Status};
use crate::report::{Check, CheckStatus, Record};
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

fn values(records: &[Record]) -> BTreeMap<ValueKey, Decimal> {
    records
        .iter()
        .map(|r| ((r.table.clone(), r.side.clone(), item_key(r).to_string(), r.column.clone()), r.amount.normalize()))
        .collect()
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
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    let value_sets: Vec<BTreeMap<ValueKey, Decimal>> = docs.par_iter().map(|d| values(&d.report.records)).collect();
    for group in groups {
        resolve_group(docs, &value_sets, group, prefer);
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

fn resolve_group(docs: &mut [DocOutcome], sets: &[BTreeMap<ValueKey, Decimal>], mut group: Vec<usize>, prefer: Prefer) {
    group.sort_by(|&a, &b| rank(&docs[b], prefer).cmp(&rank(&docs[a], prefer)).then(docs[a].source_path.cmp(&docs[b].source_path)));
    let kept = group[0];
    let kept_id = docs[kept].doc_id.clone();
    for &other in &group[1..] {
        if sets[other] == sets[kept] {
            docs[other].status = Status::Duplicate;
        } else {
            let diffs = differences(&sets[kept], &sets[other], &docs[other].doc_id);
            docs[kept].report.checks.extend(diffs);
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

/// One check row per record whose value differs between two copies of a report.
fn differences(kept: &BTreeMap<ValueKey, Decimal>, other: &BTreeMap<ValueKey, Decimal>, other_id: &str) -> Vec<Check> {
    let mut keys: Vec<&ValueKey> = kept.keys().chain(other.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| kept.get(*k) != other.get(*k))
        .map(|k| Check {
            check: format!("dedup:copies_agree({other_id})"),
            subject: format!("{} {} {} [{}]", k.0, k.1, k.2, k.3).split_whitespace().collect::<Vec<_>>().join(" "),
            expected: kept.get(k).copied(),
            found: other.get(k).copied(),
            status: CheckStatus::Fail,
        })
        .collect()
}
