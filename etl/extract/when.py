"""Date mentions in a release: written dates, ranges and relative days.

Written dates are parsed by etl.normalize.dates.parse_date_span; a date without a year
takes the year of the reference date, moved by a year when that puts it more than six
months away. Relative days ("today", "yesterday", "on Monday") are resolved against the
dateline or published date and stay unresolved (None) when there is none: never guessed.
A bare weekday means the latest such day on or before the reference date, unless the
sentence speaks of the future ("will", "next").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from etl.extract.fast import gated, lowered
from etl.normalize.dates import DateError, DateSpan, parse_date_span

_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_D = r"\d{1,2}(?:st|nd|rd|th)?"
_Y = r"(?:,?\s+(?:in\s+)?\d{4})"
_TO = r"\s*(?:-|–|—|to|until|through|and)\s*"
_ABSOLUTE = re.compile(
    "|".join(
        (
            rf"\b{_D}\s+(?:of\s+)?{_M}{_TO}{_D}\s+(?:of\s+)?{_M}{_Y}?",  # 31 August–1 September 2025
            rf"\b{_M}\s+{_D}{_TO}{_M}\s+{_D}{_Y}?",  # August 31–September 1, 2025
            rf"\b{_D}{_TO}{_D}\s+(?:of\s+)?{_M}{_Y}?",  # 3-4 July 2024
            rf"\b{_M}\s+{_D}{_TO}{_D}\b{_Y}?",  # July 3-4, 2024
            rf"\b{_D}\s+(?:of\s+)?{_M}{_Y}?",  # 24 April 2012
            rf"\b{_M}\s+{_D}\b{_Y}?",  # April 24, 2012
            rf"\b{_M}\s+\d{{4}}\b",  # April 2012
            r"\b\d{4}-\d\d-\d\d\b",
        )
    )
)
# Every written date holds a month name or an ISO date: cheap pre-checks (case-sensitive, so re skips to
# the capitals or digits) before the long _ABSOLUTE alternation.
_MONTH_NAME = re.compile(_M)
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_DAY_WORDS = ("day", "tonight", "tomorrow", "this ")  # a relative day holds one of them
_ASCII_DIGIT = re.compile("[0-9]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DATE_START = re.compile(r"[\dJFMASOND]")  # every _ABSOLUTE match starts with a digit or a month name
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = gated(
    r"\b(?:(?P<today>today|tonight|this (?:morning|afternoon|evening)|(?:earlier|later) in the day)|(?P<yesterday>yesterday)|"
    r"(?P<tomorrow>tomorrow)|(?:(?P<mod>last|next|this|on|coming)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?)\b",
    re.IGNORECASE,
)
_FUTURE = gated(
    r"\b(will|shall|is to|are to|is due|are due|is set to|are set to|to be held|upcoming|next|is scheduled|are scheduled|"
    r"is expected to|are expected to)\b",
    re.I,
)
_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]+[ \u00a0]$")
_DIGIT = re.compile(r"\d")  # _has_digit() tests it quicker
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")


@dataclass(frozen=True)
class DateMention:
    """A date expression found in the text, with its parsed span (None when unresolved)."""

    start: int
    end: int
    text: str
    span: DateSpan | None
    relative: bool


def _with_year(span: DateSpan, written_year: bool, anchor: date | None) -> DateSpan:
    """Move a year-less date to the year that puts it nearest the anchor."""
    if written_year or anchor is None:
        return span
    delta = (span.start - anchor).days
    shift = -1 if delta > 183 else 1 if delta < -183 else 0
    if not shift:
        return span
    try:
        start = span.start.replace(year=span.start.year + shift)
        end = span.end.replace(year=span.end.year + shift) if span.end else None
    except ValueError:
        return span
    return DateSpan(start, end, span.precision)


@lru_cache(maxsize=8192)
def parse_written(text: str, anchor: date | None) -> DateSpan | None:
    """A written date or range as a DateSpan; None when it cannot be read (memoised: dates recur)."""
    clean = _ORDINAL.sub(r"\1", text.replace(" of ", " ").replace(" in ", " "))
    clean = re.sub(r"(?<=\d)and\b|\band\b", "-", clean)
    written_year = bool(re.search(r"\d{4}", clean))
    try:
        span = parse_date_span(clean, default_year=anchor.year if anchor else None)
    except DateError:
        return None
    return _with_year(span, written_year, anchor)


def resolve_relative(match: re.Match, anchor: date | None, future: bool) -> DateSpan | None:
    """The day a relative expression points to, or None without an anchor date."""
    if anchor is None:
        return None
    if match.group("today"):
        return DateSpan(anchor, None, "day")
    if match.group("yesterday"):
        return DateSpan(anchor - timedelta(days=1), None, "day")
    if match.group("tomorrow"):
        return DateSpan(anchor + timedelta(days=1), None, "day")
    target = _WEEKDAYS.index(match.group("wd").lower())
    mod = (match.group("mod") or "").lower()
    back = (anchor.weekday() - target) % 7
    if mod == "last":
        back = back or 7
        return DateSpan(anchor - timedelta(days=back), None, "day")
    if mod in ("next", "coming") or future:
        ahead = (target - anchor.weekday()) % 7
        if mod == "next":
            ahead = ahead or 7
        return DateSpan(anchor + timedelta(days=ahead), None, "day")
    return DateSpan(anchor - timedelta(days=back), None, "day")


def _has_digit(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a \\d character (re's \\d is str.isdecimal): ASCII digits by a quick
    character-set search, other ones among the few non-ASCII characters."""
    if _ASCII_DIGIT.search(text, start, end) is not None:
        return True
    return not text.isascii() and any(ch.isdecimal() for ch in _NON_ASCII.findall(text, start, end))


