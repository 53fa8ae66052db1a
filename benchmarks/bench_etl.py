"""Extraction throughput, build times and the Dask speed-up."""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import time

from benchmarks.common import ROOT, WORK, python, run_measured, run_timed

EXTRACT_RELEASES = 10_000
BIG_MEETINGS = 100_000


def synth(out, **kwargs) -> dict:
    """Write a synthetic corpus (cached across runs of the same size)."""
    marker = out / "synth.json"
    if marker.exists():
        return json.loads(marker.read_text())
    shutil.rmtree(out, ignore_errors=True)
    args = [f"--{k.replace('_', '-')}={v}" for k, v in kwargs.items()]
    proc = subprocess.run(
        python("-m", "etl", "synth", "--out", str(out), *args), check=True, capture_output=True, text=True
    )
    counts = json.loads(proc.stdout)
    marker.write_text(json.dumps(counts))
    return counts


EXTRACT_SCRIPT = """
import sys, time, json, resource
from pathlib import Path
from etl.extract import extract_release
from etl.reference import load_reference
from etl.sources.press import read_press_file
ref = load_reference()
releases = [read_press_file(p) for p in sorted(Path(sys.argv[1]).glob('*.txt'))]
times = []
for _ in range(3):
    start = time.perf_counter()
    found = sum(len(extract_release(r.text, r.published, r.meta.get('url'), ref)) for r in releases)
    times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({"releases": len(releases), "seconds": times[1], "meetings": found,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def bench_extraction() -> dict:
    """Releases per second on one core, over 10,000 generated releases (median of 3 passes)."""
    corpus = WORK / "releases10k"
    synth(corpus, meetings=2000, releases=EXTRACT_RELEASES, seed=1)
    proc = subprocess.run(python("-c", EXTRACT_SCRIPT, str(corpus / "press")), check=True, capture_output=True,
                          text=True, env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})  # fmt: skip
    figures = json.loads(proc.stdout)
    figures["releases_per_second"] = figures["releases"] / figures["seconds"]
    return figures


def bench_builds() -> dict:
    """Build time of the embedded dataset (median of 3) and of 100,000 synthetic meetings (one run)."""
    out = WORK / "build_embedded" / "processed"
    embedded = [run_measured(python("-m", "etl", "build", "--quiet", "--out", str(out))) for _ in range(3)]
    big = WORK / "synth100k"
    counts = synth(big, meetings=BIG_MEETINGS, format="csv", seed=2)
    big_out = WORK / "build_100k" / "processed"
    start = time.perf_counter()
    _, _ = run_timed(python("-m", "etl", "build", "--quiet", "--raw", str(big), "--out", str(big_out)))
    big_seconds = time.perf_counter() - start
    return {"embedded_seconds": statistics.median(r["wall"] for r in embedded),
            "embedded_cpu_seconds": statistics.median(r["cpu"] for r in embedded),
            "big_seconds": big_seconds, "big_meetings": counts["meetings"],
            "big_delegations": counts["delegation_rows"], "big_out": str(big_out)}  # fmt: skip


DASK_ROUNDS = int(os.environ.get("DASK_ROUNDS", "3"))

# One build, as `python -m etl build --quiet` does it (run_build, then the summary), printing the build's
# own phase timings (etl.build.run_build) as JSON; the whole build is timed from outside, process start to exit.
BUILD_SCRIPT = """
import json, sys
from pathlib import Path
from etl.build import run_build, summary

if __name__ == "__main__":
    result = run_build(Path(sys.argv[1]), Path(sys.argv[2]), engine=sys.argv[3])
    summary(result)
    print(json.dumps(result.timings))
"""


def _busy_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of every CPU of the machine so far, from /proc/stat ((0, 0) elsewhere)."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


def _build_once(corpus, out, engine: str) -> dict:
    """One timed build: wall seconds, CPU seconds of the build's processes, its phases, and how many cores the
    rest of the machine kept busy meanwhile (what the build could not use)."""
    busy0, total0 = _busy_ticks()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(python("-c", BUILD_SCRIPT, str(corpus), str(out), engine), cwd=ROOT, check=True,
                          capture_output=True, text=True)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, total1 = _busy_ticks()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tick = os.sysconf("SC_CLK_TCK")
    others = max(0.0, (busy1 - busy0) / tick - cpu) / wall if total1 > total0 else float("nan")
    return {"wall": wall, "cpu": cpu, "others_cores": others, "phases": json.loads(proc.stdout.splitlines()[-1])}


def bench_dask() -> dict:
    """Local engine vs a 2-worker Dask LocalCluster on the 10,000 releases (and their 2,000 records).

    Runs alternate (local, Dask, local, ...) so that both engines meet the same load on a shared machine;
    medians of DASK_ROUNDS each. Besides the whole build (process start to exit), the build's own timings
    give the stage Dask distributes (read, extract, normalize every input and add it to the assembler;
    for Dask including the wait for its cluster) and the serial rest (finish, write). Also reported: the
    CPU time of each build's processes and the cores other processes kept busy during the runs.
    """
    corpus = WORK / "releases10k"
    synth(corpus, meetings=2000, releases=EXTRACT_RELEASES, seed=1)
    out = WORK / "build_dask" / "processed"
    runs: dict[str, list[dict]] = {"local": [], "dask": []}
    load_before = os.getloadavg()[0]
    for _ in range(DASK_ROUNDS):
        for engine in runs:
            runs[engine].append(_build_once(corpus, out, engine))
    figures = {"load_before": load_before, "load_after": os.getloadavg()[0], "rounds": DASK_ROUNDS}
    for engine, measured in runs.items():
        figures[f"{engine}_seconds"] = statistics.median(r["wall"] for r in measured)
        figures[f"{engine}_cpu_seconds"] = statistics.median(r["cpu"] for r in measured)
        figures[f"{engine}_others_cores"] = statistics.median(r["others_cores"] for r in measured)
        for phase in ("setup", "read", "finish", "write", "cluster_wait"):
            if all(phase in r["phases"] for r in measured):
                figures[f"{engine}_{phase}_seconds"] = statistics.median(r["phases"][phase] for r in measured)
        figures[f"{engine}_walls"] = [round(r["wall"], 2) for r in measured]
    figures["speedup"] = figures["local_seconds"] / figures["dask_seconds"]
    figures["stage_speedup"] = figures["local_read_seconds"] / figures["dask_read_seconds"]
    return figures
