//! The dataset described for its readers: a Frictionless `datapackage.json` (types,
//! descriptions, keys) and a DuckDB `load.sql` creating typed views, so that no reader has to
//! guess a column's type (an item code read as a float, `Y03` breaking an integer column).

use crate::dataset::{column_doc, Kind, OutTable};
use serde_json::{json, Value};

pub const DATAPACKAGE_FILE: &str = "datapackage.json";
pub const LOAD_SQL_FILE: &str = "load.sql";

/// Primary key of each table. documents: one row per input path (identical files share a
/// doc_id); records: record_id is unique within a document.
fn primary_key(table: &str) -> &'static [&'static str] {
    match table {
        "documents" => &["source_path"],
        "records" => &["doc_id", "record_id"],
        _ => &[],
    }
}

fn frictionless_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "string",
        Kind::Int => "integer",
        Kind::Dec { .. } => "number",
    }
}

fn duckdb_type(kind: Kind) -> String {
    match kind {
        Kind::Str => "VARCHAR".into(),
        Kind::Int => "INTEGER".into(),
        Kind::Dec { scale } => format!("DECIMAL(38,{scale})"),
    }
}

/// datapackage.json for the CSV files of `tables`.
pub fn datapackage(tables: &[OutTable], csv_bom: bool) -> Vec<u8> {
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            let fields: Vec<Value> =
                t.columns.iter().map(|(name, kind)| json!({"name": name, "type": frictionless_type(*kind), "description": column_doc(t.name, name)})).collect();
            let mut schema = json!({"fields": fields, "missingValues": [""]});
            if !primary_key(t.name).is_empty() {
                schema["primaryKey"] = json!(primary_key(t.name));
            }
            if t.name != "documents" {
                schema["foreignKeys"] = json!([{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]);
            }
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": if csv_bom { "utf-8-sig" } else { "utf-8" },
                "schema": schema,
            })
        })
        .collect();
    let package = json!({
        "profile": "tabular-data-package",
        "name": "gongkai",
        "title": "部门决算/部门预算 公开: documents, records, facts, checks",
        "description": "Written by gongkai; amounts are exact decimals in 万元; contract: docs/schema.md. The same tables as Parquet: <name>.parquet.",
        "resources": resources,
    });
    let mut out = serde_json::to_vec_pretty(&package).unwrap_or_default();
    out.push(b'\n');
    out
}

/// load.sql: `CREATE VIEW` per table over the Parquet files when they were written, else over
/// the CSV files with every column's type given. Paths are relative: run it from the output
/// folder (`cd out && duckdb -init load.sql`).
pub fn load_sql(tables: &[OutTable], parquet: bool) -> Vec<u8> {
    let mut sql = String::from(
        "-- gongkai: typed views over this folder's dataset, for DuckDB.\n\
         -- Run from this folder: duckdb -init load.sql   (or: duckdb mydb.duckdb < load.sql)\n\
         -- Sum one level of a table (records.level) and documents whose included_in is empty:\n\
         -- a 小计 beside its parts, or a 本级 report beside its 汇总, counts twice.\n",
    );
    for t in tables {
        sql.push_str(&format!("\n-- {}\nCREATE OR REPLACE VIEW {} AS\n", t.name, t.name));
        if parquet {
            let cols: Vec<String> = t.columns.iter().map(|(n, k)| format!("  CAST(\"{n}\" AS {}) AS \"{n}\"", duckdb_type(*k))).collect();
            sql.push_str(&format!("SELECT\n{}\nFROM read_parquet('{}.parquet');\n", cols.join(",\n"), t.name));
        } else {
            let cols: Vec<String> = t.columns.iter().map(|(n, k)| format!("'{n}': '{}'", duckdb_type(*k))).collect();
            sql.push_str(&format!(
                "SELECT * FROM read_csv('{}.csv', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {{{}}});\n",
                t.name,
                cols.join(", ")
            ));
        }
    }
    sql.into_bytes()
}
