"""gongkai on Spark: the same dataset as `gongkai extract`, built by a cluster.

    python -m gongkai.spark INPUT OUTPUT [--partition year,province] [--master local[2]]
    spark-submit --master yarn "$(python -c "import gongkai.spark as s; print(s.__file__)")" s3a://bucket/scrape s3a://bucket/dataset

Stage 1 lists the files with Spark's `binaryFile` source (local paths, HDFS or S3 alike; on a
local master `write`'s driver lists a local input itself, see `write`'s on_driver) and
runs each file through every per-file stage on the executors (the Rust core on the bytes,
which the executors read themselves where they can reach the input: `write` in an RDD's
tasks, `extract` in `mapInArrow`). Stage 2
groups the documents that may relate — the same department, year and report type (where split
publications pair and copies dedup), or the same bytes — into a few large partitions (one
Python call each, not one per group) and runs the core's parts linking and dedup on each
group. Then either:

- `write` (the command): stage 1 spills each task's outcomes to one file under
  OUTPUT/_gongkai_spill and returns only where each lies and its group to the driver, which
  deals the groups into the stage-2 tasks (no shuffle); each reads its outcomes
  back and writes its documents' rows as the CLI's own Parquet files (zstd, the same schema
  and folder names) straight into the dataset, one file per partition folder and task. The
  rows never reach the JVM: converting them into Spark rows, caching them and four Spark
  writes of a few hundred folders each cost more than the whole extraction (2,000 files:
  36 s, against 21 s for `gongkai extract --jobs 2`).
- `extract`: the four tables as Spark DataFrames, for a job that goes on in Spark (stage 2
  as a shuffle by group).

The output is the CLI's `--partition` layout: OUTPUT/documents, OUTPUT/records, OUTPUT/facts as
Hive-style partitioned Parquet (`year=2024/province=青海省/part-00003.parquet`; an empty key as
`province=`, a null as __HIVE_DEFAULT_PARTITION__, as the CLI writes them), OUTPUT/checks flat.
The executors open OUTPUT with Python's own I/O where it is local and otherwise with pyarrow's
file systems (`pyarrow.fs.FileSystem.from_uri`: `hdfs://` through libhdfs, `s3://` — `s3a://` is read as `s3://` — with the AWS credential
chain, `gs://`). A task's files are named by its partition, so a retried or speculative task
rewrites the same files with the same bytes; `_SUCCESS` marks a finished dataset.

The command starts a SparkContext, not a SparkSession: `write` makes the session where
binaryFile lists the input, so a local run on a local input never starts Spark SQL.

Source paths are the CLI's: relative to the input folder's parent (`scrape/a/b.pdf`). Like
every Spark file source, `binaryFile` skips files whose names start with `.` or `_`.
"""

from __future__ import annotations

import argparse
import array
import contextlib
import hashlib
import heapq
import itertools
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from typing import TYPE_CHECKING, Dict, Iterator, Sequence
from urllib.parse import urlparse

# Absolute, so that spark-submit can run this file as a script.
from gongkai import TABLES, Settings, _gongkai, _settings, schemas

if TYPE_CHECKING:
    # Imported where used: a task of `write` needs no pyarrow (see _LocalFiles).
    import pyarrow as pa

_log = logging.getLogger(__name__)

#: The CLI's example partitioning; the keys must be columns of documents, records and facts.
DEFAULT_PARTITION = ("year", "province")

#: `write`'s spill folder, in OUTPUT (readable by every executor), removed when done.
SPILL = "_gongkai_spill"

#: The driver JVM of a local run (`--master local[…]`), which is also its executor, lives for one
#: job: its C2 JIT compiler costs more than it saves (2,000 files: the JVM used 25 CPU seconds,
#: 12 of them C1 and C2 compiling; with C1 alone 14). Set before the session's JVM starts; a
#: cluster's long-lived executors keep their JIT.
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


#: A local session's settings besides its JVM's: no call-site capture of every DataFrame
#: call, which imports IPython into the driver where it is installed (0.4 s before the first
#: job); no web UI, which nobody opens during a one-off local run (its Jetty server costs
#: the JVM's start ~0.15 CPU s); Python workers forked by gongkai's daemon (`gongkai._daemon`:
#: pip's pyspark imported with its bytecode, once, ~0.8 CPU s less). A cluster may set the
#: daemon too (`--conf spark.python.daemon.module=gongkai._daemon`), where it only imports once.
LOCAL_CONF = {"spark.python.sql.dataFrameDebugging.enabled": "false", "spark.ui.enabled": "false", "spark.python.daemon.module": "gongkai._daemon"}


