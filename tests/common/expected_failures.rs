//! The check failures the gold says a seed's report prints (tests/fixtures/gold/
//! expected_check_failures.tsv). Shared by the checks' unit tests (through `#[path]`) and the
//! end-to-end tests.

use std::collections::BTreeSet;

/// The identities the gold says fail for `seed` (a file stem), as (check, subject).
pub fn expected_failures(seed: &str) -> BTreeSet<(String, String)> {
    // Included, not read at run time: the file is compiled into both the core crate's unit
    // tests and the top-level tests, whose manifest directories differ.
    let list = include_str!("../fixtures/gold/expected_check_failures.tsv");
    list.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(s, _)| *s == seed)
        .filter_map(|(_, rest)| rest.split_once('\t'))
        .map(|(check, subject)| (check.to_string(), subject.to_string()))
        .collect()
}
