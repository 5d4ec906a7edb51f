"""Reads a gongkai output folder with every client the README names (DuckDB, pandas, polars,
pyarrow), flat and partitioned, and prints one JSON line per (client, form, table):
{"client", "form", "table", "rows", "types": {column: type}}. tests/clients.rs asserts on it."""
import json, os, sys
import duckdb, pandas as pd, polars as pl, pyarrow.dataset as ds, pyarrow.parquet as pq

out = os.path.abspath(sys.argv[1])
os.chdir(out)  # load.sql names the files relative to the output folder
package = json.load(open(f"{out}/datapackage.json", encoding="utf-8"))
TABLES = ["documents", "records", "facts", "checks"]
PARTITIONED = ["documents", "records", "facts"]


def emit(client, form, table, rows, types):
    print(json.dumps({"client": client, "form": form, "table": table, "rows": rows, "types": {k: str(v) for k, v in types.items()}}, ensure_ascii=False))


def fields(table):
    return next(r for r in package["resources"] if r["name"] == table)["schema"]["fields"]


def pandas_dtypes(table):
    # The datapackage says what each CSV column is: no guessing (codes stay text).
    kinds = {"string": "string", "integer": "Int32", "number": "string"}
    return {f["name"]: kinds[f["type"]] for f in fields(table)}


def polars_schema(table):
    kinds = {"string": pl.Utf8, "integer": pl.Int32, "number": pl.Decimal(38, 6)}
    return {f["name"]: kinds[f["type"]] for f in fields(table)}


con = duckdb.connect()
con.execute(open(f"{out}/load.sql", encoding="utf-8").read())
for t in TABLES:
    rel = con.sql(f"select * from {t}")
    emit("duckdb", "load.sql", t, con.sql(f"select count(*) from {t}").fetchall()[0][0], dict(zip(rel.columns, rel.types)))
    df = pd.read_csv(f"{out}/{t}.csv", dtype=pandas_dtypes(t), keep_default_na=False, na_values={c: [""] for c in pandas_dtypes(t) if pandas_dtypes(t)[c] == "Int32"})
    emit("pandas", "csv", t, len(df), dict(df.dtypes))
    df = pl.read_csv(f"{out}/{t}.csv", schema=polars_schema(t))
    emit("polars", "csv", t, df.height, dict(df.schema))
    tab = pq.read_table(f"{out}/{t}.parquet")
    emit("pyarrow", "flat", t, tab.num_rows, {f.name: f.type for f in tab.schema})
    df = pd.read_parquet(f"{out}/{t}.parquet")
    emit("pandas", "flat", t, len(df), dict(df.dtypes))
    df = pl.read_parquet(f"{out}/{t}.parquet")
    emit("polars", "flat", t, df.height, dict(df.schema))
    rel = con.sql(f"select * from read_parquet('{out}/{t}.parquet')")
    emit("duckdb", "flat", t, len(rel.fetchall()), dict(zip(rel.columns, rel.types)))
for t in PARTITIONED:
    tab = ds.dataset(f"{out}/{t}", format="parquet", partitioning="hive").to_table()
    emit("pyarrow", "partitioned", t, tab.num_rows, {f.name: f.type for f in tab.schema})
    df = pd.read_parquet(f"{out}/{t}")
    emit("pandas", "partitioned", t, len(df), dict(df.dtypes))
    df = pl.read_parquet(f"{out}/{t}/**/*.parquet", hive_partitioning=True)
    emit("polars", "partitioned", t, df.height, dict(df.schema))
    rel = con.sql(f"select * from read_parquet('{out}/{t}/**/*.parquet', hive_partitioning = true)")
    emit("duckdb", "partitioned", t, len(rel.fetchall()), dict(zip(rel.columns, rel.types)))
