"""The Filters dataclass: URL query parameters, SQL and the plain-English sentence."""

from __future__ import annotations

from datetime import date

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import labels
from explorer.filters import Filters, parse_day

NAMES = {"KAZ": "Kazakhstan", "IND": "India", "CHN": "China", "RUS": "Russia", "PAK": "Pakistan", "UZB": "Uzbekistan"}

codes = st.lists(st.sampled_from(sorted(NAMES)), unique=True, max_size=4).map(tuple)
days = st.one_of(st.none(), st.dates(min_value=date(2001, 1, 1), max_value=date(2030, 12, 31)))


@st.composite
def filters(draw) -> Filters:
    """Any valid Filters (dates in order)."""
    a, b = draw(days), draw(days)
    if a and b and a > b:
        a, b = b, a
    return Filters(
        countries=draw(codes),
        date_from=a,
        date_to=b,
        series=draw(st.lists(st.sampled_from(list(labels.SERIES)), unique=True, max_size=3).map(tuple)),
        levels=draw(st.lists(st.sampled_from(list(labels.LEVELS)), unique=True, max_size=3).map(tuple)),
        statuses=draw(st.lists(st.sampled_from(list(labels.STATUSES)), unique=True, max_size=3).map(tuple)),
    )


@settings(max_examples=150, deadline=None)
@given(filters())
def test_any_filters_survive_a_round_trip_through_query_params(f):
    assert Filters.from_query_params(f.to_query_params()) == f


def test_lists_become_repeated_parameters_and_empty_fields_are_left_out():
    f = Filters(countries=("KAZ", "IND"), date_from=date(2015, 1, 1), series=("foreign_ministers",))
    assert f.to_query_params() == {"countries": ["KAZ", "IND"], "from": "2015-01-01", "series": ["foreign_ministers"]}
    assert Filters().to_query_params() == {}
    assert Filters().is_empty


def test_query_params_accept_single_values_years_commas_and_lower_case_codes():
    f = Filters.from_query_params({"countries": "kaz,ind", "from": "2015", "to": "2024", "series": "heads_of_state"})
    assert f == Filters(("KAZ", "IND"), date(2015, 1, 1), date(2024, 12, 31), ("heads_of_state",))


def test_malformed_query_params_are_dropped_not_raised():
    f = Filters.from_query_params(
        {"countries": ["KAZ", "<script>", "KAZ"], "from": "yesterday", "to": "2024-02-30", "levels": ["drop table"]}
    )
    assert f == Filters(countries=("KAZ",))


def test_a_reversed_date_range_is_put_in_order():
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2015, 12, 31))
    assert (f.date_from, f.date_to) == (date(2015, 12, 31), date(2024, 1, 1))


def test_a_month_ends_on_its_last_day():
    assert parse_day("2024-02", end=True) == date(2024, 2, 29)
    assert parse_day("2024-02") == date(2024, 2, 1)
    assert parse_day(None) is None


def test_values_outside_the_options_are_dropped_and_dates_at_the_bounds_mean_no_limit():
    f = Filters(countries=("KAZ", "ZZZ"), series=("nope",), date_from=date(2000, 1, 1), date_to=date(2020, 1, 1))
    out = f.restricted_to(countries=["KAZ"], series=["heads_of_state"], bounds=(date(2001, 6, 14), date(2025, 1, 1)))
    assert out == Filters(countries=("KAZ",), date_to=date(2020, 1, 1))


def test_the_sentence_reads_like_the_example():
    f = Filters(("KAZ", "IND"), date(2015, 1, 1), date(2024, 12, 31), ("foreign_ministers",))
    assert f.sentence(18, NAMES) == "Foreign ministers' meetings, Kazakhstan and India, 2015–2024: 18 meetings"


