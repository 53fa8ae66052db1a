"""The read side's queries on the fixture dataset (tests/fixtures/dashboard_raw), an empty one and a missing one."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from explorer import labels
from explorer import queries as q
from explorer.data import TABLES, dataset_version, open_dataset
from explorer.filters import Filters

ALL = Filters()


def test_the_dataset_opens_with_every_table_and_a_version(ds, dash_data):
    assert ds.exists and not ds.is_empty and ds.message is None
    assert q.row_counts(ds).set_index("table")["rows"].to_dict() == {
        "meetings": 5,
        "delegations": 21,
        "persons": 19,
        "countries": ds.count("countries"),
        "memberships": 9,
        "sources": ds.count("sources"),
        "rejects": 2,
    }
    assert ds.version == dataset_version(dash_data) and str(dash_data.resolve()) in ds.version


def test_dates_come_back_as_plain_dates(ds):
    row = q.meetings_table(ds, ALL).iloc[0]
    assert row["date_start"] == date(2019, 11, 1) and row["date_end"] is None


def test_the_sidebar_options_come_from_the_data(ds):
    opts = q.options(ds)
    assert ("KAZ", "Kazakhstan") in opts["countries"] and ("TUR", "Türkiye") in opts["countries"]
    assert opts["series"] == ["heads_of_state", "heads_of_government", "foreign_ministers", "defence_ministers"]
    assert "minister" in opts["levels"] and "organisation" in opts["statuses"]
    assert (opts["date_min"], opts["date_max"]) == (date(2015, 6, 30), date(2019, 11, 1))


def test_headline_numbers_count_attending_delegations_only(ds):
    head = q.headline(ds, ALL)
    assert {k: head[k] for k in ("meetings", "delegations", "countries", "persons", "hosts", "unverified")} == {
        "meetings": 5,
        "delegations": 20,  # 21 rows, one of them Uzbekistan's explicit absence
        "countries": 8,
        "persons": 19,
        "hosts": 5,
        "unverified": 1,
    }
    assert (head["first"], head["last"]) == (date(2015, 6, 30), date(2019, 11, 1))


def test_a_filter_changes_the_headline(ds):
    f = Filters(countries=("PAK",))
    assert q.headline(ds, f)["meetings"] == 1
    assert q.count_meetings(ds, Filters(series=("heads_of_state",))) == 2
    assert q.count_meetings(ds, Filters(date_from=date(2018, 1, 1))) == 3


def test_the_meetings_table_is_latest_first_with_heads_and_first_source(ds):
    table = q.meetings_table(ds, ALL)
    assert list(table["meeting_id"]) == [
        "chg-2019-11-01-uzb",
        "chs-2019-06-14-kgz",
        "cfm-2018-04-24-chn",
        "chs-2017-06-08-kaz",
        "cdm-2015-06-30-rus",
    ]
    summit = table.set_index("meeting_id").loc["chs-2017-06-08-kaz"]
    assert summit["host"] == "Kazakhstan" and summit["delegations"] == 7
    assert summit["source_url"] == "https://example.org/fixture/astana-2017"
    assert summit["heads_of_delegation"].startswith("China: Test Chinese President (President); India: ")


def test_delegations_of_the_filtered_meetings_match_the_criteria_absences_included(ds):
    rows = q.delegations_table(ds, Filters(series=("foreign_ministers",)))
    assert len(rows) == 5 and rows["attended"].sum() == 4
    assert rows.iloc[0]["role"] == "host"
    india = q.delegations_table(ds, Filters(countries=("IND",), levels=("minister",)))
    assert list(india["meeting_id"]) == ["chg-2019-11-01-uzb", "cfm-2018-04-24-chn"]


def test_persons_are_those_named_in_the_filtered_rows(ds):
    persons = q.persons_table(ds, Filters(countries=("RUS",)))
    assert len(persons) == 4 and set(persons["country"]) == {"RUS"}
    assert persons["meetings"].sum() == 4


def test_attendance_rate_counts_only_meetings_the_status_made_a_country_eligible_for(ds):
    att = q.country_attendance(ds, ALL).set_index("country")
    # India: observer at the 2017 summit (eligible), member from 2017-06-09 (three council meetings);
    # the 2015 defence ministers' meeting does not count for an observer.
    assert att.loc["IND", ["attended", "eligible", "attended_eligible"]].tolist() == [4, 4, 4]
    assert att.loc["PAK", ["attended", "eligible", "attended_eligible"]].tolist() == [1, 4, 1]
    assert att.loc["UZB", "rate"] == pytest.approx(0.4)  # absent from the foreign ministers' meeting
    assert att.loc["RUS", "rate"] == pytest.approx(0.8)
    assert math.isnan(att.loc["TUR", "rate"])  # a dialogue partner has no rate
    assert "SCO-SEC" not in att.index  # organisations are not countries


def test_attendance_follows_the_filters(ds):
    att = q.country_attendance(ds, Filters(series=("heads_of_state",), countries=("IND", "PAK"))).set_index("country")
    assert sorted(att.index) == ["IND", "PAK"]
    assert att.loc["IND", ["attended", "eligible"]].tolist() == [2, 2]
    assert att.loc["PAK", ["attended", "eligible"]].tolist() == [1, 2]


def test_level_mix_counts_heads_of_delegation_by_level(ds):
    mix = q.level_mix(ds, ALL)
    india = mix[mix["country"] == "IND"].set_index("level")["delegations"].to_dict()
    assert india == {"head_of_government": 2, "minister": 2}
    assert "TUR" not in set(mix["country"])  # Türkiye came as a guest, not a head of delegation


def test_the_country_year_grid_counts_meetings_attended(ds):
    grid = q.country_year(ds, ALL)
    assert grid[(grid["country"] == "RUS") & (grid["year"] == 2019)]["meetings"].item() == 2


def test_a_country_profile_lists_its_representatives_and_the_meetings_it_hosted(ds):
    profile = q.country_profile(ds, ALL, "KAZ")
    assert list(profile["people"]["name"]) == [
        "Test Kazakh Prime Minister",
        "Test Kazakh Foreign Minister",
        "Test Host President",
    ]
    assert list(profile["hosted"]["meeting_id"]) == ["chs-2017-06-08-kaz"]
    assert list(profile["history"]["status"]) == ["member"]


def test_membership_on_a_day_and_its_periods(ds):
    on = q.membership_on(ds, date(2010, 1, 1)).set_index("country")["status"].to_dict()
    assert on == {
        "CHN": "member",
        "KAZ": "member",
        "RUS": "member",
        "UZB": "member",
        "IND": "observer",
        "PAK": "observer",
    }
    assert q.statuses_on(ds, date(2020, 1, 1))["IND"] == "member"
    periods = q.membership_periods(ds, Filters(countries=("IND",)), today=date(2026, 1, 1))
    assert periods[["status", "start", "end", "current"]].values.tolist() == [
        ["observer", date(2005, 7, 5), date(2017, 6, 8), False],
        ["member", date(2017, 6, 9), date(2026, 1, 1), True],
    ]


def test_venues_and_arcs_for_the_map(ds):
    venues = q.venues(ds, ALL)
    assert len(venues) == 5 and venues["latitude"].notna().all()
    arcs = q.arcs(ds, Filters(countries=("IND",)))
    assert sorted(arcs["city"]) == ["Astana", "Beijing", "Bishkek", "Tashkent"]
    # no arc from a capital to itself: China hosted Beijing, and Beijing is its capital
    assert not ((q.arcs(ds, ALL)["country"] == "CHN") & (q.arcs(ds, ALL)["city"] == "Beijing")).any()


def test_timeline_points_carry_place_and_heads(ds):
    points = q.timeline_points(ds, ALL).set_index("meeting_id")
    assert points.loc["chs-2019-06-14-kgz", "place"] == "Bishkek, Kyrgyzstan"
    assert points.loc["cdm-2015-06-30-rus", "heads"] == "no delegation rows"
    assert points.loc["chs-2019-06-14-kgz", "series_label"] == "Heads of state (summit)"


def test_a_meeting_detail_has_its_delegations_sources_and_press_evidence(ds, dash_raw):
    detail = q.meeting_detail(ds, "chs-2019-06-14-kgz")
    assert detail["meeting"]["host"] == "Kyrgyzstan"
    assert len(detail["delegations"]) == 4 and len(detail["sources"]) == 1
    source = detail["sources"].iloc[0]
    text = q.press_text(dash_raw, source["path"])
    assert text.startswith("BISHKEK, June 14") and q.text_matches(text, source["sha256"])
    spans = q.evidence_spans(text, detail["delegations"], source["source_id"])
    assert [text[a:b] for a, b, _ in spans] == [
        "Kyrgyz President Almaz Testbekov",
        "Chinese President Li Testming",
        "Russian President Ivan Testov",
        "Indian Prime Minister Ravi Testkumar",
    ]
    assert q.meeting_detail(ds, "no-such-meeting") is None
    docs = q.press_documents(detail)
    assert [(d["path"], d["sha256"], len(d["delegations"])) for d in docs] == [
        ("press/2019-06-14_fixture_summit_release.txt", source["sha256"], 4)
    ]
    assert q.press_documents(q.meeting_detail(ds, "chs-2017-06-08-kaz")) == []


def test_a_release_whose_url_a_record_also_cites_is_found_from_its_rows(ds, dash_raw):
    # The build keeps one sources row per url: the curated record's (no stored text). The extracted
    # delegation rows still name the release as their input_path.
    detail = q.meeting_detail(ds, "chs-2019-06-14-kgz")
    detail["sources"] = detail["sources"].assign(sha256=None, path="records/some_record.yaml")
    docs = q.press_documents(detail)
    assert [(d["path"], d["sha256"], len(d["delegations"])) for d in docs] == [
        ("press/2019-06-14_fixture_summit_release.txt", None, 4)
    ]
    text = q.press_text(dash_raw, docs[0]["path"])
    assert len(q.evidence_spans(text, docs[0]["delegations"])) == 4


def test_highlighted_press_text_is_escaped_so_markup_in_a_release_stays_inert():
    text = 'Before <script>alert("x")</script> & President <b>Jane</b> Doe after'
    start = text.index("President")
    out = q.highlight_html(text, [(start, start + len("President <b>Jane</b> Doe"), 'KAZ: "Jane" <Doe>')])
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; " in out
    assert '<mark title="KAZ: &quot;Jane&quot; &lt;Doe&gt;">President &lt;b&gt;Jane&lt;/b&gt; Doe</mark> after' in out


def test_overlapping_or_broken_spans_never_duplicate_text():
    text = "abcdefghij"
    out = q.highlight_html(text, [(2, 6, "a"), (4, 8, "b"), (9, 3, "bad")])
    assert out.count("<mark") == 2
    assert (
        out.replace('<mark title="a">', "")
        .replace('<mark title="b">', "")
        .replace("</mark>", "")
        .endswith(">abcdefghij</div>")
    )


def test_press_text_refuses_paths_outside_the_raw_folder(dash_raw):
    assert q.press_text(dash_raw, "../../pyproject.toml") is None
    assert q.press_text(dash_raw, "press/missing.txt") is None


def test_data_and_method_tables(ds):
    rejects = q.rejects_by_reason(ds)
    assert set(rejects["reason_code"]) == {"missing_field", "meeting_rejected"}
    unverified = q.unverified(ds)
    assert list(unverified["meetings"]["meeting_id"]) == ["chg-2019-11-01-uzb"]
    assert list(unverified["delegations"]["participant"]) == ["TUR"]
    gaps = q.coverage_gaps(ds)
    assert list(gaps["meetings_without_delegations"]["meeting_id"]) == ["cdm-2015-06-30-rus"]
    missing = gaps["missing_years"]
    assert sorted(missing[missing["series"] == "Heads of state (summit)"]["year"]) == [2015, 2016, 2018]


def test_the_whole_dataset_has_every_table(ds):
    tables = q.dataset_tables(ds)
    assert list(tables) == list(TABLES) and len(tables["meetings"]) == 5


@pytest.mark.parametrize("which", ["empty_data", "missing_data"])
def test_every_query_works_on_an_empty_or_missing_dataset(which, request):
    ds = open_dataset(request.getfixturevalue(which))
    try:
        assert ds.is_empty and ds.message
        assert ("No dataset found" in ds.message) == (which == "missing_data")
        f = Filters(countries=("KAZ",), date_from=date(2015, 1, 1))
        for name in (
            "headline", "latest_meetings", "meetings_table", "delegations_table", "persons_table", "timeline_points",
            "membership_periods", "country_attendance", "level_mix", "country_year", "venues", "arcs",
        ):  # fmt: skip
            getattr(q, name)(ds, f)
        assert q.headline(ds, f)["meetings"] == 0
        assert q.options(ds)["date_min"] is None
        assert q.meeting_detail(ds, "x") is None
        assert q.country_profile(ds, f, "KAZ")["people"].empty
        assert q.coverage_gaps(ds)["missing_years"].empty
        assert q.statuses_on(ds, date(2020, 1, 1)) == {}
    finally:
        ds.close()


# The read side may use the contract (etl.schema) and the build's own press-release reader (so that the text it
# highlights is the text the evidence offsets refer to); nothing else of the write side.
READ_SIDE_MAY_IMPORT = {"etl.schema", "etl.sources", "etl.sources.press"}


def test_the_read_side_never_imports_streamlit_nor_the_etl_beyond_its_schema_and_press_reader():
    root = Path(__file__).resolve().parent.parent / "explorer"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", text, re.M), path
        for match in re.finditer(r"^\s*(?:import|from)\s+(etl[\w.]*)", text, re.M):
            assert match.group(1) in READ_SIDE_MAY_IMPORT, (path, match.group(1))


# -- the page queries against their SQL ------------------------------------------------------------
#
# The page queries filter tables derived when the dataset is opened, with numpy; each must give exactly the frame
# its SQL gives (the read side's first version ran that SQL on every call). The SQL below is that version.

NAMES = "coalesce((SELECT c.name FROM countries c WHERE c.iso3 = {0}), {0})"
HEADS = """
    (SELECT string_agg(coalesce((SELECT c.name FROM countries c WHERE c.iso3 = h.participant), h.participant)
                       || ': ' || coalesce(h.name, 'unnamed') || coalesce(' (' || h.title || ')', ''),
                       '; ' ORDER BY h.participant)
     FROM delegations h
     WHERE h.meeting_id = {0}.meeting_id AND h.attended AND h.role IN ('host', 'head_of_delegation'))
