"""Open the built dataset: its DuckDB file attached read-only, and what the page queries filter on, derived once.

The folder is $SCO_DATA_DIR, or data/processed. The build's ``sco.duckdb`` is attached read-only and each table is
a view over it, so DuckDB reads blocks from disk as queries need them instead of holding a copy of every table;
the file stays open while attached, so a rebuild that swaps data/processed (and removes the old folder) under a
running app never breaks a query. A folder without that file has its Parquet tables copied into memory.
`dataset_version` tells callers when to open the dataset again. A missing folder or a missing table gives empty
tables with the contract's columns, and `Dataset.message` says what to do.

Opening also derives, once, what the page queries filter on every call (`Derived`): the meetings joined with their
host's name, delegation count and heads of delegation, in the Meetings table's order; the delegation rows in the
delegations download's order, held as integer codes (the meeting's position, the participant's code, codes into
the sorted distinct values of the other text columns), a few bytes a row. The page queries (explorer.queries)
select rows with numpy masks instead of joining and sorting a million rows per call. Frames come back with the
dtypes DuckDB's ``.df()`` gives (see `frame_from_arrow`).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("meetings", "delegations", "persons", "countries", "memberships", "sources", "rejects")
MANIFEST = "manifest.json"
DUCKDB_FILE = "sco.duckdb"  # the build's DuckDB file, holding every table
BUILT = "built"  # the name it is attached under
MISSING_MESSAGE = (
    "No dataset found at `{path}`. Build it with `make data` (or `.venv/bin/python -m etl build`), "
    "then reload this page."
)
EMPTY_MESSAGE = "The dataset at `{path}` holds no meetings yet. Add records under data/raw and run `make data`."


def data_dir() -> Path:
    """The dataset folder: $SCO_DATA_DIR, else data/processed."""
    value = os.environ.get("SCO_DATA_DIR")
    return Path(value).expanduser() if value else ROOT / "data" / "processed"


def raw_dir() -> Path:
    """The raw input folder press releases are read from: $SCO_RAW_DIR, else data/raw."""
    value = os.environ.get("SCO_RAW_DIR")
    return Path(value).expanduser() if value else ROOT / "data" / "raw"


def dataset_version(path: Path | None = None) -> str:
    """A string that changes whenever the dataset at ``path`` is rebuilt (its real path and manifest)."""
    path = Path(path or data_dir())
    if not path.exists():
        return f"missing:{path}"
    manifest = path / MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
        digest = json.loads(manifest.read_text()).get("inputs_sha256", "")
    except (OSError, ValueError):
        stamp, digest = 0, ""
    return f"{path.resolve()}:{stamp}:{digest}"


def _empty_table_sql(table: str) -> str:
    from etl.schema import TABLES as CONTRACT  # the contract; only needed when a table file is missing

    types = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE"}
    cols = ", ".join(f'"{c.name}" {types[c.kind]}' for c in CONTRACT[table])
    return f'CREATE TABLE "{table}" ({cols})'


# -- DuckDB results as pandas frames ---------------------------------------------------------------

# The text dtype DuckDB's .df() gives a VARCHAR column that holds at least one value (pandas' default "str").
STR = pd.StringDtype("pyarrow", na_value=np.nan)
_INTS = {pa.int8(), pa.int16(), pa.int32(), pa.int64()}
_MASKED = (pd.Int64Dtype, pd.Int32Dtype, pd.Int16Dtype, pd.Int8Dtype, pd.BooleanDtype)
# The SQL types `frame_from_arrow` converts; a result with another type goes through DuckDB's own .df().
FAST_TYPES = {"VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "BOOLEAN", "DOUBLE", "FLOAT", "DATE"}


class _Unsupported(TypeError):
    pass


def _series(col: pa.ChunkedArray | pa.Array) -> pd.Series:
    """One column as DuckDB's .df() (and our DATE rule) gives it; see `frame_from_arrow`."""
    n, t, nulls = len(col), col.type, col.null_count
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        if nulls == n:  # no value at all (or no row): DuckDB gives object Nones
            return pd.Series(np.full(n, None, dtype=object), dtype=object)
        out = col.to_pandas()
        if out.dtype != STR:  # pragma: no cover - another pandas or pyarrow would map strings differently
            raise _Unsupported(str(out.dtype))
        return out
    if t in _INTS or pa.types.is_boolean(t):
        if not nulls:
            return pd.Series(col.to_numpy(zero_copy_only=False))
        values = col.fill_null(False if pa.types.is_boolean(t) else 0).to_numpy(zero_copy_only=False)
        mask = col.is_null().to_numpy(zero_copy_only=False)
        array = pd.arrays.BooleanArray(values, mask) if pa.types.is_boolean(t) else pd.arrays.IntegerArray(values, mask)
        return pd.Series(array)
    if pa.types.is_float64(t) or pa.types.is_float32(t):
        return pd.Series(col.to_numpy(zero_copy_only=False))
    if pa.types.is_date32(t):
        if not n:
            return pd.Series([], dtype=object)
        return pd.Series(col.to_pandas(date_as_object=True).to_numpy(dtype=object), dtype=object)
    raise _Unsupported(str(t))


