"""Curated meeting records: one YAML file per meeting under data/raw/records/ (docs/records.md)."""

from __future__ import annotations

from pathlib import Path

import yaml

from etl.sources import InputError, load_yaml

RECORD_SUFFIXES = (".yaml", ".yml")


def parse_record_bytes(data: bytes, path: str) -> dict:
    """The record mapping {meeting, sources, delegations}; raise InputError with a reason code."""
    if not data.strip():
        raise InputError("empty_file", "file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            "not_utf8", f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    try:
        doc = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError("malformed_file", f"not valid YAML{where}: {problem}") from exc
    except (ValueError, RecursionError) as exc:
        raise InputError("malformed_file", f"not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise InputError("malformed_file", "a record must be a mapping with keys meeting, sources, delegations")
    unknown = set(doc) - {"meeting", "sources", "delegations"}
    if unknown:
        raise InputError("malformed_file", f"unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}")
    if not isinstance(doc.get("meeting"), dict):
        raise InputError("missing_field", "required section 'meeting' is missing or not a mapping")
    for key in ("sources", "delegations"):
        value = doc.get(key)
        if value is None:
            doc[key] = []
        elif not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise InputError("malformed_file", f"'{key}' must be a list of mappings")
    return doc


def read_record_file(path: Path | str) -> dict:
    """Read one curated record file (see parse_record_bytes)."""
    p = Path(path)
    return parse_record_bytes(p.read_bytes(), str(p))