def _written_dates(text: str, start: int, end: int):
    """_ABSOLUTE.finditer(text, start, end), trying only where a match can start (a digit or a capital
    that begins a month name) instead of at every position."""
    cursor = start
    for p in _DATE_START.finditer(text, start, end):
        at = p.start()
        if at < cursor:
            continue
        m = _ABSOLUTE.match(text, at, end)
        if m is not None:
            yield m
            cursor = m.end()


def find_dates(text: str, start: int, end: int, anchor: date | None, mask: int = -1) -> list[DateMention]:
    """Written and relative date mentions in text[start:end], in order (``mask``: the WordIndex mask of
    the sentence holding the range, when known)."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    has_digit = _has_digit(text, start, end)  # lower-casing leaves digits as they are
    if not has_digit:
        # The lower-cased mirror holds each of these words wherever text[start:end].lower() does: a cheap
        # first look before the exact one.
        low = lowered(text)
        if (
            low.find("day", start, end) < 0
            and low.find("tonight", start, end) < 0
            and low.find("tomorrow", start, end) < 0
            and low.find("this ", start, end) < 0
        ):
            return out
        piece = text[start:end].lower()
        if all(word not in piece for word in _DAY_WORDS):
            return out
    written = has_digit and (_MONTH_NAME.search(text, start, end) or _ISO_DATE.search(text, start, end))
    for m in _written_dates(text, start, end) if written else ():
        span = parse_written(m.group(0), anchor)
        if span is not None:
            out.append(DateMention(m.start(), m.end(), m.group(0), span, False))
            taken.append((m.start(), m.end()))
    future = bool(_FUTURE.search_in(mask, text, start, end))
    for m in _RELATIVE.finditer_in(mask, text, start, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.group("today") and text[m.start()] == "T" and _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue  # "Kazakhstan Today", "India Today", "Pakistan Today": a publication's name
        out.append(DateMention(m.start(), m.end(), m.group(0), resolve_relative(m, anchor, future), True))
    out.sort(key=lambda d: d.start)
    return out
