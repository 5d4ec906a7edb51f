//! The dataset as its users load it: DuckDB (through the shipped load.sql and on the Parquet),
//! pandas, polars and pyarrow read the CLI's outputs, flat and partitioned, with the row
//! counts of the CSV files and the types the dataset declares (codes as text, year int32,
//! amounts DECIMAL(38,6)); and the analysts' questions answered with load.sql alone. CI
//! installs the readers (.ci/run); without them these tests fail and say how to install them.

mod common;
use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn python(script: &str, args: &[&Path]) -> String {
    let probe = Command::new("python3").args(["-c", "import duckdb, pandas, polars, pyarrow"]).output().expect("python3 runs");
    assert!(
        probe.status.success(),
        "these tests read the outputs with duckdb, pandas, polars and pyarrow; install them with `python3 -m pip install duckdb pandas polars pyarrow` (.ci/run does): {}",
        String::from_utf8_lossy(&probe.stderr).lines().last().unwrap_or("")
    );
    let o = Command::new("python3").arg(script).args(args).output().unwrap();
    assert!(o.status.success(), "{script} failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn tool(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools").join(name)
}

/// The seeds, and one copy whose department names no place (its province is empty).
fn seeds_with_a_placeless_copy(name: &str) -> PathBuf {
    let input = out_dir(name);
    for f in std::fs::read_dir(fixtures().join("seeds")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, input.join(f.file_name().unwrap())).unwrap();
    }
    let placeless = std::fs::read_to_string(fixtures().join("seeds/000_5010c9f98508a758.txt")).unwrap().replace("西宁市城中区", "").replace("西宁", "");
    std::fs::write(input.join("placeless.txt"), placeless).unwrap();
    input
}

#[test]
fn every_client_reads_flat_and_partitioned_outputs_with_the_declared_types() {
    let input = seeds_with_a_placeless_copy("clients_in");
    let out = out_dir("clients_out");
    extract(&[&input], &out, &["--quiet", "--partition", "year,province"]);
    assert!(out.join("records/year=2024/province=/part-0.parquet").is_file(), "an empty province is the empty folder value");
    let text = python(tool("clients.py").to_str().unwrap(), &[&out]);
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let csv_rows: HashMap<&str, usize> =
        ["documents", "records", "facts", "checks"].iter().map(|t| (*t, read_csv(&out.join(format!("{t}.csv"))).len())).collect();
    assert!(csv_rows["records"] > 500 && csv_rows["checks"] > 100, "{csv_rows:?}");
    let ty = |client: &str, form: &str, table: &str, col: &str| -> String {
        let line =
            lines.iter().find(|l| l["client"] == client && l["form"] == form && l["table"] == table).unwrap_or_else(|| panic!("no {client} {form} {table}"));
        line["types"][col].as_str().unwrap_or_else(|| panic!("{client} {form} {table} lacks {col}: {line}")).to_string()
    };
    let mut seen = 0;
    for l in &lines {
        let (client, form, table) = (l["client"].as_str().unwrap(), l["form"].as_str().unwrap(), l["table"].as_str().unwrap());
        assert_eq!(l["rows"].as_u64().unwrap() as usize, csv_rows[table], "{client} {form} {table}: rows");
        if table == "records" {
            let code = ty(client, form, table, "item_code").to_lowercase();
            assert!(!code.contains("float") && !code.contains("int") && !code.contains("double"), "{client} {form}: item_code read as {code}");
            let region = ty(client, form, table, "region_code").to_lowercase();
            assert!(!region.contains("int") && !region.contains("float"), "{client} {form}: region_code read as {region}");
        }
        seen += 1;
    }
    // 4 tables × (duckdb load.sql, pandas csv, polars csv, pyarrow/pandas/polars/duckdb flat) + 3 × 4 partitioned.
    assert_eq!(seen, 4 * 7 + 3 * 4);
    // The same Arrow types flat and partitioned, partition keys included.
    for t in ["documents", "records", "facts"] {
        for col in ["amount", "item_code", "page", "department", "year", "n_records", "value"] {
            let flat = lines.iter().find(|l| l["client"] == "pyarrow" && l["form"] == "flat" && l["table"] == t).unwrap();
            if flat["types"].get(col).is_none() {
                continue;
            }
            assert_eq!(ty("pyarrow", "flat", t, col), ty("pyarrow", "partitioned", t, col), "pyarrow {t}.{col}");
            if col != "year" {
                assert_eq!(ty("polars", "flat", t, col), ty("polars", "partitioned", t, col), "polars {t}.{col}");
                assert_eq!(ty("duckdb", "flat", t, col), ty("duckdb", "partitioned", t, col), "duckdb {t}.{col}");
            }
        }
    }
    assert_eq!(ty("pyarrow", "flat", "records", "year"), "int32");
    assert_eq!(ty("pyarrow", "flat", "records", "amount"), "decimal128(38, 6)");
    assert_eq!(ty("duckdb", "load.sql", "records", "amount"), "DECIMAL(38,6)");
    assert_eq!(ty("duckdb", "load.sql", "records", "year"), "INTEGER");
    assert_eq!(ty("polars", "csv", "records", "amount"), ty("polars", "flat", "records", "amount"));
    assert_eq!(ty("pandas", "csv", "records", "year"), "Int32");
}

