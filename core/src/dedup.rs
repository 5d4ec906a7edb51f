//! Dedup: one fact once. Files are grouped into reports by the report key; within a group
//! identical bytes and identical values are duplicates of the kept copy, and differing
//! values (a correction) keep both documents visible with a check row per differing record.

use crate::dataset::report_key;
use crate::outcome::{DocOutcome, Status};
use crate::report::{Check, CheckStatus, Report};
use crate::outcome::Bodies;
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
            .map(|r| ((r.table.clone(), r.side.clone(), r.item_key().to_string(), r.column.clone()), r.amount.normalize()))
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
/// which makes the choice of kept copy independent of scheduling. Values are read back from
/// the store one group at a time, so memory stays bounded by the largest group.
pub fn dedup(docs: &mut [DocOutcome], prefer: Prefer, store: &dyn Bodies) -> std::io::Result<()> {
    mark_identical_bytes(docs);
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        // The two parts of a split publication are one report, not two copies of it.
        let narrative_part = d.report.meta.flags.iter().any(|f| f.starts_with(crate::parts::TABLES_IN));
        if d.status != Status::Duplicate && matches!(d.status, Status::Ok | Status::Partial) && d.report.meta.year.is_some() && !d.report.meta.department.is_empty() && !narrative_part {
            groups.entry(report_key(&d.report.meta)).or_default().push(i);
        }
    }
    // Sorted, so that groups are resolved in the same order whatever the hashing.
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    let shared: &[DocOutcome] = docs;
    let decisions = groups.into_par_iter().map(|g| decide(shared, store, g, prefer)).collect::<std::io::Result<Vec<_>>>()?;
    for decision in decisions {
        decision.apply(docs);
    }
    Ok(())
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

/// What dedup makes of one group of copies of a report.
struct Decision {
    kept: usize,
    kept_id: String,
    /// The other copies, and whether each is a plain duplicate (same values).
    others: Vec<(usize, bool)>,
    /// One row per value on which a copy differs from the kept one.
    differences: Vec<Check>,
}

fn decide(docs: &[DocOutcome], store: &dyn Bodies, mut group: Vec<usize>, prefer: Prefer) -> std::io::Result<Decision> {
    group.sort_by(|&a, &b| rank(&docs[b], prefer).cmp(&rank(&docs[a], prefer)).then(docs[a].source_path.cmp(&docs[b].source_path)));
    let values = group.iter().map(|&i| store.hydrate(&docs[i]).map(|d| Values::of(&d.report))).collect::<std::io::Result<Vec<_>>>()?;
    let kept = group[0];
    let mut decision = Decision { kept, kept_id: docs[kept].doc_id.clone(), others: Vec::new(), differences: Vec::new() };
    let kept_values = &values[0];
    for (&other, other_values) in group.iter().zip(&values).skip(1) {
        // Two copies with nothing read from them (a cover page, a narrative without figures)
        // prove nothing by agreeing: only identical bytes make those one.
        if kept_values.is_empty() && other_values.is_empty() {
            continue;
        }
        let disagree = kept_values.disagreements(other_values);
        decision.others.push((other, disagree.is_empty()));
        let other_id = &docs[other].doc_id;
        decision.differences.extend(disagree.into_iter().map(|k| difference(k, kept_values, other_values, other_id)));
    }
    Ok(decision)
}

impl Decision {
    fn apply(self, docs: &mut [DocOutcome]) {
        for (other, same) in self.others {
            if same {
                docs[other].status = Status::Duplicate;
            }
            // Both copies of a correction stay visible (status ok); only the kept one feeds records.
            docs[other].duplicate_of = self.kept_id.clone();
        }
        docs[self.kept].report.checks.extend(self.differences);
    }
}

fn rank(d: &DocOutcome, prefer: Prefer) -> (u128, usize) {
    let n = d.counts().records;
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
        compared: Vec::new(),
    }
}
