"""Times etl.extract.extract_release over the press fixtures, repeated to at least 2,000 releases.

Usage: python benchmarks/bench_extract.py [--min-releases N]. Prints releases/s on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.extract import extract_release  # noqa: E402
from etl.reference import load_reference  # noqa: E402
from etl.sources.press import read_press_file  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "press"
SEED = ROOT / "data" / "raw" / "press"


def load_releases() -> list[tuple[str, object, str | None]]:
    """(text, published, url) of every fixture and seed release."""
    out = []
    for path in sorted(FIXTURES.glob("*.txt")) + sorted(SEED.glob("*.txt")):
        release = read_press_file(path)
        out.append((release.text, release.published, release.meta.get("url")))
    return out


def main() -> None:
    """Run the benchmark and print the throughput."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-releases", type=int, default=2000)
    args = parser.parse_args()
    ref = load_reference()
    releases = load_releases()
    for text, published, url in releases:  # warm-up: compiles the lexicon once
        extract_release(text, published, url, ref)
    rounds = -(-args.min_releases // len(releases))
    total_chars = sum(len(t) for t, _, _ in releases) * rounds
    start, cpu_start = time.perf_counter(), time.process_time()
    meetings = 0
    for _ in range(rounds):
        for text, published, url in releases:
            meetings += len(extract_release(text, published, url, ref))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    n = rounds * len(releases)
    kb = total_chars / 1000
    print(f"extract_release: {n} releases ({total_chars / n / 1000:.1f} KB average, {meetings} meetings)")
    print(
        f"  wall {elapsed:.2f} s -> {n / elapsed:,.0f} releases/s ({elapsed / n * 1000:.3f} ms each, "
        f"{elapsed / kb * 3000:.3f} ms per 3 KB)"
    )
    print(
        f"  cpu  {cpu:.2f} s -> {n / cpu:,.0f} releases/s ({cpu / n * 1000:.3f} ms each, {cpu / kb * 3000:.3f} ms per 3 KB)"
    )


if __name__ == "__main__":
    main()
