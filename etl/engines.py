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

Starting costs little: a LocalCluster's workers are forked from a forkserver that has already
imported Dask and this package and built the extractor's lexicon once (etl.engines warms it on
import there), so neither worker pays the ~1.5 s of CPU a fresh interpreter would, and that
warming runs while the client loads the reference data and lists the files. Workers of an
existing scheduler are warmed by a call the client sends them as soon as it is connected.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from etl.reference import REFERENCE_DIR, load_reference

if TYPE_CHECKING:
    from etl.normalize.records import NormalizedRecord
    from etl.pipeline import Assembler, Prepared

# Dask and the pipeline are imported where they are used: a build with --engine dask starts its forkserver
# (start_forkserver) before this process spends ~0.3 s importing them.

BATCH_FILES = 250
BATCHES_PER_WORKER = 4  # enough to even out slow and fast files, few enough to keep task overhead small
MIN_BATCH_FILES = 25  # the last batches shrink to this, so that the workers finish close together
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
WARM_ENV = "ETL_DASK_WARM_REFERENCE"  # set only for the forkserver: the reference folder to warm the extractor for
WARM_TEXT = "The SCO Council of Heads of State met in Astana on 4 July 2024, chaired by Kazakhstan."


def warm(reference_dir: str) -> None:
    """Do what a worker's first press release would: import the readers and the extractor and build the
    lexicon for this reference data (cached by etl.reference.load_reference and etl.extract per folder)."""
    import etl.pipeline  # noqa: F401  (the readers)
    from etl.extract import extract_release

    _register_sizeof()
    extract_release(WARM_TEXT, ref=load_reference(reference_dir))


def _warm_from_environment() -> None:
    """In the forkserver (see start_forkserver), warm once what every worker forked from it inherits."""
    directory = os.environ.pop(WARM_ENV, None)
    if directory:
        with contextlib.suppress(Exception):  # a worker then warms on its first file, where an error is reported
            warm(directory)
        # What is loaded now lives as long as the workers: the collector need not scan it again in each of them,
        # and leaving it alone keeps the pages the workers share with the forkserver shared.
        gc.freeze()


