"""Every page through streamlit's AppTest: renders on the fixture, empty and missing datasets; filters change the
numbers; filters arrive from and go back to the URL and survive page switches; a meeting opens from ?meeting=."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
PAGES = [
    "pages/overview.py",
    "pages/timeline.py",
    "pages/countries.py",
    "pages/map.py",
    "pages/meetings.py",
    "pages/downloads.py",
    "pages/method.py",
]
TITLES = ["Overview", "Timeline", "Countries", "Map", "Meetings", "Downloads", "Data & method"]


@pytest.fixture
def data_env(monkeypatch, dash_data, dash_raw):
    """Point the app at the fixture dataset and its raw folder."""
    monkeypatch.setenv("SCO_DATA_DIR", str(dash_data))
    monkeypatch.setenv("SCO_RAW_DIR", str(dash_raw))
    return dash_data


def app(page: str | None = None, **params) -> AppTest:
    """An AppTest of the router, optionally on a page and with URL query parameters, run once."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page and page != PAGES[0]:
        at.switch_page(page)
    return at.run()


def elements(node, kind: str) -> list:
    """Every element of a type anywhere in the tree (AppTest's accessors skip nested containers)."""
    found = []
    for child in getattr(node, "children", {}).values():
        if child.type == kind:
            found.append(child)
        found.extend(elements(child, kind))
    return found


def texts(at: AppTest) -> str:
    """Every caption, markdown, info and subheader text of the page, joined."""
    parts = []
    for kind in ("caption", "markdown", "info", "subheader", "success", "title"):
        parts.extend(getattr(e, "value", "") or e.proto.body for e in elements(at.main, kind))
    return "\n".join(parts)


@pytest.mark.parametrize("page,title", list(zip(PAGES, TITLES, strict=True)))
def test_every_page_renders_on_the_built_dataset(data_env, page, title):
    at = app(page)
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert len(at.caption) >= 2  # what the page shows, in words, and the filters sentence
    assert not [i.value for i in at.info if "No dataset" in i.value]