def _frame_of(columns: dict) -> pd.DataFrame:
    """A frame of these columns (Series or arrays of one length), as they are: pandas builds it from their arrays
    twice as fast as from Series, which it would align on their indexes first."""

    def values(column):
        if not isinstance(column, pd.Series):
            return column
        return column.to_numpy(copy=False) if isinstance(column.dtype, np.dtype) else column.array

    return pd.DataFrame({name: values(column) for name, column in columns.items()}, copy=False)


def series_from_arrow(column: pa.Array | pa.ChunkedArray) -> pd.Series:
    """One Arrow column as DuckDB's .df() would give it (see `frame_from_arrow`)."""
    return _series(column)


def frame_from_arrow(table: pa.Table) -> pd.DataFrame:
    """The frame DuckDB's ``.df()`` gives for these rows, with DATE columns as datetime.date (None when null).

    DuckDB's rules: VARCHAR is pandas' "str" dtype, or object Nones when the column holds no value (or no row);
    integers and booleans are numpy dtypes, or the nullable Int64/boolean ones when a value is null; DOUBLE is
    float64 (NaN for null). The string columns stay Arrow-backed, so this costs little even for a million rows.
    """
    names = table.column_names
    if len(set(names)) != len(names):
        raise _Unsupported("duplicate column names")
    frame = _frame_of({name: _series(col) for name, col in zip(names, table.columns, strict=True)})
    if not names:
        frame.index = pd.RangeIndex(table.num_rows)
    return frame


class Table:
    """Columns ready to take rows from: a `frame_from_arrow` frame's, or columns added without a frame.

    Text columns are Arrow arrays; a text column whose values repeat also keeps integer codes into its distinct
    values (`encode`), as taking scattered rows from a small array of values is faster than from the whole
    column. A run of rows (all of them, or a period of the meetings) is a zero-copy slice. Other columns are numpy
    arrays (values and mask for nullable integers and booleans). A table without a frame (`add_coded`,
    `add_values`) holds only codes into arrays of values, a few bytes a row; taking its rows builds them. Taking
    rows gives the frame DuckDB would give for them (see `frame_from_arrow`).
    """

    def __init__(self, frame: pd.DataFrame | None = None, rows: int = 0):
        self.frame = frame
        self.rows = len(frame) if frame is not None else rows
        self.names: list[str] = []
        self.columns: dict[str, tuple[str, object]] = {}
        for name in [] if frame is None else frame.columns:
            col = frame[name]
            if col.dtype == STR:
                self._add(name, "text", (pa.array(col.array), None, None))
            elif isinstance(col.dtype, np.dtype):
                self._add(name, "numpy", col.to_numpy())
            elif isinstance(col.dtype, _MASKED):
                values = col.to_numpy(dtype=col.dtype.numpy_dtype, na_value=col.dtype.numpy_dtype.type(0))
                self._add(name, "masked", (values, col.isna().to_numpy(), type(col.array)))
            else:  # pragma: no cover - frame_from_arrow makes no other dtype
                raise _Unsupported(str(col.dtype))

    def _add(self, name: str, kind: str, data) -> None:
        if name not in self.columns:
            self.names.append(name)
        self.columns[name] = (kind, data)

    def add_coded(self, name: str, codes: np.ndarray, values: pa.Array | np.ndarray) -> None:
        """A column without a frame behind it: row i is ``values[codes[i]]`` (code -1: null). Text values are an
        Arrow array; other values (dates as objects) a numpy array."""
        null = pa.nulls(1, values.type) if isinstance(values, pa.Array) else np.array([None], dtype=object)
        values = pa.concat_arrays([values, null]) if isinstance(values, pa.Array) else np.concatenate([values, null])
        self._add(name, "coded", (codes, values))

    def add_values(self, name: str, column: pa.Array | pa.ChunkedArray) -> None:
        """A column without a frame behind it: an Arrow column of booleans or numbers, kept as numpy."""
        if pa.types.is_floating(column.type):
            self._add(name, "numpy", column.to_numpy(zero_copy_only=False))
            return
        fill = False if pa.types.is_boolean(column.type) else 0
        values = column.fill_null(fill).to_numpy(zero_copy_only=False)
        if not column.null_count:
            self._add(name, "numpy", values)
            return
        array = pd.arrays.BooleanArray if pa.types.is_boolean(column.type) else pd.arrays.IntegerArray
        self._add(name, "masked", (values, column.is_null().to_numpy(zero_copy_only=False), array))

    def encode(self, name: str, codes: np.ndarray | None = None, values: pa.Array | None = None) -> None:
        """Keep codes for a text column: ``values[codes]`` (given), or its distinct values when they are few."""
        kind, data = self.columns[name]
        if kind != "text":
            return
        column = data[0]
        if codes is None:
            if len(column) < 1024:
                return
            encoded = column.dictionary_encode()
            if len(encoded.dictionary) * 4 > len(column):
                return
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
            values = encoded.dictionary
        if len(codes) and codes.min() < 0:  # a null: a code for a null value added at the end
            codes = np.where(codes < 0, len(values), codes).astype(codes.dtype)
            values = pa.concat_arrays([values, pa.nulls(1, values.type)])
        self.columns[name] = ("text", (column, codes, values))

    def __len__(self) -> int:
        return self.rows

    def take(self, rows: np.ndarray | None, names: list[str] | None = None) -> pd.DataFrame:
        """The rows (positions, in that order; None: all) of these columns, with the dtypes DuckDB would give them."""
        names = self.names if names is None else list(names)
        if rows is not None:
            rows = np.asarray(rows, dtype=np.intp)
            if len(rows) and rows[-1] - rows[0] + 1 == len(rows) and (np.diff(rows) == 1).all():
                start, n = int(rows[0]), len(rows)
                if start or n != self.rows:
                    return self._build(slice(start, start + n), n, names)
                rows = None
        if rows is None and self.frame is not None:
            return self.frame.copy(deep=False) if names == self.names else self.frame[names]
        if rows is None:
            return self._build(slice(0, self.rows), self.rows, names)
        return self._build(rows, len(rows), names)

    def _build(self, rows: np.ndarray | slice, n: int, names: list[str]) -> pd.DataFrame:
        run = isinstance(rows, slice)
        index = None if run else pa.array(rows, type=pa.int64())
        sparse = not run and n * 3 < self.rows  # a dense selection reads the whole column about in order
        out = {}
        for name in names:
            kind, data = self.columns[name]
            if kind == "text":
                column, codes, values = data
                if run:
                    out[name] = _series(column.slice(rows.start, n))
                elif codes is not None and sparse:
                    out[name] = _series(values.take(pa.array(codes[rows])))
                else:
                    out[name] = _series(column.take(index))
            elif kind == "coded":
                codes, values = data
                picked = codes[rows]
                if len(picked) and picked.min() < 0:  # a null: the value added at the end
                    picked = np.where(picked < 0, len(values) - 1, picked)
                if isinstance(values, pa.Array):
                    out[name] = _series(values.take(pa.array(picked)))
                else:
                    out[name] = pd.Series(values.take(picked), dtype=object)
            elif kind == "numpy":
                out[name] = data[rows].copy() if run else data.take(rows)
            else:  # masked
                values, mask, array = data
                values, mask = values[rows], mask[rows]
                out[name] = array(values.copy(), mask.copy()) if mask.any() else values.copy()
        frame = _frame_of({name: out[name] for name in names})
        frame.index = pd.RangeIndex(n)
        return frame


