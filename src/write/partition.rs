//! Hive-style partitioned Parquet (`records/year=2024/province=青海省/part-0.parquet`), the layout
//! DuckDB (`read_parquet('records/**/*.parquet', hive_partitioning = true)`), Spark and Polars
//! read as one dataset with the keys as columns.
//!
//! The key columns live in the folder names only, not in the files (the readers' convention;
//! files that repeat them make some readers refuse the dataset). An empty text key is written
//! as an empty folder value (`province=`), which the readers give back as the empty string; a
//! null number as `__HIVE_DEFAULT_PARTITION__` (null). Characters Hive
//! escapes in folder names (`/ = % : ? *` …) are percent-encoded the way Hive does it.
//!
//! A table's whole tree is built in a hidden temporary folder next to it and then swapped in
//! by renames, so a reader never sees a mix of two runs' partitions and partitions that a new
//! run no longer produces do not linger.

use super::parquet_out::ParquetSink;
use crate::dataset::{Kind, OutTable, Value};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Hive's folder name for a null or empty key.
pub const DEFAULT_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Checks that every key is a column of `table`; the error names the columns one may use.
pub fn check_keys(table: &OutTable, keys: &[String]) -> Result<(), String> {
    for key in keys {
        if !table.columns.iter().any(|(n, _)| n == key) {
            let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
            return Err(format!("cannot partition {} by `{key}`: not one of its columns ({})", table.name, names.join(", ")));
        }
    }
    if keys.is_empty() || keys.len() >= table.columns.len() {
        return Err(format!("partition keys must be 1 to {} columns of {}", table.columns.len().saturating_sub(1), table.name));
    }
    Ok(())
}

