"""User CSV of meetings and delegations: one row per delegation, meeting columns repeated.

Rows that share (series, date_start, host_country, title) form one meeting. A row with
an empty `participant` describes a meeting with no delegation rows. Columns (README):
series, title, date_start, date_end, date_precision, format, host_country, city, venue,
chair_country, sequence, mechanism, participant, name, person_title, level, role,
attended, source_url, source_publisher, source_title, source_published, verified, note.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from etl.sources import InputError

CSV_SUFFIXES = (".csv",)
REQUIRED_COLUMNS = ("series", "title", "date_start", "host_country", "source_url")
MEETING_COLUMNS = (
    "series", "title", "date_start", "date_end", "date_precision", "format", "host_country",
    "city", "venue", "chair_country", "sequence", "mechanism",
)  # fmt: skip
DELEGATION_COLUMNS = {"participant": "participant", "name": "name", "person_title": "title", "level": "level",
                      "role": "role", "attended": "attended", "verified": "verified", "note": "note"}  # fmt: skip
OPTIONAL_COLUMNS = (*MEETING_COLUMNS, *DELEGATION_COLUMNS, "source_publisher", "source_title", "source_published")


def parse_csv_bytes(data: bytes, path: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a user CSV; raise InputError when the file itself is unusable."""
    if not data.strip():
        raise InputError("empty_file", "file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            "not_utf8", f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    if "\x00" in text:
        raise InputError("not_text", "file holds NUL bytes: not a CSV file")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InputError("malformed_file", f"not a readable CSV: {exc}") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError("missing_field", f"CSV header lacks required column(s): {', '.join(missing)}")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS]
    if unknown:
        raise InputError("malformed_file", f"CSV header has unknown column(s): {', '.join(unknown)}")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                rows.append((reader.line_num, {"__error__": "row has more fields than the header"}))
                continue
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise InputError("malformed_file", f"CSV breaks at line {reader.line_num}: {exc}") from exc
    return rows


def read_csv_file(path: Path | str) -> list[tuple[int, dict[str, str]]]:
    """Read one user CSV file (see parse_csv_bytes)."""
    p = Path(path)
    return parse_csv_bytes(p.read_bytes(), str(p))
