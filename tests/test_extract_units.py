"""Rules of the press-release extractor, one table per rule, on short invented sentences."""

from __future__ import annotations

from datetime import date

import pytest

from etl.extract import extract_release
from etl.extract.lexicon import get_lexicon
from etl.extract.people import persons_in
from etl.extract.text import analyse, find_dateline
from etl.extract.when import find_dates


def people(text: str, ref) -> list[tuple[str | None, str | None, str | None]]:
    """(participant, name, title) of every person named in a one-sentence text."""
    lex = get_lexicon(ref)
    doc = analyse(text)
    out = []
    for i, sent in enumerate(doc.sentences):
        out += [(m.participant, m.name, m.title) for m in persons_in(text, sent, i, lex) if not m.excluded]
    return out


def rows(meetings: list[dict]) -> set[tuple[str, str | None]]:
    """(participant, name) of every delegation row of every meeting."""
    return {(r["participant"], r["name"]) for m in meetings for r in m["delegations"]}


DEMONYMS = [
    ("kyrgyz_maps_to_kyrgyzstan", "Kyrgyz Defense Minister Taalaibek Omuraliev spoke.", "KGZ"),
    ("kazakh_maps_to_kazakhstan", "Kazakh Defence Minister Adilbek Dzhaksybekov spoke.", "KAZ"),
    ("tajik_maps_to_tajikistan", "Tajik Defense Minister Sherali Khayrulloev spoke.", "TJK"),
    ("uzbekistan_possessive_maps_to_uzbekistan", "Uzbekistan's Deputy Defense Minister Rustam Niyazov spoke.", "UZB"),
    ("belarus_bare_apostrophe_maps_to_belarus", "Belarus' Defence Minister Viktor Khrenin spoke.", "BLR"),
    (
        "republic_of_country_after_title",
        "Minister of Foreign Affairs of the Republic of Kazakhstan Murat Nurtleu spoke.",
        "KAZ",
    ),
    (
        "kyrgyz_republic_after_title",
        "Minister of Foreign Affairs of the Kyrgyz Republic Zheenbek Kulubaev spoke.",
        "KGZ",
    ),
    ("name_of_country_after_name", "President Shavkat Mirziyoyev of Uzbekistan spoke.", "UZB"),
    ("country_in_brackets_after_name", "Secretary of the Commission Chen Wenqing (China) spoke.", "CHN"),
    ("ambassador_to_keeps_sending_country", "Chinese Ambassador to Kazakhstan Zhang Xiao spoke.", "CHN"),
    ("represented_by_gives_country", "India was represented by its ambassador to Kyrgyzstan, Alok Dimri.", "IND"),
]


@pytest.mark.parametrize("text,iso3", [d[1:] for d in DEMONYMS], ids=[d[0] for d in DEMONYMS])
def test_demonym_or_country_names_the_participant(ref, text, iso3):
    found = people(text, ref)
    assert found and found[0][0] == iso3


ORGANISATIONS = [
    ("secretary_general_of_the_sco", "Secretary General of the Shanghai Cooperation Organization (SCO) Muratbek Imanaliev spoke.", "SCO-SEC"),
    ("sco_secretary_general", "SCO Secretary-General Zhang Ming spoke.", "SCO-SEC"),
    ("rats_director", "Director of the Executive Committee of the SCO Regional Anti-Terrorist Structure Ruslan Mirzayev spoke.", "SCO-RATS"),
    ("un_secretary_general", "UN Secretary-General Antonio Guterres spoke.", "UN"),
]  # fmt: skip


@pytest.mark.parametrize("text,code", [o[1:] for o in ORGANISATIONS], ids=[o[0] for o in ORGANISATIONS])
def test_organisation_heads_represent_their_organisation(ref, text, code):
    assert people(text, ref)[0][0] == code


