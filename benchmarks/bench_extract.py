"""Times etl.extract.extract_release on one core over two corpora.

- fixtures: the press fixtures and the seed release, repeated to at least --min-releases releases;
- synthetic: generated releases (the kind `make bench` times), --synth-releases of them written by
  etl.synth into a temporary folder (--seed 1), or the *.txt files of --synth DIR.

Usage: python benchmarks/bench_extract.py [--min-releases N] [--synth-releases N] [--synth DIR]
Prints releases/s per corpus (wall and CPU time).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.extract import extract_release  # noqa: E402
from etl.reference import load_reference  # noqa: E402
from etl.sources.press import read_press_file  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "press"
SEED = ROOT / "data" / "raw" / "press"

Release = tuple[str, object, str | None]


def load_releases(paths: list[Path]) -> list[Release]:
    """(text, published, url) of every release file."""
    out = []
    for path in paths:
        release = read_press_file(path)
        out.append((release.text, release.published, release.meta.get("url")))
    return out


def fixture_releases() -> list[Release]:
    """Every fixture and seed release."""
    return load_releases(sorted(FIXTURES.glob("*.txt")) + sorted(SEED.glob("*.txt")))


def synthetic_releases(folder: str | None, count: int) -> list[Release]:
    """Releases of ``folder`` (a press folder or a raw folder holding press/), or ``count`` freshly generated ones."""
    if folder:
        path = Path(folder)
        path = path / "press" if (path / "press").is_dir() else path
        return load_releases(sorted(path.glob("*.txt")))
    from etl.synth import write_synthetic

    with tempfile.TemporaryDirectory() as tmp:
        write_synthetic(tmp, meetings=max(1, count // 4), releases=count, seed=1)
        return load_releases(sorted((Path(tmp) / "press").glob("*.txt")))


def measure(label: str, releases: list[Release], min_releases: int, ref) -> None:
    """Run extract_release over ``releases`` (repeated to ``min_releases``) and print the throughput."""
    for text, published, url in releases:  # warm-up: compiles the lexicon, fills the caches
        extract_release(text, published, url, ref)
    rounds = max(1, -(-min_releases // len(releases)))
    total_chars = sum(len(t) for t, _, _ in releases) * rounds
    start, cpu_start = time.perf_counter(), time.process_time()
    meetings = 0
    for _ in range(rounds):
        for text, published, url in releases:
            meetings += len(extract_release(text, published, url, ref))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    n = rounds * len(releases)
    kb = total_chars / 1000
    print(f"{label}: {n} releases ({total_chars / n / 1000:.1f} KB average, {meetings} meetings)")
    print(
        f"  wall {elapsed:.2f} s -> {n / elapsed:,.0f} releases/s ({elapsed / n * 1000:.3f} ms each, "
        f"{elapsed / kb * 3000:.3f} ms per 3 KB)"
    )
    print(
        f"  cpu  {cpu:.2f} s -> {n / cpu:,.0f} releases/s ({cpu / n * 1000:.3f} ms each, {cpu / kb * 3000:.3f} ms per 3 KB)"
    )


def main() -> None:
    """Run the benchmark and print the throughput per corpus."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-releases", type=int, default=2000, help="fixture releases to time (repeated)")
    parser.add_argument("--synth-releases", type=int, default=2000, help="synthetic releases to generate and time")
    parser.add_argument("--synth", help="time these release files instead of generating synthetic ones")
    args = parser.parse_args()
    ref = load_reference()
    measure("extract_release, fixtures", fixture_releases(), args.min_releases, ref)
    if args.synth or args.synth_releases > 0:
        synthetic = synthetic_releases(args.synth, args.synth_releases)
        measure("extract_release, synthetic", synthetic, len(synthetic), ref)


if __name__ == "__main__":
    main()
