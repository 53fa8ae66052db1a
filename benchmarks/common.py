"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "out"


def median_seconds(fn, runs: int = 3) -> float:
    """Median wall time of ``runs`` calls of ``fn``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentiles_ms(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of samples given in seconds, in milliseconds."""
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50 * 1000, p95 * 1000


def run_timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run a command; return its wall time in seconds and its peak memory (MiB, of the largest child)."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib // 1024


def run_measured(cmd: list[str], env: dict | None = None) -> dict[str, float]:
    """Run a command; return its wall time and the CPU time (user + system) it and its children used, in seconds.

    CPU time hardly depends on what else the machine is doing: next to wall time on a shared machine, it tells
    whether a change did less work or only met a quieter moment.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _ = run_timed(cmd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def python(*args: str) -> list[str]:
    """A command line running this interpreter."""
    return [sys.executable, *args]


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import duckdb
    import pandas
    import streamlit

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{mem:.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "duckdb": duckdb.__version__,
        "streamlit": streamlit.__version__,
    }
