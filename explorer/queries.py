"""The data work of every page over a `Dataset`, returning DataFrames and dicts.

Every function takes the dataset and, where it applies, the `Filters`; the same function feeds
both a page's view and its download, so a download is exactly what the page shows. The page
queries select and count rows of the tables derived when the dataset was opened
(`explorer.data.Derived`) with numpy; each says in a comment the SQL it computes. The rest (one
meeting, one country, the sidebar's options, the method page) run that SQL on DuckDB.
"""

from __future__ import annotations

import csv
import hashlib
import html
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from explorer import labels
from explorer.data import (
    MEETING_COLUMNS,
    NO_DAY,
    ROOT,
    STR,
    Dataset,
    Derived,
    frame_from_arrow,
    names_sql,
    series_from_arrow,
)
from explorer.filters import Filters

ORGANISATIONS_CSV = ROOT / "data" / "reference" / "organisations.csv"
FAR_FUTURE = date(9999, 12, 31)
EPOCH = date(1970, 1, 1)


# -- shared pieces ---------------------------------------------------------------------------------
#
# The page queries (counts, tables, groupings under the filters) work on the tables `Derived` made when the
# dataset was opened: a filter becomes a boolean mask over the meetings and one over the delegation rows (numpy,
# a few milliseconds for a million rows), and the result is those rows of a ready-made frame, or their counts.
# Each function's SQL meaning is written above it; the rarely used ones (one meeting, one country, the method
# page) still run SQL.


def _meetings_cte(f: Filters) -> tuple[str, list]:
    where, params = f.meeting_where("m")
    return f"fm AS (SELECT m.* FROM meetings m WHERE {where})", params


def _delegations_cte(f: Filters) -> tuple[str, list]:
    """fm (filtered meetings) and fd (their delegation rows that match the delegation criteria)."""
    fm, params = _meetings_cte(f)
    where, dparams = f.delegation_where("d")
    return f"{fm}, fd AS (SELECT d.* FROM delegations d JOIN fm USING (meeting_id) WHERE {where})", params + dparams


class Selection:
    """The filters as masks: ``meetings`` over `Derived.meetings` (fm), ``rows`` over `Derived.delegations` (fd).

    None means every meeting (row). fm: meetings whose series and first day pass and, when there are delegation
    criteria, that an attending delegation matching all of them attended; fd: the rows of fm that match them.
    """

    def __init__(self, x: Derived, meetings: np.ndarray | None, rows: np.ndarray | None):
        self.x, self.meetings, self.rows = x, meetings, rows
        self._positions: dict[str | None, np.ndarray] = {}
        self._pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def meeting_positions(self) -> np.ndarray | None:
        """Positions of the fm meetings (None: all)."""
        return None if self.meetings is None else self.positions("meetings")

    def positions(self, flag: str | None = None) -> np.ndarray:
        """Positions of the fd rows, or of those with a `Derived` flag (``d_<flag>``); kept for the page's queries."""
        if flag not in self._positions:
            if flag == "meetings":
                self._positions[flag] = np.flatnonzero(self.meetings)
            else:
                mask = self.rows if flag is None else _rows(self.rows, getattr(self.x, "d_" + flag))
                self._positions[flag] = np.arange(len(self.x.d_mi)) if mask is None else np.flatnonzero(mask)
        return self._positions[flag]

    def participant_pairs(self, flag: str) -> tuple[np.ndarray, np.ndarray]:
        """The distinct (participant code, meeting) pairs of the fd rows with a flag; kept for the page's queries."""
        if flag not in self._pairs:
            self._pairs[flag] = _participant_pairs(self.x, self.positions(flag))
        return self._pairs[flag]


def _day(value, end: bool = False) -> int:
    """A filter date as days since 1970-01-01 (a date-time: the first whole day from it, the last day up to it)."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - datetime(1970, 1, 1)
        return delta.days if end or delta == timedelta(days=delta.days) else delta.days + 1
    return (value - EPOCH).days


def _both(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    return a if b is None else a & b


def _meeting_mask(x: Derived, f: Filters) -> np.ndarray | None:
    """Meetings whose series and first day pass (None: no such restriction)."""
    mask = None
    if f.series:
        mask = x.lookup(x.m_series, x.series_values, f.series)
    if f.date_from:
        mask = _both(mask, x.m_day >= _day(f.date_from))  # a null day is the smallest integer
    if f.date_to:
        mask = _both(mask, (x.m_day <= _day(f.date_to, end=True)) & (x.m_day != NO_DAY))
    return mask


def _criteria(x: Derived, f: Filters) -> np.ndarray | None:
    """Delegation rows that match the countries, levels and statuses (None: no criteria)."""
    mask = None
    for codes, values, chosen in (
        (x.d_participant, x.participant_values, f.countries),
        (x.d_level, x.level_values, f.levels),
        (x.d_status, x.status_values, f.statuses),
    ):
        if chosen:
            mask = _both(mask, x.lookup(codes, values, chosen))
    return mask


def select(ds: Dataset, f: Filters) -> Selection:
    """The filtered meetings and delegation rows (kept for the next query of the same page)."""
    return ds.remember(("selection", f), lambda: _select(ds.derived, f))


def _select(x: Derived, f: Filters) -> Selection:
    meetings = _meeting_mask(x, f)
    criteria = _criteria(x, f)
    if criteria is None:
        return Selection(x, meetings, None if meetings is None else meetings[x.d_mi])
    attended = np.zeros(len(x.m_day), dtype=bool)
    attended[x.d_mi[np.flatnonzero(criteria & x.d_attended)]] = True
    meetings = attended if meetings is None else meetings & attended
    return Selection(x, meetings, criteria & meetings[x.d_mi])


def _rows(sel_rows: np.ndarray | None, *flags: np.ndarray) -> np.ndarray:
    """fd rows that also have every flag."""
    out = sel_rows
    for flag in flags:
        out = flag if out is None else out & flag
    return out


def _pairs(
    x: Derived, positions: np.ndarray, key: np.ndarray, order: np.ndarray, unique: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (key, meeting) pairs of the rows at ``positions`` that have a key (>= 0), in no given order.

    With ``unique`` (no two rows share a key and a meeting) the rows are the pairs already; otherwise ``order``
    (the rows sorted by key and meeting) brings equal pairs together.
    """
    if not unique:
        mask = np.zeros(len(x.d_mi), dtype=bool)
        mask[positions] = True
        positions = order[mask[order]]
    k, m = key[positions], x.d_mi[positions]
    if len(k) and k.min() < 0:
        keep = k >= 0
        k, m = k[keep], m[keep]
    if not unique and len(k) > 1:
        first = np.empty(len(k), dtype=bool)
        first[0] = True
        np.not_equal(k[1:], k[:-1], out=first[1:])
        first[1:] |= m[1:] != m[:-1]
        k, m = k[first], m[first]
    return k, m


