"""A distributed engine: reading and extraction as Dask tasks.

`python -m etl build --engine dask` starts a LocalCluster on 127.0.0.1 (two worker
processes, one thread each) or joins an existing scheduler with `--scheduler
tcp://HOST:8786`. Files are sent in batches; each worker loads the reference data once.
The results are assembled in the client exactly as the local engine does, sorted by
path, so both engines give identical tables. Workers of a real cluster need this
repository importable (run them from a checkout, or `pip install -e .` there).
"""

from __future__ import annotations

from pathlib import Path

from etl.pipeline import Prepared, read_and_prepare
from etl.reference import load_reference

BATCH_FILES = 250


def read_batch(batch: list[tuple[str, str]], reference_dir: str, raw: str) -> list[Prepared]:
    """Read, extract and normalize one batch of (kind, path) inputs in a worker."""
    ref = load_reference(reference_dir)
    return [read_and_prepare(kind, Path(path), ref, Path(raw)) for kind, path in batch]


def batches(inputs: list[tuple[str, Path]], size: int) -> list[list[tuple[str, str]]]:
    """Inputs cut into batches of at most ``size`` files (paths as strings, to pickle cheaply)."""
    flat = [(kind, str(path)) for kind, path in inputs]
    return [flat[i : i + size] for i in range(0, len(flat), size)]


def read_dask(inputs: list[tuple[str, Path]], reference_dir: Path, raw: Path, scheduler: str | None = None,
              workers: int = 2) -> list[Prepared]:  # fmt: skip
    """Read every input on a Dask cluster (a local one on 127.0.0.1 unless ``scheduler`` is given)."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)  # fmt: skip
        client = Client(cluster)
    try:
        size = max(1, min(BATCH_FILES, len(inputs) // (workers * 4) or 1))
        futures = client.map(
            read_batch, batches(inputs, size), reference_dir=str(reference_dir), raw=str(raw), pure=False
        )
        return [result for batch in client.gather(futures) for result in batch]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
