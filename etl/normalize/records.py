"""Raw meeting records (curated YAML, user CSV, extracted press releases) -> table rows.

One path for every input kind, so a fact means the same whatever file it came from.
Meeting-level defects raise RecordError (the whole record is rejected); row-level
defects reject only that delegation row. Nothing is dropped without a reject row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from etl.normalize.countries import country_code, participant_code
from etl.normalize.dates import DateError, parse_date_span
from etl.normalize.ids import SERIES_CODES, meeting_id, source_id
from etl.normalize.levels import delegation_level
from etl.normalize.places import find_city
from etl.reference import LEVELS, Reference

FORMATS = ("in_person", "virtual", "hybrid")
PRECISIONS = ("day", "month", "year")
ROLES = ("head_of_delegation", "member", "host", "guest")
# Sanity bounds (2026-11-28): the Shanghai Five first met in 1996; nothing is planned past 2030.
EARLIEST_DATE = date(1996, 1, 1)
LATEST_DATE = date(2030, 12, 31)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


class RecordError(ValueError):
    """A defect that rejects a whole meeting record; ``code`` is the reason code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class RowReject:
    locator: str
    code: str
    reason: str
    snippet: str


@dataclass
class NormalizedRecord:
    """A normalized record. ``rows`` holds, in input order, each delegation row as (locator, snippet,
    row) or its RowReject; resolve_persons gives the final rows once persons are matched."""

    meeting: dict
    sources: list[dict] = field(default_factory=list)
    parent_hint: dict | None = None
    rows: list = field(default_factory=list)


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _bool(value, default: bool, name: str) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"'{name}' must be true or false, not '{value}'")


def _choice(value, allowed: tuple[str, ...], default: str | None, name: str, code: str = "invalid_value") -> str | None:
    text = _text(value)
    if text is None:
        return default
    if text not in allowed:
        raise RecordError(code, f"'{name}' is '{text}', not one of {', '.join(allowed)}")
    return text


def _date(value, name: str) -> tuple[date, date | None, str] | None:
    if value is None or value == "":
        return None
    try:
        span = parse_date_span(value)
    except DateError as exc:
        raise RecordError("invalid_date", f"'{name}': {exc}") from exc
    for day in (span.start, span.end):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise RecordError("date_out_of_range", f"'{name}' {day} is outside {EARLIEST_DATE}..{LATEST_DATE}")
    return span.start, span.end, span.precision


def _country(value, ref: Reference, name: str, required: bool) -> str | None:
    text = _text(value)
    if text is None:
        if required:
            raise RecordError("missing_field", f"required field '{name}' is empty")
        return None
    code = country_code(text, ref)
    if code is None:
        raise RecordError("unknown_country", f"'{name}' '{text}' is not a known country")
    return code


def normalize_source(raw: dict, path: str, require_url: bool = True) -> dict:
    """A `sources` row from a record's source entry; raise RecordError when its url is unusable."""
    url = _text(raw.get("url"))
    if url is None and require_url:
        raise RecordError("missing_field", "a source has no url")
    if url is not None and not URL_RE.match(url):
        raise RecordError("invalid_url", f"source url '{url}' is not a well-formed http(s) url")
    published = _date(raw.get("published"), "published")
    retrieved = _date(raw.get("retrieved"), "retrieved")
    sha256 = _text(raw.get("sha256"))
    return {
        "source_id": source_id(url, sha256),
        "url": url,
        "publisher": _text(raw.get("publisher")),
        "title": _text(raw.get("title")),
        "published": published[0] if published else None,
        "retrieved": retrieved[0] if retrieved else None,
        "sha256": sha256,
        "path": path,
    }


def normalize_meeting(raw: dict, ref: Reference) -> dict:
    """A `meetings` row (without sources) from a raw meeting mapping."""
    series = _choice(raw.get("series"), tuple(SERIES_CODES), None, "series")
    if series is None:
        raise RecordError("missing_field", "required field 'series' is empty")
    title = _text(raw.get("title"))
    if title is None:
        raise RecordError("missing_field", "required field 'title' is empty")
    start = _date(raw.get("date_start"), "date_start")
    if start is None:
        raise RecordError("missing_field", "required field 'date_start' is empty (no date could be read)")
    end = _date(raw.get("date_end"), "date_end")
    date_end = end[1] or end[0] if end else start[1]
    if date_end is not None and date_end < start[0]:
        raise RecordError("invalid_date", f"date_end {date_end} is before date_start {start[0]}")
    if date_end == start[0]:
        date_end = None
    precision = _choice(raw.get("date_precision"), PRECISIONS, start[2], "date_precision")
    host = _country(raw.get("host_country"), ref, "host_country", required=True)
    city_name = _text(raw.get("city"))
    city = find_city(city_name, ref)
    sequence = raw.get("sequence")
    if sequence not in (None, ""):
        try:
            sequence = int(sequence)
        except (TypeError, ValueError) as exc:
            raise RecordError("invalid_value", f"'sequence' must be a whole number, not '{sequence}'") from exc
        if sequence < 1:
            raise RecordError("invalid_value", f"'sequence' must be 1 or more, not {sequence}")
    else:
        sequence = None
    try:
        verified = _bool(raw.get("verified"), True, "verified")
    except ValueError as exc:
        raise RecordError("invalid_value", str(exc)) from exc
    confidence = float(raw.get("confidence", 1.0) or 0.0)
    return {
        "meeting_id": meeting_id(series, start[0], host, title),
        "series": series,
        "mechanism": _text(raw.get("mechanism")),
        "title": title,
        "sequence": sequence,
        "date_start": start[0],
        "date_end": date_end,
        "date_precision": precision,
        "format": _choice(raw.get("format"), FORMATS, "in_person", "format"),
        "host_country": host,
        "city": city.name if city else city_name,
        "venue": _text(raw.get("venue")),
        "latitude": city.lat if city else None,
        "longitude": city.lon if city else None,
        "chair_country": _country(raw.get("chair_country"), ref, "chair_country", required=False),
        "parent_meeting_id": _text(raw.get("parent")),
        "verified": verified,
        "notes": _text(raw.get("notes")),
        "confidence": max(0.0, min(1.0, confidence)),
    }