"""
COUNT = "(SELECT count(*) FROM delegations d WHERE d.meeting_id = {0}.meeting_id AND d.attended)"
ROLE = "CASE fd.role WHEN 'host' THEN 0 WHEN 'head_of_delegation' THEN 1 WHEN 'member' THEN 2 ELSE 3 END"


def _series_label(frame, column="series"):
    return frame[column].map(lambda s: labels.label(labels.SERIES, s))


def sql_reference(ds, f: Filters) -> dict:
    """Every page query of ``f`` as the SQL version computed it."""
    fm, params = q._meetings_cte(f)
    fd, dparams = q._delegations_cte(f)
    out = {"count_meetings": int(ds.scalar(f"WITH {fm} SELECT count(*) FROM fm", params))}
    row = ds.query(
        f"""WITH {fd} SELECT (SELECT count(*) FROM fm) AS meetings, (SELECT count(*) FROM fd WHERE attended) AS delegations,
        (SELECT count(DISTINCT participant) FROM fd WHERE attended AND participant_type = 'country') AS countries,
        (SELECT count(DISTINCT person_id) FROM fd WHERE attended) AS persons, (SELECT count(DISTINCT host_country) FROM fm)
        AS hosts, (SELECT count(*) FROM fm WHERE NOT verified) AS unverified, (SELECT min(date_start) FROM fm) AS first,
        (SELECT max(date_start) FROM fm) AS last""",
        dparams,
    ).iloc[0]
    out["headline"] = {k: (None if pd.isna(v) else (v if k in ("first", "last") else int(v))) for k, v in row.items()}
    latest = ds.query(
        f"""WITH {fm} SELECT fm.meeting_id, fm.date_start, fm.series, fm.title, fm.city, {NAMES.format("fm.host_country")}
        AS host, {COUNT.format("fm")} AS delegations FROM fm ORDER BY fm.date_start DESC, fm.meeting_id LIMIT 3""",
        params,
    )
    latest["series"] = _series_label(latest)
    out["latest_meetings"] = latest
    out["meetings_table"] = ds.query(
        f"""WITH {fm} SELECT fm.meeting_id, fm.date_start, fm.date_end, fm.series, fm.mechanism, fm.title, fm.sequence,
        fm.format, fm.host_country, {NAMES.format("fm.host_country")} AS host, fm.city, fm.venue, fm.chair_country,
        {COUNT.format("fm")} AS delegations, {HEADS.format("fm")} AS heads_of_delegation, fm.verified, fm.confidence,
        (SELECT s.url FROM sources s WHERE s.source_id = fm.source_id) AS source_url, fm.source_ids,
        fm.parent_meeting_id, fm.notes FROM fm ORDER BY fm.date_start DESC, fm.meeting_id""",
        params,
    )
    out["delegations_table"] = ds.query(
        f"""WITH {fd} SELECT fd.meeting_id, fm.date_start, fm.series, fm.title AS meeting_title, fd.participant,
        {NAMES.format("fd.participant")} AS participant_name, fd.participant_type, fd.status, fd.person_id, fd.name,
        fd.title, fd.level, fd.role, fd.attended, fd.verified, fd.confidence, fd.source_id,
        (SELECT s.url FROM sources s WHERE s.source_id = fd.source_id) AS source_url, fd.note
        FROM fd JOIN fm USING (meeting_id)
        ORDER BY fm.date_start DESC, fd.meeting_id, {ROLE}, fd.participant, fd.name, fd.person_id, fd.title,
                 fd.level, fd.source_id""",
        dparams,
    )
    out["persons_table"] = ds.query(
        f"""WITH {fd} SELECT p.person_id, p.name, p.country, {NAMES.format("p.country")} AS country_name, p.aliases,
        count(DISTINCT fd.meeting_id) AS meetings, min(fm.date_start) AS first_seen, max(fm.date_start) AS last_seen,
        string_agg(DISTINCT fd.title, '; ' ORDER BY fd.title) AS titles
        FROM fd JOIN fm USING (meeting_id) JOIN persons p ON p.person_id = fd.person_id
        GROUP BY ALL ORDER BY meetings DESC, p.name, p.person_id""",
        dparams,
    )
    points = ds.query(
        f"""WITH {fm} SELECT fm.meeting_id, fm.date_start, fm.date_end, fm.series, fm.title,
        concat_ws(', ', fm.city, {NAMES.format("fm.host_country")}) AS place, {COUNT.format("fm")} AS delegations,
        {HEADS.format("fm")} AS heads FROM fm ORDER BY fm.date_start, fm.meeting_id""",
        params,
    )
    points["series_label"] = _series_label(points)
    points["heads"] = points["heads"].fillna("no delegation rows")
    out["timeline_points"] = points
    out["level_mix"] = ds.query(
        f"""WITH {fd} SELECT fd.participant AS country, {NAMES.format("fd.participant")} AS name, fd.level,
        count(*) AS delegations FROM fd WHERE fd.attended AND fd.participant_type = 'country'
        AND fd.role IN ('host', 'head_of_delegation') GROUP BY ALL ORDER BY name, fd.level""",
        dparams,
    )
    out["level_mix"]["level_label"] = out["level_mix"]["level"].map(lambda s: labels.label(labels.LEVELS, s))
    out["country_year"] = ds.query(
        f"""WITH {fd} SELECT fd.participant AS country, {NAMES.format("fd.participant")} AS name,
        year(fm.date_start) AS year, count(DISTINCT fd.meeting_id) AS meetings FROM fd JOIN fm USING (meeting_id)
        WHERE fd.attended AND fd.participant_type = 'country' GROUP BY ALL ORDER BY name, year""",
        dparams,
    )
    out["venues"] = ds.query(
        f"""WITH {fm} SELECT fm.city, fm.host_country, {NAMES.format("fm.host_country")} AS host, fm.latitude,
        fm.longitude, count(*) AS meetings, min(year(fm.date_start)) AS first_year, max(year(fm.date_start)) AS last_year,
        string_agg(fm.title, '; ' ORDER BY fm.date_start DESC, fm.meeting_id) AS titles
        FROM fm WHERE fm.latitude IS NOT NULL AND fm.longitude IS NOT NULL GROUP BY ALL ORDER BY meetings DESC, fm.city""",
        params,
    )
    out["arcs"] = ds.query(
        f"""WITH {fd} SELECT fd.participant AS country, c.name, c.capital, c.capital_lat, c.capital_lon, fm.city,
        fm.latitude, fm.longitude, count(DISTINCT fd.meeting_id) AS meetings
        FROM fd JOIN fm USING (meeting_id) JOIN countries c ON c.iso3 = fd.participant
        WHERE fd.attended AND c.capital_lat IS NOT NULL AND fm.latitude IS NOT NULL
          AND (abs(c.capital_lat - fm.latitude) > 0.01 OR abs(c.capital_lon - fm.longitude) > 0.01)
        GROUP BY ALL ORDER BY meetings DESC, fd.participant, fm.city""",
        dparams,
    )
    base_where, bparams = q.meeting_only(f).meeting_where("m")
    dwhere, cparams = f.delegation_where("d")
    elig_where, eparams = ["TRUE"], []
    if f.countries:
        elig_where.append(f"ms.country IN ({', '.join('?' for _ in f.countries)})")
        eparams.extend(f.countries)
    if f.statuses:
        elig_where.append(f"ms.status IN ({', '.join('?' for _ in f.statuses)})")
        eparams.extend(f.statuses)
    rules = ", ".join(f"('{st}', '{se}')" for st, ss in labels.ELIGIBLE_SERIES.items() for se in ss)
    out["country_attendance"] = ds.query(
        f"""WITH base AS (SELECT m.* FROM meetings m WHERE {base_where}),
        att AS (SELECT DISTINCT d.participant AS country, d.meeting_id FROM delegations d JOIN base USING (meeting_id)
                WHERE d.attended AND d.participant_type = 'country' AND {dwhere}),
        rules(status, series) AS (VALUES {rules}),
        elig AS (SELECT DISTINCT ms.country, b.meeting_id FROM memberships ms
                 JOIN base b ON b.date_start BETWEEN ms.effective_from AND coalesce(ms.effective_to, DATE '9999-12-31')
                 JOIN rules r ON r.status = ms.status AND r.series = b.series WHERE {" AND ".join(elig_where)}),
        countries_seen AS (SELECT country FROM att UNION SELECT country FROM elig)
        SELECT cs.country, {NAMES.format("cs.country")} AS name,
               (SELECT count(*) FROM att a WHERE a.country = cs.country) AS attended,
               (SELECT count(*) FROM elig e WHERE e.country = cs.country) AS eligible,
               (SELECT count(*) FROM elig e JOIN att a USING (country, meeting_id) WHERE e.country = cs.country)
                 AS attended_eligible
        FROM countries_seen cs ORDER BY attended DESC, name, cs.country""",
        bparams + cparams + eparams,
    ).assign(rate=lambda x: (x["attended_eligible"] / x["eligible"].where(x["eligible"] > 0)).astype("float64"))
    return out


def ours(ds, f: Filters) -> dict:
    names = ["count_meetings", "headline", "meetings_table", "delegations_table", "persons_table", "timeline_points",
             "level_mix", "country_year", "venues", "arcs", "country_attendance"]  # fmt: skip
    out = {name: getattr(q, name)(ds, f) for name in names}
    out["latest_meetings"] = q.latest_meetings(ds, f, 3)
    return out


def _same(name, got, want):
    if isinstance(want, pd.DataFrame):
        if name == "persons_table" and len(want):  # ties of the SQL ORDER BY (meetings, name) come in any order
            got = got.sort_values(["meetings", "name", "person_id"], ascending=[False, True, True], kind="stable")
            got = got.reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=name)
    else:
        assert got == want and type(got) is type(want), name
        if isinstance(want, dict):
            assert [type(v) for v in got.values()] == [type(v) for v in want.values()], name


CASES = [
    ALL,
    Filters(countries=("KAZ",)),
    Filters(countries=("IND", "PAK")),
    Filters(countries=("TUR",)),
    Filters(countries=("SCO-SEC",)),
    Filters(countries=("XXX",)),
    Filters(series=("heads_of_state",)),
    Filters(series=("foreign_ministers",), countries=("RUS",)),
    Filters(date_from=date(2017, 6, 9)),
    Filters(date_from=date(2019, 6, 14), date_to=date(2019, 6, 14)),
    Filters(date_to=date(2001, 1, 1)),
    Filters(levels=("minister",)),
    Filters(levels=("head_of_state", "head_of_government")),
    Filters(statuses=("observer", "dialogue_partner")),
    Filters(statuses=("member",)),
    Filters(statuses=("guest", "organisation")),
    Filters(countries=("IND",), levels=("minister",)),
    Filters(countries=("KAZ", "IND"), statuses=("member",), levels=("minister", "head_of_government")),
    Filters(series=("heads_of_state", "foreign_ministers"), date_from=date(2018, 1, 1)),
]


@pytest.mark.parametrize("f", CASES, ids=[str(i) for i in range(len(CASES))])
def test_the_page_queries_give_what_their_sql_gives(ds, f):
    got, want = ours(ds, f), sql_reference(ds, f)
    for name, frame in want.items():
        _same(name, got[name], frame)


@pytest.mark.parametrize("which", ["empty_data", "missing_data"])
def test_the_page_queries_give_what_their_sql_gives_without_data(which, request):
    dataset = open_dataset(request.getfixturevalue(which))
    try:
        for f in (ALL, Filters(countries=("KAZ",), date_from=date(2015, 1, 1))):
            got, want = ours(dataset, f), sql_reference(dataset, f)
            for name, frame in want.items():
                _same(name, got[name], frame)
    finally:
        dataset.close()


def test_membership_queries_give_what_their_sql_gives(ds):
    for day in (date(2005, 7, 4), date(2005, 7, 5), date(2017, 6, 8), date(2017, 6, 9), date(2030, 1, 1)):
        want = ds.query(
            f"""SELECT ms.country, {NAMES.format("ms.country")} AS name, ms.status, ms.effective_from AS since
            FROM memberships ms WHERE ms.effective_from <= ? AND coalesce(ms.effective_to, DATE '9999-12-31') >= ?
            ORDER BY CASE ms.status WHEN 'member' THEN 0 WHEN 'observer' THEN 1 WHEN 'dialogue_partner' THEN 2
            ELSE 3 END, name""",
            [day, day],
        )
        pd.testing.assert_frame_equal(q.membership_on(ds, day), want)
    for f in (ALL, Filters(countries=("IND", "PAK")), Filters(statuses=("observer", "guest"))):
        where = ["TRUE"] + ([f"ms.country IN ({', '.join(repr(c) for c in f.countries)})"] if f.countries else [])
        statuses = [s for s in f.statuses if s in labels.MEMBERSHIP_STATUSES]
        where += [f"ms.status IN ({', '.join(repr(s) for s in statuses)})"] if statuses else []
        want = ds.query(
            f"""SELECT ms.country, {NAMES.format("ms.country")} AS name, ms.status, ms.effective_from AS start,
            coalesce(ms.effective_to, ?) AS "end", ms.effective_to IS NULL AS current, ms.decided_at, ms.note
            FROM memberships ms WHERE {" AND ".join(where)}
            ORDER BY (SELECT min(x.effective_from) FROM memberships x WHERE x.country = ms.country), name, start""",
            [date(2026, 1, 1)],
        )
        want["status_label"] = want["status"].map(lambda s: labels.label(labels.STATUSES, s))
        pd.testing.assert_frame_equal(q.membership_periods(ds, f, today=date(2026, 1, 1)), want)


def test_frames_have_the_dtypes_duckdb_gives(ds):
    # Text: "str", or object Nones without a value; integers and booleans: nullable dtypes only with a null;
    # dates: datetime.date objects (None for null).
    sql = """SELECT x, x::INTEGER AS i, (x > 1) AS b, 'a' || x AS s, NULL::VARCHAR AS sn, x / 2 AS f,
             DATE '2020-01-01' + x::INTEGER AS d, NULL::DATE AS dn FROM (VALUES (1), (NULL), (3)) v(x) {}"""
    for where in ("", "WHERE x IS NOT NULL", "WHERE x IS NULL", "WHERE false"):
        got = ds.query(sql.format(where))
        raw = ds.con.execute(sql.format(where)).df()
        assert list(got.dtypes[:6]) == list(raw.dtypes[:6]), where
        assert got["d"].dtype == object and got["dn"].dtype == object
        assert [v for v in got["d"] if v is not None] == [date(2020, 1, 2), date(2020, 1, 4)][: got["d"].notna().sum()]
        assert all(v is None for v in got["dn"])


def test_searching_the_meetings_table_keeps_rows_holding_every_word():
    table = pd.DataFrame(
        {
            "meeting_id": ["chs-2024-07-03-kaz", "cfm-2024-05-21-kaz"],
            "title": ["Astana summit", "Foreign ministers in Astana"],
            "city": ["Astana", "Astana"],
            "host": ["Kazakhstan", "Kazakhstan"],
            "venue": [None, None],
            "heads_of_delegation": ["Xi Jinping; Vladimir Putin", "Wang Yi"],
            "notes": [None, "first time for Belarus"],
        }
    )
    assert q.search_meetings(table, "  ").equals(table)
    assert q.search_meetings(table, "astana PUTIN")["meeting_id"].tolist() == ["chs-2024-07-03-kaz"]
    assert q.search_meetings(table, "belarus astana")["meeting_id"].tolist() == ["cfm-2024-05-21-kaz"]
    assert q.search_meetings(table, "tashkent").empty
