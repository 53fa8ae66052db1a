"""Run a build: discover inputs, read them with an engine, assemble, store, summarise.

This module imports little: with ``--engine dask`` the cluster starts first, and the rest
(pandas, the store) is imported while its workers come up.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING

from etl import __version__
from etl.reference import REFERENCE_DIR, Reference, load_reference

if TYPE_CHECKING:
    from etl.pipeline import Assembler, BuildResult

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_OUT = ROOT / "data" / "processed"


def read_local(inputs: list[tuple[str, Path]], ref: Reference, raw: Path, assembler: Assembler,
               progress: bool) -> list[tuple[str, str | None]]:  # fmt: skip
    """Read, extract and normalize every input in this process, in input order, into ``assembler``;
    return each input's (path, SHA-256)."""
    from etl.pipeline import ordered_inputs, read_and_prepare

    inputs = ordered_inputs(inputs, raw)
    if progress:
        from tqdm import tqdm

        inputs = tqdm(inputs, desc="reading", unit="file", leave=False)
    digests = []
    for kind, path in inputs:
        res = read_and_prepare(kind, path, ref, raw)
        assembler.decide(res)
        assembler.add(res)
        digests.append((res.path, res.sha256))
    return digests


def inputs_digest(files: list[tuple[str, str | None]], ref_dir: Path) -> str:
    """SHA-256 over every input (its path and the SHA-256 of its bytes, taken when it was read) and every
    reference file: the same digest means the same tables."""
    digest = hashlib.sha256()
    for path, sha256 in sorted(files):
        digest.update(f"{path}\0{sha256 or 'unreadable'}\n".encode())
    for path in sorted(ref_dir.glob("*.csv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_build(raw: Path = DEFAULT_RAW, out: Path | None = DEFAULT_OUT, reference: Path = REFERENCE_DIR,
              engine: str = "local", scheduler: str | None = None, progress: bool = False) -> BuildResult:  # fmt: skip
    """Build the dataset from ``raw`` into ``out`` (None: do not write) and return it.

    ``result.timings`` gives the wall seconds of each phase: ``setup`` (reference data, listing the inputs;
    for the local engine also importing what finishing and writing need), ``read`` (reading, extraction and normalization of every input, and adding it to the assembler: the
    stage an engine distributes; for Dask it includes waiting for the cluster, ``cluster_wait``), ``finish``
    (persons, parents, statuses, validation) and ``write``.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    reader = None
    if engine == "dask":
        from etl.engines import DaskReader

        reader = DaskReader(scheduler, reference_dir=reference)  # the cluster starts in the background
    try:
        from etl.pipeline import Assembler, discover_inputs

        ref = load_reference(reference)
        raw = Path(raw).resolve()
        inputs = discover_inputs(raw)
        assembler = Assembler(ref)
        if reader is None:
            _import_end(out)  # here, so that the phases compare across engines (Dask imports while its workers read)
        mark = _lap(timings, "setup", started)
        if reader is not None:
            # What the end of the build needs is imported once the workers are busy, not while they start.
            outlines = reader.run(inputs, Path(reference), raw, assembler, meanwhile=lambda: _import_end(out))
            files = [(res.path, res.sha256) for res in outlines]
            timings["cluster_wait"] = reader.waited
        else:
            files = read_local(inputs, ref, raw, assembler, progress)
        mark = _lap(timings, "read", mark)
    except BaseException:
        if reader is not None:
            reader.close()
        raise
    if reader is not None:
        reader.close(wait=False)  # the cluster stops while the tables are finished and written
    try:
        result = assembler.finish()
        mark = _lap(timings, "finish", mark)
        if out is not None:
            from etl.store import write_dataset

            manifest = {
                "etl_version": __version__,
                "inputs": len(inputs),
                "inputs_sha256": inputs_digest(files, Path(reference)),
                "counts": result.counts,
                "rows": {t: len(f) for t, f in result.tables.items()},
            }
            write_dataset(result.tables, Path(out), manifest)
            mark = _lap(timings, "write", mark)
    finally:
        if reader is not None:
            reader.join()
    timings["total"] = time.perf_counter() - started
    result.timings = timings
    return result


def _lap(timings: dict[str, float], phase: str, since: float) -> float:
    """Record the seconds since ``since`` as ``phase``; return now."""
    now = time.perf_counter()
    timings[phase] = now - since
    return now


def _import_end(out: Path | None) -> None:
    """Import what Assembler.finish (pandas) and the store (pyarrow, duckdb) need."""
    import etl.validate  # noqa: F401

    if out is not None:
        import etl.store  # noqa: F401


def summary(result: BuildResult) -> str:
    """Rows per table, rejects by reason, and the check accepted + rejected = read."""
    lines = ["rows per table:"]
    for table, frame in result.tables.items():
        lines.append(f"  {table:<12} {len(frame):>7}")
    rejects = result.tables["rejects"]
    lines.append("rejects by reason:" if len(rejects) else "rejects by reason: none")
    for (table, code), n in rejects.groupby(["table", "reason_code"]).size().items():
        lines.append(f"  {table:<12} {code:<24} {n:>5}")
    lines.append("check accepted + rejected = read:")
    for table, c in result.counts.items():
        ok = "ok" if c["accepted"] + c["rejected"] == c["read"] else "MISMATCH"
        lines.append(
            f"  {table:<12} {c['accepted']} + {c['rejected']} = {c['accepted'] + c['rejected']} (read {c['read']}) {ok}"
        )
    meetings, delegations = result.tables["meetings"], result.tables["delegations"]
    lines.append(f"unverified rows: meetings {int((~meetings['verified']).sum())}, "
                 f"delegations {int((~delegations['verified']).sum())}")  # fmt: skip
    summits = meetings[meetings["series"] == "heads_of_state"]["meeting_id"]
    summit_rows = delegations[delegations["meeting_id"].isin(summits)]
    lines.append(f"unverified summit delegation rows: {int((~summit_rows['verified']).sum())}")
    missing_city = meetings[meetings["latitude"].isna() & meetings["city"].notna()]["city"].unique()
    if len(missing_city):
        lines.append(f"cities not in the gazetteer: {', '.join(sorted(missing_city))}")
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
