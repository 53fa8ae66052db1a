"""The shared filters: a dataclass, its URL query-parameter form, its SQL and its sentence.

Query parameters use the dataset's codes, lists as repeated parameters:
``?countries=KAZ&countries=IND&series=foreign_ministers&from=2015-01-01&to=2024-12-31``.

Meaning: a meeting passes when its series and first day pass, and, when countries, levels or
statuses are chosen, when at least one delegation that attended it matches all three at once
(for example an Indian delegation at minister level). The delegation rows shown are the rows
of the passing meetings that match those criteria (absence rows included).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from explorer import labels

PARAMS = ("countries", "from", "to", "series", "levels", "statuses")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _clean_codes(values, upper: bool = False) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and _CODE.match(part):
                part = part.upper() if upper else part.lower()
                if part not in out:
                    out.append(part)
    return tuple(out)


def parse_day(value, end: bool = False) -> date | None:
    """A date from 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (end=True: the last day of that month or year)."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            y, m = map(int, text.split("-"))
            return date(y, m, calendar.monthrange(y, m)[1]) if end else date(y, m, 1)
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar; empty fields mean no restriction."""

    countries: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    series: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            early, late = self.date_to, self.date_from
            object.__setattr__(self, "date_from", early)
            object.__setattr__(self, "date_to", late)

    # -- query parameters -------------------------------------------------------------------------

    def to_query_params(self) -> dict[str, list[str] | str]:
        """The URL form: only the fields that restrict something; lists stay lists (repeated params)."""
        out: dict[str, list[str] | str] = {}
        if self.countries:
            out["countries"] = list(self.countries)
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.series:
            out["series"] = list(self.series)
        if self.levels:
            out["levels"] = list(self.levels)
        if self.statuses:
            out["statuses"] = list(self.statuses)
        return out

    @classmethod
    def from_query_params(cls, params: Mapping) -> Filters:
        """Filters from a mapping of parameter -> value or list of values; unknown or malformed values are dropped."""

        def get(key: str) -> list[str]:
            """Every value of a parameter (st.query_params has get_all; plain dicts hold a value or a list)."""
            getter = getattr(params, "get_all", None)
            return _as_list(getter(key)) if getter is not None else _as_list(params.get(key))

        date_from = parse_day(next(iter(get("from")), None))
        date_to = parse_day(next(iter(get("to")), None), end=True)
        return cls(
            countries=_clean_codes(get("countries"), upper=True),
            date_from=date_from,
            date_to=date_to,
            series=_clean_codes(get("series")),
            levels=_clean_codes(get("levels")),
            statuses=_clean_codes(get("statuses")),
        )

    def restricted_to(
        self,
        countries=None,
        series=None,
        levels=None,
        statuses=None,
        bounds: tuple[date, date] | None = None,
    ) -> Filters:
        """The same filters with values outside the given options dropped, and dates clamped to ``bounds``."""

        def keep(values, allowed):
            """The values that are among the allowed ones (all of them when nothing is given)."""
            return values if allowed is None else tuple(v for v in values if v in set(allowed))

        date_from, date_to = self.date_from, self.date_to
        if bounds is not None:
            lo, hi = bounds
            if date_from is not None and date_from <= lo:
                date_from = None
            if date_to is not None and date_to >= hi:
                date_to = None
        return replace(
            self,
            countries=keep(self.countries, countries),
            series=keep(self.series, series),
            levels=keep(self.levels, levels),
            statuses=keep(self.statuses, statuses),
            date_from=date_from,
            date_to=date_to,
        )

    @property
    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return not self.to_query_params()

    @property
    def has_delegation_criteria(self) -> bool:
        """True when countries, levels or statuses are chosen (criteria on delegation rows)."""
        return bool(self.countries or self.levels or self.statuses)

    # -- SQL --------------------------------------------------------------------------------------

    def delegation_where(self, alias: str = "d") -> tuple[str, list]:
        """SQL condition on delegation rows (countries, levels, statuses) and its parameters."""
        parts, params = [], []
        for column, values in (("participant", self.countries), ("level", self.levels), ("status", self.statuses)):
            if values:
                parts.append(f"{alias}.{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        return (" AND ".join(parts) or "TRUE"), params

    def meeting_where(self, alias: str = "m", delegations: str = "delegations") -> tuple[str, list]:
        """SQL condition on meetings (series, dates, and an attending delegation matching the criteria)."""
        parts, params = [], []
        if self.series:
            parts.append(f"{alias}.series IN ({', '.join('?' for _ in self.series)})")
            params.extend(self.series)
        if self.date_from:
            parts.append(f"{alias}.date_start >= ?")
            params.append(self.date_from)
        if self.date_to:
            parts.append(f"{alias}.date_start <= ?")
            params.append(self.date_to)
        if self.has_delegation_criteria:
            cond, cond_params = self.delegation_where("fd")
            parts.append(
                f"EXISTS (SELECT 1 FROM {delegations} fd WHERE fd.meeting_id = {alias}.meeting_id "
                f"AND fd.attended AND {cond})"
            )
            params.extend(cond_params)
        return (" AND ".join(parts) or "TRUE"), params

    # -- words ------------------------------------------------------------------------------------

    def sentence(self, n_meetings: int | None = None, names: Mapping[str, str] | None = None) -> str:
        """A plain-English description, e.g. "Foreign ministers' meetings, Kazakhstan and India, 2015–2024: 18 meetings"."""
        names = names or {}
        if not self.series:
            head = "All meetings"
        else:
            nouns = [labels.SERIES_NOUN.get(s, s.replace("_", " ")) for s in self.series]
            head = _join(nouns) + " meetings"
            head = head[0].upper() + head[1:]
        parts = [head]
        if self.countries:
            country_names = [names.get(c, c) for c in self.countries]
            if len(country_names) > 4:
                rest = len(country_names) - 3
                parts.append(f"{', '.join(country_names[:3])} and {rest} other countries")
            else:
                parts.append(_join(country_names))
        when = self.period()
        if when:
            parts.append(when)
        if self.levels:
            parts.append(_join([labels.label(labels.LEVELS, lv).lower() for lv in self.levels], "or") + " level")
        if self.statuses:
            words = [_plural(labels.label(labels.STATUSES, s).lower()) for s in self.statuses]
            parts.append("delegations of " + _join(words))
        text = ", ".join(parts)
        if n_meetings is not None:
            text += f": {n_meetings} meeting" + ("" if n_meetings == 1 else "s")
        return text

    def period(self) -> str:
        """The date range in words: '2015–2024', 'since 2015', '3 Jul 2024 – 4 Jul 2024', or ''."""
        a, b = self.date_from, self.date_to
        whole_a = a is None or (a.month, a.day) == (1, 1)
        whole_b = b is None or (b.month, b.day) == (12, 31)
        if a and b:
            if whole_a and whole_b:
                return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
            return f"{_day(a)} – {_day(b)}"
        if a:
            return f"since {a.year}" if whole_a else f"since {_day(a)}"
        if b:
            return f"until {b.year}" if whole_b else f"until {_day(b)}"
        return ""

    def file_stem(self, table: str) -> str:
        """A file name (without extension) for a download of ``table`` under these filters."""
        parts = ["sco", table]
        if self.series:
            parts.append(
                "+".join(s.replace("_", "-") for s in self.series)
                if len(self.series) <= 3
                else f"{len(self.series)}-series"
            )
        if self.countries:
            parts.append(
                "-".join(c.lower() for c in self.countries)
                if len(self.countries) <= 4
                else f"{len(self.countries)}-countries"
            )
        when = self.period()
        if when:
            parts.append(re.sub(r"[^0-9a-z]+", "-", when.replace("–", "-").lower()).strip("-"))
        if self.levels:
            parts.append(
                "+".join(lv.replace("_", "-") for lv in self.levels)
                if len(self.levels) <= 3
                else f"{len(self.levels)}-levels"
            )
        if self.statuses:
            parts.append("+".join(s.replace("_", "-") for s in self.statuses))
        if len(parts) == 2:
            parts.append("all")
        stem = "_".join(parts)
        return re.sub(r"[^A-Za-z0-9_+.-]", "-", stem)[:150]


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%b')} {d.year}"
