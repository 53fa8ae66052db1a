"""`make bench`: every benchmark, each figure the median of several runs, written to BENCHMARKS.md.

BENCH_ONLY=extract,builds,dask,read,exports,app picks sections (default: all).
"""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks import bench_app, bench_etl, bench_read
from benchmarks.common import ROOT
from benchmarks.report import update_section

AIMS = {"page_p50_ms": 50, "ratio": 10, "releases_per_s": 1000, "embedded_build_s": 3, "server_mib": 1024}


def want(name: str) -> bool:
    only = os.environ.get("BENCH_ONLY")
    return not only or name in only.split(",")


def main() -> None:
    """Run the chosen benchmarks and record their figures."""
    embedded = ROOT / "data" / "processed"
    previous_big = ROOT / "benchmarks" / "out" / "build_100k" / "processed"  # reused when builds are not rerun
    big = previous_big if previous_big.exists() else None
    if want("extract"):
        e = bench_etl.bench_extraction()
        body = (f"- {e['releases']:,} generated releases, one process, one core: **{e['releases_per_second']:,.0f} "
                f"releases/s** (aim ≥ {AIMS['releases_per_s']:,}); {e['meetings']:,} meetings found; "
                f"peak memory {e['peak_mib']} MiB")  # fmt: skip
        print(body)
        update_section("Extraction", "`make bench` (BENCH_ONLY=extract)", body)
    if want("builds") or want("read") or want("exports"):
        b = bench_etl.bench_builds()
        big = Path(b["big_out"])
        body = (f"- embedded dataset (data/raw): **{b['embedded_seconds']:.2f} s** per build, median of 3 "
                f"(aim ≤ {AIMS['embedded_build_s']} s); {b['embedded_cpu_seconds']:.2f} s of CPU\n"
                f"- synthetic: {b['big_meetings']:,} meetings, {b['big_delegations']:,} delegation rows (one user CSV): "
                f"**{b['big_seconds']:.0f} s**, one run")  # fmt: skip
        print(body)
        update_section("Build", "`make bench` (BENCH_ONLY=builds)", body)
    if want("dask"):
        d = bench_etl.bench_dask()
        body = (f"- 10,000 generated releases and their 2,000 curated records, **whole build** (process start to exit, "
                f"as `python -m etl build`): local engine {d['local_seconds']:.1f} s, Dask LocalCluster with 2 workers "
                f"{d['dask_seconds']:.1f} s: **{d['speedup']:.2f}×** (aim ≥ 1.6×)\n"
                f"- **distributed stage alone** (read, extract and normalize every input and add it to the assembler, "
                f"timed inside the build; Dask's includes {d['dask_cluster_wait_seconds']:.1f} s waiting for its "
                f"cluster): local {d['local_read_seconds']:.1f} s, Dask {d['dask_read_seconds']:.1f} s: "
                f"**{d['stage_speedup']:.2f}×**\n"
                f"- serial rest, in one process for both engines: finish (persons, parents, statuses, validation) "
                f"local {d['local_finish_seconds']:.2f} s, Dask {d['dask_finish_seconds']:.2f} s; write "
                f"{d['local_write_seconds']:.2f} s / {d['dask_write_seconds']:.2f} s; setup (reference data, listing) "
                f"{d['local_setup_seconds']:.2f} s / {d['dask_setup_seconds']:.2f} s\n"
                f"- medians of {d['rounds']} alternating runs each (whole builds: local {d['local_walls']} s, Dask "
                f"{d['dask_walls']} s); CPU used by the build's processes: local {d['local_cpu_seconds']:.1f} s, Dask "
                f"{d['dask_cpu_seconds']:.1f} s; other processes on the machine kept {d['local_others_cores']:.2f} / "
                f"{d['dask_others_cores']:.2f} of its {os.cpu_count()} cores busy during the local / Dask runs (load "
                f"average {d['load_before']:.1f} when they began): what they take, the second worker cannot use")  # fmt: skip
        print(body)
        update_section("Dask engine", "`make bench` (BENCH_ONLY=dask)", body)
    if want("read"):
        lines = [
            "| scale | page | p50 ms | p95 ms | naive p50 ms | naive p95 ms | naive / ours |",
            "|---|---|---|---|---|---|---|",
        ]
        for label, path, repeats in (("embedded", embedded, 3), ("1M delegation rows", big, 1)):
            for page, r in bench_read.time_pages(path, repeats=repeats).items():
                lines.append(f"| {label} | {page} | {r['p50']:.1f} | {r['p95']:.1f} | {r['naive_p50']:.1f} | "
                             f"{r['naive_p95']:.1f} | {r['ratio']:.1f}× |")  # fmt: skip
        body = ("Data work behind each page after a filter change (10 filter changes; × 3 at the embedded scale), explorer queries vs a naive "
                f"pandas baseline in the same run. Aims at 1M rows: p50 ≤ {AIMS['page_p50_ms']} ms, ≥ {AIMS['ratio']}× "
                "the baseline.\n\n" + "\n".join(lines))  # fmt: skip
        print(body)
        update_section("Read side", "`make bench` (BENCH_ONLY=read)", body)
    if want("exports"):
        x = bench_read.time_exports(big)
        body = (f"- filtered delegations download, {x['rows']:,} rows: CSV {x['csv_seconds']:.1f} s ({x['csv_mib']:.0f} MiB), "
                f"Parquet {x['parquet_seconds']:.1f} s ({x['parquet_mib']:.0f} MiB)")  # fmt: skip
        print(body)
        update_section("Exports", "`make bench` (BENCH_ONLY=exports)", body)
    if want("app"):
        a = bench_app.first_page_and_memory(embedded)
        reruns = bench_app.page_reruns(embedded)
        lines = [f"- embedded dataset: server start → first page drawn in headless Chromium **{a['server_to_first_page_s']:.1f} s** "
                 f"(navigation → drawn {a['navigation_to_first_page_s']:.1f} s); page load median {a['page_load_median_s']:.1f} s; "
                 f"peak server memory {a['peak_server_mib']:.0f} MiB",
                 "- page rerun after a filter change (AppTest, median of 5, aim < 300 ms): "
                 + ", ".join(f"{k} {v:.0f} ms" for k, v in reruns.items())]  # fmt: skip
        if big is not None:
            b = bench_app.first_page_and_memory(big)
            lines.append(f"- 1M delegation rows: first page drawn {b['server_to_first_page_s']:.1f} s after server start; "
                         f"peak server memory after visiting every page **{b['peak_server_mib']:.0f} MiB** "
                         f"(aim ≤ {AIMS['server_mib']} MiB)")  # fmt: skip
        body = "\n".join(lines)
        print(body)
        update_section("Dashboard server", "`make bench` (BENCH_ONLY=app)", body)


if __name__ == "__main__":
    main()
