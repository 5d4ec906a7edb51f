#!/usr/bin/env python3
"""Spark local[2] against `gongkai extract --jobs 2` on a generated corpus (issue 18's benchmark).

    python3 benches/spark_vs_cli.py [N] [ROUNDS]    # N documents (default 2000), best of ROUNDS (default 3)

Needs the package installed (`pip install './python[spark]'`, which also gives the `gongkai`
command) and Java. Generates the corpus with `gongkai gen`, then runs by turns (so that the
machine's other load falls on both alike), each a fresh process, and keeps each one's best
round by process wall time, the time a user waits for the command:

- `gongkai extract CORPUS --jobs 2 --format parquet --partition year,province`;
- `python -m gongkai.spark CORPUS OUT --master local[2] --timings`, the documented command,
  whose --timings line gives its phases (seconds since the process started: Spark context up,
  stage 1, stage 2) and the CPU seconds of its driver, JVM and the JVM's Python workers.
  The command exits once the dataset is committed and leaves its JVM to exit on its own; the
  next round starts after that JVM is gone (the time it took is printed, not counted).

Python's compiled bytecode must be current, as pip leaves it: a virtualenv copied by hand, in
an environment with PYTHONDONTWRITEBYTECODE=1, compiles pyspark and pandas again in every
process (the driver ~0.5 CPU s more); the bench runs its commands without that variable.
A round zero, not counted, lets Spark dump its class-data-sharing archive (see
`gongkai.spark.local_java_options`). Checks that both wrote the same number of rows per table,
and prints both throughputs, CPU seconds, the load average and Spark's overhead. Not part of
`cargo test` (minutes).
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


def timed(cmd, log):
    """Wall and CPU seconds of `cmd` until its process exits (its output to `log`, not to a pipe:
    a pipe would also wait for the JVM the Spark command leaves behind)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log, "w") as out:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(cmd, check=True, stdout=out, stderr=subprocess.STDOUT, env=env)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def spark_round(cmd, log):
    wall, _ = timed(cmd, log)
    text = Path(log).read_text()
    timings = json.loads(text.split("gongkai.spark timings: ")[1].splitlines()[0])
    started = time.monotonic()
    while os.path.exists(f"/proc/{timings.get('jvm pid', 0)}"):
        time.sleep(0.05)
    return timings | {"process": wall, "jvm exit": time.monotonic() - started}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    gongkai_cmd = shutil.which("gongkai", path=os.path.dirname(sys.executable)) or shutil.which("gongkai")
    assert gongkai_cmd, "install the package first: pip install './python[spark]'"
    work = Path(tempfile.mkdtemp(prefix="gongkai-spark-bench-"))
    corpus = work / "corpus"
    subprocess.run([gongkai_cmd, "gen", "--n", str(n), "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    files = sum(1 for p in corpus.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))
    cli_cmd = [gongkai_cmd, "extract", str(corpus), "-o", str(work / "cli"), "--jobs", "2", "--quiet", "--full", "--format", "parquet", "--partition", "year,province", "--fail-on", "none"]
    spark_cmd = [sys.executable, "-m", "gongkai.spark", str(corpus), str(work / "spark"), "--master", "local[2]", "--timings"]

    cli, spark, loads = [], [], []
    spark_round(spark_cmd, work / "spark.log")  # round zero: the JVM's class archive
    for _ in range(rounds):
        loads.append(os.getloadavg()[0])
        shutil.rmtree(work / "cli", ignore_errors=True)
        cli.append(timed(cli_cmd, work / "cli.log"))
        spark.append(spark_round(spark_cmd, work / "spark.log"))
        loads.append(os.getloadavg()[0])

    import pyarrow.dataset as ds

    for table in ("documents", "records", "facts"):
        cli_rows = ds.dataset(work / "cli" / table, partitioning="hive").count_rows()
        spark_rows = ds.dataset(work / "spark" / table, partitioning="hive").count_rows()
        assert cli_rows == spark_rows, f"{table}: CLI {cli_rows} rows, Spark {spark_rows}"
    records = ds.dataset(work / "cli" / "records", partitioning="hive").count_rows()
    cli_wall, cli_cpu = min(cli)
    best = min(spark, key=lambda r: r["process"])
    phases, cpu = best["phases"], best["cpu"]
    print(f"{files} files, {records} records; best of {rounds} rounds by turns; load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")
    cli_walls = ", ".join(f"{w:.1f}" for w, _ in cli)
    print(f"gongkai extract --jobs 2: {cli_wall:6.1f} s, {files / cli_wall:6.1f} docs/s, CPU {cli_cpu:.1f} s (all rounds: {cli_walls})")
    spark_walls = ", ".join(f"{r['process']:.1f}" for r in spark)
    print(f"Spark local[2] (python -m gongkai.spark): {best['process']:6.1f} s, {files / best['process']:6.1f} docs/s (all rounds: {spark_walls})")
    print(
        f"  phases, s since the process started: Spark context up {phases['session']:.1f}, stage 1 (extract) {phases['stage 1']:.1f}, "
        f"stage 2 (dedup, write) {phases['stage 2']:.1f}; the driver extracted {best.get('files', 0)} files; its JVM exited {best['jvm exit']:.1f} s after it"
    )
    print(f"  CPU {sum(cpu.values()):.1f} s: driver {cpu['driver']:.1f} s, JVM {cpu.get('jvm', 0):.1f} s, its Python workers {cpu.get('python workers', 0):.1f} s; Spark SQL session: {best.get('sql session')}")
    print(f"Spark overhead: {100 * (best['process'] / cli_wall - 1):+.0f}% (process wall time)")
    # On a busy machine the wall times say more about the scheduler than about either command.
    print(f"Spark CPU overhead: {100 * (sum(cpu.values()) / cli_cpu - 1):+.0f}% (all its processes until the dataset is committed)")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
