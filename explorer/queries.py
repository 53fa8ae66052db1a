"""The data work of every page: DuckDB SQL over a `Dataset`, returning DataFrames and dicts.

Every function takes the dataset and, where it applies, the `Filters`; the same function feeds
both a page's view and its download, so a download is exactly what the page shows.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from explorer import labels
from explorer.data import ROOT, Dataset
from explorer.filters import Filters

ORGANISATIONS_CSV = ROOT / "data" / "reference" / "organisations.csv"
FAR_FUTURE = date(9999, 12, 31)


# -- shared pieces ---------------------------------------------------------------------------------


def _meetings_cte(f: Filters) -> tuple[str, list]:
    where, params = f.meeting_where("m")
    return f"fm AS (SELECT m.* FROM meetings m WHERE {where})", params


def _delegations_cte(f: Filters) -> tuple[str, list]:
    """fm (filtered meetings) and fd (their delegation rows that match the delegation criteria)."""
    fm, params = _meetings_cte(f)
    where, dparams = f.delegation_where("d")
    return f"{fm}, fd AS (SELECT d.* FROM delegations d JOIN fm USING (meeting_id) WHERE {where})", params + dparams


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


def _names_sql(column: str) -> str:
    return f"coalesce((SELECT c.name FROM countries c WHERE c.iso3 = {column}), {column})"


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
    cte, params = _meetings_cte(f)
    return int(ds.scalar(f"WITH {cte} SELECT count(*) FROM fm", params))


# -- overview --------------------------------------------------------------------------------------


def headline(ds: Dataset, f: Filters) -> dict:
    """Headline numbers: meetings, delegations, countries, persons, hosts, first and last meeting."""
    cte, params = _delegations_cte(f)
    row = ds.query(
        f"""
        WITH {cte}
        SELECT
          (SELECT count(*) FROM fm) AS meetings,
          (SELECT count(*) FROM fd WHERE attended) AS delegations,
          (SELECT count(DISTINCT participant) FROM fd WHERE attended AND participant_type = 'country') AS countries,
          (SELECT count(DISTINCT person_id) FROM fd WHERE attended) AS persons,
          (SELECT count(DISTINCT host_country) FROM fm) AS hosts,
          (SELECT count(*) FROM fm WHERE NOT verified) AS unverified,
          (SELECT min(date_start) FROM fm) AS first,
          (SELECT max(date_start) FROM fm) AS last
        """,
        params,
    ).iloc[0]
    out = {k: (None if pd.isna(v) else v) for k, v in row.items()}
    for key in ("meetings", "delegations", "countries", "persons", "hosts", "unverified"):
        out[key] = int(out[key] or 0)
    for key in ("first", "last"):
        out[key] = None if out[key] is None else pd.Timestamp(out[key]).date()
    return out


def latest_meetings(ds: Dataset, f: Filters, n: int = 8) -> pd.DataFrame:
    """The ``n`` most recent meetings that pass the filters."""
    cte, params = _meetings_cte(f)
    frame = ds.query(
        f"""
        WITH {cte}
        SELECT fm.meeting_id, fm.date_start, fm.series, fm.title, fm.city, {_names_sql("fm.host_country")} AS host,
               (SELECT count(*) FROM delegations d WHERE d.meeting_id = fm.meeting_id AND d.attended) AS delegations
        FROM fm ORDER BY fm.date_start DESC, fm.meeting_id LIMIT {int(n)}
        """,
        params,
    )
    frame["series"] = frame["series"].map(lambda s: labels.label(labels.SERIES, s))
    return frame


def membership_on(ds: Dataset, day: date) -> pd.DataFrame:
    """Every state with an SCO status on ``day``: country, name, status, since."""
    return ds.query(
        f"""
        SELECT ms.country, {_names_sql("ms.country")} AS name, ms.status, ms.effective_from AS since
        FROM memberships ms
        WHERE ms.effective_from <= ? AND coalesce(ms.effective_to, DATE '9999-12-31') >= ?
        ORDER BY CASE ms.status WHEN 'member' THEN 0 WHEN 'observer' THEN 1 WHEN 'dialogue_partner' THEN 2 ELSE 3 END,
                 name
        """,
        [day, day],
    )


# -- meetings, delegations, persons (the tables and their downloads) -------------------------------

HEADS_SQL = """
    (SELECT string_agg(coalesce((SELECT c.name FROM countries c WHERE c.iso3 = h.participant), h.participant)
                       || ': ' || coalesce(h.name, 'unnamed') || coalesce(' (' || h.title || ')', ''),
                       '; ' ORDER BY h.participant)
     FROM delegations h
     WHERE h.meeting_id = {alias}.meeting_id AND h.attended AND h.role IN ('host', 'head_of_delegation'))
