//! A report published as two files (北京: 附件1 情况说明, 附件2 报表): each part is read on
//! its own, neither is taken for a copy of the other, and the narrative's figures are checked
//! against the tables of the other file. Made from seed 000 cut in two.

mod common;
use common::*;

#[test]
fn the_narrative_and_the_tables_of_one_report_are_linked() {
    let seed = std::fs::read_to_string(fixtures().join("seeds/000_5010c9f98508a758.txt")).unwrap();
    let lines: Vec<&str> = seed.lines().collect();
    let at = |heading: &str| lines.iter().rposition(|l| l.starts_with(heading)).unwrap();
    let (tables_start, narrative_start) = (at("第二部分"), at("第三部分"));
    let cover = &lines[..8];
    let input = out_dir("split_in");
    let narrative = [&lines[..tables_start], &lines[narrative_start..]].concat().join("\n");
    let tables = [cover, &lines[tables_start..narrative_start]].concat().join("\n");
    std::fs::write(input.join("附件1_情况说明.txt"), narrative).unwrap();
    std::fs::write(input.join("附件2_报表.txt"), tables).unwrap();
    let out = out_dir("split_out");
    extract(&[&input], &out, &["--quiet"]);
    let docs = read_csv(&out.join("documents.csv"));
    let by = |name: &str| docs.iter().find(|d| d["source_path"].contains(name)).unwrap();
    let (n, t) = (by("附件1"), by("附件2"));
    for d in [n, t] {
        assert_eq!((d["status"].as_str(), d["duplicate_of"].as_str()), ("ok", ""), "{}: both parts are read, neither is a duplicate", d["source_path"]);
    }
    assert!(n["flags"].contains(&format!("tables_in:{}", t["doc_id"])), "narrative part names its tables: {}", n["flags"]);
    assert!(t["flags"].contains(&format!("narrative_in:{}", n["doc_id"])), "tables part names its narrative: {}", t["flags"]);
    assert_eq!(n["n_records"], "0");
    assert_eq!(n["verification"], "", "no numbers of its own to vouch for");
    assert!(n["verification_reasons"].starts_with("narrative part: its figures are checked against its tables"), "{}", n["verification_reasons"]);
    assert!(t["n_records"].parse::<usize>().unwrap() > 150);
    // The narrative's facts are in the dataset, and checked against the other file's tables.
    let facts = read_csv(&out.join("facts.csv"));
    assert!(facts.iter().filter(|f| f["doc_id"] == n["doc_id"]).count() > 20, "the narrative part's facts are kept");
    let checks = read_csv(&out.join("checks.csv"));
    let narrative: Vec<&Row> = checks.iter().filter(|c| c["doc_id"] == t["doc_id"] && c["check"].starts_with("narrative:")).collect();
    assert!(narrative.len() > 20, "only {} narrative checks across the pair", narrative.len());
    assert!(narrative.iter().all(|c| c["status"] == "pass"), "the seed's narrative agrees with its tables");
    assert!(narrative.iter().any(|c| c["check"] == "narrative:收支总体/收入总计=01"));
    // The tables' verdict rests on the narrative too (seed 000's own 302 error keeps it suspect).
    assert_eq!(t["verification"], "suspect");
    assert!(t["verification_reasons"].starts_with("06: identity fails"), "{}", t["verification_reasons"]);
}