def local_java_options(cache: str | None = None) -> str:
    """LOCAL_JAVA_OPTIONS and a class-data-sharing archive of the classes Spark loads: a local
    JVM spends most of its start-up and its first job loading and verifying classes (2,000
    files: the JVM's CPU 10.5 s, 5.8 s with the archive). The first run dumps the archive
    when its JVM exits (~170 MB, in `cache`, default ~/.cache/gongkai), later runs map it.
    Keyed by Java and pyspark, as the JVM refuses an archive of other classes; a refused,
    missing or half-written archive only costs the time saved (the JVM goes on without it)."""
    import pyspark

    cache = cache or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gongkai")
    java = os.path.realpath(shutil.which("java") or os.environ.get("JAVA_HOME") or "java")
    key = hashlib.sha256(f"{java}|{pyspark.__version__}|{pyspark.__file__}".encode()).hexdigest()[:12]
    archive = os.path.join(cache, f"spark-classes-{key}.jsa")
    if " " in archive:
        # extraJavaOptions are split at spaces.
        return LOCAL_JAVA_OPTIONS
    if os.path.isfile(archive):
        return f"{LOCAL_JAVA_OPTIONS} -XX:SharedArchiveFile={archive}"
    try:
        os.makedirs(cache, exist_ok=True)
    except OSError:
        return LOCAL_JAVA_OPTIONS
    return f"{LOCAL_JAVA_OPTIONS} -XX:ArchiveClassesAtExit={archive}"


#: Stage 1's split of the input into tasks (SQL settings in force while `write` runs its job;
#: `extract`'s DataFrames run under the session's): up to 8 MB of files a task, opening a file
#: counted as nothing. Spark's defaults (128 MB, every file counted as at least 4 MB) make tasks of ~32 small files, and a
#: Python task costs about 50 ms besides its files (2,000 generated files: 63 tasks, 2.4 CPU s
#: more than 12). 8 MB is ~170 of those text reports or a few PDFs: still several tasks per
#: core, for balance, on a cluster's input as on 2,000 files.
READ_SPLIT_BYTES = 8 << 20
READ_SPLIT = {"spark.sql.files.maxPartitionBytes": str(READ_SPLIT_BYTES), "spark.sql.files.openCostInBytes": "1"}

#: Outcomes per partition of the dedup stage: its Python worker holds one partition's outcomes
#: (a few hundred KB each), and there are at least as many partitions as cores.
DOCS_PER_PARTITION = 2000


def _root_uri(path: str) -> str:
    """The input as Spark names its files: a local path becomes `file:/abs/path`."""
    if urlparse(path).scheme:
        return path.rstrip("/")
    return "file:" + os.path.abspath(path).rstrip("/")


def _source_path(uri: str, root: str, given: str) -> str:
    """The CLI's source_path: for a folder, its name joined to the path under it; for a file,
    the path as given."""
    if uri == root or uri.replace("file:///", "file:/") == root:
        return given
    uri = uri.replace("file:///", "file:/")
    rel = uri[len(root) + 1 :] if uri.startswith(root + "/") else uri
    name = os.path.basename(root.rstrip("/"))
    return f"{name}/{rel}" if name else rel


class _LocalFiles:
    """What the tasks of `write` ask of a file system, on local paths with Python's own I/O:
    a local run's Python workers then never import pyarrow (with numpy, ~0.25 CPU s each).
    Other schemes use pyarrow's file systems (`_filesystem`), which have the same calls."""

    @staticmethod
    def open_input_file(path: str):
        return open(path, "rb")

    @staticmethod
    def open_output_stream(path: str):
        return open(path, "wb")

    @staticmethod
    def create_dir(path: str, recursive: bool = True):
        os.makedirs(path, exist_ok=True)


def _task_files(uri: str):
    """The file system a task reads or writes `uri` with, and the path in it."""
    scheme = urlparse(uri).scheme
    if scheme in ("", "file"):
        return _LocalFiles, os.path.abspath(uri[len("file:") :] if scheme else uri).rstrip("/") or "/"
    return _filesystem(uri)


def _reader(root: str):
    """`read(uri)`: the bytes of a file that binaryFile listed under `root` without its content
    column, read here, so that the JVM never holds them."""
    files, base = (None, None)

    def read(uri: str) -> bytes:
        nonlocal files, base
        if files is None:
            files, base = _task_files(root)
        uri = uri.replace("file:///", "file:/")
        with files.open_input_file(base + uri[len(root) :]) as f:
            return f.read()

    return read


def _readable_here(root: str) -> bool:
    """Whether the executors can read the input themselves: a local path, or a scheme pyarrow
    has a file system for (HDFS with libhdfs, S3, GCS); for any other scheme Spark's binaryFile
    reads the bytes and hands them on."""
    try:
        _task_files(root)
    except (OSError, ValueError):
        return False
    return True


def _listing(spark, input: str):
    """binaryFile's listing of `input` as (path, modificationTime in µs[, content]): the
    content only where the executors cannot read the files themselves (`_readable_here`).
    Without it binaryFile opens no file, and no byte passes through the JVM (2,000 generated
    files: 2 CPU s less)."""
    from pyspark.sql import functions as F

    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(input)
    columns = [files.path, F.unix_micros(files.modificationTime).alias("mtime")]
    return files.select(*columns) if _readable_here(_root_uri(input)) else files.select(*columns, files.content)