# -- derived tables --------------------------------------------------------------------------------


def names_sql(column: str) -> str:
    """SQL: the country name of a code, or the code itself (organisations)."""
    return f"coalesce((SELECT c.name FROM countries c WHERE c.iso3 = {column}), {column})"


# What `Derived._heads` computes, as SQL (the page queries' comments refer to it).
HEADS_SQL = """
    (SELECT string_agg(coalesce((SELECT c.name FROM countries c WHERE c.iso3 = h.participant), h.participant)
                       || ': ' || coalesce(h.name, 'unnamed') || coalesce(' (' || h.title || ')', ''),
                       '; ' ORDER BY h.participant)
     FROM delegations h
     WHERE h.meeting_id = {alias}.meeting_id AND h.attended AND h.role IN ('host', 'head_of_delegation'))
"""
ROLE_ORDER = {"host": 0, "head_of_delegation": 1, "member": 2}  # then any other role, and none
# The delegations download's order after the meeting, the role and the participant.
SORT_TAIL = ("name", "person_id", "title", "level", "source_id")
NO_DAY = np.iinfo(np.int64).min  # a null date as days since 1970-01-01

# The columns of the Meetings table (and its download), then the other per-meeting columns the pages use.
MEETING_COLUMNS = [
    "meeting_id", "date_start", "date_end", "series", "mechanism", "title", "sequence", "format", "host_country",
    "host", "city", "venue", "chair_country", "delegations", "heads_of_delegation", "verified", "confidence",
    "source_url", "source_ids", "parent_meeting_id", "notes",
]  # fmt: skip
# The columns of the delegations download.
DELEGATION_COLUMNS = [
    "meeting_id", "date_start", "series", "meeting_title", "participant", "participant_name", "participant_type",
    "status", "person_id", "name", "title", "level", "role", "attended", "verified", "confidence", "source_id",
    "source_url", "note",
]  # fmt: skip

