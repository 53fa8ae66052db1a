"""The read side: the data work behind each page after a filter change, beside a naive pandas baseline.

For each page we time the explorer queries the page runs (uncached: every filter is new),
over a fixed list of filter changes, at the embedded and at the synthetic scale. The
baseline does what a naive app does: it keeps the full tables as pandas frames and filters
and groups them on every call.
"""

from __future__ import annotations

import time
from datetime import date

import pandas as pd

from benchmarks.common import percentiles_ms
from explorer import exports, queries
from explorer.data import open_dataset
from explorer.filters import Filters

DAY = date(2024, 7, 4)
PREVIEW = 1000  # rows the Downloads page previews (pages/_shared.py PREVIEW_ROWS)
LISTED = 1000  # rows the Countries page lists in a profile (pages/countries.py LIST_ROWS)


def countries_page(ds, f: Filters):
    """The Countries page: its charts' queries and the profile of the country its selectbox shows first."""
    attendance = queries.country_attendance(ds, f)
    codes = [*f.countries, *attendance["country"]]
    profile = queries.country_profile(ds, f, codes[0], LISTED) if codes else None
    return attendance, queries.count_meetings(ds, f), queries.level_mix(ds, f), queries.country_year(ds, f), profile


PAGE_QUERIES = {
    "overview": lambda ds, f: (queries.headline(ds, f), queries.latest_meetings(ds, f, 10), queries.membership_on(ds, DAY)),
    "timeline": lambda ds, f: (queries.timeline_points(ds, f), queries.membership_periods(ds, f, DAY)),
    "countries": countries_page,
    "map": lambda ds, f: (queries.venues(ds, f), queries.arcs(ds, f), queries.statuses_on(ds, DAY)),
    "meetings": lambda ds, f: queries.meetings_table(ds, f),
    # the page counts the rows and previews the first ones; the files are made when a button is clicked
    "downloads": lambda ds, f: (queries.table_sizes(ds, f), queries.meetings_table(ds, f, PREVIEW),
                                queries.delegations_table(ds, f, PREVIEW), queries.persons_table(ds, f, PREVIEW)),
    "downloads, whole tables": lambda ds, f: (queries.meetings_table(ds, f), queries.delegations_table(ds, f),
                                              queries.persons_table(ds, f)),
}  # fmt: skip
NAIVE_PAGE = {"downloads, whole tables": "downloads"}  # the naive baseline makes the whole tables either way


def filter_changes() -> list[Filters]:
    """The filter changes a user makes, one after the other."""
    return [
        Filters(countries=("KAZ",)),
        Filters(countries=("IND", "PAK")),
        Filters(series=("heads_of_state",)),
        Filters(series=("foreign_ministers",), countries=("RUS",)),
        Filters(date_from=date(2015, 1, 1), date_to=date(2024, 12, 31)),
        Filters(levels=("minister",)),
        Filters(statuses=("observer", "dialogue_partner")),
        Filters(countries=("CHN", "RUS"), series=("defence_ministers", "security_council_secretaries")),
        Filters(date_from=date(2005, 1, 1), date_to=date(2010, 12, 31), countries=("UZB",)),
        Filters(),
    ]


class NaiveBaseline:
    """What a naive app does: full frames in memory, filtered and grouped in pandas on every call."""

    def __init__(self, path):
        def load(table: str) -> pd.DataFrame:
            frame = pd.read_parquet(path / f"{table}.parquet")
            for col in ("date_start", "date_end", "effective_from", "effective_to"):
                if col in frame:
                    frame[col] = pd.to_datetime(frame[col])
            return frame

        self.m, self.d, self.mem, self.c = (load(t) for t in ("meetings", "delegations", "memberships", "countries"))

    def _filtered(self, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
        m = self.m
        if f.series:
            m = m[m["series"].isin(f.series)]
        if f.date_from:
            m = m[m["date_start"] >= pd.Timestamp(f.date_from)]
        if f.date_to:
            m = m[m["date_start"] <= pd.Timestamp(f.date_to)]
        d = self.d.merge(m[["meeting_id", "date_start", "series", "city", "latitude", "longitude"]], on="meeting_id")
        if f.countries:
            d = d[d["participant"].isin(f.countries)]
        if f.levels:
            d = d[d["level"].isin(f.levels)]
        if f.statuses:
            d = d[d["status"].isin(f.statuses)]
        if f.countries or f.levels or f.statuses:
            m = m[m["meeting_id"].isin(d["meeting_id"])]
        return m, d

    def page(self, name: str, f: Filters):
        m, d = self._filtered(f)
        if name == "overview":
            return (len(m), d["participant"].nunique(), m.sort_values("date_start").tail(10),
                    self.mem[(self.mem["effective_from"] <= pd.Timestamp(DAY))])  # fmt: skip
        if name == "timeline":
            heads = (
                d[d["role"].isin(["head_of_delegation", "host"])]
                .groupby("meeting_id")["name"]
                .agg(lambda s: ", ".join(s.dropna()))
            )
            return m.merge(heads, on="meeting_id", how="left"), self.mem.copy()
        if name == "countries":
            attended = d.groupby("participant")["meeting_id"].nunique()
            eligible = self.mem[self.mem["status"] == "member"].merge(self.m[["meeting_id", "date_start"]], how="cross")
            eligible = eligible[eligible["date_start"] >= eligible["effective_from"]].groupby("country").size()
            mix = d.groupby(["participant", "level"]).size()
            year = d.assign(year=d["date_start"].dt.year).groupby(["participant", "year"]).size()
            return attended, eligible, mix, year
        if name == "map":
            venues = m.groupby(["city", "latitude", "longitude"]).size()
            arcs = d.merge(self.c, left_on="participant", right_on="iso3").groupby(
                ["participant", "city", "latitude", "longitude", "capital_lat", "capital_lon"]).size()  # fmt: skip
            return venues, arcs
        if name == "meetings":
            return m.sort_values("date_start", ascending=False)
        if name == "downloads":
            persons = d.groupby("person_id").agg(n=("meeting_id", "nunique"), first=("date_start", "min"))
            return m, d, persons
        raise KeyError(name)


def time_pages(path, repeats: int = 3) -> dict[str, dict[str, float]]:
    """p50/p95 (ms) of each page's data work after a filter change, explorer vs the naive baseline."""
    ds = open_dataset(path)
    naive = NaiveBaseline(path)
    out = {}
    for page, work in PAGE_QUERIES.items():
        ours, base = [], []
        for _ in range(repeats):
            for f in filter_changes():
                start = time.perf_counter()
                work(ds, f)
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                naive.page(NAIVE_PAGE.get(page, page), f)
                base.append(time.perf_counter() - start)
        p50, p95 = percentiles_ms(ours)
        b50, b95 = percentiles_ms(base)
        out[page] = {"p50": p50, "p95": p95, "naive_p50": b50, "naive_p95": b95, "ratio": b50 / p50}
    return out


def time_exports(path) -> dict[str, float]:
    """Seconds to produce the filtered delegations download (all rows) as CSV and as Parquet."""
    ds = open_dataset(path)
    frame = queries.delegations_table(ds, Filters())
    out = {"rows": len(frame)}
    for name, fn in (("csv", exports.to_csv_bytes), ("parquet", exports.to_parquet_bytes)):
        start = time.perf_counter()
        data = fn(frame)
        out[f"{name}_seconds"] = time.perf_counter() - start
        out[f"{name}_mib"] = len(data) / 2**20
    return out
