#!/usr/bin/env python3
"""Spark local[2] against `gongkai extract --jobs 2` on a generated corpus (issue 18's benchmark).

    python3 benches/spark_vs_cli.py [N] [ROUNDS]    # N documents (default 2000), best of ROUNDS (default 3)

Needs the package installed (`pip install ./python`, which also gives the `gongkai` command),
pyspark and Java. Generates the corpus with `gongkai gen`, then runs the CLI and Spark by
turns (so that the machine's other load falls on both alike), each in a fresh process, and
keeps each one's best round: the CLI writing its partitioned Parquet dataset, and Spark
building the same dataset as `python -m gongkai.spark --master local[2]` does
(`gongkai.spark.write` with a `HeadStart`, its session's start-up timed apart). A round zero, not counted,
lets Spark dump its class-data-sharing archive (see `gongkai.spark.local_java_options`).
Checks that both wrote the same number of rows per table, and prints both throughputs, CPU
seconds (Spark's split into the JVM, its Python workers and the driver's head start), the load average, and Spark's
overhead with and without its session start-up. Not part of `cargo test` (minutes).
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def tree_cpu(pid):
    """CPU seconds of a process and its descendants (with the ones they reaped), and of the
    process alone, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            stats[int(p)] = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            pass
    children = {}
    for p, st in stats.items():
        children.setdefault(int(st[1]), []).append(p)

    def total(p):
        return sum(int(x) for x in stats[p][11:15]) / tick + sum(total(c) for c in children.get(p, []))

    return total(pid), sum(int(x) for x in stats[pid][11:13]) / tick


def spark_round(corpus, out):
    """One Spark run in this (fresh) process; prints its timings as JSON."""
    from pyspark.sql import SparkSession

    from gongkai import spark as gspark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    started = time.monotonic()
    head_start = gspark.HeadStart(corpus)
    builder = SparkSession.builder.master("local[2]").appName("gongkai-bench").config("spark.ui.showConsoleProgress", "false")
    for key, value in gspark.LOCAL_CONF.items():
        builder = builder.config(key, value)
    session = builder.config("spark.driver.extraJavaOptions", gspark.local_java_options()).getOrCreate()
    up = time.monotonic()
    jvm = session.sparkContext._gateway.proc.pid
    gspark.write(session, corpus, out, head_start=head_start)
    done = time.monotonic()
    cpu, jvm_cpu = tree_cpu(jvm)
    driver = resource.getrusage(resource.RUSAGE_SELF)
    session.stop()
    print(json.dumps({"total": done - started, "startup": up - started, "cpu": cpu, "jvm": jvm_cpu, "driver": driver.ru_utime + driver.ru_stime}))


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    run = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic() - started, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, run.stdout


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    gongkai_cmd = shutil.which("gongkai", path=os.path.dirname(sys.executable)) or shutil.which("gongkai")
    assert gongkai_cmd, "install the package first: pip install ./python"
    work = Path(tempfile.mkdtemp(prefix="gongkai-spark-bench-"))
    corpus = work / "corpus"
    subprocess.run([gongkai_cmd, "gen", "--n", str(n), "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    files = sum(1 for p in corpus.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))
    cli_cmd = [gongkai_cmd, "extract", str(corpus), "-o", str(work / "cli"), "--jobs", "2", "--quiet", "--full", "--format", "parquet", "--partition", "year,province", "--fail-on", "none"]
    spark_cmd = [sys.executable, __file__, "--spark-round", str(corpus), str(work / "spark")]

    cli, spark, loads = [], [], []
    timed(spark_cmd)  # round zero: the JVM's class archive
    for _ in range(rounds):
        loads.append(os.getloadavg()[0])
        shutil.rmtree(work / "cli", ignore_errors=True)
        cli.append(timed(cli_cmd)[:2])
        wall, cpu, out = timed(spark_cmd)
        spark.append(json.loads(out.strip().splitlines()[-1]) | {"process": wall})
        loads.append(os.getloadavg()[0])

    import pyarrow.dataset as ds

    for table in ("documents", "records", "facts"):
        cli_rows = ds.dataset(work / "cli" / table, partitioning="hive").count_rows()
        spark_rows = ds.dataset(work / "spark" / table, partitioning="hive").count_rows()
        assert cli_rows == spark_rows, f"{table}: CLI {cli_rows} rows, Spark {spark_rows}"
    records = ds.dataset(work / "cli" / "records", partitioning="hive").count_rows()
    cli_wall, cli_cpu = min(cli)
    best = min(spark, key=lambda r: r["total"])
    work_wall = min(r["total"] - r["startup"] for r in spark)
    print(f"{files} files, {records} records; best of {rounds} rounds by turns; load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")
    print(f"gongkai extract --jobs 2: {cli_wall:6.1f} s, {files / cli_wall:6.1f} docs/s, CPU {cli_cpu:.1f} s")
    print(f"Spark local[2]:           {best['total']:6.1f} s, {files / best['total']:6.1f} docs/s (session start-up {best['startup']:.1f} s; process {best['process']:.1f} s)")
    print(f"Spark without start-up:   {work_wall:6.1f} s, {files / work_wall:6.1f} docs/s")
    print(f"Spark CPU: {best['cpu'] + best['driver']:.1f} s (JVM {best['jvm']:.1f} s, its Python workers {best['cpu'] - best['jvm']:.1f} s, the driver {best['driver']:.1f} s)")
    print(f"Spark overhead: {100 * (best['total'] / cli_wall - 1):+.0f}% end to end, {100 * (work_wall / cli_wall - 1):+.0f}% without session start-up")
    shutil.rmtree(work)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--spark-round"]:
        spark_round(*sys.argv[2:4])
    else:
        main()