def test_the_sentence_covers_every_filter_and_counts_in_the_singular():
    f = Filters(
        countries=("KAZ",),
        date_from=date(2019, 3, 5),
        date_to=date(2019, 6, 1),
        series=("heads_of_state", "defence_ministers"),
        levels=("minister", "head_of_state"),
        statuses=("observer",),
    )
    assert f.sentence(1, NAMES) == (
        "Heads of state and defence ministers' meetings, Kazakhstan, 5 Mar 2019 – 1 Jun 2019, "
        "minister or head of state level, delegations of observers: 1 meeting"
    )


def test_the_sentence_without_filters_and_with_many_countries():
    assert Filters().sentence(105) == "All meetings: 105 meetings"
    many = Filters(countries=("KAZ", "IND", "CHN", "RUS", "PAK"))
    assert many.sentence(None, NAMES) == "All meetings, Kazakhstan, India, China and 2 other countries"
    assert Filters(date_from=date(2015, 1, 1)).sentence() == "All meetings, since 2015"
    assert Filters(date_to=date(2010, 12, 31)).sentence() == "All meetings, until 2010"
    assert Filters(date_from=date(2012, 1, 1), date_to=date(2012, 12, 31)).period() == "2012"


def test_file_names_come_from_the_filters():
    f = Filters(("KAZ", "IND"), date(2015, 1, 1), date(2024, 12, 31), ("foreign_ministers",))
    assert f.file_stem("meetings") == "sco_meetings_foreign-ministers_kaz-ind_2015-2024"
    assert Filters().file_stem("persons") == "sco_persons_all"
    odd = Filters(date_from=date(2019, 3, 5), levels=("head_of_state",), statuses=("dialogue_partner",))
    assert odd.file_stem("delegations") == "sco_delegations_since-5-mar-2019_head-of-state_dialogue-partner"


def _tiny_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        """
        CREATE TABLE meetings AS SELECT * FROM (VALUES
          ('m1', 'foreign_ministers', DATE '2016-05-01'),
          ('m2', 'heads_of_state', DATE '2018-06-01'),
          ('m3', 'foreign_ministers', DATE '2023-05-04')) t(meeting_id, series, date_start);
        CREATE TABLE delegations AS SELECT * FROM (VALUES
          ('m1', 'KAZ', 'minister', 'member', TRUE),
          ('m1', 'IND', 'minister', 'observer', TRUE),
          ('m2', 'IND', 'head_of_government', 'member', TRUE),
          ('m3', 'PAK', 'minister', 'member', FALSE),
          ('m3', 'CHN', 'minister', 'member', TRUE)) t(meeting_id, participant, level, status, attended);
        """
    )
    return con


def _meetings(con, f: Filters) -> list[str]:
    where, params = f.meeting_where("m")
    rows = con.execute(f"SELECT meeting_id FROM meetings m WHERE {where} ORDER BY meeting_id", params).fetchall()
    return [r[0] for r in rows]


def test_the_sql_keeps_meetings_a_matching_delegation_attended():
    con = _tiny_db()
    assert _meetings(con, Filters()) == ["m1", "m2", "m3"]
    assert _meetings(con, Filters(series=("foreign_ministers",))) == ["m1", "m3"]
    assert _meetings(con, Filters(countries=("IND",))) == ["m1", "m2"]
    assert _meetings(con, Filters(countries=("PAK",))) == []  # Pakistan's row is an absence
    assert _meetings(con, Filters(date_from=date(2017, 1, 1), date_to=date(2020, 1, 1))) == ["m2"]


def test_country_level_and_status_must_hold_on_the_same_delegation_row():
    con = _tiny_db()
    assert _meetings(con, Filters(countries=("IND",), levels=("minister",))) == ["m1"]
    assert _meetings(con, Filters(countries=("IND",), statuses=("member",))) == ["m2"]
    assert _meetings(con, Filters(countries=("IND",), statuses=("member",), levels=("minister",))) == []


def test_the_sql_passes_values_as_parameters_never_as_text():
    f = Filters(countries=("KAZ",), series=("x'; DROP TABLE meetings; --",))
    where, params = f.meeting_where()
    assert "DROP" not in where and "x'; DROP TABLE meetings; --" in params
    assert _meetings(_tiny_db(), f) == []
