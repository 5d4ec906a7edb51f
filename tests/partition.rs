//! `--partition year,province` read back by real readers: pyarrow and DuckDB must see one
//! dataset with the same rows and the same sum(amount) as records.csv. CI installs both
//! (.ci/run); without them this test fails and says how to install them.

mod common;
use common::*;
use std::process::Command;

const READER: &str = r#"
import sys, duckdb, pyarrow.dataset as ds
root = sys.argv[1]
t = ds.dataset(root + "/records", format="parquet", partitioning="hive").to_table()
print("pyarrow", t.num_rows, sum(v for v in t.column("amount").to_pylist()), sorted(set(map(str, t.column("province").to_pylist()))), sorted(set(t.column("year").to_pylist())))
con = duckdb.connect()
n, total, nulls = con.execute(
    "select count(*), sum(amount), count(*) filter (where province = '') from read_parquet(?, hive_partitioning = true)",
    [root + "/records/**/*.parquet"]).fetchone()
print("duckdb", n, total, nulls)
d = con.execute("select count(*) from read_parquet(?, hive_partitioning = true)", [root + "/documents/**/*.parquet"]).fetchone()[0]
print("documents", d)
"#;

fn python_readers_present() -> Result<(), String> {
    let o = Command::new("python3").args(["-c", "import duckdb, pyarrow"]).output().map_err(|e| format!("python3 not runnable: {e}"))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "this test reads the partitioned Parquet back with pyarrow and duckdb, which are missing; install them with `python3 -m pip install pyarrow duckdb` (.ci/run does): {}",
            String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
        ))
    }
}

#[test]
fn partitioned_parquet_reads_back_as_one_dataset() {
    if let Err(reason) = python_readers_present() {
        panic!("{reason}");
    }
    let input = out_dir("partition_in");
    for f in std::fs::read_dir(fixtures().join("seeds")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, input.join(f.file_name().unwrap())).unwrap();
    }
    // A report whose department names no place: its province partition is the empty value.
    let placeless = std::fs::read_to_string(fixtures().join("seeds/000_5010c9f98508a758.txt")).unwrap().replace("西宁市城中区", "").replace("西宁", "");
    std::fs::write(input.join("placeless.txt"), placeless).unwrap();

    let out = out_dir("partition_out");
    extract(&[&input], &out, &["--quiet", "--partition", "year,province"]);
    let records = read_csv(&out.join("records.csv"));
    let docs = read_csv(&out.join("documents.csv"));
    let total: rust_decimal::Decimal = records.iter().map(|r| r["amount"].parse::<rust_decimal::Decimal>().unwrap()).sum();
    let no_province = records.iter().filter(|r| r["province"].is_empty()).count();
    assert!(no_province > 100, "the placeless copy feeds records without a province");

    assert!(out.join("records/year=2024/province=青海省/part-0.parquet").is_file());
    assert!(out.join("records/year=2023/province=陕西省/part-0.parquet").is_file());
    assert!(out.join("records/year=2024/province=/part-0.parquet").is_file());
    assert!(out.join("facts").is_dir() && out.join("documents").is_dir());
    let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains("partitioned-")).collect();
    assert!(leftovers.is_empty(), "temporary folders left: {leftovers:?}");

    let o = Command::new("python3").args(["-c", READER]).arg(&out).output().unwrap();
    assert!(o.status.success(), "python readers failed: {}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let py: Vec<&str> = lines[0].split_whitespace().collect();
    let duck: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(py[1], records.len().to_string(), "pyarrow rows: {text}");
    assert_eq!(py[2].parse::<rust_decimal::Decimal>().unwrap(), total, "pyarrow sum(amount): {text}");
    assert!(lines[0].contains("''") && lines[0].contains("青海省") && lines[0].contains("[2023, 2024]"), "{text}");
    assert_eq!(duck[1], records.len().to_string(), "duckdb rows: {text}");
    assert_eq!(duck[2].parse::<rust_decimal::Decimal>().unwrap(), total, "duckdb sum(amount): {text}");
    assert_eq!(duck[3], no_province.to_string(), "`province=` reads as the empty text of records.csv: {text}");
    assert_eq!(lines[2], format!("documents {}", docs.len()));

    // A second run without the placeless copy replaces the tree: its partition is gone.
    std::fs::remove_file(input.join("placeless.txt")).unwrap();
    extract(&[&input], &out, &["--quiet", "--partition", "year,province"]);
    assert!(!out.join("records/year=2024/province=").exists(), "stale partition left behind");
    assert!(out.join("records/year=2024/province=青海省/part-0.parquet").is_file());
}

#[test]
fn an_unknown_partition_column_is_refused_before_any_work() {
    let out = out_dir("partition_bad");
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["extract"])
        .arg(fixtures().join("seeds"))
        .arg("-o")
        .arg(&out)
        .args(["--partition", "year,provnce"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot partition records by `provnce`"), "{err}");
    assert!(!out.join("records.csv").exists());
}