TITLES = [
    ("rank_is_not_part_of_the_title", "Minister of Defence of Kazakhstan, Colonel General Ruslan Zhaksylykov spoke.",
     "Ruslan Zhaksylykov", "Minister of Defence of Kazakhstan"),
    ("apposition_after_name", "Qian Lihua, director of the Defense Ministry's Foreign Affairs Office, spoke.",
     "Qian Lihua", "director of the Defense Ministry's Foreign Affairs Office"),
    ("acronym_in_brackets_dropped", "Chinese Vice President and Vice Chairman of the Central Military Commission (CMC) Xi Jinping spoke.",
     "Xi Jinping", "Vice President and Vice Chairman of the Central Military Commission"),
    ("comma_list_of_portfolios", "Kyrgyz Minister of Agriculture, Food Industry and Melioration Nurbek Murashev spoke.",
     "Nurbek Murashev", "Minister of Agriculture, Food Industry and Melioration"),
    ("honorifics_dropped", "External Affairs Minister Dr. S. Jaishankar spoke.", "S. Jaishankar", "External Affairs Minister"),
]  # fmt: skip


@pytest.mark.parametrize("text,name,title", [t[1:] for t in TITLES], ids=[t[0] for t in TITLES])
def test_title_and_name_are_split_where_written(ref, text, name, title):
    found = people(text, ref)
    assert (found[0][1], found[0][2]) == (name, title)


DATELINES = [
    ("xinhua", "BEIJING, Dec. 13 (Xinhua) -- Text.", "BEIJING", "Dec. 13", "Xinhua"),
    ("tass", "MOSCOW, June 15. /TASS/. Text.", "MOSCOW", "June 15", "TASS"),
    ("tass_without_date", "TASHKENT. /TASS/. Text.", "TASHKENT", None, "TASS"),
    ("kazinform", "ASTANA. KAZINFORM – Text.", "ASTANA", None, "KAZINFORM"),
    ("day_month_year", "NEW DELHI, 4 July 2024 -- Text.", "NEW DELHI", "4 July 2024", None),
]


@pytest.mark.parametrize("text,city,when,agency", [d[1:] for d in DATELINES], ids=[d[0] for d in DATELINES])
def test_dateline_gives_filing_city_date_and_agency(text, city, when, agency):
    dl = find_dateline(text, 0)
    assert (dl.city, dl.date_text, dl.agency) == (city, when, agency)


DATES = [
    ("month_day_year", "On April 24, 2012, they met.", date(2012, 4, 24), None),
    ("month_day_range", "held on July 3-4, 2024 in Astana", date(2024, 7, 3), date(2024, 7, 4)),
    ("cross_month_range", "from 31 August–1 September 2025", date(2025, 8, 31), date(2025, 9, 1)),
    ("range_without_year", "on 9-10 June", date(2024, 6, 9), date(2024, 6, 10)),
    ("from_to_range", "from July 2 to 6", date(2024, 7, 2), date(2024, 7, 6)),
    ("today", "met today", date(2024, 7, 3), None),
    ("yesterday", "met yesterday", date(2024, 7, 2), None),
    ("weekday_means_latest_such_day", "Xi on Tuesday met Putin", date(2024, 7, 2), None),
    ("future_weekday_looks_ahead", "will meet on Monday", date(2024, 7, 8), None),
]


@pytest.mark.parametrize("text,start,end", [d[1:] for d in DATES], ids=[d[0] for d in DATES])
def test_written_and_relative_dates_resolve_against_the_anchor(text, start, end):
    found = find_dates(text, 0, len(text), date(2024, 7, 3))
    assert (found[0].span.start, found[0].span.end) == (start, end)


def test_relative_day_without_anchor_is_never_guessed():
    assert find_dates("They met on Friday.", 0, 19, None)[0].span is None


CONTEXT = [
    (
        "mourned_leader",
        "The ministers held a minute of silence in memory of Iranian President Ebrahim Raisi.",
        "Ebrahim Raisi",
    ),
    (
        "greetings_conveyed",
        "Xi asked Lavrov to convey his greetings to Russian President Vladimir Putin.",
        "Vladimir Putin",
    ),
    ("former_office_holder", "The former Kyrgyz President Almazbek Atambayev was mentioned.", "Almazbek Atambayev"),
    (
        "spokesperson_is_not_a_delegate",
        "Foreign Ministry spokesperson Hua Chunying announced the visit.",
        "Hua Chunying",
    ),
    (
        "inviting_leader",
        "At the invitation of Tajik President Emomali Rahmon, Xi will visit Dushanbe.",
        "Emomali Rahmon",
    ),
]