/// One table written as `dir/<name>/k1=v1/k2=v2/part-0.parquet` as rows arrive: one open
/// file per partition, in a hidden temporary tree swapped in by [`PartitionSink::finish`].
pub struct PartitionSink {
    name: &'static str,
    keys: Vec<String>,
    key_idx: Vec<usize>,
    /// The table's columns without the keys (those live in the folder names).
    columns: Vec<(&'static str, Kind)>,
    tmp: PathBuf,
    final_dir: PathBuf,
    parts: BTreeMap<Vec<String>, ParquetSink<BufWriter<File>>>,
}

impl PartitionSink {
    pub fn new(dir: &Path, columns: &OutTable, keys: &[String]) -> std::io::Result<Self> {
        check_keys(columns, keys).map_err(std::io::Error::other)?;
        let key_idx: Vec<usize> = keys.iter().filter_map(|k| columns.columns.iter().position(|(n, _)| n == k)).collect();
        let tmp = dir.join(format!(".{}.partitioned-tmp-{}", columns.name, std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        Ok(PartitionSink {
            name: columns.name,
            keys: keys.to_vec(),
            columns: columns.columns.iter().enumerate().filter(|(i, _)| !key_idx.contains(i)).map(|(_, c)| *c).collect(),
            key_idx,
            tmp,
            final_dir: dir.join(columns.name),
            parts: BTreeMap::new(),
        })
    }

    pub fn append(&mut self, table: &OutTable) -> std::io::Result<()> {
        for (values, rows) in split(table, &self.key_idx) {
            let part = OutTable { name: self.name, columns: self.columns.clone(), rows };
            if !self.parts.contains_key(&values) {
                let sink = self.open_part(&values, &part)?;
                self.parts.insert(values.clone(), sink);
            }
            if let Some(sink) = self.parts.get_mut(&values) {
                sink.append(&part)?;
            }
        }
        Ok(())
    }

    fn open_part(&self, values: &[String], shape: &OutTable) -> std::io::Result<ParquetSink<BufWriter<File>>> {
        let folder = self.tmp.join(folder(&self.keys, values));
        std::fs::create_dir_all(&folder)?;
        ParquetSink::new(BufWriter::new(File::create(folder.join("part-0.parquet"))?), shape)
    }

    /// Closes every partition; returns the complete tree's (temporary, final) folders, for the
    /// commit to swap in with the other outputs.
    pub fn finish(self) -> std::io::Result<(PathBuf, PathBuf)> {
        let result = self.parts.into_values().try_for_each(|p| p.finish().map(drop));
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        result.map(|()| (self.tmp, self.final_dir))
    }

    /// Drops the half-built tree (the run failed before finishing).
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// The rows of `table` by partition (the keys' folder values), without the key columns; rows
/// keep their run order inside a partition.
fn split(table: &OutTable, key_idx: &[usize]) -> BTreeMap<Vec<String>, Vec<Vec<Value>>> {
    let mut by_part: BTreeMap<Vec<String>, Vec<Vec<Value>>> = BTreeMap::new();
    for row in &table.rows {
        let values = key_idx.iter().map(|&i| folder_value(row.get(i))).collect();
        let rest = row.iter().enumerate().filter(|(i, _)| !key_idx.contains(i)).map(|(_, v)| v.clone()).collect();
        by_part.entry(values).or_default().push(rest);
    }
    by_part
}

/// A partition's folder under its table's, `k1=v1/k2=v2`.
fn folder(keys: &[String], values: &[String]) -> String {
    keys.iter().zip(values).map(|(k, v)| format!("{}={v}", escape(k))).collect::<Vec<_>>().join("/")
}

/// One file of a table in memory: the folder under the table's (`year=2024/province=青海省`,
/// empty when not partitioned), its rows and its Parquet bytes.
pub struct PartFile {
    pub folder: String,
    pub rows: usize,
    pub parquet: Vec<u8>,
}

/// `table` as the files [`PartitionSink`] writes (one flat file when `keys` is empty), in
/// memory: for a client that writes them elsewhere, as gongkai.spark's executors do, each
/// its share of the run into object storage.
pub fn part_files(table: &OutTable, keys: &[String]) -> std::io::Result<Vec<PartFile>> {
    if !keys.is_empty() {
        check_keys(table, keys).map_err(std::io::Error::other)?;
    }
    let key_idx: Vec<usize> = keys.iter().filter_map(|k| table.columns.iter().position(|(n, _)| n == k)).collect();
    let columns: Vec<_> = table.columns.iter().enumerate().filter(|(i, _)| !key_idx.contains(i)).map(|(_, c)| *c).collect();
    split(table, &key_idx)
        .into_iter()
        .map(|(values, rows)| {
            let part = OutTable { name: table.name, columns: columns.clone(), rows };
            let mut sink = ParquetSink::new(Vec::new(), &part)?;
            sink.append(&part)?;
            Ok(PartFile { folder: folder(keys, &values), rows: part.rows.len(), parquet: sink.finish()? })
        })
        .collect()
}

/// A key's folder value: the cell as text, Hive-escaped. An empty text stays empty
/// (`province=`), which pyarrow, pandas, DuckDB and polars read back as the empty string the
/// flat files hold; a null number becomes Hive's default partition (null). Not the default
/// partition for text: pandas' `read_parquet(dir)` infers dictionary keys and refuses a
/// dataset whose key dictionaries hold nulls.
fn folder_value(v: Option<&Value>) -> String {
    match v {
        Some(Value::Str(s)) => escape(s),
        Some(Value::Int(Some(i))) => i.to_string(),
        Some(Value::Dec(Some(d))) => d.to_string(),
        _ => DEFAULT_PARTITION.to_string(),
    }
}

/// Hive's path escaping (FileUtils.escapePathName): control characters and `"#%'*/:=?\{[]^`
/// as `%XX`; everything else, CJK included, as is.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_control() || "\"#%'*/:=?\\{}[]^".contains(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_files_are_the_files_the_sink_writes() {
        let columns = vec![("year", Kind::Int), ("province", Kind::Str), ("name", Kind::Str)];
        let row = |y: Option<i64>, p: &str, n: &str| vec![Value::Int(y), Value::Str(p.into()), Value::Str(n.into())];
        let table = OutTable { name: "documents", columns, rows: vec![row(Some(2024), "青海省", "a"), row(None, "", "b"), row(Some(2024), "青海省", "c")] };
        let keys = ["year".to_string(), "province".to_string()];
        let dir = std::env::temp_dir().join(format!("gongkai-part-files-{}", std::process::id()));
        let mut sink = PartitionSink::new(&dir, &table, &keys).unwrap();
        sink.append(&table).unwrap();
        let (tmp, _) = sink.finish().unwrap();
        let files = part_files(&table, &keys).unwrap();
        let folders: Vec<(&str, usize)> = files.iter().map(|f| (f.folder.as_str(), f.rows)).collect();
        assert_eq!(folders, [("year=2024/province=青海省", 2), ("year=__HIVE_DEFAULT_PARTITION__/province=", 1)]);
        for f in &files {
            assert_eq!(std::fs::read(tmp.join(&f.folder).join("part-0.parquet")).unwrap(), f.parquet, "{}", f.folder);
        }
        let flat = part_files(&table, &[]).unwrap();
        assert_eq!((flat.len(), flat[0].folder.as_str(), flat[0].rows), (1, "", 3));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn folder_values_follow_hive() {
        assert_eq!(folder_value(Some(&Value::Str("青海省".into()))), "青海省");
        assert_eq!(folder_value(Some(&Value::Str(String::new()))), "");
        assert_eq!(folder_value(Some(&Value::Int(None))), DEFAULT_PARTITION);
        assert_eq!(folder_value(Some(&Value::Int(Some(2024)))), "2024");
        assert_eq!(folder_value(Some(&Value::Str("a/b=c%".into()))), "a%2Fb%3Dc%25");
    }
}
