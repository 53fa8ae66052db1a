"""Membership history (data/raw/memberships.csv) and the status of a participant on a day."""

from __future__ import annotations

import bisect
from datetime import date

from etl.normalize.countries import country_code
from etl.normalize.ids import source_id
from etl.normalize.records import URL_RE, RecordError, _date, _text
from etl.reference import Reference
from etl.schema import MEMBERSHIP_STATUSES


def normalize_membership(raw: dict, ref: Reference) -> dict:
    """A `memberships` row from a CSV row; raise RecordError on a defect."""
    code = country_code(raw.get("country"), ref)
    if code is None:
        raise RecordError("unknown_country", f"country '{raw.get('country')}' is not a known country")
    status = _text(raw.get("status"))
    if status not in MEMBERSHIP_STATUSES:
        raise RecordError("invalid_value", f"status '{status}' is not one of {', '.join(MEMBERSHIP_STATUSES)}")
    start = _date(raw.get("effective_from"), "effective_from")
    if start is None:
        raise RecordError("missing_field", "required field 'effective_from' is empty")
    end = _date(raw.get("effective_to"), "effective_to")
    if end is not None and end[0] < start[0]:
        raise RecordError("invalid_date", f"effective_to {end[0]} is before effective_from {start[0]}")
    decided = _date(raw.get("decided_on"), "decided_on")
    url = _text(raw.get("source_url"))
    if url is not None and not URL_RE.match(url):
        raise RecordError("invalid_url", f"source url '{url}' is not a well-formed http(s) url")
    return {
        "country": code,
        "status": status,
        "decided_on": decided[0] if decided else None,
        "effective_from": start[0],
        "effective_to": end[0] if end else None,
        "decided_at": _text(raw.get("decided_at")),
        "source_url": url,
        "source_publisher": _text(raw.get("source_publisher")),
        "source_id": source_id(url) if url else None,
        "note": _text(raw.get("note")),
    }


def overlapping_periods(rows: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of periods of one country that overlap (each must be fixed in the file)."""
    by_country: dict[str, list[dict]] = {}
    for row in rows:
        by_country.setdefault(row["country"], []).append(row)
    pairs = []
    for periods in by_country.values():
        periods.sort(key=lambda r: r["effective_from"])
        for a, b in zip(periods, periods[1:], strict=False):
            if a["effective_to"] is None or a["effective_to"] >= b["effective_from"]:
                pairs.append((a, b))
    return pairs


class StatusLookup:
    """SCO status of a participant on a day: member, observer, dialogue partner, partner, guest, organisation."""

    def __init__(self, rows: list[dict], organisations):
        self._organisations = set(organisations)
        self._periods: dict[str, list[tuple[date, date | None, str]]] = {}
        for row in sorted(rows, key=lambda r: (r["country"], r["effective_from"])):
            self._periods.setdefault(row["country"], []).append(
                (row["effective_from"], row["effective_to"], row["status"])
            )
        self._starts = {c: [p[0] for p in ps] for c, ps in self._periods.items()}

    def status_on(self, participant: str, day: date) -> str:
        """The status that held on ``day``; 'guest' for a country with none, 'organisation' for organisations."""
        if participant in self._organisations:
            return "organisation"
        periods = self._periods.get(participant)
        if not periods:
            return "guest"
        i = bisect.bisect_right(self._starts[participant], day) - 1
        if i >= 0:
            start, end, status = periods[i]
            if end is None or day <= end:
                return status
        return "guest"