def start_forkserver(reference_dir: str) -> bool:
    """Start the forkserver that LocalCluster workers are forked from, preloading Dask and this module (which
    warms the extractor for ``reference_dir``). Returns False where there is no forkserver (workers spawn),
    or when one runs already (it may not have this module or this reference data warm, but works)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    if getattr(forkserver._forkserver, "_forkserver_pid", None) is not None:
        return False
    forkserver.set_forkserver_preload(["distributed", __name__])
    # The forkserver is a fresh interpreter: it gets this process's import path and the folder to warm for
    # through its environment (multiprocessing hands sys.path to the forked workers, not to the server).
    saved = {key: os.environ.get(key) for key in (WARM_ENV, "PYTHONPATH")}
    os.environ[WARM_ENV] = str(reference_dir)
    os.environ["PYTHONPATH"] = os.pathsep.join(p or os.getcwd() for p in sys.path)
    try:
        forkserver.ensure_running()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return True


def stop_forkserver() -> None:
    """Stop the forkserver once its workers are gone, and reap it: its CPU time (and its workers') then counts
    in this process's children, as a spawned worker's does."""
    from multiprocessing import forkserver

    with contextlib.suppress(Exception):  # only bookkeeping: it would end with this process anyway
        forkserver._forkserver._stop()


def _prepared_size(res: Prepared) -> int:
    """Roughly the bytes a prepared input holds (Dask's default counts only the outer object, which made
    batches look free to move between workers)."""
    rows = sum(len(doc.record.rows) for doc in res.docs if doc.record is not None)
    return 1024 + 2048 * len(res.docs) + 1536 * rows + 256 * (len(res.rejects) + len(res.persons))


_sizeof_registered = False


def _register_sizeof() -> None:
    """Tell Dask how big a prepared input is (once per process, where prepared inputs are made)."""
    global _sizeof_registered
    if not _sizeof_registered:
        from dask.sizeof import sizeof

        from etl.pipeline import Prepared

        sizeof.register(Prepared)(_prepared_size)
        _sizeof_registered = True


def read_batch(batch: list[tuple[str, str]], reference_dir: str, raw: str) -> list[Prepared]:
    """Read, extract and normalize one batch of (kind, path) inputs in a worker."""
    from etl.pipeline import read_and_prepare

    _register_sizeof()
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


def batches(inputs: list[tuple[str, Path]], sizes: list[int]) -> list[list[tuple[str, str]]]:
    """Inputs cut into consecutive batches of the given sizes (paths as strings, to pickle cheaply)."""
    flat = [(kind, str(path)) for kind, path in inputs]
    out, start = [], 0
    for size in sizes:
        out.append(flat[start : start + size])
        start += size
    return out


def batch_sizes(n_inputs: int, workers: int) -> list[int]:
    """Files per batch: each batch a share of what is left (at most BATCH_FILES, at least MIN_BATCH_FILES),
    so batches are big while there is much to do and small at the end, when a worker that finishes early
    would otherwise wait for the other's last big batch."""
    share = workers * BATCHES_PER_WORKER
    smallest = max(1, min(MIN_BATCH_FILES, n_inputs // share))
    sizes, left = [], n_inputs
    while left > 0:
        size = min(left, BATCH_FILES, max(smallest, -(-left // share)))
        sizes.append(size)
        left -= size
    return sizes


class DaskReader:
    """A Dask cluster reading inputs: ``run`` reads them into an Assembler on the workers.

    The cluster starts (or the scheduler is joined) in a background thread, so the caller can
    do its own preparation meanwhile; ``run`` waits for it. ``close(wait=False)`` lets the
    cluster stop while the caller goes on; ``join`` waits for that.
    """

    def __init__(self, scheduler: str | None = None, workers: int = 2, reference_dir: Path | str = REFERENCE_DIR):
        self.workers = workers
        self.cluster = None
        self.client = None
        self.waited = 0.0  # seconds ``run`` waited for the cluster
        self._error: BaseException | None = None
        self._closing: threading.Thread | None = None
        self._warming: list = []  # futures of the warm-up tasks sent to an existing scheduler's workers
        reference_dir = str(Path(reference_dir).resolve())
        self._own_forkserver = False
        if not scheduler:
            with contextlib.suppress(Exception):  # no forkserver: workers spawn, and warm on their first file
                self._own_forkserver = start_forkserver(reference_dir)
        forked = self._own_forkserver
        self._starting = threading.Thread(target=self._start, args=(scheduler, forked, reference_dir),
                                          name="dask-start", daemon=True)  # fmt: skip
        self._starting.start()

    def _start(self, scheduler: str | None, forked: bool, reference_dir: str) -> None:
        try:
            import dask
            from dask.distributed import Client, LocalCluster

            if scheduler:
                self.client = Client(scheduler)
                addresses = list(self.client.scheduler_info().get("workers", {}))
                self.workers = max(1, len(addresses))
                # Each worker warms up first, while the client lists the files (nobody waits for these tasks:
                # a failure shows again on the worker's first file).
                self._warming = [self.client.submit(warm, reference_dir, workers=[address], pure=False)
                                 for address in addresses]  # fmt: skip
                return
            config = dict(LOCAL_CLUSTER_CONFIG)
            if forked:
                import distributed.utils

                config["distributed.worker.multiprocessing-method"] = "forkserver"
                # Distributed would otherwise import every package it might preload (pandas, numpy...) in this
                # process, only to choose the forkserver's preload, which start_forkserver has already set.
                distributed.utils._forkserver_preload_set = True
            with dask.config.set(config):
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
        started = time.perf_counter()
        self._starting.join()
        self.waited = time.perf_counter() - started
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

        from etl.pipeline import ordered_inputs

        client = self._ready()
        inputs = ordered_inputs(inputs, raw)
        parts = batches(inputs, batch_sizes(len(inputs), self.workers))
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

    def _stop(self) -> None:
        self._starting.join()
        self._warming = []
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None
        if self._own_forkserver:
            stop_forkserver()
            self._own_forkserver = False

    def close(self, wait: bool = True) -> None:
        """Stop the cluster (or leave the scheduler); with ``wait=False`` in the background (see ``join``)."""
        if self._closing is None:
            self._closing = threading.Thread(target=self._stop, name="dask-stop", daemon=True)
            self._closing.start()
        if wait:
            self.join()

    def join(self) -> None:
        """Wait until a close has finished."""
        if self._closing is not None:
            self._closing.join()

    def __enter__(self) -> DaskReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_warm_from_environment()  # does something only in the forkserver started by start_forkserver
