"""A distributed engine: reading, extraction and normalization as Dask tasks.

`python -m etl build --engine dask` starts a LocalCluster on 127.0.0.1 (two worker
processes, one thread each) or joins an existing scheduler with `--scheduler
tcp://HOST:8786`. Files are sent in batches; each worker loads the reference data once,
then reads, extracts and normalizes its files (etl.pipeline.prepare: a pure function of
one file) and keeps the results. The client gathers only their outlines (meeting ids,
rejects, the names to match), decides what depends on every file — persons, which
document of a meeting is kept — exactly as the local engine does, then fetches just the
records it keeps. So both engines give identical tables, and the documents a build
rejects as duplicates never cross the wire. Workers of a real cluster need this
repository importable (run them from a checkout, or `pip install -e .` there).
"""

from __future__ import annotations

from pathlib import Path

from etl.normalize.records import NormalizedRecord
from etl.pipeline import Prepared, read_and_prepare
from etl.reference import load_reference

BATCH_FILES = 250
BATCHES_PER_WORKER = 4  # enough to even out slow and fast files, few enough to keep task overhead small
READ_FIRST = {"csv": 0, "press": 1, "records": 2}  # the order batches are handed out: the slowest kinds first


def read_batch(batch: list[tuple[str, str]], reference_dir: str, raw: str) -> list[Prepared]:
    """Read, extract and normalize one batch of (kind, path) inputs in a worker."""
    ref = load_reference(reference_dir)
    return [read_and_prepare(kind, Path(path), ref, Path(raw)) for kind, path in batch]


def outline_batch(batch: list[Prepared]) -> list[Prepared]:
    """A batch without its normalized records (run where the batch is)."""
    return [p.outline() for p in batch]


def batch_records(batch: list[Prepared], wanted: list[tuple[int, list[int]]]) -> list[list[NormalizedRecord]]:
    """The records at (file position, [document positions]) of a batch (run where the batch is)."""
    return [batch[i].records(docs) for i, docs in wanted]


def batches(inputs: list[tuple[str, Path]], size: int) -> list[list[tuple[str, str]]]:
    """Inputs cut into batches of at most ``size`` files (paths as strings, to pickle cheaply)."""
    flat = [(kind, str(path)) for kind, path in inputs]
    return [flat[i : i + size] for i in range(0, len(flat), size)]


def batch_size(n_inputs: int, workers: int) -> int:
    return max(1, min(BATCH_FILES, n_inputs // (workers * BATCHES_PER_WORKER) or 1))


class DaskReader:
    """A Dask cluster reading inputs: ``read`` gives outlines, ``fetch`` the records assemble keeps."""

    def __init__(self, scheduler: str | None = None, workers: int = 2):
        from dask.distributed import Client, LocalCluster

        self.workers = workers
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                        dashboard_address=None, silence_logs=40)  # fmt: skip
            self.client = Client(self.cluster)
        self._futures: list = []
        self._where: list[tuple[int, int]] = []  # outline index -> (batch, position in batch)

    def read(self, inputs: list[tuple[str, Path]], reference_dir: Path, raw: Path) -> list[Prepared]:
        """Read every input on the cluster; return their outlines (records stay on the workers)."""
        # Slow kinds first and quick curated records last, so that no worker is left with a long batch at the end.
        inputs = sorted(inputs, key=lambda item: READ_FIRST.get(item[0], len(READ_FIRST)))
        parts = batches(inputs, batch_size(len(inputs), self.workers))
        self._futures = self.client.map(read_batch, parts, reference_dir=str(reference_dir), raw=str(raw), pure=False)
        outlines = self.client.gather(self.client.map(outline_batch, self._futures, pure=False))
        self._where = [(b, k) for b, part in enumerate(outlines) for k in range(len(part))]
        return [p for part in outlines for p in part]

    def fetch(self, wanted: dict[int, list[int]]) -> dict[int, list[NormalizedRecord]]:
        """The records assemble keeps: {outline index: [document positions]} -> records in that order."""
        by_batch: dict[int, list[tuple[int, list[int]]]] = {}
        order: dict[int, list[int]] = {}
        for i, docs in wanted.items():
            b, k = self._where[i]
            by_batch.setdefault(b, []).append((k, docs))
            order.setdefault(b, []).append(i)
        keys = sorted(by_batch)
        futures = [self.client.submit(batch_records, self._futures[b], by_batch[b], pure=False) for b in keys]
        found: dict[int, list[NormalizedRecord]] = {}
        for b, records in zip(keys, self.client.gather(futures), strict=True):
            found.update(zip(order[b], records, strict=True))
        return found

    def close(self) -> None:
        self._futures = []
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