@pytest.mark.parametrize("text,name", [c[1:] for c in CONTEXT], ids=[c[0] for c in CONTEXT])
def test_people_named_as_context_are_not_attendees(ref, text, name):
    assert name not in [p[1] for p in people(text, ref)]


RELEASES = [
    ("summit_council_is_heads_of_state",
     "ASTANA, July 4 (Xinhua) -- Chinese President Xi Jinping attended the Council of Heads of State of the SCO in Astana.",
     "heads_of_state"),
    ("premiers_summit_is_heads_of_government",
     "BISHKEK, Oct. 26 (Xinhua) -- Chinese Premier Li Qiang and Russian Prime Minister Mikhail Mishustin attended the SCO summit.",
     "heads_of_government"),
    ("indian_pm_at_summit_is_heads_of_state",
     "NEW DELHI, July 4 (IANS) -- Indian Prime Minister Narendra Modi attended the SCO summit in Astana.",
     "heads_of_state"),
    ("leader_receiving_ministers_is_courtesy_call",
     "BEIJING, April 24 (Xinhua) -- Chinese President Xi Jinping met with the SCO defense ministers in Beijing.",
     "courtesy_call"),
    ("leader_meeting_counterpart_on_sidelines_is_bilateral",
     "ASTANA, July 3 (Xinhua) -- Chinese President Xi Jinping met with Russian President Vladimir Putin on the "
     "sidelines of the SCO summit.",
     "bilateral_sideline"),
    ("security_council_secretaries",
     "MOSCOW, June 18. /TASS/. Secretaries of security councils of the SCO member states met in Moscow on Tuesday.",
     "security_council_secretaries"),
    ("peace_mission_is_military_exercise",
     "MOSCOW, Sept. 13 (Xinhua) -- The Peace Mission-2021 joint exercise opened in Orenburg on Monday.",
     "military_exercise"),
]  # fmt: skip


@pytest.mark.parametrize("text,series", [r[1:] for r in RELEASES], ids=[r[0] for r in RELEASES])
def test_series_is_read_from_the_lead_sentence(ref, text, series):
    assert extract_release(text, date(2024, 7, 4), None, ref)[0]["meeting"]["series"] == series


def test_diplomatic_envoys_list_gives_one_ambassador_row_per_country(ref):
    text = "BEIJING, April 24 (Xinhua) -- Xi met with diplomatic envoys of Kazakhstan, Kyrgyzstan and Russia to China."
    got = extract_release(text, date(2012, 4, 24), None, ref)
    envoys = {(r["participant"], r["level"]) for r in got[0]["delegations"] if r["name"] is None}
    assert envoys == {("KAZ", "ambassador"), ("KGZ", "ambassador"), ("RUS", "ambassador")}


def test_context_country_in_diplomatic_relations_is_not_a_participant(ref):
    text = (
        "ASTANA, May 21 (Xinhua) -- Kazakh Foreign Minister Murat Nurtleu chaired the SCO Council of Foreign "
        "Ministers in Astana. He said Kazakhstan established diplomatic relations with Egypt and Qatar."
    )
    assert {p for p, _ in rows(extract_release(text, date(2024, 5, 21), None, ref))} == {"KAZ"}


def test_dateline_city_is_not_the_venue_when_the_text_names_one(ref):
    text = (
        "BEIJING, Sept. 16 (Xinhua) -- Chinese President Xi Jinping attended the SCO summit in Samarkand, Uzbekistan."
    )
    assert extract_release(text, date(2022, 9, 16), None, ref)[0]["meeting"]["city"] == "Samarkand"


def test_video_link_meeting_is_virtual(ref):
    text = "MOSCOW, Nov. 10 (Xinhua) -- Russian President Vladimir Putin chaired the SCO summit via video link."
    assert extract_release(text, date(2020, 11, 10), None, ref)[0]["meeting"]["format"] == "virtual"


def test_release_without_a_meeting_yields_nothing(ref):
    assert extract_release("The weather in Beijing was sunny.", date(2024, 1, 1), None, ref) == []
