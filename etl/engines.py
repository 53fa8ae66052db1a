"""A distributed engine: reading, extraction and normalization as Dask tasks.

`python -m etl build --engine dask` starts a LocalCluster on 127.0.0.1 (two worker
processes, one thread each) or joins an existing scheduler with `--scheduler
tcp://HOST:8786`. Files go out in batches, in the order the build assembles them; each
worker loads the reference data once, then reads, extracts and normalizes its files
(etl.pipeline.prepare: a pure function of one file) and keeps the results. The client
gathers only their outlines (meeting ids, rejects, the names to match). As soon as a
prefix of batches is in, it decides what depends on every file before — who each person
is, which document of a meeting is kept — exactly as the local engine does, fetches the
records that prefix keeps and adds them, while the workers read on. So both engines give
identical tables, and documents the build rejects as duplicates never cross the wire.
Workers of a real cluster need this repository importable (run them from a checkout, or
`pip install -e .` there) and the raw files at the same path.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from dask.sizeof import sizeof

from etl.normalize.records import NormalizedRecord
from etl.pipeline import Assembler, Prepared, ordered_inputs, read_and_prepare
from etl.reference import load_reference

BATCH_FILES = 250
BATCHES_PER_WORKER = 4  # enough to even out slow and fast files, few enough to keep task overhead small
# A LocalCluster lives for one build: no statistical profiler sampling every task, and event-loop and system
# monitors that wake up every second rather than every 20 ms (idle, the defaults cost the client and two workers
# about 0.09 s of CPU per second, 4 % of two cores; these settings, under 0.01 s).
# No work stealing: batches are queued on the scheduler and handed to whichever worker is free, which balances
# them already; stealing moved tasks that had to run where their batch was (about 2 s more on 10,000 releases).
LOCAL_CLUSTER_CONFIG = {
    "distributed.scheduler.work-stealing": False,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def _prepared_size(res: Prepared) -> int:
    """Roughly the bytes a prepared input holds (Dask's default counts only the outer object, which made
    batches look free to move between workers)."""
    rows = sum(len(doc.record.rows) for doc in res.docs if doc.record is not None)
    return 1024 + 2048 * len(res.docs) + 1536 * rows + 256 * (len(res.rejects) + len(res.persons))


sizeof.register(Prepared)(_prepared_size)


def read_batch(batch: list[tuple[str, str]], reference_dir: str, raw: str) -> list[Prepared]:
    """Read, extract and normalize one batch of (kind, path) inputs in a worker."""
    ref = load_reference(reference_dir)
    return [read_and_prepare(kind, Path(path), ref, Path(raw)) for kind, path in batch]


def outline_batch(batch: list[Prepared]) -> tuple[list[tuple[str, str]], list[Prepared]]:
    """A batch's distinct names in order of first sighting, and its inputs without their records or names
    (run where the batch is: what crosses the wire is small)."""
    names = list(dict.fromkeys(pair for p in batch for pair in p.persons))
    return names, [replace(p.outline(), persons=[]) for p in batch]


def batch_records(batch: list[Prepared], wanted: list[tuple[int, list[int]]]) -> list[list[NormalizedRecord]]:
    """The records at (file position, [document positions]) of a batch (run where the batch is)."""
    return [batch[i].records(docs) for i, docs in wanted]


def _add_ready(pending: deque, assembler: Assembler, batch_futures: list, wait: bool = False) -> None:
    """Add, in order, the decided batches whose records have come (all of them, with ``wait``)."""
    while pending and (wait or pending[0][3] is None or pending[0][3].done()):
        b, batch, wanted, fetch = pending.popleft()
        batch = list(batch)
        if fetch is not None:
            for (k, docs), records in zip(wanted, fetch.result(), strict=True):
                filled = list(batch[k].docs)
                for j, record in zip(docs, records, strict=True):
                    filled[j] = replace(filled[j], record=record)
                batch[k] = replace(batch[k], docs=filled)
        for res in batch:
            assembler.add(res)
        batch_futures[b] = None  # the workers may drop the batch now


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
                    # Quiet logs: a worker's failure reaches this process as an exception; what the workers
                    # would log (a heartbeat crossing the shutdown on a busy machine) is noise in a build's output.
                    # No dashboard; the scheduler's small HTTP server on a free port, not 8787, which another
                    # cluster on the machine may hold (Dask then warns on stderr).
                    self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address=None,
                                                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                                silence_logs=logging.CRITICAL)  # fmt: skip
                    self.client = Client(self.cluster)
        except BaseException as exc:  # raised again by the caller's next use
            self._error = exc

    def _ready(self):
        self._starting.join()
        if self._error is not None:
            raise self._error
        return self.client

    def run(self, inputs: list[tuple[str, Path]], reference_dir: Path, raw: Path, assembler: Assembler,
            meanwhile: Callable[[], object] | None = None) -> list[Prepared]:  # fmt: skip
        """Read every input on the cluster into ``assembler``; return their outlines (for the manifest).

        Batches go out in input order. As their outlines come back, the client decides the longest
        prefix of batches it can, fetches the records that prefix keeps and adds it, while the workers
        read on; only what needs every input (Assembler.finish) waits for the last batch. ``meanwhile``
        is called once the batches are out.
        """
        from dask.distributed import as_completed

        client = self._ready()
        inputs = ordered_inputs(inputs, raw)
        parts = batches(inputs, batch_size(len(inputs), self.workers))
        batch_futures = client.map(read_batch, parts, reference_dir=str(reference_dir), raw=str(raw), pure=False)
        outline_futures = client.map(outline_batch, batch_futures, pure=False)
        if meanwhile is not None:
            meanwhile()
        number = {future.key: b for b, future in enumerate(outline_futures)}
        arrived: dict[int, list[Prepared]] = {}
        pending: deque = deque()  # decided batches waiting for their records: (batch, outlines, wanted, fetch)
        outlines: list[Prepared] = []
        next_batch = 0
        completed = as_completed(outline_futures, with_results=True)
        for future, result in completed:
            if future.key in number:
                arrived[number[future.key]] = result
            while next_batch in arrived:
                names, batch = arrived.pop(next_batch)
                outlines.extend(batch)
                assembler.see_names(names)
                wanted = [(k, docs) for k, res in enumerate(batch) if (docs := assembler.decide(res))]
                fetch = None
                if wanted:
                    fetch = client.submit(batch_records, batch_futures[next_batch], wanted, pure=False)
                    completed.add(fetch)
                pending.append((next_batch, batch, wanted, fetch))
                next_batch += 1
            _add_ready(pending, assembler, batch_futures)
        _add_ready(pending, assembler, batch_futures, wait=True)
        return outlines

    def close(self) -> None:
        """Stop the cluster (or leave the scheduler)."""
        self._starting.join()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def __enter__(self) -> DaskReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
