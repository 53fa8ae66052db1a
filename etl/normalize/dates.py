"""Dates as written -> ISO dates with a precision (day / month / year).

Handles ISO dates, "24 April 2012", "April 24, 2012", "Apr. 24", ranges such as
"July 3-4, 2024", "3–4 July 2024" and "31 August–1 September 2025". A date with no
year takes the year of a reference (published) date, never a guess; ambiguous input
returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
MONTH_RE = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DASH = r"\s*(?:-|–|—|to|until|through)\s*"


class DateError(ValueError):
    """A date that cannot be a real calendar date or cannot be read."""


@dataclass(frozen=True)
class DateSpan:
    start: date
    end: date | None
    precision: str  # day | month | year

    @property
    def last_day(self) -> date:
        return self.end or self.start


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _year(value: str | None, default: int | None) -> int:
    if value:
        return int(value)
    if default is None:
        raise DateError("no year given and no published date to take it from")
    return default


def _mk(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateError(f"{year:04d}-{month:02d}-{day:02d} is not a calendar date") from exc


_PATTERNS = [
    # 31 August–1 September 2025
    re.compile(
        rf"^(?P<d1>\d{{1,2}})\s+{MONTH_RE.format(name='m1')}{DASH}(?P<d2>\d{{1,2}})\s+{MONTH_RE.format(name='m2')},?\s*(?P<y>\d{{4}})?$",
        re.I,
    ),
    # August 31–September 1, 2025
    re.compile(
        rf"^{MONTH_RE.format(name='m1')}\s+(?P<d1>\d{{1,2}}){DASH}{MONTH_RE.format(name='m2')}\s+(?P<d2>\d{{1,2}}),?\s*(?P<y>\d{{4}})?$",
        re.I,
    ),
    # 3-4 July 2024
    re.compile(rf"^(?P<d1>\d{{1,2}}){DASH}(?P<d2>\d{{1,2}})\s+{MONTH_RE.format(name='m1')},?\s*(?P<y>\d{{4}})?$", re.I),
    # July 3-4, 2024
    re.compile(rf"^{MONTH_RE.format(name='m1')}\s+(?P<d1>\d{{1,2}}){DASH}(?P<d2>\d{{1,2}}),?\s*(?P<y>\d{{4}})?$", re.I),
    # 24 April 2012
    re.compile(
        rf"^(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE.format(name='m1')},?\s*(?P<y>\d{{4}})?$", re.I
    ),
    # April 24, 2012
    re.compile(rf"^{MONTH_RE.format(name='m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>\d{{4}})?$", re.I),
    # April 2012 (month precision)
    re.compile(rf"^{MONTH_RE.format(name='m1')},?\s+(?P<y>\d{{4}})$", re.I),
]


def parse_date_span(text: str | date | None, default_year: int | None = None) -> DateSpan:
    """Parse a date or a date range; raise DateError when it is not a real date."""
    if text is None:
        raise DateError("empty date")
    if isinstance(text, datetime):
        return DateSpan(text.date(), None, "day")
    if isinstance(text, date):
        return DateSpan(text, None, "day")
    raw = " ".join(str(text).replace("\u00a0", " ").split()).strip(" .,")
    if not raw:
        raise DateError("empty date")
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    if iso:
        return DateSpan(_mk(*map(int, iso.groups())), None, "day")
    ym = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if ym:
        return DateSpan(_mk(int(ym[1]), int(ym[2]), 1), None, "month")
    if re.fullmatch(r"\d{4}", raw):
        return DateSpan(_mk(int(raw), 1, 1), None, "year")
    for pattern in _PATTERNS:
        m = pattern.match(raw)
        if not m:
            continue
        groups = m.groupdict()
        year = _year(groups.get("y"), default_year)
        m1 = _month(groups["m1"])
        if groups.get("d1") is None:
            return DateSpan(_mk(year, m1, 1), None, "month")
        start = _mk(year, m1, int(groups["d1"]))
        if groups.get("d2") is None:
            return DateSpan(start, None, "day")
        m2 = _month(groups["m2"]) if groups.get("m2") else m1
        end_year = year + 1 if m2 < m1 else year
        end = _mk(end_year, m2, int(groups["d2"]))
        if end < start:
            raise DateError(f"range '{raw}' ends before it starts")
        if start.year != end.year and groups.get("y"):
            start = _mk(year - 1, m1, int(groups["d1"]))
            end = _mk(year, m2, int(groups["d2"]))
        return DateSpan(start, end, "day")
    raise DateError(f"cannot read '{raw}' as a date")


def parse_meeting_date(text: str | date | None, default_year: int | None = None) -> date:
    """The first day of a date or range (see parse_date_span)."""
    return parse_date_span(text, default_year).start
