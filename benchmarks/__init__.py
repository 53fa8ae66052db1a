"""Benchmarks: `make bench` runs `python -m benchmarks` and writes BENCHMARKS.md."""
