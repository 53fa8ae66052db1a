"""Run a build: discover inputs, read them with an engine, assemble, store, summarise."""

from __future__ import annotations

import hashlib
from pathlib import Path

from etl import __version__
from etl.pipeline import BuildResult, Prepared, assemble, discover_inputs, read_and_prepare
from etl.reference import REFERENCE_DIR, Reference, load_reference

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_OUT = ROOT / "data" / "processed"


def read_local(inputs: list[tuple[str, Path]], ref: Reference, raw: Path, progress: bool) -> list[Prepared]:
    """Read, extract and normalize every input in this process."""
    if progress:
        from tqdm import tqdm

        inputs = tqdm(inputs, desc="reading", unit="file", leave=False)
    return [read_and_prepare(kind, path, ref, raw) for kind, path in inputs]


def inputs_digest(results: list[Prepared], ref_dir: Path) -> str:
    """SHA-256 over every input (its path and the SHA-256 of its bytes, taken when it was read) and every
    reference file: the same digest means the same tables."""
    digest = hashlib.sha256()
    for res in sorted(results, key=lambda r: r.path):
        digest.update(f"{res.path}\0{res.sha256 or 'unreadable'}\n".encode())
    for path in sorted(ref_dir.glob("*.csv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_build(raw: Path = DEFAULT_RAW, out: Path | None = DEFAULT_OUT, reference: Path = REFERENCE_DIR,
              engine: str = "local", scheduler: str | None = None, progress: bool = False) -> BuildResult:  # fmt: skip
    """Build the dataset from ``raw`` into ``out`` (None: do not write) and return it."""
    ref = load_reference(reference)
    raw = Path(raw).resolve()
    inputs = discover_inputs(raw)
    closing = None
    if engine == "dask":
        from etl.engines import DaskReader

        reader = DaskReader(scheduler)  # the cluster starts in the background...
        try:
            _import_assembly(out is not None)  # ...while this process loads what it needs afterwards
            results = reader.read(inputs, Path(reference), raw)
            result = assemble(results, ref, fetch=reader.fetch)
        except BaseException:
            reader.close()
            raise
        closing = reader.close(wait=False)  # the workers stop while the dataset is written
    else:
        results = read_local(inputs, ref, raw, progress)
        result = assemble(results, ref)
    if out is not None:
        from etl.store import write_dataset

        manifest = {
            "etl_version": __version__,
            "inputs": len(inputs),
            "inputs_sha256": inputs_digest(results, Path(reference)),
            "counts": result.counts,
            "rows": {t: len(f) for t, f in result.tables.items()},
        }
        write_dataset(result.tables, Path(out), manifest)
    if closing is not None:
        closing.join()
    return result


def _import_assembly(store: bool) -> None:
    """Import the modules that assemble (and the store) need."""
    import etl.validate  # noqa: F401  (pandas)

    if store:
        import etl.store  # noqa: F401  (pyarrow, duckdb)


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
