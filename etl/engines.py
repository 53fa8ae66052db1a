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

import threading
from pathlib import Path

from etl.normalize.records import NormalizedRecord
from etl.pipeline import Prepared, read_and_prepare
from etl.reference import load_reference

BATCH_FILES = 250
BATCHES_PER_WORKER = 4  # enough to even out slow and fast files, few enough to keep task overhead small
READ_FIRST = {"csv": 0, "press": 1, "records": 2}  # the order batches are handed out: the slowest kinds first
# A LocalCluster lives for one build: no statistical profiler sampling every task, and event-loop and system
# monitors that wake up every second rather than every 20 ms (together about 5 % of the CPU of a 2-core build).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


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
    """A Dask cluster reading inputs: ``read`` gives outlines, ``fetch`` the records assemble keeps.

    The cluster starts (or the scheduler is joined) in a background thread, so the caller can
    do its own preparation meanwhile; ``read`` waits for it.
    """

    def __init__(self, scheduler: str | None = None, workers: int = 2):
        self.workers = workers
        self.cluster = None
        self.client = None
        self._error: BaseException | None = None
        self._futures: list = []
        self._where: list[tuple[int, int]] = []  # outline index -> (batch, position in batch)
        self._starting = threading.Thread(target=self._start, args=(scheduler,), name="dask-start", daemon=True)
        self._starting.start()

    def _start(self, scheduler: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster

            if scheduler:
                self.client = Client(scheduler)
                self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
            else:
                import dask

                with dask.config.set(LOCAL_CLUSTER_CONFIG):
                    self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address=None, silence_logs=40)  # fmt: skip
                    self.client = Client(self.cluster)
        except BaseException as exc:  # raised again by the caller's next use
            self._error = exc

    def _ready(self):
        self._starting.join()
        if self._error is not None:
            raise self._error
        return self.client

    def read(self, inputs: list[tuple[str, Path]], reference_dir: Path, raw: Path) -> list[Prepared]:
        """Read every input on the cluster; return their outlines (records stay on the workers)."""
        # Slow kinds first and quick curated records last, so that no worker is left with a long batch at the end.
        inputs = sorted(inputs, key=lambda item: READ_FIRST.get(item[0], len(READ_FIRST)))
        client = self._ready()
        parts = batches(inputs, batch_size(len(inputs), self.workers))
        self._futures = client.map(read_batch, parts, reference_dir=str(reference_dir), raw=str(raw), pure=False)
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

    def close(self, wait: bool = True) -> threading.Thread | None:
        """Stop the cluster (or leave the scheduler); with ``wait=False`` in a thread, which is returned."""
        if not wait:
            closing = threading.Thread(target=self.close, name="dask-close")
            closing.start()
            return closing
        self._starting.join()
        self._futures = []
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None
        return None

    def __enter__(self) -> DaskReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
