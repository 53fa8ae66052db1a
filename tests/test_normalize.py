"""Parameter tables for every normalizer: countries, organisations, levels, dates, places, persons, ids."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.normalize.countries import country_code, organisation_code, participant_code
from etl.normalize.dates import DateError, parse_date_span
from etl.normalize.ids import meeting_id, person_id, slugify
from etl.normalize.levels import delegation_level
from etl.normalize.persons import PersonMatcher
from etl.normalize.places import find_city


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kazakhstan", "KAZ"),
        ("Kazakh", "KAZ"),
        ("Kazakstan", "KAZ"),
        ("Kazakhstan's", "KAZ"),
        ("Kyrgyz", "KGZ"),
        ("Kirghizia", "KGZ"),
        ("Kyrgyz Republic", "KGZ"),
        ("Kyrgystan", "KGZ"),  # misspelling, fuzzy
        ("Tajik", "TJK"),
        ("Tadjikistan", "TJK"),
        ("Uzbekistan's", "UZB"),
        ("Uzbek", "UZB"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("the Russian Federation", "RUS"),
        ("Russian", "RUS"),
        ("Chinese", "CHN"),
        ("Indian", "IND"),
        ("Pakistani", "PAK"),
        ("Iranian", "IRN"),
        ("Belarusian", "BLR"),
        ("Byelorussia", "BLR"),
        ("Mongolian", "MNG"),
        ("Afghan", "AFG"),
        ("Sri Lankan", "LKA"),
        ("Azerbaijani", "AZE"),
        ("Turkmen", "TKM"),
        ("Viet Nam", "VNM"),
        ("KAZ", "KAZ"),
        ("Germany", "DEU"),  # any country pycountry knows
        ("Atlantis", None),
        ("", None),
        (None, None),
    ],
)
def test_country_names_demonyms_and_misspellings_map_to_iso3(ref, text, expected):
    assert country_code(text, ref) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SCO-SEC", "SCO-SEC"),
        ("Secretary-General of the SCO", "SCO-SEC"),
        ("Regional Anti-Terrorist Structure", "SCO-RATS"),
        ("the Regional Anti-Terrorist Structure", "SCO-RATS"),
        ("United Nations", "UN"),
        ("Kazakhstan", None),
    ],
)
def test_organisation_names_map_to_codes(ref, text, expected):
    assert organisation_code(text, ref) == expected


def test_participant_is_an_organisation_or_a_country(ref):
    assert participant_code("RATS", ref) == "SCO-RATS"
    assert participant_code("Kyrgyz", ref) == "KGZ"


@pytest.mark.parametrize(
    "title, level",
    [
        ("President", "head_of_state"),
        ("President of the People's Republic of China", "head_of_state"),
        ("Chairman of the People's Republic of China", "head_of_state"),
        ("Vice President and Vice Chairman of the Central Military Commission", "deputy_head"),
        ("Prime Minister", "head_of_government"),
        ("Premier of the State Council", "head_of_government"),
        ("First Deputy Prime Minister", "deputy_head"),
        ("Vice Premier", "deputy_head"),
        ("Defense Minister", "minister"),
        ("External Affairs Minister", "minister"),
        ("State Councilor and Minister of National Defense", "minister"),
        ("Deputy Defense Minister", "deputy_minister"),
        ("Vice Foreign Minister", "deputy_minister"),
        ("Minister of State for External Affairs", "deputy_minister"),
        ("Ambassador to China", "ambassador"),
        ("Special Envoy of the President", "ambassador"),
        ("Chief of the General Staff of the Armed Forces", "military_chief"),
        ("Secretary-General of the SCO", "head_of_organisation"),
        ("Deputy Director of the Regional Anti-Terrorist Structure", "senior_official"),
        ("Secretary of the Security Council", "senior_official"),
        ("National Security Adviser", "senior_official"),
        ("Speaker of the Senate", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_title_maps_to_delegation_level(ref, title, level):
    assert delegation_level(title, ref) == level


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("2012-04-24", date(2012, 4, 24), None, "day"),
        (date(2012, 4, 24), date(2012, 4, 24), None, "day"),
        ("24 April 2012", date(2012, 4, 24), None, "day"),
        ("April 24, 2012", date(2012, 4, 24), None, "day"),
        ("Apr. 24, 2012", date(2012, 4, 24), None, "day"),
        ("24th of April 2012", date(2012, 4, 24), None, "day"),
        ("July 3-4, 2024", date(2024, 7, 3), date(2024, 7, 4), "day"),
        ("3–4 July 2024", date(2024, 7, 3), date(2024, 7, 4), "day"),
        ("31 August–1 September 2025", date(2025, 8, 31), date(2025, 9, 1), "day"),
        ("August 31 - September 1, 2025", date(2025, 8, 31), date(2025, 9, 1), "day"),
        ("30 December 2024 - 2 January 2025", None, None, None),  # a full date on each side: unsupported
        ("April 2012", date(2012, 4, 1), None, "month"),
        ("2012-04", date(2012, 4, 1), None, "month"),
        ("2012", date(2012, 1, 1), None, "year"),
    ],
)
def test_dates_and_ranges_parse_with_precision(text, start, end, precision):
    if start is None:
        with pytest.raises(DateError):
            parse_date_span(text)
        return
    span = parse_date_span(text)
    assert (span.start, span.end, span.precision) == (start, end, precision)


def test_date_without_year_takes_the_published_year():
    assert parse_date_span("Dec. 13", default_year=2019).start == date(2019, 12, 13)


@pytest.mark.parametrize("text", ["2012-02-30", "31 April 2012", "July 4-3, 2024", "Dec. 13", "someday", ""])
def test_impossible_or_unreadable_dates_raise(text):
    with pytest.raises(DateError):
        parse_date_span(text)


@pytest.mark.parametrize(
    "name, canonical",
    [("Astana", "Astana"), ("Nur-Sultan", "Astana"), ("St. Petersburg", "Saint Petersburg"), ("alma-ata", "Almaty")],
)
def test_city_aliases_map_to_gazetteer_names(ref, name, canonical):
    assert find_city(name, ref).name == canonical


def test_unknown_city_is_none(ref):
    assert find_city("Gotham", ref) is None


@pytest.mark.parametrize(
    "name, country, expected",
    [
        ("Sergey Shoygu", "RUS", "rus-sergei-shoigu"),
        ("Sergei Shoigu", "RUS", "rus-sergei-shoigu"),
        ("Emomali Rakhmonov", "TJK", "tjk-emomali-rahmon"),
        ("Emomali Rahmon", "TJK", "tjk-emomali-rahmon"),
        ("Sergei Aleynik", "BLR", "blr-sergei-aleinik"),
        ("Kassym-Zhomart Tokayev", "KAZ", "kaz-kassym-jomart-tokayev"),
        ("Li Qiang", "CHN", "chn-li-qiang"),
        ("Li Keqiang", "CHN", "chn-li-keqiang"),
        ("Nawaz Sharif", "PAK", "pak-nawaz-sharif"),
        ("Shehbaz Sharif", "PAK", "pak-shehbaz-sharif"),
    ],
)
def test_spelling_variants_match_one_person(ref, name, country, expected):
    assert PersonMatcher(ref).resolve(name, country) == expected


def test_new_person_gets_a_slug_id_and_later_variants_match_it(ref):
    matcher = PersonMatcher(ref)
    first = matcher.resolve("Zhang Xinfeng", "SCO-RATS")
    assert first == "sco-rats-zhang-xinfeng"
    assert matcher.resolve("Zhang Sinfeng", "SCO-RATS") == first


@pytest.mark.parametrize(
    "series, host, title, expected",
    [
        ("heads_of_state", "KAZ", "x", "chs-2024-07-03-kaz"),
        ("foreign_ministers", "IND", "", "cfm-2024-07-03-ind"),
        ("courtesy_call", "CHN", "Xi meets ministers", "cc-2024-07-03-chn-"),
    ],
)
def test_meeting_ids_are_stable(series, host, title, expected):
    mid = meeting_id(series, date(2024, 7, 3), host, title)
    assert mid.startswith(expected)
    assert mid == meeting_id(series, date(2024, 7, 3), host, title.upper())


def test_slug_and_person_id_are_ascii():
    assert slugify("António Guterres") == "antonio-guterres"
    assert person_id("Emomali Rahmon", "TJK") == "tjk-emomali-rahmon"


@pytest.mark.parametrize(
    "title, level",
    [
        ("Adviser to the Prime Minister on National Security and Foreign Affairs", "senior_official"),
        ("Deputy Chairman of the Cabinet of Ministers", "deputy_head"),
        ("State Minister of Foreign Affairs", "deputy_minister"),
        ("Assistant to the President", "senior_official"),
    ],
)
def test_titles_that_name_a_leader_are_not_the_leader(ref, title, level):
    assert delegation_level(title, ref) == level


@pytest.mark.parametrize(
    "first, second, same",
    [
        ("Sergey Lebedev", "S. Lebedev", True),
        ("Nikolay Bordyuzha", "N.N. Bordyuzha", True),
        ("Nurlan Yermekbayev", "Yermekbayev", True),
        ("Lynn Pascoe", "L. Pascoe", True),
        ("Sergey Lebedev", "A. Lebedev", False),
        ("Rajnath Singh", "S. Singh", False),
    ],
)
def test_names_abbreviated_to_initials_or_surname_match_the_one_person_they_fit(ref, first, second, same):
    matcher = PersonMatcher(ref)
    a = matcher.resolve(first, "XXX")
    assert (matcher.resolve(second, "XXX") == a) is same


def test_a_surname_shared_by_two_people_matches_neither(ref):
    matcher = PersonMatcher(ref)
    matcher.resolve("Manmohan Singh", "IND")
    matcher.resolve("Rajnath Singh", "IND")
    assert matcher.resolve("Singh", "IND") == "ind-singh"


NAMES = [("Zhang Xinfeng", "SCO-RATS"), ("Zhang Sinfeng", "SCO-RATS"), ("Singh", "IND"), ("Rajnath Singh", "IND"),
         ("Manmohan Singh", "IND"), ("S. Lebedev", "XXX"), ("Sergey Lebedev", "XXX"), ("Lebedev", "XXX"),
         ("A. Lebedev", "XXX"), ("Sergei Lavrov", "RUS"), ("Sergey Lavrov", "RUS"), ("Lavrov", "RUS")]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(NAMES), max_size=30))
def test_asking_again_for_a_name_changes_nothing_so_first_sightings_decide(ref, sequence):
    """The build asks the matcher once per distinct (name, country) in input order (etl.pipeline): that gives
    the same ids, canonical names and aliases as asking for every row."""
    every_row, first_sightings = PersonMatcher(ref), PersonMatcher(ref)
    ids = [every_row.resolve(name, country) for name, country in sequence]
    seen = {pair: first_sightings.resolve(*pair) for pair in dict.fromkeys(sequence)}
    assert ids == [seen[pair] for pair in sequence]
    assert every_row.canonical == first_sightings.canonical
    assert every_row.aliases == first_sightings.aliases