/// DuckDB over the real reports of one district (上海市普陀区: 决算 and 部门/单位 预算 of the
/// same departments) and the seeds, with nothing but the shipped load.sql.
#[test]
fn four_analyst_questions_answered_with_load_sql() {
    let input = out_dir("analyst_in");
    for f in [
        "real_001_sh_putuo_czj_2024_final.pdf",
        "real_013_sh_putuo_czj_2025_dept_budget.pdf",
        "real_005_sh_putuo_zfb_2025_dept_budget.pdf",
        "real_006_sh_putuo_zfb_2025_unit_budget.pdf",
    ] {
        std::fs::copy(fixtures().join("real").join(f), input.join(f)).unwrap();
    }
    for f in std::fs::read_dir(fixtures().join("seeds")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, input.join(f.file_name().unwrap())).unwrap();
    }
    let out = out_dir("analyst_out");
    extract(&[&input], &out, &["--quiet"]);
    let text = python(tool("analyst.py").to_str().unwrap(), &[&out]);
    let answers: HashMap<String, serde_json::Value> = text.lines().map(|l| serde_json::from_str::<(String, serde_json::Value)>(l).unwrap()).collect();

    // 1. 三公 across both families: one concept, totals equal the sum of their parts.
    let sangong = answers["sangong"].as_array().unwrap();
    let families: std::collections::BTreeSet<&str> = sangong.iter().map(|r| r["report_type"].as_str().unwrap()).collect();
    assert_eq!(families.into_iter().collect::<Vec<_>>(), ["决算", "预算"], "{sangong:?}");
    assert!(sangong.iter().all(|r| r["parts_equal_total"].as_bool().unwrap()), "a 三公 合计 is not the sum of its parts: {sangong:?}");
    // 2. The 单位 budget is inside its 部门 budget: it is left out of the regional total.
    let included = answers["included"].as_array().unwrap();
    assert!(included.iter().any(|r| r["scope"] == "单位" && !r["included_in"].as_str().unwrap().is_empty()), "{included:?}");
    let region = answers["general_budget_by_region"].as_array().unwrap();
    let dec = |v: &serde_json::Value| v.as_str().map_or(0.0, |s| s.parse::<f64>().unwrap());
    assert!(region.iter().any(|r| dec(&r["naive"]) > dec(&r["once"]) && dec(&r["once"]) > 0.0), "the 单位 budget would count twice: {region:?}");
    // 3. A department's 预算 beside its 决算.
    let joined = answers["budget_vs_final"].as_array().unwrap();
    assert!(joined.iter().any(|r| r["department"].as_str().unwrap().contains("财政局")), "{joined:?}");
    // 4. The largest failing checks name the department, the table and the page.
    let failing = answers["largest_failing"].as_array().unwrap();
    assert!(!failing.is_empty(), "the seeds' anomalies fail");
    for r in failing {
        assert!(!r["department"].as_str().unwrap_or("").is_empty() && !r["table_title"].as_str().unwrap_or("").is_empty(), "{r}");
    }
    // The seeds are text renderings (no pages); the PDFs' checks carry the page of their total.
    assert!(answers["checks_with_page"][0]["n"].as_u64().unwrap() > 0, "{:?}", answers["checks_with_page"]);
}