def _hidden(name: str, folder: bool = False) -> bool:
    """Whether Spark's file sources skip a file or folder of this name (Hadoop's convention:
    `_` and `.` names are metadata, `._COPYING_` a file being copied in; a `_k=v` folder is a
    partition, and Parquet's `_metadata` folders are searched)."""
    if folder and name.startswith(("_common_metadata", "_metadata")):
        return False
    return (name.startswith("_") and "=" not in name) or name.startswith(".") or name.endswith("._COPYING_")


def _local_files(input: str) -> list:
    """(path, size, mtime µs) of each file binaryFile's recursive listing of a local `input`
    names, its modificationTime in milliseconds as Hadoop's local file system gives it."""
    if not os.path.exists(input):
        raise FileNotFoundError(f"{input}: no such file or folder")
    if os.path.isdir(input):
        paths = []
        for folder, dirs, names in os.walk(input):
            dirs[:] = [d for d in dirs if not _hidden(d, folder=True)]
            paths.extend(os.path.join(folder, name) for name in names if not _hidden(name))
    else:
        paths = [input]
    files = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue  # gone since the walk, as it would be from binaryFile's listing
        files.append((path, st.st_size, st.st_mtime_ns // 1_000_000 * 1000))
    return files


def _local_splits(input: str, max_bytes: int) -> list:
    """Stage 1's tasks over a local input listed by the driver: binaryFile's rows (file URI,
    mtime µs), packed as Spark packs a file source's splits (largest file first, a split closed
    when the next file would take it past `max_bytes`), so that the executors still start on
    the largest files and a head start on the smallest."""
    splits, split, size = [], [], 0
    for path, length, micros in sorted(_local_files(input), key=lambda f: (-f[1], f[0])):
        if split and size + length > max_bytes:
            splits.append(split)
            split, size = [], 0
        split.append((_root_uri(path), micros))
        size += length
    return splits + [split] if split else splits


def _extracted(root: str, given: str, files, settings: Dict[str, object], claim=None):
    """(input, ordinal, group, MessagePack outcome) per document of `files`, binaryFile's
    (path, mtime µs[, content]) rows, each through the per-file stage. `claim(name)`: whether
    this task extracts the file (see `_claim`); a file it does not is only listed, as
    (input, -1, "", b"")."""
    read = _reader(root)
    for path, micros, *content in files:
        name = _source_path(path, root, given)
        if claim is not None and not claim(name):
            yield name, -1, "", b""
            continue
        data = content[0] if content else read(path)
        mtime = None if micros is None else micros / 1e6
        for ordinal, (group, outcome) in enumerate(_gongkai.read_outcomes(name, data, mtime, settings)):
            yield name, ordinal, group, outcome


#: The claimant's name of a HeadStart's claims.
_DRIVER = "driver"


def _claim(claims: str, name: str, claimant: str) -> bool:
    """Whether `claimant` extracts file `name` of a run with a HeadStart: the first to claim it
    does. A claim is a symbolic link in the `claims` folder, named by the file and pointing at
    its claimant, made in one step (symlink fails where one exists). A stage-1 task that finds
    a claim not the driver's finds its own failed attempt's, and extracts the file again."""
    link = os.path.join(claims, hashlib.sha1(name.encode()).hexdigest())
    try:
        os.symlink(claimant, link)
        return True
    except FileExistsError:
        return claimant != _DRIVER and os.readlink(link) != _DRIVER


def _outcomes_schema():
    """`extract`'s stage-1 rows."""
    import pyarrow as pa

    return pa.schema([("input", pa.string()), ("ordinal", pa.int64()), ("group", pa.string()), ("outcome", pa.binary())])


def _batch(rows, schema: pa.Schema) -> pa.RecordBatch:
    import pyarrow as pa

    columns = list(zip(*rows)) or [[] for _ in schema]
    return pa.RecordBatch.from_arrays([_column(column, f.type) for column, f in zip(columns, schema)], schema=schema)


def _column(values: Sequence, type: pa.DataType) -> pa.Array:
    """An int64, string or binary array of Python values without nulls, built from its
    buffers: pa.array() imports pandas, where installed, to ask whether the list is a pandas
    object — in every Python worker, before its first batch (0.3-0.5 CPU s each)."""
    import pyarrow as pa

    if type == pa.int64():
        return pa.Array.from_buffers(type, len(values), [None, pa.py_buffer(array.array("q", values))])
    data = [v.encode() if isinstance(v, str) else v for v in values]
    try:
        offsets = array.array("i", itertools.accumulate(map(len, data), initial=0))
    except OverflowError:  # over 2 GB in one batch: pyarrow's own path
        return pa.array(values, type)
    return pa.Array.from_buffers(type, len(values), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def _read_stage(root: str, given: str, settings: Dict[str, object]):
    """`extract`'s stage 1 in mapInArrow: each batch of binaryFile's rows to a batch of outcomes."""

    def read(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        schema = _outcomes_schema()
        for batch in batches:
            yield _batch(list(_extracted(root, given, zip(*(column.to_pylist() for column in batch.columns)), settings)), schema)

    return read


def _spill_stage(root: str, given: str, settings: Dict[str, object], spill: str, claims: str | None):
    """Stage 1 of `write`, over a partition of `_listing`'s rows: the outcomes go to one spill
    file of the task, and only where each lies goes back to the driver (a dict a document, as
    `_write_tasks` and `HeadStart.merged` take them)."""

    def run(rows):
        from pyspark import TaskContext

        task = TaskContext.get()
        files, folder = _task_files(spill)
        # One file per task attempt: the rows of a retried or speculative attempt name its own file.
        path = f"{folder}/{task.stageId()}-{task.partitionId():05d}-{task.taskAttemptId()}.msgpack"
        claimant = f"task-{task.taskAttemptId()}"
        claim = None if claims is None else lambda name: _claim(claims, name, claimant)
        offset = 0
        with files.open_output_stream(path) as out:
            for name, ordinal, group, outcome in _extracted(root, given, rows, settings, claim):
                if ordinal < 0:
                    yield {"input": name, "ordinal": ordinal, "group": group, "spill": "", "offset": 0, "length": 0}
                    continue
                out.write(outcome)
                yield {"input": name, "ordinal": ordinal, "group": group, "spill": path, "offset": offset, "length": len(outcome)}
                offset += len(outcome)

    return run


def _spilled_outcomes(task: Sequence[tuple], spill: str):
    """A write task's (group, outcome) pairs, read back from the spill files."""
    files, _ = _task_files(spill)
    opened = {}
    outcomes = []
    for group, path, offset, length in task:
        if path not in opened:
            opened[path] = files.open_input_file(path)
        opened[path].seek(offset)
        outcomes.append((group, opened[path].read(length)))
    for f in opened.values():
        f.close()
    return outcomes


def _write_tasks(handles: Sequence, cores: int) -> list:
    """The second pass's tasks, decided on the driver from stage 1's handles instead of a
    shuffle: every group whole in one task, at least one task per core, the groups dealt
    largest first to the task with the fewest outcome bytes so far (so that the tasks end
    together), each task's outcomes in run order. Deterministic: a retried task gets the same
    outcomes in the same order."""
    groups: Dict[str, list] = {}
    for h in handles:
        groups.setdefault(h["group"], []).append(h)
    # Whole waves of `cores` tasks of up to DOCS_PER_PARTITION documents: 3 tasks on 2 cores
    # would leave one core idle while the third runs (6,000 generated files: stage 2 9.7 s).
    waves = max(1, -(-len(handles) // (DOCS_PER_PARTITION * cores)))
    n = min(len(groups), cores * waves)
    tasks: list = [[] for _ in range(n)]
    load = [(0, i) for i in range(n)]
    for key, members in sorted(groups.items(), key=lambda kv: (-sum(h["length"] for h in kv[1]), kv[0])):
        size, i = heapq.heappop(load)
        tasks[i].extend(members)
        heapq.heappush(load, (size + sum(h["length"] for h in members), i))
    return [[(h["group"], h["spill"], h["offset"], h["length"]) for h in sorted(t, key=lambda h: (h["input"], h["ordinal"]))] for t in tasks]


def _tables_schema() -> pa.Schema:
    """The dedup stage's output: one struct column per table, a row filling one of them. The
    four tables leave the stage as plain Spark columns, so that writing them needs no Python."""
    import pyarrow as pa

    return pa.schema([pa.field(name, pa.struct(list(schema))) for name, schema in schemas().items()])


def _partition_outcomes(batches: Iterator[pa.RecordBatch]):
    """A stage-2 partition's (group, outcome) pairs, all at once: a group may span batches."""
    import pyarrow as pa

    part = pa.Table.from_batches(list(batches), schema=_outcomes_schema())
    return list(zip(*(part.column(name).to_pylist() for name in ("group", "outcome"))))


def _finish_stage(settings: Dict[str, object], tables_schema: pa.Schema):
    def finish(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        outcomes = _partition_outcomes(batches)
        if not outcomes:
            return
        for name, batch in zip(TABLES, _gongkai.finish_outcomes(outcomes, settings)):
            if batch.num_rows:
                columns = [pa.StructArray.from_arrays(batch.columns, fields=list(batch.schema)) if f.name == name else pa.nulls(batch.num_rows, f.type) for f in tables_schema]
                yield pa.RecordBatch.from_arrays(columns, schema=tables_schema)

    return finish


@contextlib.contextmanager
def _read_split(spark):
    """READ_SPLIT in force, the session's own settings back afterwards."""
    saved = {key: spark.conf.get(key, None) for key in READ_SPLIT}
    for key, value in READ_SPLIT.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def extract(spark, input: str, settings: Settings | None = None, **overrides):
    """The dataset's four tables as Spark DataFrames (lazy; persisted after the dedup stage).

    `input` is a file or folder Spark can list (a path, `hdfs://…`, `s3a://…`)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    native = _settings(settings, overrides)
    tables_schema = _tables_schema()
    files = _listing(spark, input)
    outcomes = files.mapInArrow(_read_stage(_root_uri(input), input.rstrip("/"), native), from_arrow_schema(_outcomes_schema()))
    # Few, large partitions for the dedup stage (not spark.sql.shuffle.partitions' 200): the
    # outcomes are bulky, so one Python call and one set of four tables per partition.
    # Counted in the JVM: DataFrame.inputFiles() brings every path into Python, one py4j call
    # each (0.4 s for 2,000 files; minutes for a national scrape).
    n_files = len(files._jdf.inputFiles())
    parts = max(spark.sparkContext.defaultParallelism, -(-n_files // DOCS_PER_PARTITION))
    grouped = outcomes.repartition(parts, "group").sortWithinPartitions("input", "ordinal")
    tables = grouped.mapInArrow(_finish_stage(native, tables_schema), from_arrow_schema(tables_schema)).persist()
    return {name: tables.where(tables[name].isNotNull()).select(f"{name}.*") for name in TABLES}


def _filesystem(uri: str):
    """pyarrow's file system for `uri` and the path in it (`s3a://` as `s3://`, a relative
    local path made absolute)."""
    from pyarrow import fs

    scheme = urlparse(uri).scheme
    if not scheme:
        uri = os.path.abspath(uri)
    elif scheme in ("s3a", "s3n"):
        uri = "s3" + uri[len(scheme) :]
    return fs.FileSystem.from_uri(uri.rstrip("/"))


def _write_stage(settings: Dict[str, object], output: str, partition: Sequence[str], spill: str):
    """The second pass, over `_write_tasks`' tasks parallelized one a partition: a task's
    outcomes finished and written as the CLI's Parquet files; (table, rows) per file."""

    def run(index: int, tasks):
        files, root = _task_files(output)
        name = f"part-{index:05d}.parquet"
        for task in tasks:
            for table, folder, rows, parquet in _gongkai.finish_to_parquet(_spilled_outcomes(task, spill), settings, list(partition)):
                path = "/".join(p for p in (root, table, folder) if p)
                files.create_dir(path, recursive=True)
                with files.open_output_stream(f"{path}/{name}") as out:
                    out.write(parquet)
                yield table, rows

    return run


class HeadStart:
    """A local run's head start and third worker: from before its session's JVM starts (~2.5 s,
    in which it uses about one core of two) to the end of stage 1, the driver extracts files
    itself, smallest first, into a spill file of its own. It and stage 1's tasks (largest
    first: Spark packs its splits so) claim each file before they read it (`_claim`), so every
    file is extracted once; the driver keeps a core busy while the Python workers start and
    while the last task ends, and stage 1 lists the driver's files without reading them. Only
    where the driver sees the files and the executors its claims and spill file: a local input
    and output and a `local[…]` master (`write` ignores it otherwise, and the command starts one
    for `--master local…` only). It lists the files as `_local_files` does, so it skips the
    names binaryFile skips (`.` and `_`), and `merged` takes only the files stage 1 listed.

        head = HeadStart("scrape")                       # before getOrCreate()
        spark = SparkSession.builder.master("local[2]").getOrCreate()
        write(spark, "scrape", "dataset", head_start=head)
    """

    def __init__(self, input: str, settings: Settings | None = None, **overrides):
        self._native = _settings(settings, overrides)
        self._given = input
        self._stop = threading.Event()
        self._handles: Dict[str, list] = {}
        self._error: BaseException | None = None
        self._folder = tempfile.mkdtemp(prefix="gongkai-head-start-")
        self.claims = os.path.join(self._folder, "claims")
        os.mkdir(self.claims)
        self._thread = threading.Thread(target=self._run, name="gongkai-head-start", daemon=True)
        self._thread.start()

    def _run(self):
        try:
            self._extract()
        except BaseException as e:  # raised again by finish(): a claimed file must not go missing
            self._error = e

    def _extract(self):
        root, given = _root_uri(self._given), self._given.rstrip("/")
        spill = os.path.join(self._folder, "driver.msgpack")
        offset = 0
        with open(spill, "wb") as out:
            for path, _, micros in sorted(_local_files(self._given), key=lambda f: (f[1], f[0])):
                if self._stop.is_set():
                    return
                name = _source_path(_root_uri(path), root, given)
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue  # unclaimed: the executors read it again and say why it failed
                mtime = micros / 1e6
                if not _claim(self.claims, name, _DRIVER):
                    continue
                rows = []
                for ordinal, (group, outcome) in enumerate(_gongkai.read_outcomes(name, data, mtime, self._native)):
                    out.write(outcome)
                    rows.append({"input": name, "ordinal": ordinal, "group": group, "spill": spill, "offset": offset, "length": len(outcome)})
                    offset += len(outcome)
                out.flush()
                self._handles[name] = rows

    def usable(self, spark, input: str, output: str, settings: Dict[str, object]) -> bool:
        """Whether `write(spark, input, output)` can use this head start: the same input and
        settings, a local output and a local master, whose executors see the driver's files."""
        local = _context(spark).master.startswith("local")
        return local and not urlparse(output).scheme and (self._given, self._native) == (input, settings)

    def finish(self) -> int:
        """Stops after the file in hand; the number of files the driver extracted."""
        self._stop.set()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return len(self._handles)

    def merged(self, handles: Sequence) -> list:
        """Stage 1's handles with each of its "claimed by the driver" rows replaced by the
        driver's handles of that file."""
        return [h for row in handles for h in (self._handles[row["input"]] if row["ordinal"] < 0 else [row])]

    def close(self):
        self._stop.set()
        self._thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)


def _driver_helps(spark, on_driver: bool | None) -> bool:
    """`write`'s `on_driver`: None decides by the master, a `local[…]` one (whose executors are
    the driver's own cores and see its files) or not (a cluster)."""
    return _context(spark).master.startswith("local") if on_driver is None else bool(on_driver)


def _context(spark):
    """The SparkContext of `write`'s `spark`, a SparkSession or a SparkContext."""
    return getattr(spark, "sparkContext", spark)


def _session(spark):
    """A SparkSession on `write`'s `spark`: made here from a SparkContext, so that a run that
    never lists with binaryFile never builds Spark SQL's session (its analyzer, catalog and
    conf: ~1.1 CPU s of a local JVM's start, 3.0 s with it)."""
    from pyspark.sql import SparkSession

    # The builder's session is made on the running context (or is the session already made on it).
    return spark if isinstance(spark, SparkSession) else SparkSession.builder.getOrCreate()


def _run_on_driver(tasks: list, stage, threads: int) -> list:
    """`stage` (as `_write_stage` gives it) over each task in threads of the driver, task i as
    Spark's partition i would run it; the Rust core releases the GIL while it works."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, threads), thread_name_prefix="gongkai-write") as pool:
        return [row for rows in pool.map(lambda it: list(stage(it[0], iter([it[1]]))), enumerate(tasks)) for row in rows]


def write(
    spark,
    input: str,
    output: str,
    partition: Sequence[str] = DEFAULT_PARTITION,
    settings: Settings | None = None,
    head_start: HeadStart | None = None,
    on_driver: bool | None = None,
    **overrides,
) -> Dict[str, int]:
    """Builds the dataset of `input` under `output` (replacing its four tables) with the CLI's
    `--partition` layout; returns the rows written per table. `spark`: a SparkSession, or a
    SparkContext, from which a session is made only if binaryFile lists the input (the
    command passes its context: on a local master with a local input none is needed). `head_start`: a HeadStart of the
    same input and settings, which extracts files on the driver until stage 1 ends (ignored
    unless it is `HeadStart.usable`). `on_driver`: whether the driver does what it can in the
    executors' place (default: on a `local[…]` master; False runs a cluster's jobs locally):
    it lists a local input itself, as binaryFile would, and finishes and writes the dataset in
    threads, one a core, instead of a second job. Neither is worth a cluster's while, where the
    executors have the cores and the input is theirs to list, but on one machine they are what
    a Spark job costs besides the work (2,000 generated files: binaryFile's DataFrame costs the
    JVM 1.3 CPU s more than the same paths parallelized).

    Two jobs, on RDDs of plain Python values: the rows are few and small (a file's path, where
    its outcomes lie), and a job over them needs neither Arrow nor pandas in the Python workers
    or the JVM (2,000 generated files: 1.5 CPU s less than the same jobs in mapInArrow). The
    first lists the files (binaryFile, tasks of READ_SPLIT), extracts each, spills each task's
    outcomes and brings to the driver only where each lies and its group (~100 bytes a
    document). The driver deals the groups into tasks (`_write_tasks`) and the second job
    finishes and writes them, in waves of a task per core of up to DOCS_PER_PARTITION documents: no shuffle,
    no sort (2,000 generated files: the shuffle, its sort and their planning cost the JVM ~1 CPU s)."""
    import pyarrow.parquet as pq
    from pyarrow import fs

    native = _settings(settings, overrides)
    sc = _context(spark)
    on_driver = _driver_helps(spark, on_driver)
    # Absolute before the executors see it: theirs may run elsewhere.
    output = output if urlparse(output).scheme else os.path.abspath(output)
    for name, schema in schemas().items():
        missing = [key for key in partition if name != "checks" and key not in schema.names]
        if missing:
            raise ValueError(f"cannot partition {name} by {missing}: not among its columns ({', '.join(schema.names)})")
    filesystem, root = _filesystem(output)
    for name in (*TABLES, "_SUCCESS", SPILL):
        info = filesystem.get_file_info(f"{root}/{name}")
        if info.type == fs.FileType.Directory:
            filesystem.delete_dir(info.path)
        elif info.type == fs.FileType.File:
            filesystem.delete_file(info.path)
    spill = f"{output.rstrip('/')}/{SPILL}"
    filesystem.create_dir(f"{root}/{SPILL}")
    if head_start is not None and not head_start.usable(spark, input, output, native):
        head_start.close()
        head_start = None
    try:
        claims = head_start.claims if head_start else None
        if on_driver and not urlparse(input).scheme:
            splits = _local_splits(input, READ_SPLIT_BYTES)
            files = sc.parallelize(splits, max(1, len(splits))).flatMap(lambda split: split)
        else:
            session = _session(spark)
            with _read_split(session):
                files = _listing(session, input).rdd
        handles = files.mapPartitions(_spill_stage(_root_uri(input), input.rstrip("/"), native, spill, claims)).collect()
        _log.info("stage 1 (extract) done", extra={"phase": "stage 1"})
        if head_start:
            by_driver = head_start.finish()
            handles = head_start.merged(handles)
            _log.info("the driver's head start extracted %d of them", by_driver, extra={"phase": "head start", "files": by_driver})
        tasks = _write_tasks(handles, sc.defaultParallelism)
        stage = _write_stage(native, output, partition, spill)
        if not tasks:
            written = []
        elif on_driver:
            written = _run_on_driver(tasks, stage, sc.defaultParallelism)
        else:
            # One task a partition, as the partition's data rather than in the function shipped to every task.
            written = sc.parallelize(tasks, len(tasks)).mapPartitionsWithIndex(stage).collect()
        _log.info("stage 2 (dedup, write) done: %d tasks", len(tasks), extra={"phase": "stage 2"})
    finally:
        filesystem.delete_dir(f"{root}/{SPILL}")
        if head_start:
            head_start.close()
    rows = {name: sum(n for table, n in written if table == name) for name in TABLES}
    for name, schema in schemas().items():
        if not any(table == name for table, _ in written):
            # No rows at all (an empty input): one empty file, so that the table still reads.
            filesystem.create_dir(f"{root}/{name}", recursive=True)
            with filesystem.open_output_stream(f"{root}/{name}/part-00000.parquet") as out:
                pq.write_table(schema.empty_table(), out)
    filesystem.open_output_stream(f"{root}/_SUCCESS").close()
    return rows


def _since_start() -> float:
    """Seconds since this process started (Linux's /proc; elsewhere since this module was imported)."""
    try:
        with open("/proc/self/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, AttributeError, ValueError):
        return time.monotonic() - _IMPORTED


_IMPORTED = time.monotonic()


def _tree_cpu(pid: int) -> tuple:
    """CPU seconds of process `pid` with its descendants (and the children they reaped), and of
    `pid` alone, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats, children = {}, {}
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{p}/stat") as f:
                stats[int(p)] = f.read().rsplit(")", 1)[1].split()
        except OSError:
            pass
    for p, st in stats.items():
        children.setdefault(int(st[1]), []).append(p)

    def total(p):
        return sum(int(x) for x in stats[p][11:15]) / tick + sum(total(c) for c in children.get(p, []))

    return total(pid), sum(int(x) for x in stats[pid][11:13]) / tick


class _Timings(logging.Handler):
    """`--timings`: when each phase of the run ends, in seconds since the process started, as it
    ends; at the end one JSON line with them and the CPU seconds of the driver, its JVM and the
    JVM's Python workers (benches/spark_vs_cli.py reads it)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.phases: Dict[str, float] = {}
        self.facts: Dict[str, object] = {}
        self.jvm_cpu: Dict[str, float | None] = {}
        # The most the JVM's Python workers had used at a phase's end: Spark ends workers idle
        # for a minute (a long stage 2 on a busy machine), and their CPU goes with them.
        self.workers_cpu = 0.0
        _log.addHandler(self)
        _log.setLevel(logging.INFO)

    def emit(self, record: logging.LogRecord):
        at = _since_start()
        phase = getattr(record, "phase", record.getMessage())
        self.phases[phase] = round(at, 3)
        self.facts.update({key: getattr(record, key) for key in ("files",) if hasattr(record, key)})
        jvm = self._jvm_cpu()
        self.jvm_cpu[phase] = jvm
        self._note_workers()
        print(f"gongkai.spark: {at:7.2f} s  {record.getMessage()}" + (f" (JVM CPU {jvm:.2f} s)" if jvm is not None else ""), file=sys.stderr)

    @staticmethod
    def _jvm():
        from pyspark import SparkContext

        return getattr(SparkContext._gateway, "proc", None)  # None under spark-submit

    def _note_workers(self):
        proc = self._jvm()
        if proc is not None and os.path.isdir(f"/proc/{proc.pid}"):
            tree, jvm = _tree_cpu(proc.pid)
            self.workers_cpu = max(self.workers_cpu, tree - jvm)

    @classmethod
    def _jvm_cpu(cls):
        proc = cls._jvm()
        try:
            with open(f"/proc/{proc.pid}/stat") as f:
                return sum(int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13]) / os.sysconf("SC_CLK_TCK")
        except (AttributeError, OSError):
            return None

    def report(self):
        import resource

        from pyspark.sql import SparkSession

        # Whether the run built Spark SQL's session: a local run on a local input needs none.
        self.facts["sql session"] = SparkSession._instantiatedSession is not None
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = {"driver": round(usage.ru_utime + usage.ru_stime, 2)}
        proc = self._jvm()
        if proc is not None and os.path.isdir("/proc"):
            self._note_workers()
            _, jvm = _tree_cpu(proc.pid)
            cpu.update({"jvm": round(jvm, 2), "python workers": round(self.workers_cpu, 2)})
            self.facts["jvm pid"] = proc.pid
        print("gongkai.spark timings: " + json.dumps({"phases": self.phases, "cpu": cpu, "jvm cpu by phase": self.jvm_cpu, **self.facts}), file=sys.stderr)


def _exit_now():
    """Ends a local run once its dataset is committed (`write` returned: _SUCCESS written, spill
    removed) without `spark.stop()`, which stops the context, its executor and Python workers
    and removes its temporary folders before returning (0.3-0.7 s). The JVM pyspark launched
    exits by itself when its stdin, a pipe from this process, closes, running Spark's shutdown
    hooks that do the same. Only for a session the command started with a local master: on a
    cluster a clean stop matters more than a second (it also ends the application), and
    under spark-submit this process is the JVM's child."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _preimport_while_the_jvm_starts():
    """pyspark's first call into a new session's JVM imports pyspark.testing.utils, and with it
    pandas and pyarrow where installed (its py4j argument converter for numpy arrays asks that
    module whether numpy is there): 0.5 s of a core, while the JVM waits for the call. Begun
    here in a thread, the import overlaps the JVM's start instead; the call then finds it done
    (or waits on Python's import lock for the rest)."""
    import importlib

    threading.Thread(target=importlib.import_module, args=("pyspark.testing.utils",), name="gongkai-preimport", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m gongkai.spark", description="gongkai extract on Spark: INPUT files → OUTPUT partitioned Parquet dataset")
    p.add_argument("input", help="file or folder: a local path, hdfs://… or s3a://…")
    p.add_argument("output", help="dataset folder (documents/, records/, facts/, checks/)")
    p.add_argument("--partition", default=",".join(DEFAULT_PARTITION), help="partition columns, comma-separated (default: %(default)s)")
    p.add_argument("--master", help="Spark master when not launched by spark-submit, e.g. local[2]")
    p.add_argument("--tolerance", default=Settings.tolerance)
    p.add_argument("--max-file-mb", type=int, default=Settings.max_file_mb)
    p.add_argument("--zip-max-mb", type=int, default=Settings.zip_max_mb)
    p.add_argument("--zip-max-ratio", type=int, default=Settings.zip_max_ratio)
    p.add_argument("--timeout-secs", type=int, default=Settings.timeout_secs)
    p.add_argument("--ocr", choices=["auto", "off", "force"], default=Settings.ocr)
    p.add_argument("--prefer", choices=["most-records", "newest"], default=Settings.prefer)
    p.add_argument("--timings", action="store_true", help="print when each phase ends (seconds since the process started) and the CPU used, to stderr")
    args = p.parse_args(argv)
    timings = _Timings() if args.timings else None
    settings = Settings(
        tolerance=args.tolerance,
        max_file_mb=args.max_file_mb,
        zip_max_mb=args.zip_max_mb,
        zip_max_ratio=args.zip_max_ratio,
        timeout_secs=args.timeout_secs,
        ocr=args.ocr,
        prefer=args.prefer,
    )
    local = (args.master or "").startswith("local")
    head_start = None
    if local and not urlparse(args.input).scheme and not urlparse(args.output).scheme:
        # Before pyspark is imported and its JVM launched: the driver's core is idle meanwhile.
        head_start = HeadStart(args.input, settings)
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("gongkai")
    if args.master:
        conf.setMaster(args.master)
        if local:
            conf.set("spark.driver.extraJavaOptions", local_java_options())
            conf.setAll(LOCAL_CONF.items())
        # Local workers run this interpreter, the one gongkai is installed in.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    _preimport_while_the_jvm_starts()
    # A context, not a session: `write` makes the session where binaryFile lists the input
    # (a cluster's input, or any non-local master), and a local run never pays for Spark SQL.
    sc = SparkContext.getOrCreate(conf)
    _log.info("Spark context up", extra={"phase": "session"})
    rows = write(sc, args.input, args.output, [k for k in args.partition.split(",") if k], settings, head_start=head_start)
    print(f"gongkai.spark: {rows['documents']} documents, {rows['records']} records → {args.output}", file=sys.stderr)
    if timings:
        timings.report()
    if local:
        _exit_now()
    sc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
