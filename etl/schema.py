"""The tables' contract: one column list per table, from which the pandera schema,
the Arrow (Parquet) schema and the data dictionary are all derived.

Checks are written as data (name, arguments) so that this module imports no heavy
library: pandera, pandas and pyarrow are imported when a schema or a frame is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from etl.normalize.ids import SERIES_CODES
from etl.normalize.records import EARLIEST_DATE, FORMATS, LATEST_DATE, PRECISIONS, ROLES
from etl.reference import LEVELS

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa
    import pyarrow

STATUSES = ("member", "observer", "dialogue_partner", "partner", "guest", "organisation")
MEMBERSHIP_STATUSES = ("member", "observer", "dialogue_partner", "partner")
PARTICIPANT_RE = r"^([A-Z]{3}|[A-Z][A-Z0-9-]+)$"
ISO3_RE = r"^[A-Z]{3}$"
URL_RE = r"^https?://\S+\.\S+$"

PANDAS_DTYPES = {"str": "string", "int": "Int64", "float": "float64", "bool": "boolean", "date": "datetime64[ns]"}
ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_", "date": "date32"}


@dataclass(frozen=True)
class Check:
    """A column check, as pandera names it: isin, str_matches, in_range (bounds included) or ge."""

    name: str
    args: tuple

    def to_pandera(self) -> pa.Check:
        import pandera.pandas as pa

        if self.name == "isin":
            return pa.Check.isin(list(self.args[0]))
        return getattr(pa.Check, self.name)(*self.args)


@dataclass(frozen=True)
class Col:
    name: str
    kind: str
    nullable: bool
    description: str
    checks: tuple[Check, ...] = ()
    unique: bool = False


def _in(values) -> tuple[Check, ...]:
    return (Check("isin", (tuple(values),)),)


def _matches(pattern: str) -> tuple[Check, ...]:
    return (Check("str_matches", (pattern,)),)


def _range(lo, hi) -> tuple[Check, ...]:
    return (Check("in_range", (lo, hi)),)


def _ge(value) -> tuple[Check, ...]:
    return (Check("ge", (value,)),)


def _dates() -> tuple[Check, ...]:
    return _range(EARLIEST_DATE, LATEST_DATE)  # dates: compared as pandas Timestamps


TABLES: dict[str, list[Col]] = {
    "meetings": [
        Col("meeting_id", "str", False, "Stable id: <series code>-<date_start>-<host>[-<title hash>]", unique=True),
        Col("series", "str", False, "Meeting series (docs/records.md)", _in(SERIES_CODES)),
        Col("mechanism", "str", True, "Name of the mechanism for other ministerial meetings and expert groups"),
        Col("title", "str", False, "Title, in the project's own words"),
        Col("sequence", "int", True, "Number of the meeting in its series, when sources give it", _ge(1)),
        Col("date_start", "date", False, "First day", _dates()),
        Col("date_end", "date", True, "Last day of a multi-day meeting", _dates()),
        Col("date_precision", "str", False, "day, month or year", _in(PRECISIONS)),
        Col("format", "str", False, "in_person, virtual or hybrid", _in(FORMATS)),
        Col(
            "host_country",
            "str",
            False,
            "ISO 3166 alpha-3 of the host (the chair for virtual meetings)",
            _matches(ISO3_RE),
        ),
        Col("city", "str", True, "City, as named today"),
        Col("venue", "str", True, "Venue, when a source names it"),
        Col("latitude", "float", True, "Latitude of the city (gazetteer)", _range(-90, 90)),
        Col("longitude", "float", True, "Longitude of the city (gazetteer)", _range(-180, 180)),
        Col("chair_country", "str", True, "ISO3 of the chair", _matches(ISO3_RE)),
        Col("parent_meeting_id", "str", True, "The meeting this one belongs to (sideline meetings, courtesy calls)"),
        Col("verified", "bool", False, "False when no source read confirms the meeting"),
        Col("notes", "str", True, "Caveats and conflicts between sources"),
        Col(
            "confidence",
            "float",
            False,
            "1.0 for curated records; the extractor's confidence otherwise",
            _range(0, 1),
        ),
        Col("source_id", "str", False, "The first source of the meeting"),
        Col("source_ids", "str", False, "All sources of the meeting, ';'-separated"),
        Col("input_path", "str", False, "The raw file the meeting came from"),
    ],
    "delegations": [
        Col("meeting_id", "str", False, "The meeting"),
        Col("participant", "str", False, "ISO3 country or organisation code", _matches(PARTICIPANT_RE)),
        Col("participant_type", "str", False, "country or organisation", _in(("country", "organisation"))),
        Col(
            "status",
            "str",
            False,
            "The participant's SCO status on the first day (derived from memberships)",
            _in(STATUSES),
        ),
        Col("person_id", "str", True, "The person (persons table); null when the source names no one"),
        Col("name", "str", True, "Name as written in the source"),
        Col("title", "str", True, "Title as written in the source"),
        Col("level", "str", False, "Level coded from the title (docs/records.md)", _in(LEVELS)),
        Col("role", "str", False, "head_of_delegation, member, host or guest", _in(ROLES)),
        Col("attended", "bool", False, "False for an explicit absence row"),
        Col("verified", "bool", False, "False when no source read confirms the row"),
        Col("source_id", "str", False, "The source that states this row"),
        Col("evidence_text", "str", True, "The span of the source text the row was extracted from"),
        Col("evidence_start", "int", True, "Character offset where the evidence starts", _ge(0)),
        Col("evidence_end", "int", True, "Character offset where the evidence ends", _ge(0)),
        Col(
            "confidence",
            "float",
            False,
            "1.0 for curated rows; the extractor's confidence otherwise",
            _range(0, 1),
        ),
        Col("note", "str", True, "Caveats"),
        Col("input_path", "str", False, "The raw file the row came from"),
    ],
    "persons": [
        Col("person_id", "str", False, "Stable id: <country>-<name slug>", unique=True),
        Col("name", "str", False, "Canonical name"),
        Col("aliases", "str", True, "Other spellings seen, ';'-separated"),
        Col("country", "str", False, "ISO3 or organisation code", _matches(PARTICIPANT_RE)),
    ],
    "countries": [
        Col("iso3", "str", False, "ISO 3166 alpha-3 code", _matches(ISO3_RE), unique=True),
        Col("name", "str", False, "Short English name"),
        Col("aliases", "str", True, "Aliases and demonyms recognised, ';'-separated"),
        Col("capital", "str", True, "Capital city"),
        Col("capital_lat", "float", True, "Latitude of the capital", _range(-90, 90)),
        Col("capital_lon", "float", True, "Longitude of the capital", _range(-180, 180)),
    ],
    "memberships": [
        Col("country", "str", False, "ISO3", _matches(ISO3_RE)),
        Col("status", "str", False, "member, observer, dialogue_partner or partner", _in(MEMBERSHIP_STATUSES)),
        Col("decided_on", "date", True, "Day of the decision"),
        Col("effective_from", "date", False, "First day the status holds"),
        Col("effective_to", "date", True, "Last day the status holds; null while it holds"),
        Col("decided_at", "str", True, "Meeting id or instrument that decided it"),
        Col("source_url", "str", True, "Where this is stated", _matches(URL_RE)),
        Col("source_publisher", "str", True, "Publisher of the source"),
        Col("source_id", "str", True, "The source (sources table)"),
        Col("note", "str", True, "Caveats; 'unverified: ...' when not confirmed"),
    ],
    "sources": [
        Col("source_id", "str", False, "src- and 12 hex digits of the url's (or text's) SHA-256", unique=True),
        Col("url", "str", True, "Address", _matches(URL_RE)),
        Col("publisher", "str", True, "Publisher"),
        Col("title", "str", True, "Title of the page"),
        Col("published", "date", True, "Publication date"),
        Col("retrieved", "date", True, "Day it was read"),
        Col("sha256", "str", True, "SHA-256 of the stored text (press releases)"),
        Col("path", "str", False, "The raw file that cites it (or holds it)"),
    ],
    "rejects": [
        Col("input_path", "str", False, "The raw file"),
        Col("locator", "str", False, "Where in the file (row, record, delegations[i])"),
        Col("table", "str", False, "The table the record was meant for"),
        Col("reason_code", "str", False, "Short reason code"),
        Col("reason", "str", False, "The reason, in words"),
        Col("snippet", "str", True, "The start of the offending input"),
    ],
}

TABLE_KEYS = {
    "meetings": ["meeting_id"],
    "delegations": ["meeting_id", "participant", "role", "person_id", "title", "source_id"],
    "persons": ["person_id"],
    "countries": ["iso3"],
    "memberships": ["country", "effective_from", "status"],
    "sources": ["source_id"],
    "rejects": ["input_path", "locator", "reason_code", "reason"],
}


def columns(table: str) -> list[str]:
    """Column names of a table, in order."""
    return [c.name for c in TABLES[table]]


def check_args(check: Check, kind: str) -> tuple:
    """A check's arguments as pandas compares them (dates as Timestamps)."""
    if kind == "date" and check.name == "in_range":
        import pandas as pd

        return tuple(pd.Timestamp(a) for a in check.args)
    return check.args