def normalize_delegation(raw: dict, meeting: dict, sources: dict[str, str], ref: Reference) -> dict:
    """A `delegations` row with its person not yet resolved (person_id None; see resolve_persons);
    raise RecordError (a row-level reject) on a defect."""
    text = _text(raw.get("participant"))
    if text is None:
        name = _text(raw.get("name"))
        if name:  # a press release that names a delegate but not the state or body they represent
            raise RecordError(
                "missing_field", f"required field 'participant' is empty: whom {name} represented is not said"
            )
        raise RecordError("missing_field", "required field 'participant' is empty")
    participant = participant_code(text, ref)
    if participant is None:
        raise RecordError("unknown_country", f"participant '{text}' is not a known country or organisation")
    key = _text(raw.get("source"))
    if key is None and len(sources) == 1:
        key = next(iter(sources))
    if key is None:
        raise RecordError("missing_field", "row names no source and the record has several")
    if key not in sources:
        raise RecordError("unknown_source", f"row names source '{key}', which the record does not list")
    title = _text(raw.get("title"))
    level = _text(raw.get("level")) or delegation_level(title, ref)
    if level not in LEVELS:
        raise RecordError("invalid_value", f"'level' is '{level}', not one of {', '.join(LEVELS)}")
    role = _choice(raw.get("role"), ROLES, "head_of_delegation", "role")
    name = _text(raw.get("name"))
    try:
        attended = _bool(raw.get("attended"), True, "attended")
        verified = _bool(raw.get("verified"), True, "verified")
    except ValueError as exc:
        raise RecordError("invalid_value", str(exc)) from exc
    evidence = raw.get("evidence") or {}
    is_org = participant in ref.organisations
    return {
        "meeting_id": meeting["meeting_id"],
        "participant": participant,
        "participant_type": "organisation" if is_org else "country",
        "status": None,  # derived from memberships by the pipeline
        "person_id": None,  # resolve_persons fills it in: matching depends on every record, not this one
        "name": name,
        "title": title,
        "level": level,
        "role": role,
        "attended": attended,
        "verified": verified,
        "source_id": sources[key],
        "evidence_text": _text(evidence.get("text")),
        "evidence_start": evidence.get("start"),
        "evidence_end": evidence.get("end"),
        "confidence": max(0.0, min(1.0, float(raw.get("confidence", 1.0) or 0.0))),
        "note": _text(raw.get("note")),
    }


def normalize_record(doc: dict, path: str, ref: Reference, extra_sources: list[dict] = ()) -> NormalizedRecord:
    """Normalize one record {meeting, sources, delegations}; raise RecordError to reject it whole.

    Pure: it depends on this record and the reference data only, so it can run anywhere
    (a Dask worker) in any order. Person matching, which depends on every record read
    before this one, is left to resolve_persons.
    """
    meeting = normalize_meeting(doc["meeting"], ref)
    sources: list[dict] = []
    keys: dict[str, str] = {}
    for raw in extra_sources:  # the press release itself: its url may be unknown
        row = normalize_source(raw, path, require_url=False)
        sources.append(row)
        keys.setdefault("press", row["source_id"])
    for i, raw in enumerate(doc.get("sources") or []):
        row = normalize_source(raw, path)
        sources.append(row)
        keys[_text(raw.get("key")) or f"source{i + 1}"] = row["source_id"]
    if not sources:
        raise RecordError("missing_field", "the record lists no source")
    meeting["source_id"] = sources[0]["source_id"]
    meeting["source_ids"] = ";".join(dict.fromkeys(s["source_id"] for s in sources))
    result = NormalizedRecord(meeting, sources=sources, parent_hint=doc["meeting"].get("parent_hint"))
    for i, raw in enumerate(doc.get("delegations") or []):
        locator = raw.get("__locator__") or f"delegations[{i}]"
        snippet = ", ".join(f"{k}={v}" for k, v in raw.items() if k in ("participant", "name", "title") and v)
        try:
            row = normalize_delegation(raw, meeting, keys, ref)
        except RecordError as exc:
            result.rows.append(RowReject(locator, exc.code, str(exc), snippet))
            continue
        result.rows.append((locator, snippet, row))
    return result


def resolve_persons(record: NormalizedRecord, resolve: Callable[[str, str], str]) -> tuple[list[dict], list[RowReject]]:
    """(delegation rows, row rejects) of a record once each named row's person is ``resolve(name,
    participant)``, called in row order; a delegate listed twice, which only the person ids can tell,
    is rejected."""
    delegations: list[dict] = []
    rejects: list[RowReject] = []
    seen: set[tuple] = set()
    for item in record.rows:
        if isinstance(item, RowReject):
            rejects.append(item)
            continue
        locator, snippet, row = item
        if row["name"]:
            row["person_id"] = resolve(row["name"], row["participant"])
        identity = (row["participant"], row["person_id"] or f"unnamed:{row['title']}", row["role"])
        if identity in seen:
            rejects.append(RowReject(locator, "duplicate_delegation", "the same delegate is listed twice", snippet))
            continue
        seen.add(identity)
        delegations.append(row)
    return delegations, rejects