"""


def meetings_table(ds: Dataset, f: Filters) -> pd.DataFrame:
    """The filtered meetings, latest first: the Meetings table and the meetings download."""
    cte, params = _meetings_cte(f)
    return ds.query(
        f"""
        WITH {cte}
        SELECT fm.meeting_id, fm.date_start, fm.date_end, fm.series, fm.mechanism, fm.title, fm.sequence,
               fm.format, fm.host_country, {_names_sql("fm.host_country")} AS host, fm.city, fm.venue,
               fm.chair_country,
               (SELECT count(*) FROM delegations d WHERE d.meeting_id = fm.meeting_id AND d.attended) AS delegations,
               {HEADS_SQL.format(alias="fm")} AS heads_of_delegation,
               fm.verified, fm.confidence,
               (SELECT s.url FROM sources s WHERE s.source_id = fm.source_id) AS source_url,
               fm.source_ids, fm.parent_meeting_id, fm.notes
        FROM fm ORDER BY fm.date_start DESC, fm.meeting_id
        """,
        params,
    )


def delegations_table(ds: Dataset, f: Filters) -> pd.DataFrame:
    """The delegation rows of the filtered meetings that match the criteria: the delegations download."""
    cte, params = _delegations_cte(f)
    return ds.query(
        f"""
        WITH {cte}
        SELECT fd.meeting_id, fm.date_start, fm.series, fm.title AS meeting_title, fd.participant,
               {_names_sql("fd.participant")} AS participant_name, fd.participant_type, fd.status, fd.person_id,
               fd.name, fd.title, fd.level, fd.role, fd.attended, fd.verified, fd.confidence, fd.source_id,
               (SELECT s.url FROM sources s WHERE s.source_id = fd.source_id) AS source_url, fd.note
        FROM fd JOIN fm USING (meeting_id)
        ORDER BY fm.date_start DESC, fd.meeting_id,
                 CASE fd.role WHEN 'host' THEN 0 WHEN 'head_of_delegation' THEN 1 WHEN 'member' THEN 2 ELSE 3 END,
                 fd.participant, fd.name
        """,
        params,
    )


def persons_table(ds: Dataset, f: Filters) -> pd.DataFrame:
    """The persons named in the filtered delegation rows, with how often and when they appear."""
    cte, params = _delegations_cte(f)
    return ds.query(
        f"""
        WITH {cte}
        SELECT p.person_id, p.name, p.country, {_names_sql("p.country")} AS country_name, p.aliases,
               count(DISTINCT fd.meeting_id) AS meetings, min(fm.date_start) AS first_seen,
               max(fm.date_start) AS last_seen,
               string_agg(DISTINCT fd.title, '; ' ORDER BY fd.title) AS titles
        FROM fd JOIN fm USING (meeting_id) JOIN persons p ON p.person_id = fd.person_id
        GROUP BY ALL
        ORDER BY meetings DESC, p.name
        """,
        params,
    )


# -- timeline --------------------------------------------------------------------------------------


def timeline_points(ds: Dataset, f: Filters) -> pd.DataFrame:
    """One row per filtered meeting for the timeline: date, series, place and heads of delegations."""
    cte, params = _meetings_cte(f)
    frame = ds.query(
        f"""
        WITH {cte}
        SELECT fm.meeting_id, fm.date_start, fm.date_end, fm.series, fm.title,
               concat_ws(', ', fm.city, {_names_sql("fm.host_country")}) AS place,
               (SELECT count(*) FROM delegations d WHERE d.meeting_id = fm.meeting_id AND d.attended) AS delegations,
               {HEADS_SQL.format(alias="fm")} AS heads
        FROM fm ORDER BY fm.date_start
        """,
        params,
    )
    frame["series_label"] = frame["series"].map(lambda s: labels.label(labels.SERIES, s))
    frame["heads"] = frame["heads"].fillna("no delegation rows")
    return frame


def membership_periods(ds: Dataset, f: Filters, today: date | None = None) -> pd.DataFrame:
    """Each state's status periods (start, end; open periods end today), for the chosen countries if any."""
    today = today or date.today()
    where, params = ["TRUE"], []
    if f.countries:
        where.append(f"ms.country IN ({', '.join('?' for _ in f.countries)})")
        params.extend(f.countries)
    membership_statuses = [s for s in f.statuses if s in labels.MEMBERSHIP_STATUSES]
    if membership_statuses:
        where.append(f"ms.status IN ({', '.join('?' for _ in membership_statuses)})")
        params.extend(membership_statuses)
    frame = ds.query(
        f"""
        SELECT ms.country, {_names_sql("ms.country")} AS name, ms.status, ms.effective_from AS start,
               coalesce(ms.effective_to, ?) AS "end", ms.effective_to IS NULL AS current, ms.decided_at, ms.note
        FROM memberships ms WHERE {" AND ".join(where)}
        ORDER BY (SELECT min(x.effective_from) FROM memberships x WHERE x.country = ms.country), name, start
        """,
        [max(today, date(2001, 6, 15)), *params],
    )
    frame["status_label"] = frame["status"].map(lambda s: labels.label(labels.STATUSES, s))
    return frame


