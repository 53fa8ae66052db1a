"""`make load`: 20 concurrent browser sessions against the dashboard on 127.0.0.1 for about a minute.

Each session opens pages with filters in the URL, waits until the page is drawn, and
repeats until the time is up. Reports errors, p50/p95 time until a page is ready, and
the server's peak memory; writes them into BENCHMARKS.md. Bounded in time and count;
it only talks to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import asyncio
import os
import random
import time

from benchmarks.common import ROOT, percentiles_ms
from benchmarks.report import update_section
from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, READY_JS, MemoryWatch, dashboard

SESSIONS = int(os.environ.get("LOAD_SESSIONS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
MAX_PAGES_PER_SESSION = 200
PAGES = ["overview", "timeline", "countries", "map", "meetings", "downloads", "method"]
FILTERS = ["", "?countries=KAZ", "?countries=IND&countries=PAK", "?series=heads_of_state",
           "?series=foreign_ministers&countries=RUS", "?levels=minister", "?from=2015-01-01&to=2024-12-31"]  # fmt: skip


async def session(browser, base: str, seed: int, deadline: float, timings: list, errors: list) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    try:
        for _ in range(MAX_PAGES_PER_SESSION):
            if time.monotonic() > deadline:
                break
            url = f"{base}/{rng.choice(PAGES)}{rng.choice(FILTERS)}"
            start = time.perf_counter()
            try:
                await page.goto(url, wait_until="domcontentloaded", timeout=60_000)
                await page.wait_for_function(READY_JS, timeout=60_000, polling=100)
                timings.append(time.perf_counter() - start)
                if await page.locator('[data-testid="stException"]').count():
                    errors.append(f"exception shown on {url}")
            except Exception as exc:  # a timeout or a navigation error is an error of the run
                errors.append(f"{url}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def run(base: str) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    timings: list[float] = []
    errors: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        deadline = time.monotonic() + SECONDS
        await asyncio.wait_for(
            asyncio.gather(*(session(browser, base, i, deadline, timings, errors) for i in range(SESSIONS))),
            timeout=SECONDS + 180,
        )
        await browser.close()
    return timings, errors


def main() -> None:
    """Run the load test and print and record its figures."""
    data = ROOT / "data" / "processed"
    with dashboard(data) as (base, proc):
        watch = MemoryWatch(proc.pid)
        watch.start()
        started = time.perf_counter()
        timings, errors = asyncio.run(run(base))
        elapsed = time.perf_counter() - started
        peak = watch.stop()
    p50, p95 = percentiles_ms(timings) if timings else (float("nan"), float("nan"))
    lines = [
        f"- sessions: {SESSIONS} concurrent headless Chromium contexts for {SECONDS:.0f} s (ran {elapsed:.0f} s)",
        f"- pages loaded: {len(timings)}; errors: {len(errors)}",
        f"- time until a page is ready: p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        f"- server peak memory (RSS): {peak:.0f} MiB",
    ]
    for e in errors[:10]:
        lines.append(f"  - error: {e}")
    text = "\n".join(lines)
    print(text)
    update_section("Load test", "`make load` (LOAD_SESSIONS, LOAD_SECONDS to change)", text)


if __name__ == "__main__":
    main()
