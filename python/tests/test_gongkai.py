"""The Python package against the CLI: the same rows, whichever client built them.

Run by tests/python.rs (cargo test) in a fresh virtualenv with the wheel installed; needs the
environment it sets: GONGKAI_REPO (the repository) and GONGKAI_OUT (a scratch folder).
The Spark tests need pyspark and Java; with GONGKAI_REQUIRE_SPARK=1 (CI) their absence fails.
"""

import decimal
import json
import os
import shutil
import subprocess
import sys
import time
import unittest
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import gongkai

REPO = Path(os.environ["GONGKAI_REPO"])
OUT = Path(os.environ["GONGKAI_OUT"])
SAMPLES = REPO / "samples"
REAL = REPO / "tests" / "fixtures" / "real"


def rows(table: pa.Table, columns):
    """The table as sorted tuples over `columns` (the CLI's, so new columns compare too)."""
    table = table.select(columns)
    return sorted((tuple(repr(v) for v in row.values()) for row in table.to_pylist()), key=repr)


def cli_dataset(inputs, name, *flags):
    """`gongkai extract` of the installed wheel's command into OUT/name, as tables."""
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    gongkai_cmd = shutil.which("gongkai", path=os.path.dirname(sys.executable))
    assert gongkai_cmd, "the wheel installs the gongkai command next to python"
    run = subprocess.run([gongkai_cmd, "extract", *map(str, inputs), "-o", str(out), "--format", "parquet", "--quiet", "--jobs", "2", "--fail-on", "none", *flags], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return {t: pq.read_table(out / f"{t}.parquet") for t in gongkai.TABLES}


def folders(table_dir: Path):
    """A partitioned table's folders (`year=2024/province=青海省`)."""
    return sorted({str(p.parent.relative_to(table_dir)) for p in table_dir.rglob("*.parquet")})


class SameAsCli:
    def assert_same(self, got, cli, label):
        for name, expected in cli.items():
            table = got[name]
            self.assertEqual(table.num_rows, expected.num_rows, f"{label}: {name} rows")
            self.assertEqual(rows(table, expected.column_names), rows(expected, expected.column_names), f"{label}: {name} differs from the CLI's")

    def assert_written_like_cli(self, written, out: Path, cli: Path):
        import pyarrow.dataset as ds

        from gongkai import spark as gspark

        self.assertTrue((out / "_SUCCESS").exists())
        self.assertFalse((out / gspark.SPILL).exists(), "the spill folder is removed")
        for name in gongkai.TABLES:
            flat = name == "checks"
            expected = pq.read_table(cli / f"{name}.parquet") if flat else ds.dataset(cli / name, partitioning="hive").to_table()
            got = ds.dataset(out / name, partitioning=None if flat else "hive").to_table()
            self.assertEqual(written[name], expected.num_rows, name)
            self.assertEqual(sorted(got.column_names), sorted(expected.column_names), name)
            self.assertEqual(rows(got, expected.column_names), rows(expected, expected.column_names), f"{name} differs from the CLI's")
            if not flat:
                self.assertEqual(folders(out / name), folders(cli / name), f"{name}: partition folders")
                one = next((out / name).rglob("*.parquet"))
                self.assertEqual(pq.read_schema(one), pq.read_schema(next((cli / name).rglob("*.parquet"))), f"{name}: file schema")


class PythonApi(unittest.TestCase, SameAsCli):
    @classmethod
    def setUpClass(cls):
        cls.samples_cli = cli_dataset([SAMPLES], "cli_samples")

    def test_reads_the_samples_like_the_cli(self):
        result = gongkai.extract(SAMPLES)
        self.assertEqual(result.documents.num_rows, 19)
        self.assertGreater(result.records.num_rows, 500)
        self.assertEqual(result.records.schema.field("amount").type, pa.decimal128(38, 6))
        self.assertIn("duplicate", result.documents.column("status").to_pylist())
        self.assert_same(result.tables(), self.samples_cli, "samples")

    def test_real_corpus_like_the_cli(self):
        self.assert_same(gongkai.extract([REAL]).tables(), cli_dataset([REAL], "cli_real"), "real corpus")

    def test_one_file_in_memory(self):
        seed = next((SAMPLES / "seeds").iterdir())
        from_bytes = gongkai.extract_bytes(seed.name, seed.read_bytes())
        from_path = gongkai.extract(seed)
        self.assertEqual(from_bytes.documents.column("source_path").to_pylist(), [seed.name])
        self.assertEqual(from_bytes.documents.column("status").to_pylist(), ["ok"])
        self.assertGreater(from_bytes.records.num_rows, 50)
        self.assertEqual(rows(from_bytes.records, ["record_id", "amount"]), rows(from_path.records, ["record_id", "amount"]))

    def test_a_bad_file_is_a_row_not_an_exception(self):
        result = gongkai.extract_bytes("broken.pdf", b"%PDF-1.7 nothing else")
        (doc,) = result.documents.to_pylist()
        self.assertEqual(doc["status"], "failed")
        self.assertTrue(doc["error"])
        self.assertEqual(result.records.num_rows, 0)

    def test_settings_reach_the_run(self):
        seed = next((SAMPLES / "seeds").iterdir())
        tiny = gongkai.extract(seed, max_file_mb=0)
        self.assertIn("file too large", tiny.documents.column("error")[0].as_py())
        loose = gongkai.extract(seed, gongkai.Settings(tolerance=decimal.Decimal("1000000")))
        self.assertEqual(loose.checks.filter(pa.compute.equal(loose.checks.column("status"), "fail")).num_rows, 0)

    def test_misuse_raises(self):
        with self.assertRaises(TypeError):
            gongkai.extract(SAMPLES, tolerance=0.01)
        with self.assertRaises(TypeError):
            gongkai.extract(SAMPLES, no_such_setting=1)
        with self.assertRaises(ValueError):
            gongkai.extract(SAMPLES, ocr="sometimes")
        with self.assertRaises(OSError):
            gongkai.extract(OUT / "no such folder")

    def test_pandas_interop(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.skipTest("pandas not installed")
        frames = gongkai.extract(SAMPLES / "seeds").to_pandas()
        self.assertIsInstance(frames["records"]["amount"].iloc[0], decimal.Decimal)


def spark_ready() -> bool:
    """Whether pyspark and Java are there (under GONGKAI_REQUIRE_SPARK, their absence fails)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if os.environ.get("GONGKAI_REQUIRE_SPARK"):
            raise
        return False
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        if os.environ.get("GONGKAI_REQUIRE_SPARK"):
            raise RuntimeError("Spark needs Java: apt-get install default-jre-headless")
        return False
    return True


def spark_session():
    if not spark_ready():
        return None
    from pyspark.sql import SparkSession

    from gongkai import spark as gspark

    # The workers must run this interpreter, the one the wheel is installed in.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    return (
        SparkSession.builder.master("local[2]")
        .appName("gongkai-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .config("spark.driver.extraJavaOptions", gspark.LOCAL_JAVA_OPTIONS)
        .getOrCreate()
    )


class OnSpark(unittest.TestCase, SameAsCli):
    @classmethod
    def setUpClass(cls):
        cls.spark = spark_session()
        if cls.spark is None:
            raise unittest.SkipTest("pyspark or Java missing (GONGKAI_REQUIRE_SPARK=1 makes this fail)")

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()

    def spark_tables(self, tables):
        return {name: df.toArrow() for name, df in tables.items()}

    def test_samples_like_the_cli(self):
        from gongkai import spark as gspark

        tables = gspark.extract(self.spark, str(SAMPLES))
        self.assert_same(self.spark_tables(tables), cli_dataset([SAMPLES], "cli_samples_spark"), "spark samples")

    def test_real_corpus_written_as_the_cli_writes_it(self):
        """Both paths of `write`: a cluster's (on_driver=False: binaryFile lists the files, the
        executors write the dataset) and a local master's (the driver lists the files and
        writes the dataset); each the same folders, files of the same schema and the same rows
        as `gongkai extract --partition year,province`. The cluster's is given the SparkContext,
        as the command gives it, and makes the session binaryFile needs from it."""
        from gongkai import spark as gspark

        cli_dataset([REAL], "cli_real_spark", "--partition", "year,province")
        for on_driver in (False, True):
            with self.subTest(on_driver=on_driver):
                out = OUT / f"spark_real_{on_driver}"
                spark = self.spark if on_driver else self.spark.sparkContext
                written = gspark.write(spark, str(REAL), str(out), on_driver=on_driver)
                self.assert_written_like_cli(written, out, OUT / "cli_real_spark")

    def test_the_driver_lists_what_binary_file_lists(self):
        """Hidden names (`.`, `_`, but `_metadata…` and `_k=v` folders searched), nested folders
        and mtimes: the driver's listing of a local input is binaryFile's."""
        from gongkai import spark as gspark

        root = OUT / "listing"
        shutil.rmtree(root, ignore_errors=True)
        for name in ("a.txt", ".hidden.txt", "_skipped.txt", "_metadata", "b.txt._COPYING_", "sub/c.pdf", ".dot/d.txt", "_under/e.txt", "_k=v/f.txt", "_metadata_x/h.txt", "sub/deeper/g.docx"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(name.encode() * 3)
        with gspark._read_split(self.spark):
            listed = {(r.path, r.mtime) for r in gspark._listing(self.spark, str(root)).collect()}
        mine = {row for split in gspark._local_splits(str(root), gspark.READ_SPLIT_BYTES) for row in split}
        self.assertEqual(mine, {(p.replace("file:///", "file:/"), m) for p, m in listed})
        self.assertEqual(len(mine), 5, sorted(mine))
        with self.assertRaises(FileNotFoundError):
            gspark.write(self.spark, str(root / "missing"), str(OUT / "spark_missing"), on_driver=True)
        one = root / "sub" / "c.pdf"
        self.assertEqual(gspark._local_splits(str(one), 8), [[(gspark._root_uri(str(one)), one.stat().st_mtime_ns // 1_000_000 * 1000)]], "a file given is listed whatever its size")

    def test_samples_extracted_by_a_head_start_written_as_the_cli_writes_them(self):
        """Every file done by the driver before the job (a local run's head start): stage 1
        only lists them, and the driver's outcomes are written as the executors' would be."""
        from gongkai import spark as gspark

        cli_dataset([SAMPLES], "cli_samples_head", "--partition", "year,province")
        out = OUT / "spark_samples_head"
        head = gspark.HeadStart(str(SAMPLES))
        head._thread.join()  # the session was up long ago: let the driver finish every file
        self.assertEqual(len(head._handles), sum(1 for p in SAMPLES.rglob("*") if p.is_file()))
        written = gspark.write(self.spark, str(SAMPLES), str(out), head_start=head)
        self.assert_written_like_cli(written, out, OUT / "cli_samples_head")
        self.assertFalse(os.path.exists(head._folder), "the head start's spill is removed")

    def test_samples_shared_between_the_driver_and_the_executors_written_as_the_cli_writes_them(self):
        """A head start that claimed some files and stopped: stage 1's tasks list those and
        extract the others; the dataset is the CLI's."""
        from gongkai import spark as gspark

        cli_dataset([SAMPLES], "cli_samples_shared", "--partition", "year,province")
        out = OUT / "spark_samples_shared"
        files = sum(1 for p in SAMPLES.rglob("*") if p.is_file())
        head = gspark.HeadStart(str(SAMPLES))
        while len(head._handles) < files // 2 and head._thread.is_alive():
            time.sleep(0.01)
        head._stop.set()
        head._thread.join()
        by_driver = len(head._handles)
        self.assertTrue(0 < by_driver < files, f"the driver extracted {by_driver} of {files} files")
        written = gspark.write(self.spark, str(SAMPLES), str(out), head_start=head)
        self.assert_written_like_cli(written, out, OUT / "cli_samples_shared")

class SparkCommand(unittest.TestCase, SameAsCli):
    def test_the_command_writes_the_clis_dataset_then_its_jvm_exits_by_itself(self):
        """`python -m gongkai.spark INPUT OUTPUT --master local[2]` as the README says: the CLI's
        dataset; the process leaves as soon as it is committed (without spark.stop()), and the
        JVM it started exits on its own, dumping its class-data-sharing archive as it goes. It
        starts a SparkContext only: its driver lists the input, so Spark SQL is never needed."""
        if not spark_ready():
            self.skipTest("pyspark or Java missing (GONGKAI_REQUIRE_SPARK=1 makes this fail)")
        cli_dataset([SAMPLES], "cli_samples_command", "--partition", "year,province")
        out = OUT / "spark_samples_command"
        cache = OUT / "command_cache"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYSPARK_PYTHON": sys.executable}
        # The JVM holds the pipes until it has exited: run() returns after both.
        run = subprocess.run([sys.executable, "-m", "gongkai.spark", str(SAMPLES), str(out), "--master", "local[2]", "--timings"], capture_output=True, text=True, env=env)
        self.assertEqual(run.returncode, 0, run.stderr)
        timings = json.loads(run.stderr.split("gongkai.spark timings: ")[1].splitlines()[0])
        self.assertLess(timings["phases"]["session"], timings["phases"]["stage 1"])
        self.assertLess(timings["phases"]["stage 1"], timings["phases"]["stage 2"])
        self.assertFalse(timings["sql session"], "a local run on a local input builds no Spark SQL session (~1 CPU s of the JVM's start)")
        deadline = time.monotonic() + 60
        while os.path.exists(f"/proc/{timings['jvm pid']}") and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertFalse(os.path.exists(f"/proc/{timings['jvm pid']}"), "the JVM is still running a minute later")
        self.assertTrue(any(p.stat().st_size > 0 for p in (cache / "gongkai").glob("spark-classes-*.jsa")), "the JVM dumped its class archive")
        import pyarrow.dataset as ds

        written = {name: ds.dataset(out / name, partitioning=None if name == "checks" else "hive").count_rows() for name in gongkai.TABLES}
        self.assert_written_like_cli(written, out, OUT / "cli_samples_command")


class SparkSettings(unittest.TestCase):
    """What `gongkai.spark` decides before a JVM starts."""

    def setUp(self):
        try:
            import pyspark  # noqa: F401
        except ImportError:
            if os.environ.get("GONGKAI_REQUIRE_SPARK"):
                raise
            self.skipTest("pyspark missing")

    def test_a_local_jvm_dumps_its_class_archive_once_then_maps_it(self):
        from gongkai import spark as gspark

        cache = OUT / "jvm_cache"
        shutil.rmtree(cache, ignore_errors=True)
        first = gspark.local_java_options(str(cache))
        self.assertTrue(first.startswith(gspark.LOCAL_JAVA_OPTIONS + " -XX:ArchiveClassesAtExit="), first)
        archive = Path(first.split("-XX:ArchiveClassesAtExit=")[1])
        self.assertEqual(archive.parent, cache)
        archive.write_bytes(b"")  # what the first JVM leaves when it exits
        self.assertEqual(gspark.local_java_options(str(cache)), f"{gspark.LOCAL_JAVA_OPTIONS} -XX:SharedArchiveFile={archive}")

    def test_write_tasks_keep_groups_whole_balance_bytes_and_keep_run_order(self):
        from gongkai import spark as gspark

        def handle(input, ordinal, group, length):
            return {"input": input, "ordinal": ordinal, "group": group, "spill": f"{input}.msgpack", "offset": ordinal, "length": length}

        handles = [handle("c", 0, "g1", 50), handle("a", 0, "g1", 10), handle("b", 0, "g2", 40), handle("d", 0, "g3", 30), handle("e", 1, "g4", 25), handle("e", 0, "g4", 5)]
        tasks = gspark._write_tasks(handles, 2)
        # Largest group first to the lightest task: g1 (60) and g2 (40) open the two tasks, g3
        # (30; before g4 by name) joins g2, g4 joins g1; each task in run order.
        self.assertEqual(
            tasks,
            [
                [("g1", "a.msgpack", 0, 10), ("g1", "c.msgpack", 0, 50), ("g4", "e.msgpack", 0, 5), ("g4", "e.msgpack", 1, 25)],
                [("g2", "b.msgpack", 0, 40), ("g3", "d.msgpack", 0, 30)],
            ],
        )
        self.assertEqual(gspark._write_tasks(list(reversed(handles)), 2), tasks, "the same tasks whatever order stage 1 answered in")
        self.assertEqual(len(gspark._write_tasks(handles, 8)), 4, "no task without a group")
        self.assertEqual(gspark._write_tasks([], 2), [])

    def test_batches_of_python_values_are_built_without_pandas(self):
        code = (
            "import sys, pyarrow as pa, gongkai.spark as s\n"
            "rows = [('年报/a.pdf', 0, 'g', b'\\x00x'), ('b', 7, '', b'')]\n"
            "schema = s._outcomes_schema()\n"
            "batch = s._batch(rows, schema)\n"
            "batch.validate(full=True)\n"
            "assert batch.to_pylist() == [dict(zip(schema.names, r)) for r in rows], batch.to_pylist()\n"
            "assert s._batch([], schema).num_rows == 0\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n"
        )
        self.assert_runs(code)

    def test_the_package_and_its_spark_module_load_without_pyarrow(self):
        """What a task of `write` imports: neither pyarrow nor numpy (~0.25 CPU s in every
        Python worker); the Arrow API loads pyarrow when it is called."""
        code = (
            "import sys, gongkai, gongkai.spark\n"
            "assert not {'pyarrow', 'numpy', 'pandas'} & set(sys.modules), sorted(m for m in sys.modules if m.split('.')[0] in ('pyarrow', 'numpy', 'pandas'))\n"
            "assert gongkai.extract_bytes('a.txt', b'x').documents.num_rows == 1\n"
        )
        self.assert_runs(code)

    def assert_runs(self, code: str, env=None):
        """`code` succeeds in a fresh interpreter (so that its imports are its own)."""
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        self.assertEqual(run.returncode, 0, run.stderr)

    def test_the_daemon_imports_pip_pyspark_with_its_bytecode_once_before_forking(self):
        """gongkai._daemon with a worker's path (pyspark's own zips first, as Spark sets it):
        pyspark comes from the installed package, the workers' modules are loaded, and neither
        a thread nor pandas, pyarrow or numpy is there to be lost in the fork."""
        import pyspark

        lib = Path(pyspark.__file__).parent / "python" / "lib"
        zips = sorted(str(p) for p in lib.glob("*.zip"))
        self.assertTrue(any(p.endswith("pyspark.zip") for p in zips), f"pip's pyspark ships its zip in {lib}")
        code = (
            "import os, sys\n"
            "import gongkai._daemon\n"
            "import pyspark\n"
            f"assert pyspark.__file__ == {pyspark.__file__!r}, pyspark.__file__\n"
            "assert {'pyspark.worker', 'pyspark.daemon', 'gongkai.spark'} <= set(sys.modules)\n"
            "assert not {'pyarrow', 'numpy', 'pandas'} & set(sys.modules), sorted(m for m in sys.modules if m.split('.')[0] in ('pyarrow', 'numpy', 'pandas'))\n"
            "assert len(os.listdir('/proc/self/task')) == 1, os.listdir('/proc/self/task')\n"
        )
        self.assert_runs(code, env={**os.environ, "PYTHONPATH": os.pathsep.join(zips)})
        from gongkai import _daemon

        distribution = ["/opt/spark/python/lib/pyspark.zip", "/opt/spark/python/lib/py4j-0.10.9.9-src.zip", "/venv/site-packages"]
        self.assertEqual(_daemon._zips_of_the_installed_pyspark(distribution), [], "a Spark distribution's zips stay first")

    def test_a_file_is_extracted_by_whoever_claims_it_first(self):
        from gongkai import spark as gspark

        claims = OUT / "claims"
        shutil.rmtree(claims, ignore_errors=True)
        claims.mkdir(parents=True)
        self.assertTrue(gspark._claim(str(claims), "scrape/a.pdf", gspark._DRIVER))
        self.assertFalse(gspark._claim(str(claims), "scrape/a.pdf", "task-7"), "the driver has it")
        self.assertTrue(gspark._claim(str(claims), "scrape/b.pdf", "task-7"))
        self.assertFalse(gspark._claim(str(claims), "scrape/b.pdf", gspark._DRIVER), "a task has it")
        self.assertTrue(gspark._claim(str(claims), "scrape/b.pdf", "task-9"), "a retried task does its failed attempt's files again")

    def test_executors_read_what_pyarrow_reaches_and_spark_reads_the_rest(self):
        from gongkai import spark as gspark

        self.assertTrue(gspark._readable_here(gspark._root_uri(str(SAMPLES))))
        self.assertFalse(gspark._readable_here("wasbs://container@account.blob.core.windows.net/scrape"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
