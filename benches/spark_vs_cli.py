#!/usr/bin/env python3
"""Spark local[2] against `gongkai extract --jobs 2` on a generated corpus (issue 18's benchmark).

    python3 benches/spark_vs_cli.py [N]        # N documents, default 2000

Needs the wheel installed (`pip install ./python`, which also gives the `gongkai` command),
pyspark and Java. Generates the corpus with `gongkai gen`, times both runs end to end (Spark's
includes starting the JVM and writing the partitioned dataset; the CLI's its CSV, Parquet and
report.html), checks that both made the same number of records, and prints both throughputs
and Spark's overhead.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd):
    started = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    gongkai = shutil.which("gongkai")
    assert gongkai, "install the wheel first: pip install ./python"
    work = Path(tempfile.mkdtemp(prefix="gongkai-spark-bench-"))
    corpus = work / "corpus"
    subprocess.run([gongkai, "gen", "--n", str(n), "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    files = sum(1 for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    cli = timed([gongkai, "extract", str(corpus), "-o", str(work / "cli"), "--jobs", "2", "--quiet", "--full", "--format", "parquet", "--partition", "year,province"])
    spark = timed([sys.executable, "-m", "gongkai.spark", str(corpus), str(work / "spark"), "--master", "local[2]"])
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    cli_records = pq.read_metadata(work / "cli" / "records.parquet").num_rows
    spark_records = ds.dataset(work / "spark" / "records", partitioning="hive").count_rows()
    assert cli_records == spark_records, f"records: CLI {cli_records}, Spark {spark_records}"
    print(f"{files} files, {cli_records} records")
    print(f"gongkai extract --jobs 2: {cli:.1f} s, {files / cli:.1f} files/s")
    print(f"Spark local[2]:           {spark:.1f} s, {files / spark:.1f} files/s")
    print(f"Spark overhead: {100 * (spark / cli - 1):+.1f}%")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