def _participant_pairs(x: Derived, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (participant code, meeting) pairs of the rows at ``positions``."""
    return _pairs(x, positions, x.d_participant, x.d_by_participant, x.participant_meeting_unique)


def _labels(column: pd.Series, codes: np.ndarray, values: list, mapping: dict) -> pd.Series:
    """``column.map(lambda s: labels.label(mapping, s))`` (same values and dtype), from the column's codes."""
    if column.dtype != STR:  # no value (or no row): as pandas maps it
        return column.map(lambda s: labels.label(mapping, s))
    table = pa.array([*(labels.label(mapping, v) for v in values), labels.label(mapping, np.nan)], type=pa.string())
    out = series_from_arrow(table.take(pa.array(np.where(codes < 0, len(values), codes))))
    out.index = column.index
    return out


def _mapped(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)``, calling ``fn`` once per distinct value (same values and dtype)."""
    if len(series) == 0:
        return series.map(fn)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    mapped = pd.Series(uniques).map(fn)
    return pd.Series(mapped.array.take(codes), index=series.index, name=series.name)


def _strings(values) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


def _ints(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=null, type=pa.int64())


def _dates(days: np.ndarray) -> pa.Array:
    """Days since 1970-01-01 (NO_DAY: null) as an Arrow date column."""
    days = np.asarray(days, dtype=np.int64)
    null = days == NO_DAY
    return pa.array(np.where(null, 0, days).astype(np.int32), mask=null, type=pa.date32())


def _frame(columns: dict[str, pa.Array]) -> pd.DataFrame:
    return frame_from_arrow(pa.table(columns))


def meeting_only(f: Filters) -> Filters:
    """The filters without the delegation criteria (series and dates only)."""
    return replace(f, countries=(), levels=(), statuses=())


def organisation_names() -> dict[str, str]:
    """Organisation code -> name, from data/reference/organisations.csv when present."""
    try:
        with open(ORGANISATIONS_CSV, newline="", encoding="utf-8") as fh:
            return {row["code"]: row["name"] for row in csv.DictReader(fh)}
    except (OSError, KeyError):
        return {}


def participant_names(ds: Dataset) -> dict[str, str]:
    """Code -> name for every country of the countries table and every known organisation."""
    names = organisation_names()
    names.update(dict(ds.query("SELECT iso3, name FROM countries").itertuples(index=False, name=None)))
    return names


_names_sql = names_sql


def options(ds: Dataset) -> dict:
    """The choices the sidebar offers: countries (code, name), series, levels, statuses and the date bounds."""
    countries = ds.query(
        """
        SELECT iso3, name FROM countries
        WHERE iso3 IN (SELECT participant FROM delegations) OR iso3 IN (SELECT country FROM memberships)
           OR iso3 IN (SELECT host_country FROM meetings)
        ORDER BY name
        """
    )
    present = set(ds.query("SELECT DISTINCT series FROM meetings")["series"])
    levels_present = set(ds.query("SELECT DISTINCT level FROM delegations")["level"])
    statuses_present = set(ds.query("SELECT DISTINCT status FROM delegations")["status"])
    bounds = ds.query("SELECT min(date_start) AS lo, max(coalesce(date_end, date_start)) AS hi FROM meetings")
    lo, hi = bounds.iat[0, 0], bounds.iat[0, 1]
    return {
        "countries": list(countries.itertuples(index=False, name=None)),
        "series": [s for s in labels.SERIES if s in present] + sorted(present - set(labels.SERIES)),
        "levels": [lv for lv in labels.LEVELS if lv in levels_present] + sorted(levels_present - set(labels.LEVELS)),
        "statuses": [s for s in labels.STATUSES if s in statuses_present],
        "date_min": None if pd.isna(lo) else pd.Timestamp(lo).date(),
        "date_max": None if pd.isna(hi) else pd.Timestamp(hi).date(),
    }


def count_meetings(ds: Dataset, f: Filters) -> int:
    """How many meetings pass the filters."""
    meetings = select(ds, f).meetings
    return len(ds.derived.m_day) if meetings is None else int(np.count_nonzero(meetings))


# -- overview --------------------------------------------------------------------------------------


def _distinct(codes: np.ndarray) -> int:
    """How many distinct codes (>= 0) there are."""
    codes = codes[codes >= 0]
    return int(np.count_nonzero(np.bincount(codes))) if len(codes) else 0


def headline(ds: Dataset, f: Filters) -> dict:
    """Headline numbers: meetings, delegations, countries, persons, hosts, first and last meeting."""
    # SQL: count(fm); count(fd WHERE attended); count(DISTINCT participant) of those of participant_type 'country';
    # count(DISTINCT person_id) of those; count(DISTINCT host_country) of fm; count(fm WHERE NOT verified);
    # min and max of fm.date_start.
    x, sel = ds.derived, select(ds, f)
    meetings = sel.meeting_positions()
    days = x.m_day if meetings is None else x.m_day[meetings]
    days = days[days != NO_DAY]
    attended = sel.positions("attended")
    return {
        "meetings": len(x.m_day) if meetings is None else len(meetings),
        "delegations": len(attended),
        "countries": _distinct(x.d_participant[sel.positions("attended_country")]),
        "persons": _distinct(x.d_person_id[attended]),
        "hosts": _distinct(x.m_host if meetings is None else x.m_host[meetings]),
        "unverified": int(np.count_nonzero(x.m_unverified if meetings is None else x.m_unverified[meetings])),
        "first": EPOCH + timedelta(days=int(days.min())) if len(days) else None,
        "last": EPOCH + timedelta(days=int(days.max())) if len(days) else None,
    }


LATEST_COLUMNS = ["meeting_id", "date_start", "series", "title", "city", "host", "delegations"]


def latest_meetings(ds: Dataset, f: Filters, n: int = 8) -> pd.DataFrame:
    """The ``n`` most recent meetings that pass the filters."""
    # SQL: fm's meeting_id, date_start, series, title, city, host (name), delegations (attended rows of the
    # meeting), ORDER BY date_start DESC, meeting_id LIMIT n; series as its label.
    x, sel = ds.derived, select(ds, f)
    n = max(int(n), 0)
    rows = np.arange(min(n, len(x.m_day))) if sel.meetings is None else sel.meeting_positions()[:n]
    frame = x.meetings.take(rows, LATEST_COLUMNS)
    frame["series"] = _labels(frame["series"], x.m_series[rows], x.series_values, labels.SERIES)
    return frame


def membership_on(ds: Dataset, day: date) -> pd.DataFrame:
    """Every state with an SCO status on ``day``: country, name, status, since."""
    # SQL: memberships with effective_from <= day <= coalesce(effective_to, 9999-12-31): country, name, status,
    # effective_from AS since, ORDER BY status (member, observer, dialogue partner, other), name.
    x = ds.derived
    rows = np.flatnonzero((x.ms_from <= _day(day, end=True)) & (x.ms_to >= _day(day)))
    rows = rows[np.lexsort((x.ms_name_rank[rows], x.ms_status_rank[rows]))]
    frame = x.memberships.take(rows, ["country", "name", "status", "effective_from"])
    return frame.rename(columns={"effective_from": "since"})


# -- meetings, delegations, persons (the tables and their downloads) -------------------------------


def _first(positions: np.ndarray | None, total: int, limit: int | None) -> np.ndarray | None:
    """The first ``limit`` of some positions (None: all ``total`` rows; no limit: all of them)."""
    if limit is None:
        return positions
    limit = max(int(limit), 0)
    return np.arange(min(limit, total)) if positions is None else positions[:limit]


SEARCHED = ["meeting_id", "title", "city", "host", "venue", "heads_of_delegation", "notes"]


def search_meetings(table: pd.DataFrame, search: str) -> pd.DataFrame:
    """The meetings whose id, title, place, host, heads of delegation or notes hold every word of ``search``."""
    if not search.strip() or table.empty:
        return table
    text = [table[c].astype("str").fillna("") for c in SEARCHED]
    hay = text[0].str.cat(text[1:], sep=" ").str.casefold()
    mask = pd.Series(True, index=table.index)
    for word in search.casefold().split():
        mask &= hay.str.contains(word, regex=False)
    return table[mask]


def meetings_table(ds: Dataset, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The filtered meetings, latest first: the Meetings table and the meetings download (its first ``limit``
    rows when given)."""
    # SQL: fm's meeting_id, date_start, date_end, series, mechanism, title, sequence, format, host_country, host
    # (name), city, venue, chair_country, delegations (attended rows), heads_of_delegation (HEADS_SQL), verified,
    # confidence, source_url (of source_id), source_ids, parent_meeting_id, notes, ORDER BY date_start DESC,
    # meeting_id. Derived.meetings holds every meeting so, in that order.
    x = ds.derived
    return x.meetings.take(_first(select(ds, f).meeting_positions(), len(x.meetings), limit), MEETING_COLUMNS)


def delegations_table(ds: Dataset, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The delegation rows of the filtered meetings that match the criteria: the delegations download (its first
    ``limit`` rows when given)."""
    # SQL: fd's meeting_id, fm.date_start, fm.series, fm.title AS meeting_title, participant, participant_name,
    # participant_type, status, person_id, name, title, level, role, attended, verified, confidence, source_id,
    # source_url, note, ORDER BY date_start DESC, meeting_id, role (host, head, member, other), participant, name.
    # Derived.delegations holds every row so, in that order.
    x = ds.derived
    sel = select(ds, f)
    return x.delegations.take(_first(None if sel.rows is None else sel.positions(), len(x.delegations), limit))


def table_sizes(ds: Dataset, f: Filters) -> dict[str, int]:
    """How many rows the meetings, delegations and persons tables (and downloads) of the filters have."""
    x, sel = ds.derived, select(ds, f)
    delegations = len(x.delegations) if sel.rows is None else int(np.count_nonzero(sel.rows))
    persons = x.d_person[sel.positions("has_person")]
    return {
        "meetings": count_meetings(ds, f),
        "delegations": delegations,
        "persons": int(np.count_nonzero(np.bincount(persons))) if len(persons) else 0,
    }


PERSON_COLUMNS = ["person_id", "name", "country", "country_name", "aliases"]


def _person_titles(x: Derived, keys: np.ndarray) -> np.ndarray:
    """Per person: the distinct titles of its rows (keys: person * titles + title) in ORDER BY title order,
    '; '-joined (None when it has none)."""
    n_persons, n_titles = len(x.persons), len(x.title_values)
    if n_persons * n_titles <= 50_000_000:
        keys = np.flatnonzero(np.bincount(keys, minlength=n_persons * n_titles)) if len(keys) else keys
    else:
        keys = np.unique(keys)
    titles = np.full(n_persons, None, dtype=object)
    if not len(keys):
        return titles
    owner, title = np.divmod(keys, n_titles)
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    names = np.asarray(x.title_values, dtype=object)
    if n_titles <= 62:  # each person's set of titles as bits: join once per distinct set
        sets = np.add.reduceat(np.left_shift(1, title, dtype=np.int64), starts)
        distinct, which = np.unique(sets, return_inverse=True)
        joined = np.array(
            ["; ".join(names[[t for t in range(n_titles) if s >> t & 1]]) for s in distinct], dtype=object
        )
        titles[owner[starts]] = joined[which]
        return titles
    for a, b in zip(starts, np.r_[starts[1:], len(keys)], strict=True):
        titles[owner[a]] = "; ".join(names[title[a:b]])
    return titles


def persons_table(ds: Dataset, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The persons named in the filtered delegation rows, with how often and when they appear (the first
    ``limit`` of them when given)."""
    # SQL: fd JOIN fm JOIN persons p, GROUP BY the person: person_id, name, country, country_name, aliases,
    # count(DISTINCT meeting_id) AS meetings, min/max(fm.date_start) AS first_seen/last_seen,
    # string_agg(DISTINCT fd.title, '; ' ORDER BY fd.title) AS titles, ORDER BY meetings DESC, name.
    x, sel = ds.derived, select(ds, f)
    rows = sel.positions("has_person")
    n_persons = len(x.persons)
    if x.person_meeting_unique:
        counts = np.bincount(x.d_person[rows], minlength=n_persons)
    else:
        counts = np.bincount(_pairs(x, rows, x.d_person, x.d_by_person, False)[0], minlength=n_persons)
    # First and last day of each person's rows (nulls skipped).
    days, person = x.d_day[rows], x.d_person[rows]
    big = np.iinfo(np.int64).max
    first = np.full(n_persons, big, dtype=np.int64)
    np.minimum.at(first, person, np.where(days == NO_DAY, big, days))
    first[first == big] = NO_DAY
    last = np.full(n_persons, NO_DAY, dtype=np.int64)
    np.maximum.at(last, person, days)
    titles = _person_titles(x, x.d_person_title[sel.positions("has_person_title")])
    present = np.flatnonzero(counts)
    order = _first(present[np.lexsort((x.person_name_rank[present], -counts[present]))], len(present), limit)
    head = x.persons.take(order, PERSON_COLUMNS)
    tail = _frame(
        {
            "meetings": _ints(counts[order]),
            "first_seen": _dates(first[order]),
            "last_seen": _dates(last[order]),
            "titles": _strings(titles[order]),
        }
    )
    return pd.concat([head, tail], axis=1)


# -- timeline --------------------------------------------------------------------------------------


TIMELINE_SOURCE = ["meeting_id", "date_start", "date_end", "series", "title", "place", "delegations",
                   "heads_of_delegation"]  # fmt: skip


def timeline_points(ds: Dataset, f: Filters) -> pd.DataFrame:
    """One row per filtered meeting for the timeline: date, series, place and heads of delegations."""
    # SQL: fm's meeting_id, date_start, date_end, series, title, concat_ws(', ', city, host name) AS place,
    # delegations (attended rows), HEADS_SQL AS heads, ORDER BY date_start (then meeting_id); series_label;
    # heads "no delegation rows" when null. Derived.timeline holds every meeting so, in that order.
    x, sel = ds.derived, select(ds, f)
    rows = x.m_ascending if sel.meetings is None else x.m_ascending[sel.meetings[x.m_ascending]]
    frame = x.meetings.take(rows, TIMELINE_SOURCE).rename(columns={"heads_of_delegation": "heads"})
    frame["series_label"] = _labels(frame["series"], x.m_series[rows], x.series_values, labels.SERIES)
    frame["heads"] = frame["heads"].fillna("no delegation rows")
    return frame


def membership_periods(ds: Dataset, f: Filters, today: date | None = None) -> pd.DataFrame:
    """Each state's status periods (start, end; open periods end today), for the chosen countries if any."""
    # SQL: memberships (of the chosen countries; of the chosen statuses that are membership statuses): country,
    # name, status, effective_from AS start, coalesce(effective_to, max(today, 2001-06-15)) AS end,
    # effective_to IS NULL AS current, decided_at, note, ORDER BY the country's first effective_from, name, start.
    today = today or date.today()
    end = max(today, date(2001, 6, 15))
    x = ds.derived
    ms = x.memberships.frame
    keep = np.ones(len(ms), dtype=bool)
    if f.countries:
        keep &= ms["country"].isin(f.countries).to_numpy(dtype=bool)
    membership_statuses = [s for s in f.statuses if s in labels.MEMBERSHIP_STATUSES]
    if membership_statuses:
        keep &= ms["status"].isin(membership_statuses).to_numpy(dtype=bool)
    rows = np.flatnonzero(keep)
    rows = rows[np.lexsort((x.ms_from[rows], x.ms_name_rank[rows], x.ms_first[rows]))]
    frame = x.memberships.take(
        rows, ["country", "name", "status", "effective_from", "effective_to", "decided_at", "note"]
    )
    until = frame.pop("effective_to")
    current = until.isna().to_numpy(dtype=bool)
    frame = frame.rename(columns={"effective_from": "start"})
    frame.insert(4, "end", pd.Series(np.where(current, end, until.to_numpy(dtype=object)), dtype=object))
    frame.insert(5, "current", current)
    frame["status_label"] = frame["status"].map(lambda s: labels.label(labels.STATUSES, s))
    return frame


# -- countries -------------------------------------------------------------------------------------


def country_attendance(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Per country: meetings attended, meetings it was eligible for given its status that day, and the rate."""
    # SQL: base = meetings passing the series and dates; att = DISTINCT (participant, meeting) of the attended
    # country rows of base matching the criteria; elig = DISTINCT (country, meeting) of base meetings on a day a
    # membership row (of the chosen countries and statuses) held with a status ELIGIBLE_SERIES makes eligible for
    # the meeting's series. Per country of att or elig: attended = |att|, eligible = |elig|, attended_eligible =
    # |elig ∩ att|, ORDER BY attended DESC, name; rate = attended_eligible / eligible (NaN when not eligible).
    # The attended country rows of base meetings that match the criteria are those of fd: such a row makes its
    # meeting one of fm. The Countries page's other queries share them.
    x = ds.derived
    country, meeting = select(ds, f).participant_pairs("attended_country")
    n = len(x.participant_values)
    attended = np.bincount(country, minlength=n)
    eligible = np.zeros(n, dtype=np.int64)
    attended_eligible = np.zeros(n, dtype=np.int64)
    ms = x.memberships.frame
    keep = np.ones(len(ms), dtype=bool)
    if f.countries:
        keep &= ms["country"].isin(f.countries).to_numpy(dtype=bool)
    if f.statuses:
        keep &= ms["status"].isin(f.statuses).to_numpy(dtype=bool)
    spans: dict[int, list] = {}
    for i in np.flatnonzero(keep):
        code, status = ms["country"].iat[i], ms["status"].iat[i]
        series = labels.ELIGIBLE_SERIES.get(status, ()) if isinstance(status, str) else ()
        if series and code in x.participant_codes:
            spans.setdefault(x.participant_codes[code], []).append((series, x.ms_from[i], x.ms_to[i]))
    if spans:
        # Per eligible country, the meetings it was eligible for; then its attended pairs among them.
        base = _meeting_mask(x, meeting_only(f))
        codes = np.fromiter(spans, dtype=np.int64, count=len(spans))
        grid = np.zeros((len(codes), len(x.m_day)), dtype=bool)
        for slot, code in enumerate(codes):
            for series, start, end in spans[code]:
                grid[slot] |= x.lookup(x.m_series, x.series_values, series) & (x.m_day >= start) & (x.m_day <= end)
        if base is not None:
            grid &= base
        eligible[codes] = grid.sum(axis=1)
        slot_of = np.full(n, -1, dtype=np.int64)
        slot_of[codes] = np.arange(len(codes))
        slots = slot_of[country]
        hit = slots >= 0
        hit[hit] = grid[slots[hit], meeting[hit]]
        attended_eligible = np.bincount(country[hit], minlength=n)
    seen = np.flatnonzero((attended > 0) | (eligible > 0))
    seen = seen[np.lexsort((x.participant_name_rank[seen], -attended[seen]))]
    return _frame(
        {
            "country": _strings(x.p_code[seen]),
            "name": _strings(x.p_name[seen]),
            "attended": _ints(attended[seen]),
            "eligible": _ints(eligible[seen]),
            "attended_eligible": _ints(attended_eligible[seen]),
        }
    ).assign(rate=lambda x: (x["attended_eligible"] / x["eligible"].where(x["eligible"] > 0)).astype("float64"))


def level_mix(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Per country and level: how many times its delegation was headed at that level."""
    # SQL: fd rows attended, of participant_type 'country', role host or head_of_delegation: count(*) GROUP BY
    # participant (its name) and level, ORDER BY name, level.
    x, sel = ds.derived, select(ds, f)
    n_levels = len(x.level_values) + 1  # the last one: null
    keys = x.d_participant_level[sel.positions("heads_of_countries")]
    counts = np.bincount(keys, minlength=len(x.participant_values) * n_levels)
    groups = np.flatnonzero(counts)
    country, level = np.divmod(groups, n_levels)
    order = np.lexsort((level, x.participant_name_rank[country]))
    country, level, groups = country[order], level[order], groups[order]
    level_names = np.asarray([*x.level_values, None], dtype=object)
    frame = _frame(
        {
            "country": _strings(x.p_code[country]),
            "name": _strings(x.p_name[country]),
            "level": _strings(level_names[level]),
            "delegations": _ints(counts[groups]),
        }
    )
    frame["level_label"] = _mapped(frame["level"], lambda s: labels.label(labels.LEVELS, s))
    return frame


def country_year(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Country x year: how many filtered meetings each country attended in each year."""
    # SQL: fd JOIN fm, attended rows of participant_type 'country': count(DISTINCT meeting_id) GROUP BY
    # participant (its name) and year(date_start), ORDER BY name, year.
    x, sel = ds.derived, select(ds, f)
    country, meeting = sel.participant_pairs("attended_country")
    span = x.year_slots
    counts = np.bincount(
        country.astype(np.int64) * span + x.m_year_slot[meeting], minlength=len(x.participant_values) * span
    )
    groups = np.flatnonzero(counts)
    country, slot = np.divmod(groups, span)
    order = np.lexsort((slot, x.participant_name_rank[country]))
    country, slot, groups = country[order], slot[order], groups[order]
    return _frame(
        {
            "country": _strings(x.p_code[country]),
            "name": _strings(x.p_name[country]),
            "year": _ints(slot + x.first_year, null=slot == span - 1),
            "meetings": _ints(counts[groups]),
        }
    )


PROFILE_COLUMNS = ["date_start", "meeting_id", "series", "meeting_title", "name", "title", "level", "role", "attended",
                   "status"]  # fmt: skip
HISTORY_COLUMNS = ["status", "effective_from", "effective_to", "decided_at", "note"]


def country_profile(ds: Dataset, f: Filters, iso3: str, limit: int | None = None) -> dict:
    """One country: who represented it (over time), the meetings it hosted (the first ``limit`` rows of each when
    given, and how many there are) and its status history."""
    # SQL: people = fd JOIN fm of the filters with the country as the only one: fm.date_start, meeting_id, series,
    # title AS meeting, fd.name, title, level, role, attended, status, ORDER BY date_start DESC, role (host, head,
    # other); hosted = meetings hosted by the country that pass the series and dates: date_start, meeting_id,
    # series, title, city, ORDER BY date_start DESC; history = its memberships rows: status, effective_from,
    # effective_to, decided_at, note, ORDER BY effective_from.
    x, sel = ds.derived, select(ds, replace(f, countries=(iso3,)))
    rows = sel.positions()  # the download's order: latest meeting first (by day, then id), then the role
    order = x.m_day_group[x.d_mi[rows]].astype(np.int64) * 3 + np.minimum(x.d_role_rank[rows], 2)
    rows = rows[np.argsort(order, kind="stable")]  # by day, then host, head, other, across the day's meetings
    people = x.delegations.take(_first(rows, len(rows), limit), PROFILE_COLUMNS)
    people = people.rename(columns={"meeting_title": "meeting"})
    hosts = _meeting_mask(x, meeting_only(f))
    host = x.lookup(x.m_host, x.host_values, [iso3])
    hosted = np.flatnonzero(host if hosts is None else host & hosts)
    ms = x.memberships
    mine = np.flatnonzero(ms.frame["country"].to_numpy(dtype=object, na_value=None) == iso3)
    history = ms.take(mine[np.argsort(x.ms_from[mine], kind="stable")], HISTORY_COLUMNS)
    return {
        "people": people,
        "people_rows": len(rows),
        "hosted": x.meetings.take(_first(hosted, len(hosted), limit), HOSTED_COLUMNS),
        "hosted_rows": len(hosted),
        "history": history,
    }


HOSTED_COLUMNS = ["date_start", "meeting_id", "series", "title", "city"]


# -- map -------------------------------------------------------------------------------------------


VENUE_COLUMNS = ["city", "host_country", "host", "latitude", "longitude"]
ARC_COUNTRY_COLUMNS = ["code", "country_name", "capital", "capital_lat", "capital_lon"]


def venues(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Meeting places of the filtered meetings with coordinates: city, host, count and a few titles."""
    # SQL: fm with latitude and longitude, GROUP BY city, host_country, host, latitude, longitude: count(*) AS
    # meetings, min/max(year(date_start)) AS first_year/last_year, string_agg(title, '; ' ORDER BY date_start DESC)
    # AS titles, ORDER BY meetings DESC, city.
    x, sel = ds.derived, select(ds, f)
    rows = x.venue_order  # meetings with coordinates, by venue, then latest first
    if sel.meetings is not None:
        rows = rows[sel.meetings[rows]]
    venue = x.m_venue[rows]
    starts = np.flatnonzero(np.r_[True, venue[1:] != venue[:-1]]) if len(rows) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(rows)].astype(np.int64) if len(rows) else starts
    counts = ends - starts
    years = x.m_year[rows]
    first = np.fmin.reduceat(years, starts) if len(rows) else years
    last = np.fmax.reduceat(years, starts) if len(rows) else years
    titles = []
    for a, b in zip(starts, ends, strict=True):
        parts = x.m_title[rows[a:b]]
        if x.m_title_nulls:
            parts = [t for t in parts if t is not None]
        titles.append("; ".join(parts) if len(parts) else None)
    where = x.venue_meeting[venue[starts]]  # a meeting of each venue
    order = np.lexsort((x.m_city_rank[where], -counts))
    head = x.meetings.take(where[order], VENUE_COLUMNS)
    tail = _frame(
        {
            "meetings": _ints(counts[order]),
            "first_year": _ints(np.nan_to_num(first[order]), null=np.isnan(first[order])),
            "last_year": _ints(np.nan_to_num(last[order]), null=np.isnan(last[order])),
            "titles": _strings(np.asarray(titles, dtype=object)[order] if titles else []),
        }
    )
    return pd.concat([head, tail], axis=1)


def arcs(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Journeys: from each attending country's capital to the venue of the filtered meetings, counted."""
    # SQL: fd JOIN fm JOIN countries c ON iso3 = participant, attended rows where the capital and the venue have
    # coordinates and are more than 0.01 degree apart: count(DISTINCT meeting_id) GROUP BY participant, c.name,
    # capital, capital_lat, capital_lon, fm.city, latitude, longitude, ORDER BY meetings DESC, participant, city.
    x, sel = ds.derived, select(ds, f)
    country, meeting = sel.participant_pairs("arc")
    n_places = len(x.place_meeting)
    place = x.m_place[meeting]
    counts = np.bincount(country.astype(np.int64) * n_places + place, minlength=len(x.participant_values) * n_places)
    groups = np.flatnonzero(counts)
    country, place = np.divmod(groups, n_places)
    where = x.place_meeting[place]  # a meeting at each place
    order = np.lexsort((place, x.m_city_rank[where], country, -counts[groups]))
    capitals = x.participants.take(country[order], ARC_COUNTRY_COLUMNS).rename(
        columns={"code": "country", "country_name": "name"}
    )
    places = x.meetings.take(where[order], ["city", "latitude", "longitude"])
    return pd.concat([capitals, places, _frame({"meetings": _ints(counts[groups][order])})], axis=1)


def statuses_on(ds: Dataset, day: date) -> dict[str, str]:
    """Country -> SCO status (member, observer, dialogue_partner, partner) on ``day``."""
    frame = membership_on(ds, day)
    return dict(zip(frame["country"], frame["status"], strict=True))


# -- one meeting -----------------------------------------------------------------------------------


def meeting_detail(ds: Dataset, meeting_id: str) -> dict | None:
    """One meeting: its row (as a dict), its delegation rows and its sources; None when unknown."""
    meeting = ds.query(
        f"SELECT m.*, {_names_sql('m.host_country')} AS host FROM meetings m WHERE m.meeting_id = ?", [meeting_id]
    )
    if meeting.empty:
        return None
    row = meeting.iloc[0].to_dict()
    delegations = ds.query(
        f"""
        SELECT d.participant, {_names_sql("d.participant")} AS participant_name, d.name, d.title, d.level,
               d.status, d.role, d.attended, d.verified, d.source_id, d.evidence_text, d.evidence_start,
               d.evidence_end, d.confidence, d.note, d.input_path
        FROM delegations d WHERE d.meeting_id = ?
        ORDER BY CASE d.role WHEN 'host' THEN 0 WHEN 'head_of_delegation' THEN 1 WHEN 'member' THEN 2 ELSE 3 END,
                 participant_name, d.name
        """,
        [meeting_id],
    )
    ids = [s for s in (row.get("source_ids") or "").split(";") if s]
    sources = ds.query(
        "SELECT s.* FROM sources s WHERE list_contains(?, s.source_id) ORDER BY list_position(?, s.source_id)",
        [ids, ids],
    )
    children = ds.query(
        "SELECT meeting_id, date_start, series, title FROM meetings WHERE parent_meeting_id = ? ORDER BY date_start",
        [meeting_id],
    )
    return {"meeting": row, "delegations": delegations, "sources": sources, "children": children}


def press_text(raw: Path, path: str) -> str | None:
    """The text of a press release as the build read it (the evidence offsets refer to it); None if unreadable."""
    from etl.sources import InputError
    from etl.sources.press import parse_press_bytes  # the build's own reader: the same text, the same offsets

    file = (Path(raw) / path).resolve()
    try:
        if Path(raw).resolve() not in file.parents:
            return None
        return parse_press_bytes(file.read_bytes(), path).text
    except (OSError, InputError):
        return None


PRESS_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


def press_documents(detail: dict) -> list[dict]:
    """The press releases behind a meeting: path (under the raw folder), sha256 when known, and their rows."""
    # A release is found from a source holding a stored text (sha256), from the raw file a delegation row with
    # evidence offsets came from, or from the meeting's own raw file. When a curated record cites the same url,
    # the build keeps the record's sources row (no sha256), but the rows' input_path still names the release.
    docs: dict[str, dict] = {}
    sources, delegations = detail["sources"], detail["delegations"]
    for row in sources.itertuples(index=False):
        if isinstance(row.sha256, str) and row.sha256:
            docs.setdefault(row.path, {"path": row.path, "sha256": row.sha256, "source_ids": set()})
            docs[row.path]["source_ids"].add(row.source_id)
    paths = [detail["meeting"].get("input_path")]
    if "input_path" in delegations:
        paths += list(delegations.loc[delegations["evidence_start"].notna(), "input_path"])
    for path in paths:
        if isinstance(path, str) and path.startswith("press/") and path.lower().endswith(PRESS_SUFFIXES):
            docs.setdefault(path, {"path": path, "sha256": None, "source_ids": set()})
    out = []
    for doc in docs.values():
        mine = delegations["source_id"].isin(doc["source_ids"])
        if "input_path" in delegations:
            mine |= delegations["input_path"] == doc["path"]
        out.append({"path": doc["path"], "sha256": doc["sha256"], "delegations": delegations[mine]})
    return out


def text_matches(text: str, sha256: str | None) -> bool:
    """True when the text is the one the build hashed (or no hash is known)."""
    return not sha256 or hashlib.sha256(text.encode()).hexdigest() == sha256


def evidence_spans(text: str, delegations: pd.DataFrame, source_id: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) of every delegation row's evidence in ``text``; offsets checked against the text."""
    spans = []
    rows = delegations if source_id is None else delegations[delegations["source_id"] == source_id]
    for row in rows.itertuples(index=False):
        start, end, quote = row.evidence_start, row.evidence_end, row.evidence_text
        label = f"{row.participant}: {row.name or 'unnamed'}" + (f" ({row.title})" if row.title else "")
        ok = not pd.isna(start) and not pd.isna(end) and 0 <= int(start) < int(end) <= len(text)
        if ok and (pd.isna(quote) or not quote or text[int(start) : int(end)] == quote):
            spans.append((int(start), int(end), label))
        elif isinstance(quote, str) and quote and quote in text:
            at = text.index(quote)
            spans.append((at, at + len(quote), label))
    return sorted(spans)


def highlight_html(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text as escaped HTML with the spans wrapped in <mark>; the text itself can never become markup."""
    out, pos = [], 0
    for start, end, label in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark title="{html.escape(label, quote=True)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return '<div class="press-text" style="white-space: pre-wrap; line-height: 1.5">' + "".join(out) + "</div>"


# -- data & method ---------------------------------------------------------------------------------


def row_counts(ds: Dataset) -> pd.DataFrame:
    """Rows per table."""
    from explorer.data import TABLES

    return pd.DataFrame({"table": list(TABLES), "rows": [ds.count(t) for t in TABLES]})


def rejects_by_reason(ds: Dataset) -> pd.DataFrame:
    """Rejected inputs counted by table and reason code."""
    return ds.query(
        'SELECT "table", reason_code, count(*) AS rows, min(reason) AS example FROM rejects GROUP BY ALL '
        "ORDER BY rows DESC, reason_code"
    )


def unverified(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Meetings and delegation rows not confirmed by a source that was read."""
    meetings = ds.query(
        "SELECT meeting_id, date_start, title, notes FROM meetings WHERE NOT verified ORDER BY date_start DESC"
    )
    delegations = ds.query(
        """
        SELECT d.meeting_id, m.date_start, d.participant, d.name, d.title, d.note FROM delegations d
        JOIN meetings m USING (meeting_id) WHERE NOT d.verified ORDER BY m.date_start DESC, d.participant
        """
    )
    return {"meetings": meetings, "delegations": delegations}


def coverage_gaps(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Meetings without delegation rows, and years with no summit or no heads-of-government meeting."""
    no_rows = ds.query(
        """
        SELECT m.meeting_id, m.date_start, m.series, m.title FROM meetings m
        WHERE NOT EXISTS (SELECT 1 FROM delegations d WHERE d.meeting_id = m.meeting_id)
        ORDER BY m.date_start DESC
        """
    )
    years = ds.query(
        """
        WITH span AS (SELECT min(year(date_start)) AS lo, max(year(date_start)) AS hi FROM meetings),
        ys AS (SELECT unnest(range(lo, hi + 1)) AS year FROM span WHERE lo IS NOT NULL),
        wanted(series) AS (VALUES ('heads_of_state'), ('heads_of_government'))
        SELECT ys.year, w.series FROM ys CROSS JOIN wanted w
        WHERE NOT EXISTS (SELECT 1 FROM meetings m WHERE m.series = w.series AND year(m.date_start) = ys.year)
        ORDER BY w.series, ys.year
        """
    )
    years["series"] = years["series"].map(lambda s: labels.label(labels.SERIES, s))
    no_coords = ds.query(
        "SELECT DISTINCT city, host_country FROM meetings WHERE latitude IS NULL AND city IS NOT NULL ORDER BY city"
    )
    return {"meetings_without_delegations": no_rows, "missing_years": years, "places_without_coordinates": no_coords}


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every table of the dataset, whole."""
    from explorer.data import TABLES

    return {t: ds.table(t) for t in TABLES}
