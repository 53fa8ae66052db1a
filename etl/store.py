"""Atomic writes of the dataset: Parquet per table, one DuckDB file and a manifest.

The output path (data/processed by default) is a symbolic link to a build folder
beside it. A build writes a new folder, then swaps the link with one rename(2), so
a build killed at any moment leaves the previous dataset whole; old build folders are
removed after the swap.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.schema import TABLES, arrow_schema

DUCKDB_FILE = "sco.duckdb"
MANIFEST_FILE = "manifest.json"
BUILD_PREFIX = ".build-"


def to_arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """An Arrow table with the contract's schema (dates as date32; NaN and NA as null)."""
    schema = arrow_schema(table)
    arrays = []
    for col in TABLES[table]:
        series = frame[col.name]
        if col.kind == "date":
            arrays.append(pa.array(series, from_pandas=True).cast(pa.date32()))
        else:
            arrays.append(pa.array(series, type=schema.field(col.name).type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_folder(tables: dict[str, pd.DataFrame], folder: Path, manifest: dict) -> None:
    """Write every table as Parquet, the DuckDB file and the manifest into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(folder / DUCKDB_FILE))
    try:
        for table, frame in tables.items():
            arrow = to_arrow(frame, table)
            pq.write_table(arrow, folder / f"{table}.parquet", compression="zstd")
            con.register("incoming", arrow)
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
            con.unregister("incoming")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    for path in folder.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


def swap_in(folder: Path, out: Path) -> None:
    """Point ``out`` at ``folder`` atomically and remove the builds it no longer points at."""
    out = Path(os.path.abspath(out))
    if out.exists() and not out.is_symlink():
        # A plain folder from elsewhere: move it aside once; from then on `out` is a link.
        aside = out.parent / f"{BUILD_PREFIX}{out.name}-migrated"
        shutil.rmtree(aside, ignore_errors=True)
        out.rename(aside)
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(folder.name)
    os.replace(link, out)
    dir_fd = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    for old in out.parent.glob(f"{BUILD_PREFIX}{out.name}*"):
        if old.resolve() != folder.resolve():
            shutil.rmtree(old, ignore_errors=True)


def write_dataset(tables: dict[str, pd.DataFrame], out: Path | str, manifest: dict) -> Path:
    """Build the dataset in a fresh folder beside ``out`` and swap it in; return the folder."""
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{out.name}-", dir=out.parent))
    try:
        write_folder(tables, folder, manifest)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    swap_in(folder, out)
    return folder


def read_tables(out: Path | str) -> dict[str, pd.DataFrame]:
    """Every table of a built dataset, from its Parquet files."""
    out = Path(out)
    return {table: pq.read_table(out / f"{table}.parquet").to_pandas() for table in TABLES}
