"""Open the built dataset (Parquet per table) as an in-memory DuckDB database.

The folder is $SCO_DATA_DIR, or data/processed. Every table is copied into memory when the
dataset is opened, so a rebuild that swaps data/processed under a running app never breaks a
query; `dataset_version` tells callers when to open it again. A missing folder or a missing
table gives empty tables with the contract's columns, and `Dataset.message` says what to do.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("meetings", "delegations", "persons", "countries", "memberships", "sources", "rejects")
MANIFEST = "manifest.json"
MISSING_MESSAGE = (
    "No dataset found at `{path}`. Build it with `make data` (or `.venv/bin/python -m etl build`), "
    "then reload this page."
)
EMPTY_MESSAGE = "The dataset at `{path}` holds no meetings yet. Add records under data/raw and run `make data`."


def data_dir() -> Path:
    """The dataset folder: $SCO_DATA_DIR, else data/processed."""
    value = os.environ.get("SCO_DATA_DIR")
    return Path(value).expanduser() if value else ROOT / "data" / "processed"


def raw_dir() -> Path:
    """The raw input folder press releases are read from: $SCO_RAW_DIR, else data/raw."""
    value = os.environ.get("SCO_RAW_DIR")
    return Path(value).expanduser() if value else ROOT / "data" / "raw"


def dataset_version(path: Path | None = None) -> str:
    """A string that changes whenever the dataset at ``path`` is rebuilt (its real path and manifest)."""
    path = Path(path or data_dir())
    if not path.exists():
        return f"missing:{path}"
    manifest = path / MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
        digest = json.loads(manifest.read_text()).get("inputs_sha256", "")
    except (OSError, ValueError):
        stamp, digest = 0, ""
    return f"{path.resolve()}:{stamp}:{digest}"


def _empty_table_sql(table: str) -> str:
    from etl.schema import TABLES as CONTRACT  # the contract; only needed when a table file is missing

    types = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE"}
    cols = ", ".join(f'"{c.name}" {types[c.kind]}' for c in CONTRACT[table])
    return f'CREATE TABLE "{table}" ({cols})'


@dataclass(eq=False)
class Dataset:
    """An in-memory DuckDB copy of the built tables; `query` is safe to call from several threads."""

    path: Path
    con: duckdb.DuckDBPyConnection
    missing_tables: list[str] = field(default_factory=list)
    version: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def exists(self) -> bool:
        """True when the folder holds at least one table file."""
        return len(self.missing_tables) < len(TABLES)

    @property
    def is_empty(self) -> bool:
        """True when there are no meetings to show."""
        return self.count("meetings") == 0

    @property
    def message(self) -> str | None:
        """A friendly message when the dataset is missing or empty, else None."""
        if not self.exists:
            return MISSING_MESSAGE.format(path=self.path)
        if self.is_empty:
            return EMPTY_MESSAGE.format(path=self.path)
        return None

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one SQL query on a fresh cursor; DATE columns come back as datetime.date (None when null)."""
        with self._lock:
            cursor = self.con.cursor()
        try:
            cursor.execute(sql, params or [])
            dates = [d[0] for d in cursor.description or [] if str(d[1]) == "DATE"]
            frame = cursor.df()
        finally:
            cursor.close()
        for col in dates:
            values = frame[col]
            frame[col] = pd.Series(
                [None if pd.isna(v) else pd.Timestamp(v).date() for v in values], index=frame.index, dtype=object
            )
        return frame

    def scalar(self, sql: str, params: list | dict | None = None):
        """The first value of the first row of a query (None when there is no row)."""
        frame = self.query(sql, params)
        return None if frame.empty else frame.iat[0, 0]

    def count(self, table: str) -> int:
        """Rows in a table."""
        return int(self.scalar(f'SELECT count(*) FROM "{table}"'))

    def table(self, name: str) -> pd.DataFrame:
        """A whole table, in the order the build wrote it."""
        return self.query(f'SELECT * FROM "{name}"')

    def close(self) -> None:
        """Close the connection (queries fail afterwards)."""
        with self._lock:
            self.con.close()


# Open datasets, closed when the interpreter exits: a DuckDB connection still open at exit can race
# pyarrow's thread pool during teardown and abort the process ("terminate called without an active exception").
_OPEN: weakref.WeakSet[Dataset] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for ds in list(_OPEN):
        with contextlib.suppress(Exception):  # best effort at exit
            ds.close()


def open_dataset(path: Path | str | None = None) -> Dataset:
    """Open the dataset at ``path`` (default: `data_dir()`); never fails on a missing or partial folder."""
    path = Path(path) if path is not None else data_dir()
    version = dataset_version(path)
    con = duckdb.connect(":memory:")
    missing = []
    for table in TABLES:
        file = path / f"{table}.parquet"
        if file.is_file():
            con.execute(f"CREATE TABLE \"{table}\" AS SELECT * FROM read_parquet('{_sql_path(file)}')")
        else:
            missing.append(table)
            con.execute(_empty_table_sql(table))
    ds = Dataset(path=path, con=con, missing_tables=missing, version=version)
    _OPEN.add(ds)
    return ds


def _sql_path(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