@pytest.mark.parametrize("which", ["empty_data", "missing_data"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_what_to_do_when_there_is_no_data(monkeypatch, request, which, page):
    monkeypatch.setenv("SCO_DATA_DIR", str(request.getfixturevalue(which)))
    at = app(page)
    assert not at.exception, at.exception
    messages = " ".join(i.value for i in at.info)
    assert "make data" in messages


def test_changing_a_filter_changes_the_numbers_and_the_url(data_env):
    at = app()
    assert at.metric[0].value == "5"
    at.multiselect(key="countries").set_value(["PAK"]).run()
    assert at.metric[0].value == "1"
    assert at.query_params["countries"] in ("PAK", ["PAK"])
    assert "Pakistan: 1 meeting" in texts(at)
    at.multiselect(key="series").set_value(["foreign_ministers"]).run()
    assert at.metric[0].value == "0"
    assert "No meetings match the current filters" in texts(at)


def test_query_params_reopen_the_page_with_those_filters(data_env):
    at = app("pages/meetings.py", countries=["IND", "PAK"], series=["heads_of_state"], **{"from": "2017-01-01"})
    assert not at.exception
    assert at.multiselect(key="countries").value == ["IND", "PAK"]
    assert at.multiselect(key="series").value == ["heads_of_state"]
    assert str(at.date_input(key="dates").value[0]) == "2017-01-01"
    assert "Heads of state meetings, India and Pakistan, since 2017: 2 meetings" in texts(at)


def test_filters_from_the_url_survive_page_switches(data_env):
    at = app(countries=["IND"])
    assert at.metric[0].value == "4"
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception
        assert at.multiselect(key="countries").value == ["IND"], page
        assert at.query_params["countries"] in ("IND", ["IND"]), page
    at.switch_page(PAGES[0]).run()
    assert at.metric[0].value == "4"


def test_unknown_values_in_the_url_are_ignored(data_env):
    at = app(countries=["ZZZ", "KAZ"], levels=["not_a_level"], to="1990")
    assert not at.exception
    assert at.multiselect(key="countries").value == ["KAZ"]
    assert at.multiselect(key="levels").value == []


def test_reset_filters_clears_the_widgets_and_the_url(data_env):
    at = app(countries=["IND"], series=["heads_of_state"])
    at.button(key="reset_filters").click().run()
    assert at.multiselect(key="countries").value == [] and at.multiselect(key="series").value == []
    assert "countries" not in at.query_params and "series" not in at.query_params
    assert at.metric[0].value == "5"


def test_clicking_a_country_bar_filters_to_that_country(data_env):
    def script():
        """A page that fakes a click on Pakistan's bar and runs the chart's callback."""
        import streamlit as st

        from pages._shared import filter_to_country

        st.session_state["fake_chart"] = {"selection": {"points": [{"customdata": ["PAK"], "x": "Pakistan"}]}}
        filter_to_country("fake_chart")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert at.session_state["countries"] == ["PAK"]


def test_the_countries_page_shows_charts_and_a_profile(data_env):
    at = app("pages/countries.py", countries=["IND"])
    assert not at.exception
    assert len(elements(at.main, "plotly_chart")) == 4
    assert at.selectbox(key="profile_country").value == "IND"
    assert "Who represented India" in texts(at)


def test_the_map_page_draws_a_deck_without_a_basemap(data_env):
    at = app("pages/map.py")
    assert not at.exception
    deck = elements(at.main, "deck_gl_json_chart")
    assert len(deck) == 1
    spec = deck[0].proto.json
    assert '"mapStyle":"__MAP_STYLE__"' in spec and "cartocdn" not in spec and "mapbox" not in spec
    assert "Member" in " ".join(h.proto.body for h in elements(at.main, "html"))  # the legend


def test_a_meeting_opens_from_the_url_with_its_press_text_highlighted_and_inert(data_env):
    at = app("pages/meetings.py", meeting="chs-2019-06-14-kgz")
    assert not at.exception
    assert at.subheader[0].value == "Meeting of the SCO Council of Heads of State in Bishkek (2019)"
    bodies = [h.proto.body for h in elements(at.main, "html")]
    press = next(b for b in bodies if "press-text" in b)
    assert press.count("<mark") == 4
    assert "<script>" not in press and "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in press
    assert "4 extracted passage(s) highlighted" in texts(at)


def test_an_unknown_meeting_id_gets_a_message_not_an_error(data_env):
    at = app("pages/meetings.py", meeting="nope-0000")
    assert not at.exception
    assert any("no meeting with the id" in i.value for i in at.info)


def test_the_meetings_search_narrows_the_table(data_env):
    at = app("pages/meetings.py")
    at.text_input(key="meeting_search").input("tashkent").run()
    assert "1 of 5 meetings contain" in texts(at)
    at.text_input(key="meeting_search").input("no such words").run()
    assert "No meetings match" in texts(at)


def test_downloads_are_named_after_the_filters(data_env):
    at = app("pages/downloads.py", countries=["KAZ"], series=["foreign_ministers"])
    assert not at.exception
    buttons = elements(at.main, "download_button")
    labels = [b.proto.label for b in buttons]
    assert labels.count("CSV") == 3 and labels.count("JSON") == 1
    assert "Download the whole dataset (zip)" in labels
    assert "Preview: sco_meetings_foreign-ministers_kaz.csv" in [e.proto.label for e in elements(at.main, "expander")]


def test_the_method_page_lists_rejects_and_gaps(data_env):
    at = app("pages/method.py")
    assert not at.exception
    text = texts(at)
    assert "Meetings without delegation rows** (1)" in text
    assert "What counts as a meeting" in text
    assert [m.value for m in at.metric][:3] == ["5", "21", "19"]