def pandera_schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a table."""
    import pandera.pandas as pa

    def checks_of(c: Col) -> list:
        return [Check(k.name, check_args(k, c.kind)).to_pandera() for k in c.checks]

    cols = {
        c.name: pa.Column(PANDAS_DTYPES[c.kind], checks=checks_of(c), nullable=c.nullable, unique=c.unique)
        for c in TABLES[table]
    }
    checks = [pa.Check(fn, name=name) for name, fn in FRAME_CHECKS.get(table, ())]
    return pa.DataFrameSchema(cols, checks=checks, strict=True, ordered=True, coerce=False)


def _end_not_before_start(start: str, end: str):
    def check(df: pd.DataFrame) -> pd.Series:
        return df[end].isna() | (df[end] >= df[start])

    return check


# Row checks across columns: (name, function of the frame -> boolean Series, True where the row passes).
FRAME_CHECKS = {
    "meetings": [("date_end_not_before_date_start", _end_not_before_start("date_start", "date_end"))],
    "memberships": [
        ("effective_to_not_before_effective_from", _end_not_before_start("effective_from", "effective_to"))
    ],
}


def arrow_schema(table: str) -> pyarrow.Schema:
    """The Parquet schema of a table."""
    import pyarrow

    return pyarrow.schema(
        [
            pyarrow.field(
                c.name,
                getattr(pyarrow, ARROW_TYPES[c.kind])(),
                nullable=c.nullable,
                metadata={"description": c.description},
            )
            for c in TABLES[table]
        ]  # fmt: skip
    )


def to_frame(rows: list[dict], table: str) -> pd.DataFrame:
    """A frame of a table's rows with the contract's column order and dtypes."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns(table))
    for col in TABLES[table]:
        if col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name]).astype("datetime64[ns]")
        else:
            frame[col.name] = frame[col.name].astype(PANDAS_DTYPES[col.kind])
    return frame


def data_dictionary() -> pd.DataFrame:
    """Every column of every table with its type and meaning."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"table": t, "column": c.name, "type": c.kind, "nullable": c.nullable, "description": c.description}
            for t, cols in TABLES.items()
            for c in cols
        ]  # fmt: skip
    )