# -- countries -------------------------------------------------------------------------------------


def _rules_sql() -> str:
    rows = [
        f"('{status}', '{series}')" for status, series_list in labels.ELIGIBLE_SERIES.items() for series in series_list
    ]
    return f"rules(status, series) AS (VALUES {', '.join(rows)})"


def country_attendance(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Per country: meetings attended, meetings it was eligible for given its status that day, and the rate."""
    base_where, params = meeting_only(f).meeting_where("m")
    dwhere, dparams = f.delegation_where("d")
    elig_where, eparams = ["TRUE"], []
    if f.countries:
        elig_where.append(f"ms.country IN ({', '.join('?' for _ in f.countries)})")
        eparams.extend(f.countries)
    if f.statuses:
        elig_where.append(f"ms.status IN ({', '.join('?' for _ in f.statuses)})")
        eparams.extend(f.statuses)
    return ds.query(
        f"""
        WITH base AS (SELECT m.* FROM meetings m WHERE {base_where}),
        att AS (
          SELECT DISTINCT d.participant AS country, d.meeting_id FROM delegations d JOIN base USING (meeting_id)
          WHERE d.attended AND d.participant_type = 'country' AND {dwhere}),
        {_rules_sql()},
        elig AS (
          SELECT DISTINCT ms.country, b.meeting_id FROM memberships ms
          JOIN base b ON b.date_start BETWEEN ms.effective_from AND coalesce(ms.effective_to, DATE '9999-12-31')
          JOIN rules r ON r.status = ms.status AND r.series = b.series
          WHERE {" AND ".join(elig_where)}),
        countries_seen AS (SELECT country FROM att UNION SELECT country FROM elig)
        SELECT cs.country, {_names_sql("cs.country")} AS name,
               (SELECT count(*) FROM att a WHERE a.country = cs.country) AS attended,
               (SELECT count(*) FROM elig e WHERE e.country = cs.country) AS eligible,
               (SELECT count(*) FROM elig e JOIN att a USING (country, meeting_id) WHERE e.country = cs.country)
                 AS attended_eligible
        FROM countries_seen cs
        ORDER BY attended DESC, name
        """,
        params + dparams + eparams,
    ).assign(rate=lambda x: (x["attended_eligible"] / x["eligible"].where(x["eligible"] > 0)).astype("float64"))


def level_mix(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Per country and level: how many times its delegation was headed at that level."""
    cte, params = _delegations_cte(f)
    frame = ds.query(
        f"""
        WITH {cte}
        SELECT fd.participant AS country, {_names_sql("fd.participant")} AS name, fd.level, count(*) AS delegations
        FROM fd WHERE fd.attended AND fd.participant_type = 'country' AND fd.role IN ('host', 'head_of_delegation')
        GROUP BY ALL ORDER BY name, fd.level
        """,
        params,
    )
    frame["level_label"] = frame["level"].map(lambda s: labels.label(labels.LEVELS, s))
    return frame


def country_year(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Country x year: how many filtered meetings each country attended in each year."""
    cte, params = _delegations_cte(f)
    return ds.query(
        f"""
        WITH {cte}
        SELECT fd.participant AS country, {_names_sql("fd.participant")} AS name, year(fm.date_start) AS year,
               count(DISTINCT fd.meeting_id) AS meetings
        FROM fd JOIN fm USING (meeting_id)
        WHERE fd.attended AND fd.participant_type = 'country'
        GROUP BY ALL ORDER BY name, year
        """,
        params,
    )


def country_profile(ds: Dataset, f: Filters, iso3: str) -> dict[str, pd.DataFrame]:
    """One country: who represented it (over time), the meetings it hosted and its status history."""
    one = replace(f, countries=(iso3,))
    cte, params = _delegations_cte(one)
    people = ds.query(
        f"""
        WITH {cte}
        SELECT fm.date_start, fm.meeting_id, fm.series, fm.title AS meeting, fd.name, fd.title, fd.level, fd.role,
               fd.attended, fd.status
        FROM fd JOIN fm USING (meeting_id)
        ORDER BY fm.date_start DESC, CASE fd.role WHEN 'host' THEN 0 WHEN 'head_of_delegation' THEN 1 ELSE 2 END
        """,
        params,
    )
    where, hparams = meeting_only(f).meeting_where("m")
    hosted = ds.query(
        f"""
        SELECT m.date_start, m.meeting_id, m.series, m.title, m.city FROM meetings m
        WHERE m.host_country = ? AND {where} ORDER BY m.date_start DESC
        """,
        [iso3, *hparams],
    )
    history = ds.query(
        """
        SELECT status, effective_from, effective_to, decided_at, note FROM memberships
        WHERE country = ? ORDER BY effective_from
        """,
        [iso3],
    )
    return {"people": people, "hosted": hosted, "history": history}


# -- map -------------------------------------------------------------------------------------------


def venues(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Meeting places of the filtered meetings with coordinates: city, host, count and a few titles."""
    cte, params = _meetings_cte(f)
    return ds.query(
        f"""
        WITH {cte}
        SELECT fm.city, fm.host_country, {_names_sql("fm.host_country")} AS host, fm.latitude, fm.longitude,
               count(*) AS meetings, min(year(fm.date_start)) AS first_year, max(year(fm.date_start)) AS last_year,
               string_agg(fm.title, '; ' ORDER BY fm.date_start DESC) AS titles
        FROM fm WHERE fm.latitude IS NOT NULL AND fm.longitude IS NOT NULL
        GROUP BY ALL ORDER BY meetings DESC, fm.city
        """,
        params,
    )


def arcs(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Journeys: from each attending country's capital to the venue of the filtered meetings, counted."""
    cte, params = _delegations_cte(f)
    return ds.query(
        f"""
        WITH {cte}
        SELECT fd.participant AS country, c.name, c.capital, c.capital_lat, c.capital_lon, fm.city,
               fm.latitude, fm.longitude, count(DISTINCT fd.meeting_id) AS meetings
        FROM fd JOIN fm USING (meeting_id) JOIN countries c ON c.iso3 = fd.participant
        WHERE fd.attended AND c.capital_lat IS NOT NULL AND fm.latitude IS NOT NULL
          AND (abs(c.capital_lat - fm.latitude) > 0.01 OR abs(c.capital_lon - fm.longitude) > 0.01)
        GROUP BY ALL ORDER BY meetings DESC, fd.participant, fm.city
        """,
        params,
    )


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


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


class _TextOnly(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        """Skip scripts and styles; a block element starts a line."""
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        """End of a skipped element or of a block."""
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        """Keep visible text."""
        if not self._skip:
            self.parts.append(data)


def press_text(raw: Path, path: str) -> str | None:
    """The text of a press release as the build read it (the evidence offsets refer to it); None if unreadable."""
    # As etl.sources.press does it: front matter removed, HTML reduced to text, CRLF to LF, stripped.
    file = (Path(raw) / path).resolve()
    try:
        if Path(raw).resolve() not in file.parents:
            return None
        body = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    m = _FRONT.match(body)
    if m:
        body = body[m.end() :]
    if path.lower().endswith((".html", ".htm")) or re.match(r"\s*<(!doctype|html)", body, re.I):
        parser = _TextOnly()
        parser.feed(body)
        parser.close()
        text = html.unescape("".join(parser.parts))
        body = "\n".join(line for line in (" ".join(ln.split()) for ln in text.splitlines()) if line).strip()
    return body.replace("\r\n", "\n").strip()


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