# Every meeting, latest first, with the Meetings table's columns but the two `Derived` counts from the delegations.
_MEETINGS_SQL = f"""
    SELECT m.meeting_id, m.date_start, m.date_end, m.series, m.mechanism, m.title, m.sequence, m.format,
           m.host_country, {names_sql("m.host_country")} AS host, m.city, m.venue, m.chair_country,
           m.verified, m.confidence, s.url AS source_url,
           m.source_ids, m.parent_meeting_id, m.notes,
           concat_ws(', ', m.city, {names_sql("m.host_country")}) AS place,
           m.latitude, m.longitude, year(m.date_start) AS year,
           m.date_start - DATE '1970-01-01' AS _day,
           m.verified = false AS _unverified
    FROM meetings m
    LEFT JOIN (SELECT DISTINCT ON (source_id) source_id, url FROM sources) s ON s.source_id = m.source_id
    ORDER BY m.date_start DESC, m.meeting_id
"""
# Every participant code (delegations and memberships), sorted, with its name and its country's capital.
_PARTICIPANTS_SQL = """
    SELECT p.code, coalesce(c.name, p.code) AS name, c.name AS country_name, c.capital, c.capital_lat, c.capital_lon
    FROM (SELECT participant AS code FROM delegations WHERE participant IS NOT NULL
          UNION SELECT country FROM memberships WHERE country IS NOT NULL) p
    LEFT JOIN countries c ON c.iso3 = p.code
    ORDER BY p.code
"""
_PERSONS_SQL = f"""
    SELECT p.person_id, p.name, p.country, {names_sql("p.country")} AS country_name, p.aliases
    FROM persons p ORDER BY p.person_id
"""
_MEMBERSHIPS_SQL = f"""
    SELECT ms.country, {names_sql("ms.country")} AS name, ms.status, ms.effective_from, ms.effective_to,
           ms.decided_at, ms.note,
           ms.effective_from - DATE '1970-01-01' AS _from,
           coalesce(ms.effective_to, DATE '9999-12-31') - DATE '1970-01-01' AS _to,
           (SELECT min(x.effective_from) FROM memberships x WHERE x.country = ms.country) - DATE '1970-01-01' AS _first
    FROM memberships ms
"""
MEMBERSHIP_ORDER = {"member": 0, "observer": 1, "dialogue_partner": 2}  # then any other status


