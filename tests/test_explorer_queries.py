"""The read side's queries on the fixture dataset (tests/fixtures/dashboard_raw), an empty one and a missing one."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pytest

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


def test_the_read_side_never_imports_streamlit_nor_the_etl_beyond_its_schema():
    root = Path(__file__).resolve().parent.parent / "explorer"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", text, re.M), path
        for match in re.finditer(r"^\s*(?:import|from)\s+(etl[\w.]*)", text, re.M):
            assert match.group(1) == "etl.schema", (path, match.group(1))
