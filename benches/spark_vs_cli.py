#!/usr/bin/env python3
"""Spark local[2] against `gongkai extract --jobs 2` on a generated corpus (issue 18's benchmark).

    python3 benches/spark_vs_cli.py [N]        # N documents, default 2000

Needs the package installed (`pip install ./python`, which also gives the `gongkai` command),
pyspark and Java. Generates the corpus with `gongkai gen`, then times both runs end to end: the
CLI writing its partitioned Parquet dataset, and Spark building the same dataset (`gongkai.spark.write`, what
`python -m gongkai.spark` runs, in this process so that the JVM's start-up is timed apart).
Checks that both wrote the same number of rows per table, and prints both throughputs and
Spark's overhead with and without its session start-up. Not part of `cargo test` (minutes).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    gongkai_cmd = shutil.which("gongkai", path=os.path.dirname(sys.executable)) or shutil.which("gongkai")
    assert gongkai_cmd, "install the package first: pip install ./python"
    work = Path(tempfile.mkdtemp(prefix="gongkai-spark-bench-"))
    corpus = work / "corpus"
    subprocess.run([gongkai_cmd, "gen", "--n", str(n), "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    files = sum(1 for p in corpus.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))

    load = os.getloadavg()[0]
    started = time.monotonic()
    cli_cmd = [gongkai_cmd, "extract", str(corpus), "-o", str(work / "cli"), "--jobs", "2", "--quiet", "--full", "--format", "parquet", "--partition", "year,province"]
    subprocess.run(cli_cmd + ["--fail-on", "none"], check=True, stdout=subprocess.DEVNULL)
    cli = time.monotonic() - started

    from pyspark.sql import SparkSession

    from gongkai import spark as gspark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    started = time.monotonic()
    builder = SparkSession.builder.master("local[2]").appName("gongkai-bench").config("spark.ui.showConsoleProgress", "false")
    # As `python -m gongkai.spark --master local[2]` starts its session.
    session = builder.config("spark.driver.extraJavaOptions", gspark.LOCAL_JAVA_OPTIONS).getOrCreate()
    up = time.monotonic()
    gspark.write(session, str(corpus), str(work / "spark"))
    done = time.monotonic()
    session.stop()
    spark, spark_work = done - started, done - up

    import pyarrow.dataset as ds

    for table in ("documents", "records", "facts"):
        cli_rows = ds.dataset(work / "cli" / table, partitioning="hive").count_rows()
        spark_rows = ds.dataset(work / "spark" / table, partitioning="hive").count_rows()
        assert cli_rows == spark_rows, f"{table}: CLI {cli_rows} rows, Spark {spark_rows}"
    records = ds.dataset(work / "cli" / "records", partitioning="hive").count_rows()
    print(f"{files} files, {records} records; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")
    print(f"gongkai extract --jobs 2: {cli:6.1f} s, {files / cli:6.1f} docs/s")
    print(f"Spark local[2]:           {spark:6.1f} s, {files / spark:6.1f} docs/s (session start-up {up - started:.1f} s)")
    print(f"Spark without start-up:   {spark_work:6.1f} s, {files / spark_work:6.1f} docs/s")
    print(f"Spark overhead: {100 * (spark / cli - 1):+.0f}% end to end, {100 * (spark_work / cli - 1):+.0f}% without session start-up")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
