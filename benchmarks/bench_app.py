"""The Streamlit side: first page ready in headless Chromium, server memory, and page reruns after a filter change."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from benchmarks.common import ROOT
from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, READY_JS, MemoryWatch, dashboard

PAGES = ["overview", "timeline", "countries", "map", "meetings", "downloads", "method"]


def first_page_and_memory(data_dir: Path) -> dict[str, float]:
    """Seconds from server start until the first page is drawn in Chromium; then every page once; peak RSS."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with dashboard(data_dir) as (base, proc):
        watch = MemoryWatch(proc.pid)
        watch.start()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            nav = time.perf_counter()
            page.goto(base, wait_until="domcontentloaded")
            page.wait_for_function(READY_JS, timeout=120_000, polling=50)
            ready = time.perf_counter()
            loads = []
            for name in PAGES:
                t0 = time.perf_counter()
                page.goto(f"{base}/{name}", wait_until="domcontentloaded")
                page.wait_for_function(READY_JS, timeout=120_000, polling=50)
                loads.append(time.perf_counter() - t0)
            browser.close()
        peak = watch.stop()
    return {"server_to_first_page_s": ready - started, "navigation_to_first_page_s": ready - nav,
            "page_load_median_s": statistics.median(loads), "peak_server_mib": peak}  # fmt: skip


def page_reruns(data_dir: Path, runs: int = 5) -> dict[str, float]:
    """Median ms of an AppTest rerun of each page after a country filter changes (warm caches, new filter)."""
    from streamlit.testing.v1 import AppTest

    os.environ["SCO_DATA_DIR"] = str(data_dir)
    out = {}
    choices = ["KAZ", "IND", "RUS", "CHN", "PAK", "UZB", "KGZ", "TJK", "IRN", "BLR"]
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.run()
        at.switch_page(f"pages/{name}.py")
        at.run()
        times = []
        for i in range(runs):
            widget = at.multiselect(key="countries")
            widget.set_value([choices[i % len(choices)]])
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            assert not at.exception, f"{name}: {at.exception}"
        out[name] = statistics.median(times) * 1000
    return out
