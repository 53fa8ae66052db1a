"""The CLI: python -m etl build | extract | synth."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.build import DEFAULT_OUT, DEFAULT_RAW, run_build, summary
from etl.reference import REFERENCE_DIR, ReferenceDataError


def _build(args) -> int:
    try:
        result = run_build(args.raw, args.out, args.reference, args.engine, args.scheduler, progress=not args.quiet)
    except ReferenceDataError as exc:
        print(f"error: broken reference data: {exc}", file=sys.stderr)
        return 2
    print(summary(result))
    print(f"written to {args.out}")
    mismatch = any(c["accepted"] + c["rejected"] != c["read"] for c in result.counts.values())
    return 1 if mismatch else 0


def _extract(args) -> int:
    from etl.extract import extract_press_file
    from etl.sources import InputError

    status = 0
    for path in args.files:
        try:
            record = extract_press_file(path)
        except InputError as exc:
            print(f"error: {path}: {exc} ({exc.code})", file=sys.stderr)
            status = 1
            continue
        except OSError as exc:
            print(f"error: {path}: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        print(json.dumps(record, indent=2, ensure_ascii=False, default=str))
    return status


def _synth(args) -> int:
    from etl.synth import write_synthetic

    counts = write_synthetic(args.out, meetings=args.meetings, releases=args.releases, seed=args.seed, fmt=args.format)
    print(json.dumps(counts))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="Build the SCO engagements dataset.")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read data/raw, extract, normalize, validate and write data/processed",
                       description="Read every input under RAW (records/*.yaml, press/*.txt|md|html, csv/*.csv, "
                       "memberships.csv), normalize and validate them, and write Parquet per table and one DuckDB "
                       "file to OUT atomically. Prints rows per table, rejects by reason and the check "
                       "accepted + rejected = read.")  # fmt: skip
    b.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="input folder (default: data/raw)")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output link (default: data/processed)")
    b.add_argument(
        "--reference", type=Path, default=REFERENCE_DIR, help="reference data folder (default: data/reference)"
    )
    b.add_argument("--engine", choices=("local", "dask"), default="local", help="where reading and extraction run")
    b.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler (with --engine dask)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_build)

    e = sub.add_parser("extract", help="print the meeting records extracted from press releases as JSON",
                       description="Extract meetings, delegations and evidence spans from press-release files "
                       "(text, Markdown or HTML, optional front matter with url, publisher, published, title).")  # fmt: skip
    e.add_argument("files", nargs="+", type=Path, help="press-release files")
    e.set_defaults(func=_extract)

    s = sub.add_parser("synth", help="write a synthetic corpus of records and press releases",
                       description="Write N synthetic meetings as curated records and M press releases, "
                       "deterministic for a seed, for benchmarks and scale tests.")  # fmt: skip
    s.add_argument("--meetings", type=int, default=1000, help="number of meetings (records)")
    s.add_argument("--releases", type=int, default=0, help="number of press releases")
    s.add_argument("--seed", type=int, default=0, help="random seed")
    s.add_argument("--format", choices=("yaml", "csv"), default="yaml", help="records as YAML files or one user CSV")
    s.add_argument("--out", type=Path, required=True, help="output raw folder")
    s.set_defaults(func=_synth)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
