//! The foundation's acceptance test: the real binary on the five seed renderings reproduces
//! the gold exactly — every record with its exact amount, no extra non-zero record, and the
//! metadata right for all five (seed 001 has no tables and still gets its documents row).

mod common;
use common::*;

#[test]
fn seeds_reach_the_gold_exactly() {
    let out = out_dir("seeds");
    extract(&[&fixtures().join("seeds")], &out, &["--quiet"]);
    let (matched, failures) = gold_failures(&out, 1.0);
    assert_eq!(matched, 5, "every seed has a documents row");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let docs = read_csv(&out.join("documents.csv"));
    let narrative_only = docs.iter().find(|d| d["source_path"].contains("001_")).unwrap();
    assert_eq!(narrative_only["status"], "ok");
    assert_eq!(narrative_only["n_records"], "0");
    // Each canonical column of a row comes from exactly one printed number.
    let mut seen = std::collections::HashSet::new();
    for r in read_csv(&out.join("records.csv")) {
        let item = if r["item_code"].is_empty() { r["item_name"].clone() } else { r["item_code"].clone() };
        let key = [r["doc_id"].clone(), r["table"].clone(), r["side"].clone(), item, r["column"].clone()];
        assert!(seen.insert(key.clone()), "read twice: {key:?}");
    }
    assert!(seen.len() > 500, "only {} records read", seen.len());
}

#[test]
fn parquet_reads_back_equal_to_csv() {
    use arrow_array::{Array, Decimal128Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let out = out_dir("parquet_roundtrip");
    extract(&[&fixtures().join("seeds").join("000_5010c9f98508a758.txt")], &out, &["--quiet"]);
    let csv_rows = read_csv(&out.join("records.csv"));
    assert!(csv_rows.len() > 100);
    let file = std::fs::File::open(out.join("records.parquet")).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut n = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let ids = batch.column_by_name("record_id").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
        let amounts = batch.column_by_name("amount").unwrap().as_any().downcast_ref::<Decimal128Array>().unwrap();
        for i in 0..batch.num_rows() {
            let csv = &csv_rows[n];
            assert_eq!(ids.value(i), csv["record_id"]);
            let parquet_amount = rust_decimal::Decimal::from_i128_with_scale(amounts.value(i), amounts.scale() as u32);
            let csv_amount: rust_decimal::Decimal = csv["amount"].parse().unwrap();
            assert_eq!(parquet_amount, csv_amount, "record {}", csv["record_id"]);
            assert!(!amounts.is_null(i));
            n += 1;
        }
    }
    assert_eq!(n, csv_rows.len());
}

#[test]
fn a_run_without_inputs_exits_2_with_the_reason() {
    let out = out_dir("no_inputs");
    let empty = out_dir("empty_input_folder");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai")).args(["extract"]).arg(&empty).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no input files"));
}