def _groups(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """A code per row for its values of ``columns`` (as GROUP BY groups them: nulls together)."""
    if not len(frame):
        return np.zeros(0, dtype=np.int64)
    return frame.groupby(columns, dropna=False, sort=False).ngroup().to_numpy(dtype=np.int64)


def _dictionary(column: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """A text column as codes (int32, -1 for null) into its distinct values, sorted as ORDER BY sorts them."""
    encoded = column.dictionary_encode()
    order = pc.array_sort_indices(encoded.dictionary)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order.to_numpy()] = np.arange(len(order), dtype=np.int32)
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    if len(rank):
        indices = np.where(indices < 0, -1, rank[np.maximum(indices, 0)])
    return indices, encoded.dictionary.take(order)


def _read(con: duckdb.DuckDBPyConnection, column: str) -> pa.Array:
    """One column of the delegations table, in the table's order."""
    return con.sql(f'SELECT "{column}" FROM delegations').to_arrow_table().column(0).combine_chunks()


def _coded(values: pa.Array, codes: np.ndarray, rows: np.ndarray | None = None) -> pa.Array:
    """``values[codes[rows]]``, null where the code is -1."""
    picked = codes if rows is None else codes[rows]
    if not len(values):
        return pa.nulls(len(picked), values.type)
    return values.take(pa.array(np.maximum(picked, 0), mask=picked < 0))


def _flag(coded: tuple[np.ndarray, pa.Array], value: str) -> np.ndarray:
    """Rows whose coded text equals ``value`` (never a null)."""
    codes, values = coded
    hits = [i for i, v in enumerate(values.to_pylist()) if v == value]
    return codes == hits[0] if hits else np.zeros(len(codes), dtype=bool)


class Derived:
    """What the page queries filter on every call, derived once when the dataset is opened.

    ``meetings``: every meeting in the Meetings table's order (latest first, then id), with the table's columns and
    place, latitude, longitude and year; ``delegations``: every delegation row of a known meeting, in the download's
    order (latest meeting first, host, heads, members, then participant and name), with the download's columns. The
    ``m_*`` and ``d_*`` arrays are their filter and grouping columns as numpy arrays; ``d_mi`` is the position of a
    row's meeting in ``meetings``. Codes index sorted lists of the values (so code order is SQL's ORDER BY order),
    -1 for null.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        def fetch(sql: str) -> pd.DataFrame:
            return frame_from_arrow(con.sql(sql).to_arrow_table().combine_chunks())  # one chunk: faster takes

        m = fetch(_MEETINGS_SQL)
        # Participants: code, name, country_name, capital, capital_lat, capital_lon; a code is a row's position.
        p = fetch(_PARTICIPANTS_SQL)
        persons = fetch(_PERSONS_SQL)  # row = person code
        text = self._delegation_codes(con, m, p, persons)
        # Per meeting: its attending delegations and its heads of delegation (HEADS_SQL), from those codes.
        at = m.columns.get_loc("chair_country") + 1
        m.insert(at, "delegations", np.bincount(self.d_mi[self.d_attended], minlength=len(m)).astype(np.int64))
        m.insert(at + 1, "heads_of_delegation", _series(self._heads(p, text, len(m))))
        codes, values = pd.factorize(m["series"], sort=True)
        self.m_series, self.series_values = codes.astype(np.int64), list(values)
        self.m_day = m.pop("_day").to_numpy(dtype=np.int64, na_value=NO_DAY)
        # Meetings of the same first day (they are neighbours, latest day first, no day last) share a number.
        self.m_day_group = np.cumsum(np.r_[True, self.m_day[1:] != self.m_day[:-1]]) - 1 if len(m) else self.m_day
        self.m_unverified = m.pop("_unverified").fillna(False).to_numpy(dtype=bool)
        codes, values = pd.factorize(m["host_country"])
        self.m_host, self.host_values = codes.astype(np.int64), list(values)
        # Venues (city, host, coordinates) and places (city, coordinates) as groups of meetings, -1 without them.
        located = (m["latitude"].notna() & m["longitude"].notna()).to_numpy()
        self.m_venue = np.where(located, _groups(m, ["city", "host_country", "latitude", "longitude"]), -1)
        self.m_place = np.where(m["latitude"].notna().to_numpy(), _groups(m, ["city", "latitude", "longitude"]), -1)
        self.m_year = m["year"].to_numpy(dtype="float64", na_value=np.nan)
        # Years as slots 0.. from the first year; the last slot is a null year.
        known = ~np.isnan(self.m_year)
        self.first_year = int(self.m_year[known].min()) if known.any() else 0
        self.year_slots = (int(self.m_year[known].max()) - self.first_year + 2) if known.any() else 1
        slots = np.where(known, np.nan_to_num(self.m_year) - self.first_year, self.year_slots - 1)
        self.m_year_slot = slots.astype(np.int64)
        self.m_title = m["title"].to_numpy(dtype=object, na_value=None)
        self.m_title_nulls = bool(m["title"].isna().any())
        self.m_city_rank = self._rank(m["city"].to_numpy(dtype=object, na_value=None))  # ORDER BY city
        self.meetings = Table(m)
        n = len(m)
        # The timeline's order: earliest first, then id.
        ids = m["meeting_id"].to_numpy(dtype=object, na_value="")
        day_last = np.where(self.m_day == NO_DAY, np.iinfo(np.int64).max, self.m_day)  # nulls last
        self.m_ascending = np.lexsort((self._id_rank(ids), day_last)) if n else np.zeros(0, dtype=np.int64)

        # Where each venue (city, host, coordinates) and each place (city, coordinates) is: one meeting of it.
        self.venue_meeting = self._first_of(self.m_venue)
        with_venue = np.flatnonzero(self.m_venue >= 0)
        self.venue_order = with_venue[np.argsort(self.m_venue[with_venue], kind="stable")]
        self.place_meeting = self._first_of(self.m_place)

        self.participants = Table(p)
        self.participant_values = list(p["code"])
        self.participant_codes = {code: i for i, code in enumerate(self.participant_values)}
        self.p_code = p["code"].to_numpy(dtype=object, na_value=None)
        self.p_name = p["name"].to_numpy(dtype=object, na_value=None)
        # Sort rank of each participant's name (ORDER BY name), ties by code.
        self.participant_name_rank = self._rank(p["name"].to_numpy(dtype=object, na_value=None))

        self.delegations = self._delegations_table(con, p, text)
        # Rows in (participant, meeting) and (person, meeting) order: distinct pairs are then neighbours.
        self.d_by_participant = np.lexsort((self.d_mi, self.d_participant))
        self.d_by_person = np.lexsort((self.d_mi, self.d_person))

        self.person_name_rank = self._rank(persons["name"].to_numpy(dtype=object, na_value=None))
        self.persons = Table(persons)
        ms = fetch(_MEMBERSHIPS_SQL)
        big = np.iinfo(np.int64).max  # a null day sorts last and never passes a comparison
        self.ms_from = ms.pop("_from").to_numpy(dtype=np.int64, na_value=big)
        self.ms_to = ms.pop("_to").to_numpy(dtype=np.int64, na_value=NO_DAY)
        self.ms_first = ms.pop("_first").to_numpy(dtype=np.int64, na_value=big)
        self.ms_name_rank = self._rank(ms["name"].to_numpy(dtype=object, na_value=None))
        status = ms["status"].to_numpy(dtype=object, na_value=None)
        self.ms_status_rank = np.array([MEMBERSHIP_ORDER.get(s, 3) for s in status], dtype=np.int64)
        self.memberships = Table(ms)  # country, name, status, effective_from, effective_to, decided_at, note

        # Flags the page queries combine, and whether a participant (a person) has at most one row per meeting.
        self.d_attended_country = self.d_attended & self.d_country
        self.d_heads_of_countries = self.d_attended_country & self.d_head & (self.d_participant >= 0)
        self.d_has_person = self.d_person >= 0
        self.d_has_person_title = self.d_has_person & (self.d_title >= 0)
        self.d_day = self.m_day[self.d_mi]
        n_levels = len(self.level_values) + 1  # the last slot: a null level
        self.d_participant_level = self.d_participant * n_levels + np.where(
            self.d_level < 0, n_levels - 1, self.d_level
        )
        self.d_person_title = np.where(
            self.d_title >= 0, self.d_person * max(len(self.title_values), 1) + self.d_title, -1
        )
        # Codes read per filter fit in 32 bits (positions stay 64-bit: numpy indexes with those without a copy).
        if len(self.d_mi) < 2**31 and len(self.participant_values) * n_levels < 2**31:
            for name in ("d_participant", "d_level", "d_status", "d_title", "d_person_id", "d_person",
                         "d_participant_level"):  # fmt: skip
                setattr(self, name, getattr(self, name).astype(np.int32, copy=False))
        self.participant_meeting_unique = self._unique_pairs(self.d_by_participant, self.d_participant)
        self.person_meeting_unique = self._unique_pairs(self.d_by_person, self.d_person)
        pa.default_memory_pool().release_unused()  # the fetched tables' memory, back to the system

    def _delegation_codes(self, con, m: pd.DataFrame, p: pd.DataFrame, persons: pd.DataFrame) -> dict:
        """The delegation rows of known meetings, in the download's order, as codes (the ``d_*`` arrays); returns
        the other text columns as (codes, sorted distinct values) for `_delegations_table`.

        Each column is read on its own (in the table's order) and kept as codes into its distinct values, so a
        million rows cost a few bytes each: the meeting's columns come through the meeting's position (``d_mi``),
        the participant's through its code, the others through sorted lists of their distinct values.
        """

        def where(values: pa.Array, keys: pd.Series) -> np.ndarray:
            """The position of each value among ``keys`` (its first; -1: none), then -1 for the null code."""
            at = pd.Series(np.arange(len(keys)), index=keys.to_numpy(dtype=object, na_value=None))
            found = at[~at.index.duplicated()].reindex(values.to_pylist()).fillna(-1).to_numpy(dtype=np.int64)
            return np.append(found, -1)

        codes, ids = _dictionary(_read(con, "meeting_id"))
        mi = where(ids, m["meeting_id"])[codes]  # -1: a row of an unknown meeting, left out
        codes, values = _dictionary(_read(con, "participant"))
        participant = where(values, p["code"])[codes]
        text = {}  # name -> (codes, sorted distinct values)
        for name in ("participant_type", "status", "person_id", "name", "title", "level", "role", "source_id", "note"):
            text[name] = _dictionary(_read(con, name))
        # ORDER BY the meeting's position, role (host, head, member, other), participant, name, person_id, title,
        # level, source_id; nulls last.
        role_codes, roles = text["role"]
        role_rank = np.array([ROLE_ORDER.get(v, 3) for v in roles.to_pylist()] + [3], dtype=np.int8)[role_codes]
        keys = [np.where(c < 0, np.iinfo(np.int32).max, c) for c, _ in (text[k] for k in SORT_TAIL)]
        kept = np.flatnonzero(mi >= 0)
        order = kept[
            np.lexsort(
                [k[kept] for k in keys[::-1]]
                + [np.where(participant < 0, np.iinfo(np.int64).max, participant)[kept], role_rank[kept], mi[kept]]
            )
        ]
        self.d_order = order  # the rows' positions in the table
        self.d_mi = mi[order]
        self.d_participant = participant[order].astype(np.int32)
        self.d_role_rank = role_rank[order]  # host 0, head of delegation 1, member 2, other 3
        text = {name: (c[order], v) for name, (c, v) in text.items()}
        self.d_level, self.level_values = text["level"][0], text["level"][1].to_pylist()
        self.d_status, self.status_values = text["status"][0], text["status"][1].to_pylist()
        self.d_title, self.title_values = text["title"][0], text["title"][1].to_pylist()
        self.d_person_id = text["person_id"][0]
        self.d_person = where(text["person_id"][1], persons["person_id"])[self.d_person_id].astype(np.int32)
        self.d_attended = _read(con, "attended").take(pa.array(order)).fill_null(False).to_numpy(zero_copy_only=False)
        self.d_country = _flag(text["participant_type"], "country")
        self.d_head = _flag(text["role"], "host") | _flag(text["role"], "head_of_delegation")
        # A journey to draw: the capital and the venue have coordinates and are more than 0.01 degree apart.
        capital_lat = np.append(p["capital_lat"].to_numpy(dtype="float64", na_value=np.nan), np.nan)
        capital_lon = np.append(p["capital_lon"].to_numpy(dtype="float64", na_value=np.nan), np.nan)
        venue_lat = m["latitude"].to_numpy(dtype="float64", na_value=np.nan)[self.d_mi]
        venue_lon = m["longitude"].to_numpy(dtype="float64", na_value=np.nan)[self.d_mi]
        lat, lon = capital_lat[self.d_participant], capital_lon[self.d_participant]
        with np.errstate(invalid="ignore"):
            apart = (np.abs(lat - venue_lat) > 0.01) | (np.abs(lon - venue_lon) > 0.01)
        self.d_arc = self.d_attended & ~np.isnan(lat) & ~np.isnan(venue_lat) & apart
        return text

    def _heads(self, p: pd.DataFrame, text: dict, n_meetings: int) -> pa.Array:
        """Per meeting, HEADS_SQL: its attending hosts and heads of delegation as 'participant name: person name
        (title)', ordered by participant code and joined with '; ' (null when it has none)."""
        rows = np.flatnonzero(self.d_attended & self.d_head & (self.d_participant >= 0))  # no participant: no text
        rows = rows[np.lexsort((self.d_participant[rows], self.d_mi[rows]))]
        who = _coded(pa.array(p["name"].tolist(), type=pa.large_string()), self.d_participant[rows])
        person = _coded(*reversed(text["name"]), rows).fill_null("unnamed")
        title = _coded(*reversed(text["title"]), rows)
        text_of = functools.partial(pa.scalar, type=pa.large_string())
        title = pc.binary_join_element_wise(text_of(" ("), title, text_of(")"), text_of("")).fill_null("")
        parts = pc.binary_join_element_wise(who, text_of(": "), person, title, text_of(""))
        meeting = self.d_mi[rows]
        starts = np.flatnonzero(np.r_[True, meeting[1:] != meeting[:-1]]) if len(rows) else np.zeros(0, np.int64)
        offsets = pa.array(np.r_[starts, len(rows)].astype(np.int64), type=pa.int64())
        joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, parts), text_of("; "))
        group = np.full(n_meetings, -1, dtype=np.int64)
        group[meeting[starts]] = np.arange(len(starts))
        return joined.take(pa.array(np.maximum(group, 0), mask=group < 0))

    def _delegations_table(self, con, p: pd.DataFrame, text: dict) -> Table:
        """The delegations download's columns over the codes (see `_delegation_codes`)."""
        order = pa.array(self.d_order)
        sources = con.sql("SELECT source_id, url FROM sources").to_arrow_table()
        first_url = pd.Series(sources.column("url").to_pylist(), dtype=object)
        first_url.index = pd.Index(sources.column("source_id").to_pylist(), dtype=object)
        first_url = first_url[~first_url.index.duplicated()]
        source_codes, source_ids = text["source_id"]
        urls = pa.array(first_url.reindex(source_ids.to_pylist()).tolist(), type=pa.large_string(), from_pandas=True)
        t = Table(rows=len(self.d_mi))
        meeting = self.meetings.columns
        for name, source in (("meeting_id", "meeting_id"), ("date_start", "date_start"), ("series", "series"),
                             ("meeting_title", "title")):  # fmt: skip
            kind, data = meeting[source]
            t.add_coded(name, self.d_mi, data[0] if kind == "text" else data)
        t.add_coded("participant", self.d_participant, pa.array(p["code"].tolist(), type=pa.large_string()))
        t.add_coded("participant_name", self.d_participant, pa.array(p["name"].tolist(), type=pa.large_string()))
        for name in ("participant_type", "status", "person_id", "name", "title", "level", "role"):
            t.add_coded(name, *text[name])
        for name in ("attended", "verified", "confidence"):
            t.add_values(name, _read(con, name).take(order))
        t.add_coded("source_id", source_codes, source_ids)
        t.add_coded("source_url", source_codes, urls)
        t.add_coded("note", *text["note"])
        del self.d_order
        return t

    def _unique_pairs(self, order: np.ndarray, key: np.ndarray) -> bool:
        """True when no two rows with a (non-null) key share it and their meeting."""
        k, m = key[order], self.d_mi[order]
        same = (k[1:] == k[:-1]) & (m[1:] == m[:-1]) & (k[1:] >= 0)
        return not bool(same.any())

    @staticmethod
    def _rank(values: np.ndarray) -> np.ndarray:
        """The position of each value in ORDER BY order (nulls last; ties by position)."""
        present = np.array([v is not None for v in values], dtype=bool)
        order = sorted(range(len(values)), key=lambda i: (not present[i], values[i] if present[i] else "", i))
        rank = np.empty(len(values), dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(values))
        return rank

    @staticmethod
    def _first_of(codes: np.ndarray) -> np.ndarray:
        """For each code, the position of a row that has it (-1 when none has)."""
        out = np.full(int(codes.max(initial=-1)) + 1, -1, dtype=np.int64)
        present = np.flatnonzero(codes >= 0)
        out[codes[present]] = present  # any one of them
        return out

    @staticmethod
    def _id_rank(ids: np.ndarray) -> np.ndarray:
        order = np.argsort(ids, kind="stable")
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids))
        return rank

    # -- codes of the filter values ---------------------------------------------------------------

    @staticmethod
    def lookup(codes: np.ndarray, values: list, chosen) -> np.ndarray:
        """Rows whose code is one of the chosen values (never a null)."""
        index = {v: i for i, v in enumerate(values)}
        wanted = sorted({index[v] for v in chosen if v in index})
        if len(wanted) <= 4:  # a few comparisons beat a gather
            mask = np.zeros(len(codes), dtype=bool)
            for code in wanted:
                mask |= codes == code
            return mask
        table = np.zeros(len(values) + 1, dtype=bool)  # the last slot is code -1 (null)
        table[wanted] = True
        return table.take(codes)


