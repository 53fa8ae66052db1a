"""BENCHMARKS.md: one section per benchmark, replaced in place on each run."""

from __future__ import annotations

import re
from datetime import date

from benchmarks.common import ROOT, machine

REPORT = ROOT / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nFigures from the latest run of each command, on the machine below. Medians unless said.\n"


def update_section(title: str, command: str, body: str) -> None:
    """Replace (or add) the section ``title`` of BENCHMARKS.md."""
    text = REPORT.read_text() if REPORT.exists() else HEADER
    info = machine()
    section = (f"## {title}\n\nCommand: {command} — run {date.today().isoformat()} on {info['cpu']}, {info['memory']}, "
               f"Python {info['python']}, pandas {info['pandas']}, DuckDB {info['duckdb']}, "
               f"Streamlit {info['streamlit']}.\n\n{body.strip()}\n")  # fmt: skip
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    text = pattern.sub(lambda _: section + "\n", text) if found else text.rstrip() + "\n\n" + section
    REPORT.write_text(text.rstrip() + "\n")
