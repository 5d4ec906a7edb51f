"""gongkai (公开): Chinese government budget disclosures (部门决算 / 部门预算 公开 reports as PDF,
DOCX, XLSX, HTML or text) in, one clean dataset out — as pyarrow tables.

    >>> import gongkai
    >>> result = gongkai.extract(["samples"])            # files or folders, searched recursively
    >>> result.records.num_rows, result.documents.column("status").to_pylist()[:3]
    >>> result.to_pandas()["records"]                     # needs pandas; polars.from_arrow() works too

The tables are the CLI's (docs/schema.md): documents, records, facts and checks, with amounts as
exact decimals (decimal128(38, 6)). A file that cannot be read is a documents row with its status
and reason, never an exception; exceptions are for misuse (a path that does not exist, a bad
setting). Every stage runs in Rust (the gongkai-core crate); the tables reach pyarrow through
the Arrow C data interface, without copying.
"""

from __future__ import annotations

import dataclasses
import decimal
import os
from typing import TYPE_CHECKING, Dict, Iterable, Literal, Union

from . import _gongkai

if TYPE_CHECKING:
    # Imported where used: a Spark task of gongkai.spark.write needs the package but not
    # pyarrow (with numpy, ~0.25 CPU s in every Python worker).
    import pyarrow as pa

__all__ = ["Settings", "Result", "extract", "extract_bytes", "schemas", "TABLES"]

#: The dataset's tables, in the order the Rust side returns them.
TABLES = ("documents", "records", "facts", "checks")


@dataclasses.dataclass(frozen=True)
class Settings:
    """The settings of `gongkai extract`, by the CLI's flag names (`--max-file-mb` → max_file_mb)."""

    #: Rounding difference (尾差) allowed per summed item in the accounting checks, in 万元.
    #: Exact: a str or decimal.Decimal (a float is refused, it is not the number you typed).
    tolerance: Union[str, decimal.Decimal] = "0.01"
    #: Refuse files larger than this many MiB (the file gets a failed row).
    max_file_mb: int = 256
    #: Refuse ZIP archives that would inflate to more than this many MiB in all.
    zip_max_mb: int = 1024
    #: Refuse ZIP members whose inflated/compressed size ratio exceeds this (zip bombs).
    zip_max_ratio: int = 200
    #: Give up on a file after this many seconds (status failed); 0 = no limit.
    timeout_secs: int = 120
    #: OCR of scanned PDF pages with Tesseract: "auto" (when installed), "off" or "force".
    ocr: Literal["auto", "off", "force"] = "auto"
    #: Convert legacy .doc/.wps files with LibreOffice (`soffice` on PATH).
    convert_legacy: bool = False
    #: Which copy feeds the records when copies of a report disagree: "most-records" or "newest".
    prefer: Literal["most-records", "newest"] = "most-records"

    def _native(self) -> Dict[str, object]:
        if isinstance(self.tolerance, float) or not isinstance(self.tolerance, (str, decimal.Decimal, int)):
            raise TypeError(f"tolerance must be a str or decimal.Decimal, not {type(self.tolerance).__name__}")
        for name in ("max_file_mb", "zip_max_mb", "zip_max_ratio", "timeout_secs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TypeError(f"{name} must be a non-negative int, not {value!r}")
        native = dataclasses.asdict(self)
        native["tolerance"] = str(self.tolerance)
        return native


def _settings(settings: Settings | None, overrides: Dict[str, object]) -> Dict[str, object]:
    base = settings or Settings()
    try:
        return dataclasses.replace(base, **overrides)._native()
    except TypeError as e:
        if "unexpected keyword" in str(e):
            names = ", ".join(f.name for f in dataclasses.fields(Settings))
            raise TypeError(f"{e}; the settings are: {names}") from None
        raise


@dataclasses.dataclass(frozen=True)
class Result:
    """One run's dataset: the four tables as pyarrow.Table."""

    documents: pa.Table
    records: pa.Table
    facts: pa.Table
    checks: pa.Table

    @classmethod
    def _of(cls, batches) -> "Result":
        import pyarrow as pa

        return cls(*(pa.Table.from_batches([b]) for b in batches))

    def tables(self) -> Dict[str, pa.Table]:
        return {name: getattr(self, name) for name in TABLES}

    def to_pandas(self) -> Dict[str, "pandas.DataFrame"]:  # noqa: F821
        """The four tables as pandas DataFrames (amounts stay decimal.Decimal)."""
        return {name: t.to_pandas() for name, t in self.tables().items()}

    def to_polars(self) -> Dict[str, "polars.DataFrame"]:  # noqa: F821
        """The four tables as polars DataFrames (needs polars)."""
        import polars

        return {name: polars.from_arrow(t) for name, t in self.tables().items()}


def extract(paths: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]], settings: Settings | None = None, **overrides) -> Result:
    """Files and folders (searched recursively, hidden files skipped) through every stage, as
    `gongkai extract` does: the same rows, source paths relative to a folder's parent.

    Settings are a `Settings`, keyword overrides of it, or both: `extract("scrape", tolerance="0.02")`.
    Raises OSError when a path cannot be read at all; a bad file is a row, not an exception."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return Result._of(_gongkai.extract_paths([os.fspath(p) for p in paths], _settings(settings, overrides)))


def extract_bytes(name: str, data: bytes, settings: Settings | None = None, **overrides) -> Result:
    """One file held in memory; `name` is what documents.source_path says (the format is
    detected from the bytes, not the name). An archive gives a row per member."""
    if not isinstance(name, str) or not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("extract_bytes(name: str, data: bytes)")
    return Result._of(_gongkai.extract_bytes([(name, bytes(data))], _settings(settings, overrides)))


def schemas() -> Dict[str, pa.Schema]:
    """The four tables' Arrow schemas (what an empty run returns)."""
    return dict(zip(TABLES, _gongkai.schemas()))