@dataclass(eq=False)
class Dataset:
    """The built tables in DuckDB (see `open_dataset`) and `Derived`; `query` is safe to call from several threads."""

    path: Path
    con: duckdb.DuckDBPyConnection
    missing_tables: list[str] = field(default_factory=list)
    version: str = ""
    derived: Derived | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _selections: list = field(default_factory=list, repr=False)
    _counts: dict = field(default_factory=dict, repr=False)

    def remember(self, key, make):
        """``make()``, kept for the last two keys: the queries of one page share their filters' row selection."""
        with self._lock:
            for k, value in self._selections:
                if k == key:
                    return value
        value = make()
        with self._lock:
            self._selections = [(key, value), *self._selections[:1]]
        return value

    @property
    def exists(self) -> bool:
        """True when the folder holds at least one table file."""
        return len(self.missing_tables) < len(TABLES)

    @property
    def is_empty(self) -> bool:
        """True when there are no meetings to show."""
        return self.count("meetings") == 0

    @property
    def message(self) -> str | None:
        """A friendly message when the dataset is missing or empty, else None."""
        if not self.exists:
            return MISSING_MESSAGE.format(path=self.path)
        if self.is_empty:
            return EMPTY_MESSAGE.format(path=self.path)
        return None

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one SQL query on a fresh cursor; DATE columns come back as datetime.date (None when null)."""
        with self._lock:
            cursor = self.con.cursor()
        try:
            relation = cursor.sql(sql, params=params or None)
            if {str(t) for t in relation.types} <= FAST_TYPES:
                try:
                    return frame_from_arrow(relation.to_arrow_table())
                except _Unsupported:
                    pass
            dates = [name for name, kind in zip(relation.columns, relation.types, strict=True) if str(kind) == "DATE"]
            frame = relation.df()
        finally:
            cursor.close()
        for col in dates:
            values = frame[col]
            out = np.full(len(values), None, dtype=object)
            present = values.notna().to_numpy()
            out[present] = values[present].dt.date.to_numpy(dtype=object)
            frame[col] = pd.Series(out, index=frame.index, dtype=object)
        return frame

    def scalar(self, sql: str, params: list | dict | None = None):
        """The first value of the first row of a query (None when there is no row)."""
        frame = self.query(sql, params)
        return None if frame.empty else frame.iat[0, 0]

    def count(self, table: str) -> int:
        """Rows in a table (counted once: an opened dataset never changes)."""
        if table not in self._counts:
            self._counts[table] = int(self.scalar(f'SELECT count(*) FROM "{table}"'))
        return self._counts[table]

    def table(self, name: str) -> pd.DataFrame:
        """A whole table, in the order the build wrote it."""
        return self.query(f'SELECT * FROM "{name}"')

    def close(self) -> None:
        """Close the connection (queries fail afterwards)."""
        with self._lock:
            self.con.close()


# Open datasets, closed when the interpreter exits: a DuckDB connection still open at exit can race
# pyarrow's thread pool during teardown and abort the process ("terminate called without an active exception").
_OPEN: weakref.WeakSet[Dataset] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for ds in list(_OPEN):
        with contextlib.suppress(Exception):  # best effort at exit
            ds.close()


def open_dataset(path: Path | str | None = None) -> Dataset:
    """Open the dataset at ``path`` (default: `data_dir()`); never fails on a missing or partial folder."""
    path = Path(path) if path is not None else data_dir()
    version = dataset_version(path)
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute("SET arrow_large_buffer_size = true")  # text as Arrow large_string: what pandas holds, no copy
    con.execute("SET allocator_background_threads = true")  # hand the memory of big queries back to the system
    built = _attach(con, path / DUCKDB_FILE)
    missing = []
    for table in TABLES:
        file = path / f"{table}.parquet"
        if table in built:  # read where it lies, a block at a time
            con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM {BUILT}."{table}"')
        elif file.is_file():  # a folder without the DuckDB file: the table copied into memory
            con.execute(f"CREATE TABLE \"{table}\" AS SELECT * FROM read_parquet('{_sql_path(file)}')")
        else:
            missing.append(table)
            con.execute(_empty_table_sql(table))
    ds = Dataset(path=path, con=con, missing_tables=missing, version=version, derived=Derived(con))
    _OPEN.add(ds)
    return ds


def _attach(con: duckdb.DuckDBPyConnection, file: Path) -> set[str]:
    """Attach the build's DuckDB file read-only as ``built``; the names of its tables (none when it is missing or
    unreadable). The file stays open while attached, so a rebuild that removes it leaves these reads whole."""
    if not file.is_file():
        return set()
    try:
        con.execute(f"ATTACH '{_sql_path(file)}' AS {BUILT} (READ_ONLY)")
    except duckdb.Error:
        return set()
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'", [BUILT]
    ).fetchall()
    return {name for (name,) in rows}


def _sql_path(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
