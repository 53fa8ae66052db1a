"""Rules of the press-release extractor, one table per rule, on short invented sentences."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pytest

from etl.extract import extract_release
from etl.extract import meetings as meetings_module
from etl.extract import people as people_module
from etl.extract import when as when_module
from etl.extract.fast import Gated, lowered, mirror_pattern, necessary_literals, text_mask
from etl.extract.lexicon import get_lexicon
from etl.extract.people import (
    _scan,
    _walk_left,
    group_patterns,
    left_title,
    name_candidates,
    persons_in,
    title_words_start,
)
from etl.extract.text import _BOUNDARY, _BREADCRUMB, _breadcrumb, analyse, find_dateline
from etl.extract.when import find_dates

ROOT = Path(__file__).resolve().parent.parent


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
    ("on_after_a_country", "Adviser to the Prime Minister of Pakistan on National Security Nasir Janjua spoke.",
     "Nasir Janjua", "Adviser to the Prime Minister of Pakistan on National Security"),
    ("one_letter_initial", "President A. Atambaev of the Kyrgyz Republic spoke.", "A. Atambaev", "President"),
    ("two_letter_initial", "President Ts. Elbegdorzh of Mongolia spoke.", "Ts. Elbegdorzh", "President"),
    ("under_secretary_general", "UN Under-Secretary-General for Political Affairs J. Feltman spoke.", "J. Feltman",
     "UN Under-Secretary-General for Political Affairs"),
    ("hyphenated_core_and_at", "Deputy Prosecutor-General at the Supreme People's Procuratorate of China Wang Chung spoke.",
     "Wang Chung", "Deputy Prosecutor-General at the Supreme People's Procuratorate of China"),
    ("ad_interim_and_in", "Charge d'Affaires ad Interim of Pakistan in the Kyrgyz Republic Tariq Ali spoke.", "Tariq Ali",
     "Charge d'Affaires ad Interim of Pakistan in the Kyrgyz Republic"),
    ("name_ends_the_sentence", "He met Chinese Foreign Minister Wang Yi. They talked.", "Wang Yi", "Foreign Minister"),
    ("compound_initials", "Chairman of the Government of Russia M.V. Mishustin spoke.", "M.V. Mishustin",
     "Chairman of the Government of Russia"),
    ("glued_initial", "Deputy Prime Minister of Mongolia Y.Sodbaatar spoke.", "Y.Sodbaatar", "Deputy Prime Minister of Mongolia"),
    ("dash_between_offices", "Deputy Prime Minister – Minister of Foreign Affairs of Kazakhstan Murat Nurtleu spoke.",
     "Murat Nurtleu", "Deputy Prime Minister – Minister of Foreign Affairs of Kazakhstan"),
    ("a_body_inside_a_title", "Chairman of the Halk Maslahaty of Turkmenistan Gurbanguly Berdimuhamedov spoke.",
     "Gurbanguly Berdimuhamedov", "Chairman of the Halk Maslahaty of Turkmenistan"),
    ("comma_then_honorific", "Emir of Qatar, Sheikh Tamim bin Hamad Al Thani, arrived.", "Tamim bin Hamad Al Thani", "Emir of Qatar"),
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
    ("city_and_country", "YEKATERINBURG, Russia, June 16 (Xinhua) -- Text.", "YEKATERINBURG", "June 16", "Xinhua"),
    (
        "agency_and_date_in_brackets",
        "BEIJING, (UrduPoint / Pakistan Point News - 22nd Aug, 2022 ) :Text.",
        "BEIJING",
        None,
        "UrduPoint / Pakistan Point News - 22nd Aug, 2022 ",
    ),
    (
        "agency_without_brackets",
        "DUSHANBE, April 14, 2015, Asia-Plus – Text.",
        "DUSHANBE",
        "April 14, 2015",
        "Asia-Plus",
    ),
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
    ("and_without_a_space", "held on September 11and 12, 2014", date(2014, 9, 11), date(2014, 9, 12)),
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


# ----------------------------------------------------------------------------------------- dates: never guessed


def _meeting(text: str, published: date | None, ref) -> dict:
    found = extract_release(text, published, None, ref)
    assert len(found) == 1
    return found[0]["meeting"]


def test_release_without_a_date_expression_gets_no_date_not_the_published_one(ref):
    text = "Defence ministers of the SCO member states met in Astana to discuss regional security."
    meeting = _meeting(text, date(2024, 4, 26), ref)
    assert (meeting["date_start"], meeting["date_end"], meeting["date_precision"]) == (None, None, None)
    assert "date_start" not in meeting["evidence"]


def test_dateline_without_a_date_does_not_date_the_meeting(ref):
    text = "ASTANA. KAZINFORM - Defence ministers of the SCO member states met in Astana to discuss security."
    assert _meeting(text, date(2024, 4, 26), ref)["date_start"] is None


def test_relative_day_is_resolved_against_the_published_date(ref):
    text = "Defence ministers of the SCO member states met in Astana today to discuss regional security."
    meeting = _meeting(text, date(2024, 4, 26), ref)
    assert meeting["date_start"] == date(2024, 4, 26)
    assert meeting["evidence"]["date_start"]["text"] == "today"


def test_dated_dateline_dates_a_release_whose_body_has_no_date(ref):
    text = "ASTANA, April 26 (Xinhua) -- Defence ministers of the SCO member states met in Astana."
    meeting = _meeting(text, date(2024, 4, 27), ref)
    assert meeting["date_start"] == date(2024, 4, 26)
    assert meeting["evidence"]["date_start"]["text"] == "April 26"


# ------------------------------------------------------------------- speed-ups give the results of the plain code

FIXTURE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "press").glob("*.txt"))]


def _shuffled_case(text: str, rng: random.Random) -> str:
    """The text with random case changes and the characters re.IGNORECASE folds onto ASCII letters."""
    chars = list(text)
    for _ in range(len(chars) // 12):
        i = rng.randrange(len(chars))
        c = chars[i]
        chars[i] = rng.choice([c.upper(), c.lower(), c.swapcase(), "İ" if c in "iI" else "ſ" if c in "sS" else "K"])
    return "".join(chars)


def _gated_patterns(ref) -> dict[str, Gated]:
    lex = get_lexicon(ref)
    found: dict[str, Gated] = {}
    for owner in (lex, group_patterns(lex), people_module, meetings_module, when_module):
        for name, value in vars(owner).items():
            if isinstance(value, Gated):
                found[name] = value
    found.update({f"series {i}": rule.pattern for i, rule in enumerate(lex.series_rules)})
    return found


def test_gated_patterns_match_exactly_like_the_bare_patterns(ref):
    rng = random.Random(7)
    texts = FIXTURE_TEXTS[:10] + [_shuffled_case(t, rng) for t in FIXTURE_TEXTS[:6]]
    gates = _gated_patterns(ref)
    assert len(gates) > 40
    for text in texts:
        spans = [(s.start, s.end) for s in analyse(text).sentences]
        for start, end in spans:
            mask = text_mask(text, start, end)
            for name, gate in gates.items():
                a = rng.randrange(start, end + 1)
                for lo, hi in ((start, end), (a, rng.randrange(a, end + 1))):
                    expected = [m.span() for m in gate.re.finditer(text, lo, hi)]
                    first = gate.re.search(text, lo, hi)
                    assert [m.span() for m in gate.finditer(text, lo, hi)] == expected, name
                    assert [m.span() for m in gate.finditer_in(mask, text, lo, hi)] == expected, name
                    assert [m.span() for m in gate.folded_in(mask, text, lo, hi)] == expected, name
                    folded = gate.first_in(mask, text, lo, hi)
                    assert (folded and folded.span()) == (expected[0] if expected else None), name
                    for got in (gate.search(text, lo, hi), gate.search_in(mask, text, lo, hi)):
                        assert (got and (got.span(), got.groups())) == (first and (first.span(), first.groups())), name


def test_mirror_pattern_matches_like_the_case_insensitive_pattern():
    text = "İSTANBUL ıstanbul Straße STRASSE ſtate KELVIN Kelvin École ÉCOLE Minister MINISTERS mınıster"
    for source in (r"\bistanbul\b", r"stra(?:ss|ß)e", r"\bstate\b", r"kelvin", r"\b[ée]cole\b", r"minisTERs?",
                   r"[A-Z]+", r"(?-i:Kelvin)", r"(a)\1"):  # fmt: skip
        pattern = re.compile(source, re.IGNORECASE)
        mirror = mirror_pattern(pattern)
        if mirror is None:  # a construct the mirror does not carry over: fine, the pattern runs as it is
            continue
        assert [m.span() for m in mirror.finditer(lowered(text))] == [m.span() for m in pattern.finditer(text)]


def test_necessary_literals_name_what_every_match_contains():
    assert necessary_literals(re.compile(r"\b(?:met|meets)\s+with\b", re.I)) == ("met", "meets")
    assert necessary_literals(re.compile(r"\bdefen[cs]e ministers'?\b", re.I)) == (
        "defence ministers",
        "defense ministers",
    )
    assert necessary_literals(re.compile(r"\w+\s+\d")) is None


def test_word_index_never_misses_a_pattern_registered_after_a_mask_was_taken():
    text = "The zyxwvut envoys met."
    mask = text_mask(text)
    late = Gated(re.compile(r"\bzyxwvut\b"))
    assert late.search_in(mask, text) is not None
    assert Gated(re.compile(r"\bqwertzuiop\b")).search_in(text_mask(text), text) is None


def test_left_title_from_a_short_stretch_equals_the_whole_window(ref):
    lex = get_lexicon(ref)
    for text in FIXTURE_TEXTS:
        for sent in analyse(text).sentences:
            for n_start, _ in name_candidates(text, sent.start, sent.end, lex):
                whole = _walk_left(text, n_start, _scan(text, max(sent.start, n_start - 220), n_start), lex, True)
                assert left_title(text, sent.start, n_start, lex) == whole


def test_title_words_start_equals_its_regex(ref):
    before = group_patterns(get_lexicon(ref)).title_before
    rng = random.Random(3)
    for text in FIXTURE_TEXTS[:8] + ["a b\n", "x  y\t\nz \n", "a_b c'd e’f g-h ij, kl (mn) op\u00a0 "]:
        for _ in range(300):
            a = rng.randrange(len(text) + 1)
            b = rng.randrange(a, len(text) + 1)
            assert title_words_start(text, a, b) == before.search(text, a, b).start()


def test_sentence_boundary_pattern_equals_the_plain_one():
    plain = re.compile(r"[.!?]+[\"”’)\]]*(?=\s)|\n")
    rng = random.Random(5)
    samples = FIXTURE_TEXTS[:5] + ["".join(rng.choice('.!?\n "”’)]ab\t') for _ in range(300)) for _ in range(50)]
    for text in samples:
        assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_breadcrumb_check_equals_its_pattern():
    lines = [line for text in FIXTURE_TEXTS for line in text.splitlines()]
    lines += ["Home > News", "NEWS", "newsletter", "Print", "» more", "Suggest to a friend", "Press releases here"]
    for line in lines:
        assert _breadcrumb(line) == bool(_BREADCRUMB.search(line)), line


def test_written_date_and_digit_shortcuts_equal_the_plain_searches():
    rng = random.Random(11)
    samples = FIXTURE_TEXTS + [
        "On 3-4 July 2024, 31 August–1 September 2025, July 3-4, 2024 and 2024-07-03; ٣ May, Dec. 13 ١٢",
        "".join(rng.choice("0123456789 JulyMaySeptDec-–,.١") for _ in range(400)),
    ]
    for text in samples:
        for _ in range(40):
            a = rng.randrange(len(text) + 1)
            b = rng.randrange(a, len(text) + 1)
            plain = [m.span() for m in when_module._ABSOLUTE.finditer(text, a, b)]
            assert [m.span() for m in when_module._written_dates(text, a, b)] == plain
            assert when_module._has_digit(text, a, b) == (when_module._DIGIT.search(text, a, b) is not None)


def test_title_token_scan_equals_the_token_pattern():
    rng = random.Random(4)
    samples = FIXTURE_TEXTS[:8] + [
        "".join(rng.choice("ab C_'’.&-,;:()  \u00a0\t\n1é»") for _ in range(300)) for _ in range(30)
    ]
    for text in samples:
        for _ in range(100):
            a = rng.randrange(len(text) + 1)
            b = rng.randrange(a, len(text) + 1)
            assert _scan(text, a, b) == people_module._LTOK.findall(text, a, b)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "The SCO foreign ministers met in Astana on 21 May 2024. Nurtleu welcomed the foreign ministers "
            "of Pakistan and Belarus – Ishaq Dar and Sergei Aleinik.",
            {("PAK", "Ishaq Dar"), ("BLR", "Sergei Aleinik")},
        ),
        (
            "The SCO Council of Foreign Ministers opened in Astana on 21 May 2024, attended by the foreign "
            "ministers of India, China and Russia, Subrahmanyam Jaishankar, Wang Yi and Sergey Lavrov, respectively.",
            {("IND", "Subrahmanyam Jaishankar"), ("CHN", "Wang Yi"), ("RUS", "Sergey Lavrov")},
        ),
        (  # two names for three countries: no pairing, the countries stay unnamed
            "The SCO Council of Foreign Ministers opened in Astana on 21 May 2024, attended by the foreign "
            "ministers of India, China and Russia, Wang Yi and Sergey Lavrov.",
            {("IND", None), ("CHN", None), ("RUS", None)},
        ),
    ],
)
def test_names_after_a_list_of_countries_pair_with_them_in_order(ref, sentence, expected):
    (meeting,) = extract_release(sentence, None, None, ref)
    rows = {(r["participant"], r["name"]) for r in meeting["delegations"] if r["participant"] != "KAZ"}
    assert expected <= rows
    paired = {p for p, n in expected if n}
    # one row per paired country: no unnamed twin, and the title of the list carried over
    for r in meeting["delegations"]:
        if r["participant"] in paired:
            assert r["name"] and r["level"] == "minister", r


def test_a_group_that_meets_one_person_is_a_courtesy_call_with_the_meetings_delegates(ref):
    text = (
        "The meeting of SCO security council secretaries was held in Beijing on 21 May 2018, attended by "
        "Russian Security Council Secretary Nikolai Patrushev and Indian Deputy National Security Adviser "
        "Rajinder Khanna. Delegates from India attended for the first time.\n\n"
        "The heads of delegations later met with President of China Xi Jinping."
    )
    main, call = extract_release(text, None, None, ref)
    assert [(r["participant"], r["name"]) for r in main["delegations"]] == [
        ("RUS", "Nikolai Patrushev"),
        ("IND", "Rajinder Khanna"),
        ("CHN", None),  # the host: the meeting was held in Beijing
    ]
    assert call["meeting"]["series"] == "courtesy_call"
    assert call["meeting"]["host_country"] == "CHN"
    assert {(r["participant"], r["name"]) for r in call["delegations"]} == {
        ("CHN", "Xi Jinping"),
        ("RUS", "Nikolai Patrushev"),
        ("IND", "Rajinder Khanna"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "On 1 October 2019, Bishkek, the capital of the Kyrgyz Republic, hosted the meeting of SCO defence ministers.",
        "On 29 April 2019, the capital of the Kyrgyz Republic, Bishkek, hosted the meeting of SCO defence ministers.",
    ],
)
def test_a_city_in_apposition_with_its_country_is_the_venue(ref, text):
    (meeting,) = extract_release(text, None, None, ref)
    assert (meeting["meeting"]["city"], meeting["meeting"]["host_country"]) == ("Bishkek", "KGZ")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("BISHKEK. KAZINFORM - The session of the SCO Council of Heads of Government has kicked off in Bishkek.",
         date(2016, 11, 3)),
        ("The SCO defence ministers are attending the meeting in Bishkek, the ministry said.", date(2016, 11, 3)),
        ("The meeting of SCO defence ministers took place in Bishkek.", None),  # past tense: which day is not said
    ],
)  # fmt: skip
def test_a_report_in_the_present_tense_is_dated_by_its_publication(ref, text, expected):
    (meeting,) = extract_release(text, date(2016, 11, 3), None, ref)
    assert meeting["meeting"]["date_start"] == expected


def test_a_habit_is_not_an_event(ref):
    text = "The meeting of SCO defence ministers is held in Bishkek every year."
    assert extract_release(text, date(2016, 11, 3), None, ref) == []


def test_a_bilateral_told_twice_is_one_meeting_and_a_spokesman_is_no_delegate(ref):
    text = (
        "Modi holds talks with Putin on the sidelines of the SCO summit\n\n"
        "NEW DELHI: Prime Minister Narendra Modi spoke on regional security at the SCO summit, Foreign "
        "Secretary Vinay Kwatra said on Friday.\n\n"
        "Earlier on Friday, Prime Minister Narendra Modi held talks with Russian President Vladimir Putin on "
        "the sidelines of the SCO summit in Samarkand."
    )
    meetings = extract_release(text, date(2022, 9, 16), "https://example.org/news", ref)
    bilaterals = [m for m in meetings if m["meeting"]["series"] == "bilateral_sideline"]
    assert len(bilaterals) == 1
    (talks,) = bilaterals
    assert {(r["participant"], r["name"]) for r in talks["delegations"]} == {
        ("IND", "Narendra Modi"),
        ("RUS", "Vladimir Putin"),
    }
    assert (talks["meeting"]["date_start"], talks["meeting"]["city"]) == (date(2022, 9, 16), "Samarkand")


def test_absent_people_and_city_adjectives(ref):
    text = (
        "Russian Defence Minister Sergei Ivanov spoke after a 14 May Moscow meeting of SCO defence ministers. "
        "He noted the absence of Uzbek Defence Minister Kadyr Gulyamov, who missed the meeting."
    )
    (meeting,) = extract_release(text, date(2002, 5, 15), None, ref)
    assert meeting["meeting"]["city"] == "Moscow"
    assert [(r["participant"], r["name"]) for r in meeting["delegations"]] == [("RUS", "Sergei Ivanov")]


def test_groups_of_agency_heads_and_appositions_ending_in_a_country(ref):
    text = (
        "The meeting of the heads of the emergency agencies of SCO states took place on 20 April 2023 in New Delhi. It was attended "
        "by the heads and officials of emergency situations authorities of India, China and Russia. Kazakh "
        "Emergency Minister Yuri Ilyin met Abdulla Kuldashyev, Emergency Situations Minister of Uzbekistan."
    )
    meetings = extract_release(text, None, None, ref)
    main = meetings[0]
    # the two ministers who met on its sidelines attended it too
    assert {r["participant"] for r in main["delegations"]} == {"IND", "CHN", "RUS", "KAZ", "UZB"}
    assert any(
        {(r["participant"], r["name"]) for r in m["delegations"]}
        == {("KAZ", "Yuri Ilyin"), ("UZB", "Abdulla Kuldashyev")}
        for m in meetings
    )


def test_lists_that_carry_a_title_over_and_status_lists_after_a_comma(ref):
    text = (
        "The SCO summit opened in Bishkek on 14 June 2019 with Russian President Vladimir Putin, Kazakhstan "
        "Kassym-Joomart Tokayev, Iran Hasan Rouhani and Chinese President Xi Jinping. Troops came from four SCO "
        "member states, including India, Pakistan, Mongolia and Belarus."
    )
    (meeting,) = extract_release(text, None, None, ref)
    rows = {(r["participant"], r["name"]) for r in meeting["delegations"]}
    assert {("KAZ", "Kassym-Joomart Tokayev"), ("IRN", "Hasan Rouhani"), ("RUS", "Vladimir Putin")} <= rows
    assert {("IND", None), ("PAK", None), ("MNG", None), ("BLR", None)} <= rows


def test_a_run_on_list_of_titles_and_names_splits_at_each_name(ref):
    text = (
        "Attending were Prime Minister of Kazakhstan A.U. Mamin Premier of the State Council of China Li Keqiang "
        "Prime Minister of Tajikistan K. Rasulzoda."
    )
    assert people(text, ref) == [
        ("KAZ", "A.U. Mamin", "Prime Minister of Kazakhstan"),
        ("CHN", "Li Keqiang", "Premier of the State Council of China"),
        ("TJK", "K. Rasulzoda", "Prime Minister of Tajikistan"),
    ]


def test_the_meeting_prepared_for_is_not_the_meeting_held_and_its_city_may_come_later(ref):
    text = (
        "BEIJING, Aug 22 (APP): As part of the preparations for the meeting of the SCO Heads of State Council, the "
        "security council secretaries of the SCO held a meeting.\n\n"
        "The 17th Meeting of Security Council Secretaries of the SCO was held in Tashkent under the Presidency of "
        "Uzbekistan."
    )
    (meeting,) = extract_release(text, date(2022, 8, 22), None, ref)
    m = meeting["meeting"]
    assert (m["series"], m["city"], m["host_country"]) == ("security_council_secretaries", "Tashkent", "UZB")


def test_a_release_of_unknown_origin_takes_its_venues_country_and_splits_meetings_held_respectively(ref):
    text = (
        "On May 15, 2006, Foreign Minister Li Zhaoxing met in the Shanghai International Conference Center "
        "respectively with Uzbek Foreign Minister Eler Ganiyev and Kyrghyz Foreign Minister Alikbek Jekshenkulov, "
        "who were here to attend the meeting of SCO foreign ministers."
    )
    meetings = extract_release(text, None, "https://example.org/archive", ref)
    pairs = [{(r["participant"], r["name"]) for r in m["delegations"]} for m in meetings]
    assert [m["meeting"]["series"] for m in meetings] == [
        "bilateral_sideline",
        "bilateral_sideline",
        "foreign_ministers",
    ]
    assert pairs[:2] == [
        {("CHN", "Li Zhaoxing"), ("UZB", "Eler Ganiyev")},
        {("CHN", "Li Zhaoxing"), ("KGZ", "Alikbek Jekshenkulov")},
    ]
    # the ministers' meeting they came for: all three attended it; its date is not given
    assert pairs[2] == pairs[0] | pairs[1]
    assert meetings[2]["meeting"]["date_start"] is None
    assert all(m["meeting"]["city"] == "Shanghai" for m in meetings)


def test_counterparts_from_several_countries_are_one_bilateral_each_and_earlier_talks_have_no_date(ref):
    text = (
        "Defence Minister Rajnath Singh met his counterparts from Uzbekistan and Kazakhstan in Moscow on Saturday "
        "on the sidelines of the SCO defence ministers' meeting.\n\n"
        "Earlier, he held talks with his Chinese counterpart Gen. Wei Fenghe."
    )
    meetings = extract_release(text, date(2020, 9, 5), "https://www.indiatoday.in/india/story", ref)
    got = [
        (
            m["meeting"]["series"],
            m["meeting"]["date_start"],
            sorted((r["participant"], r["name"]) for r in m["delegations"]),
        )
        for m in meetings
        if m["meeting"]["series"] == "bilateral_sideline"
    ]
    assert got == [
        ("bilateral_sideline", date(2020, 9, 5), [("IND", "Rajnath Singh"), ("UZB", None)]),
        ("bilateral_sideline", date(2020, 9, 5), [("IND", "Rajnath Singh"), ("KAZ", None)]),
        ("bilateral_sideline", None, [("CHN", "Wei Fenghe"), ("IND", "Rajnath Singh")]),
    ]


def test_a_list_of_titles_each_followed_by_a_surname(ref):
    text = (
        "The Secretary General of the SCO, Yermekbayev, the Director of the Executive Committee of the SCO "
        "Regional Counter Terrorism Structure, Sharsheyev, and Qatar's Prime Minister, Mohammed bin Abdulrahman, "
        "attended the meeting."
    )
    assert [(p, n) for p, n, _ in people(text, ref)] == [
        ("SCO-SEC", "Yermekbayev"),
        ("SCO-RATS", "Sharsheyev"),
        ("QAT", "Mohammed bin Abdulrahman"),
    ]


def test_short_names_plans_for_other_meetings_and_link_lines(ref):
    text = (
        "Defence Minister Rajnath Singh met his Chinese counterpart Wei Fenghe on the sidelines of the SCO Defence "
        "Ministers' meeting in Moscow on Friday.\n\n"
        "Mr. Singh and Mr. Wei met at 9.30 p.m., a source said.\n\n"
        "External Affairs Minister S. Jaishankar said he would meet Foreign Minister Wang Yi at the SCO Foreign "
        "Ministers' meeting in Moscow on September 10.\n\n"
        "Also read | Talks are the way forward, says External Affairs Minister Jaishankar"
    )
    meetings = extract_release(text, date(2020, 9, 4), "https://www.thehindu.com/news/national/x", ref)
    names = {(r["participant"], r["name"]) for m in meetings for r in m["delegations"]}
    assert names == {("IND", "Rajnath Singh"), ("CHN", "Wei Fenghe")}
    assert {m["meeting"]["city"] for m in meetings} == {"Moscow"}


def test_hard_wrapped_text_is_read_as_paragraphs(ref):
    lines = [
        "SHANGHAI, June 15 (Xinhua) -- The SCO summit opened in Shanghai on Thursday at",
        "the Shanghai International Convention Center with a closed-door meeting of Hu",
        "and his counterparts from the other five member countries -- Kazakh President",
        "Nursultan Nazarbayev, Kyrgyz President Kurmanbek Bakiyev, Russian President",
        "Vladimir Putin, Tajik President Emomali Rakhmonov and Uzbek President Islam",
        "Karimov. The observers were represented by Mongolian President Nambaryn",
        "Enkhbayar and Pakistani President Pervez Musharraf at the talks that day.",
    ]
    (meeting,) = extract_release("\n".join(lines), date(2006, 6, 15), None, ref)
    names = {(r["participant"], r["name"]) for r in meeting["delegations"]}
    assert {("UZB", "Islam Karimov"), ("MNG", "Nambaryn Enkhbayar"), ("RUS", "Vladimir Putin")} <= names
    assert (meeting["meeting"]["venue"], meeting["meeting"]["city"]) == (
        "Shanghai International Convention Center",
        "Shanghai",
    )


def test_a_courtesy_call_on_the_sidelines_names_its_occasion_and_the_next_paragraph_its_city(ref):
    text = (
        "ISLAMABAD, May 4 (APP): SCO Secretary General Zhang Ming called on Foreign Minister Bilawal Bhutto "
        "Zardari on Thursday.\n\n"
        "During the meeting, held on the sidelines of the SCO Council of Foreign Ministers in Goa, India, they "
        "discussed regional connectivity."
    )
    call, occasion = extract_release(text, date(2023, 5, 5), None, ref)
    assert (call["meeting"]["series"], call["meeting"]["city"]) == ("courtesy_call", "Goa")
    assert (occasion["meeting"]["series"], occasion["meeting"]["city"]) == ("foreign_ministers", "Goa")
    assert {r["participant"] for r in occasion["delegations"]} == {"SCO-SEC", "PAK"}


def test_the_sco_plus_session_is_recorded_as_other_like_the_curated_records(ref):
    text = "The SCO Plus meeting has kicked off in Astana, with Azerbaijani President Ilham Aliyev taking part."
    (meeting,) = extract_release(text, date(2024, 7, 4), None, ref)
    assert (meeting["meeting"]["series"], meeting["meeting"]["date_start"]) == ("other", date(2024, 7, 4))
    assert meeting["meeting"]["title"].startswith("Meeting of the SCO Plus")


def test_a_related_links_block_inside_the_article_is_skipped_and_the_article_goes_on(ref):
    text = (
        "TASHKENT, May 22 -- The session of the SCO Foreign Ministers Council was held in Tashkent on May 22.\n\n"
        "Related readings:\n"
        "Hu arrives in Tashkent for visit, SCO summit\n"
        "SCO leaders to set the bloc's future direction at the summit\n\n"
        "The heads of the delegations were received by President of Uzbekistan Islam Karimov after the session."
    )
    texts = [s.text for s in analyse(text).sentences]
    assert not any("Hu arrives" in t for t in texts)
    assert any("received by President of Uzbekistan" in t for t in texts)


def test_lines_after_the_end_of_an_article_are_not_read(ref):
    text = (
        "ASTANA, May 21 -- SCO foreign ministers met in Astana on Tuesday.\n\n"
        "Kazakh Foreign Minister Murat Nurtleu chaired the session.\n\n"
        "Leave a Reply\n\n"
        "Pakistan Prime Minister Urges Action on Climate Finance\n"
    )
    doc = analyse(text)
    assert all("Urges" not in s.text for s in doc.sentences)
    (meeting,) = extract_release(text, date(2024, 5, 21), None, ref)
    assert rows([meeting]) == {("KAZ", "Murat Nurtleu")}


@pytest.mark.parametrize(
    ("lead", "city"),
    [
        # chaired from elsewhere: the dateline is only where the story was filed
        ("BEIJING, Sep 19 -- Russian Security Council Secretary Nikolai Patrushev chaired", None),
        # chaired from the dateline city itself
        ("MOSCOW, Sep 19 -- Russian Security Council Secretary Nikolai Patrushev chaired", "Moscow"),
    ],
)
def test_a_virtual_meeting_takes_the_dateline_city_only_from_the_chair(ref, lead, city):
    text = (
        f"{lead} the meeting of SCO security council secretaries on Friday.\n\n"
        "The meeting, held via videoconference, was attended by representatives of Kazakhstan and China."
    )
    meeting = extract_release(text, date(2020, 9, 19), None, ref)[0]
    assert (meeting["meeting"]["format"], meeting["meeting"]["city"]) == ("virtual", city)


def test_earlier_in_the_day_is_the_day_named_before_or_the_day_of_the_report(ref):
    text = (
        "Prime Minister Narendra Modi addressed the SCO summit in Samarkand on September 16, 2022.\n\n"
        "Earlier in the day, Modi held talks with Turkish President Recep Tayyip Erdogan on the sidelines of "
        "the summit."
    )
    talks = [
        m for m in extract_release(text, date(2022, 9, 17), None, ref) if m["meeting"]["series"] == "bilateral_sideline"
    ]
    assert [m["meeting"]["date_start"] for m in talks] == [date(2022, 9, 16)]
    text = "Earlier in the day, Modi held talks with Turkish President Recep Tayyip Erdogan on the sidelines of the SCO summit."
    (talks,) = [
        m for m in extract_release(text, date(2022, 9, 16), None, ref) if m["meeting"]["series"] == "bilateral_sideline"
    ]
    assert talks["meeting"]["date_start"] == date(2022, 9, 16)


def test_an_organisation_after_the_name_and_a_new_title_after_and(ref):
    text = (
        "Director Myrzakan Subanov of the Executive Committee of the SCO Regional Antiterrorist Structure attended, "
        "as did President Kurbanguly Berdymukhamedov of Turkmenistan and UN Deputy Secretary-General Linn Pasko."
    )
    assert [(p, n) for p, n, _ in people(text, ref)] == [
        ("SCO-RATS", "Myrzakan Subanov"),
        ("TKM", "Kurbanguly Berdymukhamedov"),
        ("UN", "Linn Pasko"),
    ]


def test_portfolios_joined_by_and_and_initials_without_dots(ref):
    text = (
        "India's External Affairs Minister S Jaishankar, Iranian Mining and Trade Minister Seyyed Mohammad Atabek "
        "and Nepal's Prime Minister KP Oli attended."
    )
    assert [(p, n) for p, n, _ in people(text, ref)] == [
        ("IND", "S Jaishankar"),
        ("IRN", "Seyyed Mohammad Atabek"),
        ("NPL", "KP Oli"),
    ]


def test_a_list_of_possessive_countries_takes_the_title_of_the_group(ref):
    text = (
        "The visiting defence ministers were Kyrgyzstan's Bolot Asanov, Russia's Pavel Orlov and "
        "Tajikistan's Farrukh Nabiev."
    )
    assert people(text, ref) == [
        ("KGZ", "Bolot Asanov", "defence minister"),
        ("RUS", "Pavel Orlov", "defence minister"),
        ("TJK", "Farrukh Nabiev", "defence minister"),
    ]


def test_country_comma_name_pairs_after_a_plural_title(ref):
    text = (
        "The Prime Ministers of Kazakhstan, Aidos Serikov, Russia, Pavel Orlov, Tajikistan, Farrukh Nabiev, the "
        "Premier of the State Council of China, Wen Jiabao, took part."
    )
    assert [(p, n) for p, n, _ in people(text, ref)] == [
        ("KAZ", "Aidos Serikov"),
        ("RUS", "Pavel Orlov"),
        ("TJK", "Farrukh Nabiev"),
        ("CHN", "Wen Jiabao"),
    ]


@pytest.mark.parametrize(
    ("sentence", "countries"),
    [
        (
            "At the summit in Shanghai on 15 June 2001 the heads of six states – China, Russia, Kazakhstan, "
            "Kyrgyzstan, Tajikistan and Uzbekistan – signed the declaration.",
            ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB"],
        ),
        (
            "The SCO summit in Shanghai on 15 June 2001 was attended by China, Russia and Kazakhstan.",
            ["CHN", "RUS", "KAZ"],
        ),
    ],
)
def test_states_listed_after_a_dash_or_attended_by(ref, sentence, countries):
    (meeting,) = extract_release(sentence, None, None, ref)
    assert [r["participant"] for r in meeting["delegations"]] == countries


def test_the_rats_council_and_telegrams_of_congratulations(ref):
    text = (
        "The 20th session of the Council of the Regional Anti-Terrorist Structure of the SCO was held on 27 March "
        "in Tashkent.\n\nPresident Nursultan Nazarbayev of Kazakhstan sent telegrams of congratulations.\n\n"
        "The council approved a report to the Council of Heads of State."
    )
    (meeting,) = extract_release(text, date(2012, 4, 2), None, ref)
    m = meeting["meeting"]
    assert (m["series"], m["date_start"], m["city"]) == ("other", date(2012, 3, 27), "Tashkent")
    assert "Council of the Regional Anti-Terrorist Structure" in m["title"]
    assert not any(r["name"] for r in meeting["delegations"])  # Nazarbayev only sent a telegram


def test_a_publication_named_today_is_not_a_relative_day(ref):
    text = (
        "Astana. October 31. Kazakhstan Today - The session of the Council of Prime Ministers of the SCO member "
        "states took place in Astana on Thursday."
    )
    (meeting,) = extract_release(text, date(2008, 10, 31), None, ref)
    assert meeting["meeting"]["date_start"] == date(2008, 10, 30)


def test_a_kremlin_header_line_gives_the_day_and_the_city(ref):
    text = (
        "Meeting with President of Tajikistan Emomali Rahmon\n\n"
        "September 11, 2014, Dushanbe\n\n"
        "Vladimir Putin met with President of Tajikistan Emomali Rahmon on the sidelines of the SCO summit."
    )
    doc = analyse(text)
    assert (doc.dateline.city, doc.dateline.date_text) == ("Dushanbe", "September 11, 2014")
    talks = [m for m in extract_release(text, None, None, ref) if m["meeting"]["series"] == "bilateral_sideline"]
    assert [(m["meeting"]["date_start"], m["meeting"]["city"]) for m in talks] == [(date(2014, 9, 11), "Dushanbe")]


def test_a_stamp_above_the_text_anchors_relative_days_when_no_published_date_is_given(ref):
    text = "Health ministers meet\n\n24 July 2020, 13:59\n\nThe SCO health ministers met by video link on Friday."
    assert analyse(text).stamp == "24 July 2020"
    (meeting,) = extract_release(text, None, None, ref)
    assert meeting["meeting"]["date_start"] == date(2020, 7, 24)


def test_a_dateline_with_a_hyphen_chiefs_of_general_staff_and_head_as_a_verb(ref):
    text = (
        "ALMATY - The Peace Mission 2010 drill of the SCO kicked off here on Friday.\n\n"
        "Soldiers of the Chinese People's Liberation Army head for their training ground.\n\n"
        "The chiefs of the general staff of the armed forces of China, Kazakhstan and Russia ordered the start."
    )
    (meeting,) = extract_release(text, date(2010, 9, 10), None, ref)
    assert (meeting["meeting"]["city"], meeting["meeting"]["date_start"]) == ("Almaty", date(2010, 9, 10))
    assert [(r["participant"], r["title"]) for r in meeting["delegations"]] == [
        ("CHN", "chief of the general staff of the armed forces"),
        ("KAZ", "chief of the general staff of the armed forces"),
        ("RUS", "chief of the general staff of the armed forces"),
    ]


def test_two_ministers_who_met_each_other_and_the_same_talks_told_again(ref):
    text = (
        "MOSCOW, July 28. /TASS/. Russian Foreign Minister Pavel Orlov and his Chinese counterpart Wang Yi met on "
        "the sidelines of a meeting of the SCO Foreign Ministers' Council in Tashkent.\n\n"
        "Mr. Orlov and Mr. Wang met for over an hour, a source said."
    )
    talks = [
        m for m in extract_release(text, date(2022, 7, 28), None, ref) if m["meeting"]["series"] == "bilateral_sideline"
    ]
    assert len(talks) == 1
    assert rows(talks) == {("RUS", "Pavel Orlov"), ("CHN", "Wang Yi")}
    assert talks[0]["meeting"]["city"] == "Tashkent"


def test_a_minister_meeting_the_sco_secretary_general_is_a_courtesy_call_on_the_state(ref):
    text = (
        "BISHKEK, May 11 (Xinhua) -- Kyrgyz Foreign Minister Jeenbek Kulubaev met with Secretary-General of the "
        "SCO Zhang Ming on Thursday."
    )
    (meeting,) = extract_release(text, date(2023, 5, 12), None, ref)
    m = meeting["meeting"]
    assert (m["series"], m["host_country"], m["city"], m["date_start"]) == (
        "courtesy_call",
        "KGZ",
        "Bishkek",
        date(2023, 5, 11),
    )


def test_names_then_their_counterparts_from_two_countries_pair_up_in_order(ref):
    text = (
        "New Delhi: External Affairs Minister S. Jaishankar on Thursday met with Pavel Orlov and Qin Gang, his "
        "counterparts from Russia and China, on the sidelines of the SCO foreign ministers' meeting. The SCO meeting, "
        "hosted by India in Goa, is being held on Thursday and Friday."
    )
    talks = [
        m for m in extract_release(text, date(2023, 5, 4), None, ref) if m["meeting"]["series"] == "bilateral_sideline"
    ]
    assert [sorted(rows([m])) for m in talks] == [
        [("IND", "S. Jaishankar"), ("RUS", "Pavel Orlov")],
        [("CHN", "Qin Gang"), ("IND", "S. Jaishankar")],
    ]
    assert {m["meeting"]["city"] for m in talks} == {"Goa"}  # not the dateline's New Delhi


def test_talks_with_ministers_from_several_states_one_bilateral_each_and_they_attended(ref):
    text = (
        "At the SCO defence ministers' meeting in Astana, Chinese Defence Minister Dong Jun called for closer "
        "cooperation.\n\n"
        "During his visit, Dong engaged in discussions with defence ministers from Pakistan, Iran and Belarus."
    )
    meetings = extract_release(text, date(2024, 4, 26), None, ref)
    talks = [m for m in meetings if m["meeting"]["series"] == "bilateral_sideline"]
    assert [sorted(r["participant"] for r in m["delegations"]) for m in talks] == [
        ["CHN", "PAK"],
        ["CHN", "IRN"],
        ["BLR", "CHN"],
    ]
    assert {r["name"] for m in talks for r in m["delegations"] if r["participant"] == "CHN"} == {"Dong Jun"}
    (council,) = [m for m in meetings if m["meeting"]["series"] == "defence_ministers"]
    assert {r["participant"] for r in council["delegations"]} == {"CHN", "PAK", "IRN", "BLR", "KAZ"}  # KAZ: the host


def test_prosecutors_general_and_demonym_counterparts_without_a_name(ref):
    text = (
        "Kazakh Prosecutor General Berik Assylov took part in the meeting of the SCO Prosecutors General in Bishkek.\n\n"
        "Attending the meeting were the Prosecutor Generals of Belarus, India and Iran.\n\n"
        "In addition, the Kazakh Prosecutor General held bilateral meetings with his Chinese and Russian counterparts."
    )
    meetings = extract_release(text, date(2024, 7, 25), None, ref)
    (council,) = [m for m in meetings if m["meeting"]["series"] == "ministerial_other"]
    assert {r["participant"] for r in council["delegations"]} >= {"KAZ", "BLR", "IND", "IRN"}
    talks = [m for m in meetings if m["meeting"]["series"] == "bilateral_sideline"]
    assert [sorted(r["participant"] for r in m["delegations"]) for m in talks] == [["CHN", "KAZ"], ["KAZ", "RUS"]]


def test_a_meeting_of_agency_heads_of_any_kind_and_the_bodies_that_took_part(ref):
    text = (
        "New Delhi [India], Nov 9 (ANI): The 10th meeting of Heads of Authorities of Member States of the Shanghai "
        "Cooperation Organization on the prevention and elimination of emergency situations was held on Friday.\n\n"
        "Apart from the host, the representatives of the diplomatic missions of Pakistan and Tajikistan and the SCO "
        "Secretariat participated in this meeting."
    )
    (meeting,) = extract_release(text, date(2019, 11, 9), None, ref)
    m = meeting["meeting"]
    assert (m["series"], m["date_start"], m["city"]) == ("ministerial_other", date(2019, 11, 8), "New Delhi")
    assert {r["participant"] for r in meeting["delegations"]} == {"IND", "PAK", "TJK", "SCO-SEC"}  # IND: the host


@pytest.mark.parametrize(
    "sentence",
    [
        "The third meeting of the heads of SCO border services was held in Tashkent on 6 June 2019.",
        "A session of the SCO Interbank Consortium Council took place in Moscow on 30 October 2020.",
    ],
)
def test_any_sco_meeting_the_text_says_was_held_is_a_meeting(ref, sentence):
    (meeting,) = extract_release(sentence, None, None, ref)
    assert meeting["meeting"]["series"] in ("ministerial_other", "other")
    assert meeting["meeting"]["date_start"] is not None


def test_an_exercise_that_began_on_one_day_and_ended_on_another_at_a_range_by_a_city(ref):
    text = (
        "New Delhi: The SCO Peace Mission exercise of the armed forces of eight nations concluded on Wednesday after "
        "days of joint training.\n\n"
        "In the joint exercise, which began on 24 August, the forces trained to fight terrorism.\n\n"
        "The closing ceremony was conducted at the drill ground of the firing ranges, Chebarkul, Russia."
    )
    (meeting,) = extract_release(text, date(2018, 8, 30), None, ref)
    m = meeting["meeting"]
    assert (m["date_start"], m["date_end"], m["city"], m["host_country"]) == (
        date(2018, 8, 24),
        date(2018, 8, 29),
        "Chebarkul",
        "RUS",
    )


def test_a_city_where_a_later_sentence_says_the_meeting_will_be_held_is_not_its_place(ref):
    text = (
        "BISHKEK: President Sooronbai Jeenbekov met with the Secretary General of the SCO Vladimir Norov.\n\n"
        "The summit of the heads of the SCO member states will be held in June in Bishkek, he said."
    )
    call = extract_release(text, date(2019, 2, 8), None, ref)[0]
    assert call["meeting"]["evidence"]["city"]["text"] == "BISHKEK"  # the dateline, not the future summit's city


def test_talks_on_the_sidelines_of_a_meeting_to_be_held_tomorrow(ref):
    text = (
        "NEW DELHI: Defence Minister of India Rajnath Singh today held a bilateral meeting with his Chinese "
        "counterpart General Li Shangfu on the sideline of SCO meet in New Delhi.\n\n"
        "Mr Singh will chair the SCO Defence Ministers Meeting in New Delhi tomorrow."
    )
    (talks,) = extract_release(text, date(2023, 4, 27), None, ref)  # no record of a meeting not yet held
    m = talks["meeting"]
    assert (m["series"], m["parent_hint"]["series"], m["date_start"]) == (
        "bilateral_sideline",
        "defence_ministers",
        date(2023, 4, 27),
    )
    assert {(r["participant"], r["title"]) for r in talks["delegations"]} == {
        ("IND", "Defence Minister of India"),
        ("CHN", "Defence Minister"),
    }


def test_a_meeting_someone_is_scheduled_to_have_is_not_a_meeting(ref):
    text = (
        "Chinese President Hu Jintao met his Kazakh counterpart Nursultan Nazarbayev in Astana on Monday.\n\n"
        "The Chinese leader is scheduled to meet with Kazakh Prime Minister Karim Masimov on Tuesday."
    )
    meetings = extract_release(text, date(2011, 6, 13), None, ref)
    assert [sorted(rows([m])) for m in meetings] == [[("CHN", "Hu Jintao"), ("KAZ", "Nursultan Nazarbayev")]]


def test_talks_in_the_city_of_a_meeting_held_there_are_on_its_sidelines(ref):
    text = (
        "TASHKENT, June 10 (Xinhua) -- Chinese President Hu Jintao held talks with Uzbek President Islam Karimov in "
        "Tashkent on Wednesday.\n\n"
        "The SCO summit is being held in Tashkent on Thursday and Friday."
    )
    talks = extract_release(text, date(2010, 6, 10), None, ref)[0]
    assert (talks["meeting"]["series"], talks["meeting"]["parent_hint"]["series"]) == (
        "bilateral_sideline",
        "heads_of_state",
    )


def test_sideline_talks_with_officers_the_occasion_dated_where_the_release_dates_it(ref):
    text = (
        "Defence Minister Rajnath Singh met with Tajikistan's Lieutenant General Emomali Sobirzoda during the SCO "
        "Defence Ministers' meeting in Qingdao, China.\n\n"
        "Singh also conversed with Belarus's Lieutenant General Viktor Khrenin on the sidelines of the event.\n\n"
        "The SCO Defence Ministers' meeting from June 25 to 26 brings together member nations."
    )
    meetings = extract_release(text, date(2025, 6, 26), None, ref)
    talks = [m for m in meetings if m["meeting"]["series"] == "bilateral_sideline"]
    assert [sorted(rows([m])) for m in talks] == [
        [("IND", "Rajnath Singh"), ("TJK", "Emomali Sobirzoda")],
        [("BLR", "Viktor Khrenin"), ("IND", "Rajnath Singh")],
    ]
    assert [m["meeting"]["date_start"] for m in talks] == [None, None]  # the talks' day is not said
    (occasion,) = [m for m in meetings if m["meeting"]["series"] == "defence_ministers"]
    m = occasion["meeting"]
    assert (m["date_start"], m["date_end"], m["city"], m["host_country"]) == (
        date(2025, 6, 25),
        date(2025, 6, 26),
        "Qingdao",
        "CHN",
    )


def test_names_from_their_countries_after_a_plural_title_and_sco_bodies_by_name(ref):
    text = (
        "Chinese State Councilor Tang Jiaxuan and the foreign ministers of six SCO members -- Li Zhaoxing from "
        "China, Kasymzhomart Tokayev from Kazakhstan and Sodik Safaev from Uzbekistan -- attended the ceremony."
    )
    assert people(text, ref) == [
        ("CHN", "Tang Jiaxuan", "State Councilor"),
        ("CHN", "Li Zhaoxing", "foreign minister"),
        ("KAZ", "Kasymzhomart Tokayev", "foreign minister"),
        ("UZB", "Sodik Safaev", "foreign minister"),
    ]
    text = (
        "Chairman of the Board of SCO Business Council Chen Zhou and a guest of honour, WHO Regional Director for "
        "Europe Hans Kluge, attended."
    )
    assert [(p, n) for p, n, _ in people(text, ref)] == [("SCO-BC", "Chen Zhou"), ("WHO", "Hans Kluge")]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "Foreign Minister Ishaq Dar attended the SCO foreign ministers' meeting in Beijing on Tuesday. He had landed "
            "in Beijing the previous night, where he was welcomed by Foreign Ministry representative Ms Yu Hong.",
            "Yu Hong",
        ),
        (
            "Premier Li Keqiang chaired the SCO heads of government meeting on Thursday. Li Keqiang said in his speech "
            "that President Xi Jinping has proposed a closer SCO community.",
            "Xi Jinping",
        ),
        (
            "Foreign Minister Bilawal Bhutto Zardari attended the SCO foreign ministers' meeting in Goa on Thursday. "
            "She noted Minister of State Hina Rabbani Khar's participation in the Meeting of the Neighbouring "
            "Countries of Afghanistan in Samarkand.",
            "Hina Rabbani Khar",
        ),
        (
            "The SCO heads of state met in Ufa on Friday. The meeting follows a summit of the BRICS group. Leaders of "
            "Brazil, Russia, India, China and South Africa discussed economic issues.",
            "BRA",
        ),
    ],
)
def test_people_and_states_of_arrivals_speeches_and_other_meetings_are_context(ref, text, absent):
    meetings = extract_release(text, date(2025, 7, 15), None, ref)
    found = {v for m in meetings for r in m["delegations"] for v in (r["participant"], r["name"])}
    assert absent not in found


def test_plans_to_meet_are_not_attendance_but_announced_attendance_is(ref):
    text = (
        "DUSHANBE, Sept 16 -- President Shavkat Mirziyoyev arrived in Dushanbe to take part in the SCO summit.\n\n"
        "The President will also meet Tajik President Emomali Rahmon and Iranian President Ibrahim Raisi.\n\n"
        "Chinese President Xi Jinping sent a congratulatory letter to the meeting."
    )
    meetings = extract_release(text, date(2021, 9, 16), None, ref)
    found = {r["name"] for m in meetings for r in m["delegations"]}
    assert not found & {"Emomali Rahmon", "Ibrahim Raisi", "Xi Jinping"}
    text = "MOSCOW, July 10 -- Presidents of Russia and China will participate in the SCO summit in Ufa on Friday."
    (meeting,) = extract_release(text, date(2015, 7, 10), None, ref)
    assert {r["participant"] for r in meeting["delegations"]} == {"RUS", "CHN"}


def test_the_state_whose_city_hosts_a_meeting_takes_part_in_it(ref):
    text = "The meeting of SCO transport ministers was held in Khiva on 12 May 2022, attended by China and India."
    (meeting,) = extract_release(text, None, None, ref)
    host = [r for r in meeting["delegations"] if r["participant"] == "UZB"]
    assert [(r["name"], r["role"], r["evidence"]["text"]) for r in host] == [(None, "host", "Khiva")]
    # no city, no host row
    (meeting,) = extract_release("The SCO transport ministers met by video link on 12 May 2022.", None, None, ref)
    assert meeting["delegations"] == []


def test_a_meeting_dated_where_a_later_sentence_names_it_and_one_that_has_just_concluded(ref):
    text = (
        "Almaty. September 14. Silkroadnews - Presidency at the Council of the Regional Anti-Terrorist Structure of "
        "the SCO has been transferred to China.\n\n"
        "On September 13 the 29th meeting of the SCO RATS Council was held in Almaty."
    )
    (meeting,) = extract_release(text, date(2016, 9, 14), None, ref)
    assert meeting["meeting"]["date_start"] == date(2016, 9, 13)
    text = (
        "New Delhi: External Affairs Minister S Jaishankar represented India at the meeting of the SCO Council of "
        "Heads of Government which has just concluded."
    )
    (meeting,) = extract_release(text, date(2022, 11, 1), None, ref)
    assert meeting["meeting"]["date_start"] == date(2022, 11, 1)


@pytest.mark.parametrize(
    "sentence",
    [
        "The meeting of SCO member states' science and technology ministers took place in Chengdu on 12 June 2025.",
        "Ministers of agriculture of the SCO member states met in Tashkent on 5 May 2021.",
    ],
)
def test_sco_ministers_of_any_portfolio(ref, sentence):
    (meeting,) = extract_release(sentence, None, None, ref)
    assert (meeting["meeting"]["series"], meeting["meeting"]["date_start"] is not None) == ("ministerial_other", True)


def test_talks_on_the_sidelines_of_a_meeting_the_text_does_not_name_are_sideline_talks(ref):
    text = (
        "Russian Foreign Minister Pavel Orlov held talks with Kazakh Foreign Minister Murat Nurtleu on the sidelines "
        "of the ministerial in Astana on May 21."
    )
    (talks,) = extract_release(text, date(2024, 5, 22), None, ref)
    assert (talks["meeting"]["series"], talks["meeting"]["parent_hint"]) == ("bilateral_sideline", None)


def test_under_a_ministers_chairmanship_and_a_bare_deputy_secretary_general(ref):
    text = (
        "On 28 October 2020, the eighth meeting of SCO Ministers of Transport under Russian Minister of Transport "
        "Yury Tsvetkov's chairmanship took place via videoconference. Deputy Secretary-General Sherali Jonon spoke "
        "on behalf of the Secretary-General. UN Under-Secretary-General Vladimir Voronkov attended."
    )
    assert people(text, ref) == [
        ("RUS", "Yury Tsvetkov", "Minister of Transport"),
        ("SCO-SEC", "Sherali Jonon", "Deputy Secretary-General"),
        ("UN", "Vladimir Voronkov", "UN Under-Secretary-General"),
    ]


def test_an_untitled_subject_named_with_a_title_further_on_and_earlier_talks_not_at_the_meeting(ref):
    text = (
        "Meeting with President of Kyrgyzstan Bakyt Orozbaev\n\n"
        "June 18, 2036, Tashkent\n\n"
        "Vladimir Arkhipov met with President of Kyrgyzstan Bakyt Orozbaev on the sidelines of the SCO summit.\n\n"
        "President of Russia Vladimir Arkhipov: We have a lot to discuss.\n\n"
        "Earlier, Russian Foreign Minister Pavel Orlov and his Chinese counterpart Li Dongsheng met in Tashkent; "
        "Mr. Orlov and Mr. Li met again over dinner."
    )
    meetings = extract_release(text, date(2036, 6, 18), None, ref)
    got = [(m["meeting"]["series"], m["meeting"]["date_start"], sorted(rows([m]))) for m in meetings]
    assert got == [
        ("bilateral_sideline", date(2036, 6, 18), [("KGZ", "Bakyt Orozbaev"), ("RUS", "Vladimir Arkhipov")]),
        ("bilateral_sideline", None, [("CHN", "Li Dongsheng"), ("RUS", "Pavel Orlov")]),
        ("heads_of_state", None, [("KGZ", "Bakyt Orozbaev"), ("RUS", "Vladimir Arkhipov")]),
    ]


def test_lists_of_states_each_with_the_and_of_bodies_each_of_a_state(ref):
    council = (
        "On 3 March 2031, the 50th meeting of the Council of the Regional Anti-Terrorist Structure of the SCO was "
        "held in Osh. It was attended by delegations of the competent authorities of the Republic of India, the "
        "Kyrgyz Republic, the Russian Federation and the Republic of Tajikistan."
    )
    ministers = (
        "A meeting of SCO education ministers was held in Bishkek on 4 March 2031, attended by representatives of the "
        "Ministry of Education of the Islamic Republic of Pakistan, Ministry of Science, Research and Technology of "
        "the Islamic Republic of Iran and the Ministry of Education of Mongolia."
    )
    for text, states in ((council, {"IND", "KGZ", "RUS", "TJK"}), (ministers, {"PAK", "IRN", "MNG", "KGZ"})):
        (m,) = extract_release(text, date(2031, 3, 5), None, ref)
        assert {r["participant"] for r in m["delegations"]} == states


def test_a_plans_period_does_not_make_a_sentence_about_another_year(ref):
    text = (
        "BISHKEK, March 2 - A meeting of the heads of international cooperation departments of the SCO defence "
        "ministries is held in Bishkek. The military delegations of Kazakhstan, India and Russia discussed the plan "
        "of cooperation for 2032-2033."
    )
    (m,) = extract_release(text, date(2031, 3, 2), None, ref)
    assert {"KAZ", "IND", "RUS"} <= {r["participant"] for r in m["delegations"]}


def test_the_organisations_full_name_before_secretary_general_and_a_call_ahead_of_a_chairmanship(ref):
    text = (
        "NEW DELHI: External Affairs Minister Arvind Rao on Monday met Shanghai Cooperation Organization "
        "Secretary-General Vladimir Norov. They reviewed cooperation as India prepares to chair the Council of SCO "
        "Heads of Government."
    )
    meetings = extract_release(text, date(2031, 1, 14), None, ref)
    assert [(m["meeting"]["series"], m["meeting"]["host_country"]) for m in meetings] == [("courtesy_call", "IND")]
    assert rows(meetings) == {("IND", "Arvind Rao"), ("SCO-SEC", "Vladimir Norov")}


def test_a_working_lunch_hosted_by_a_minister_and_a_decision_of_an_earlier_summit(ref):
    text = (
        "On 16 March 2031, SCO Secretary-General Li Dongsheng attended a working lunch hosted by Russian Foreign "
        "Minister Pavel Orlov in Moscow. Orlov told him of Russia's views on a decision of the SCO Heads of State "
        "Council adopted at the September 2030 meeting in Samarkand."
    )
    meetings = extract_release(text, None, None, ref)
    got = [(m["meeting"]["series"], m["meeting"]["date_start"], m["meeting"]["city"]) for m in meetings]
    assert got == [("courtesy_call", date(2031, 3, 16), "Moscow")]
    assert rows(meetings) == {("SCO-SEC", "Li Dongsheng"), ("RUS", "Pavel Orlov")}


def test_a_city_that_held_a_meeting_a_dateline_with_the_country_and_a_hall_inside_a_residence(ref):
    held = "ASTANA. KAZINFORM - Today St. Petersburg has held a meeting of defence ministers of the SCO member states."
    assert _meeting(held, date(2031, 6, 30), ref)["city"] == "Saint Petersburg"
    hall = (
        "Tashkent, Uzbekistan (UzDaily.com) -- A session of the SCO Council of Heads of State was held at Congress "
        "Hall of the Ala Archa state residence on 13 September 2031."
    )
    m = _meeting(hall, None, ref)
    assert (m["city"], m["venue"]) == ("Bishkek", "Ala Archa State Residence")
    first = (
        "DUSHANBE - Prime ministers of the SCO member states met on Thursday. This is the ninth such meeting. "
        "The first meeting was held in Almaty in September of 2001."
    )
    assert _meeting(first, date(2010, 11, 25), ref)["city"] == "Dushanbe"


def test_a_greeting_at_arrival_is_no_meeting_and_a_sentence_set_in_another_month_names_no_attendee(ref):
    arrival = (
        "President Bakhtiyor Usmonov has arrived in Dushanbe to take part in the SCO summit. The President was met "
        "by the Prime Minister of Tajikistan Rustam Salimov at the airport."
    )
    assert all(m["meeting"]["series"] != "bilateral_sideline" for m in extract_release(arrival, None, None, ref))
    text = (
        "The 12th Meeting of Ministers of Justice of the SCO member states was held in Shanghai on Sept 5, 2031. "
        "Iran's justice minister Ali Karimi said the mechanism mattered. In February this year, Iranian President "
        "Reza Tavakoli visited China and held talks with President Wu Lei."
    )
    names = {name for _, name in rows(extract_release(text, date(2031, 9, 6), None, ref))}
    assert "Ali Karimi" in names and not names & {"Reza Tavakoli", "Wu Lei"}


def test_a_portfolio_in_lower_case_before_minister_keeps_the_ministers_country(ref):
    text = "Iran's justice minister Ali Karimi attended the SCO justice ministers' meeting in Shanghai."
    assert people(text, ref) == [("IRN", "Ali Karimi", "justice minister")]


def test_a_surname_after_a_title_of_a_country_and_the_subject_after_a_during_a_meeting_clause(ref):
    summit = (
        "On June 16, 2031, the summit of the SCO Council of Heads of State was held in Yekaterinburg, Russia. "
        "President of Kazakhstan Abenov and President of Uzbekistan Rakhimov attended the meeting."
    )
    assert rows(extract_release(summit, None, None, ref)) >= {("KAZ", "Abenov"), ("UZB", "Rakhimov")}
    talks = (
        "Tehran, IRNA – Foreign Minister Reza Karimi says Iran is ready to work with the SCO. During a meeting with "
        "SCO Secretary General Nurlan Abenov in Tehran on Sunday, Karimi reaffirmed Iran's support."
    )
    (m,) = extract_release(talks, date(2031, 5, 19), None, ref)
    assert (m["meeting"]["series"], m["meeting"]["date_start"]) == ("courtesy_call", date(2031, 5, 18))
    assert rows([m]) == {("IRN", "Reza Karimi"), ("SCO-SEC", "Nurlan Abenov")}


def test_another_sco_meeting_held_elsewhere_is_a_record_of_its_own(ref):
    text = (
        "On Oct. 20, 2031, Tashkent hosted the fifth meeting of the ministers of justice of the SCO.\n\n"
        "The Uzbek side informed participants of a regular meeting of the SCO Council of National Coordinators, "
        "held in Beijing on Oct. 17, 2031, about these events.\n\n"
        "At the meeting, representatives from India, Kazakhstan and Russia exchanged views on preparations for the "
        "upcoming meeting of the SCO Council of Heads of Government."
    )
    got = [
        (m["meeting"]["series"], m["meeting"]["city"], sorted(r["participant"] for r in m["delegations"]))
        for m in extract_release(text, date(2031, 10, 21), None, ref)
    ]
    assert got == [
        ("ministerial_other", "Tashkent", ["UZB"]),  # the state whose city hosts it (inferred)
        ("expert_group", "Beijing", ["CHN", "IND", "KAZ", "RUS"]),
    ]


def test_a_sentence_on_what_is_done_every_year_opens_no_meeting(ref):
    text = (
        "Traditionally, the presiding nation arranges the SCO summit on its territory. Today, the capital of our "
        "country is host to the summit again. The meeting of the Council of Heads of State has been organised "
        "at Kuksaroy complex."
    )
    m = _meeting(text, date(2031, 6, 10), ref)
    assert (m["series"], m["date_start"], m["city"]) == ("heads_of_state", date(2031, 6, 10), "Tashkent")


def test_a_meeting_told_only_as_one_to_come_and_planned_talks_give_no_record(ref):
    text = (
        "Chinese Defence Minister Wu Lei reached New Delhi on Thursday to take part in the SCO Defence Ministers' "
        "meeting that is scheduled to be held on Friday. Wu Lei will also have a bilateral meeting with his Indian "
        "counterpart Arvind Rao on Thursday. Rao is also likely to meet his Russian counterpart Pavel Orlov."
    )
    assert extract_release(text, date(2031, 4, 24), None, ref) == []
    today = "Prime Minister Ali Raza will attend the meeting of the SCO Council of Heads of State in Samarkand today."
    assert _meeting(today, date(2031, 9, 16), ref)["date_start"] == date(2031, 9, 16)


def test_a_speaker_at_the_summit_a_state_that_sent_its_minister_and_a_known_surname_during_the_meeting(ref):
    text = (
        "The SCO summit was held in Shanghai on June 15, 2031. In his speech made at the summit, Chinese President "
        "Wu Lei said the SCO's achievements owed much to Russia. While every other member was represented by its "
        "head of state, India sent its Petroleum and Natural Gas Minister Arvind Rao. Prime-Minister Ali Sultonov "
        "of the Republic of Uzbekistan was there too. During the meeting, Modi expressed happiness."
    )
    meetings = extract_release(text, None, None, ref)
    assert rows(meetings) == {("CHN", "Wu Lei"), ("IND", "Arvind Rao"), ("UZB", "Ali Sultonov"), ("IND", "Modi")}
    levels = {r["name"]: r["level"] for r in meetings[0]["delegations"] if r["name"]}
    assert levels["Ali Sultonov"] == "head_of_government"


def test_ministers_of_several_states_calling_on_a_leader_attended_their_meeting_that_day(ref):
    text = (
        "Defence ministers from the SCO member nations gathered in Astana on June 7, 2031 to discuss cooperation.\n\n"
        "On the same day, defence ministers of China, Kyrgyzstan and Russia met with Kazakh President Nurlan Abenov."
    )
    meeting, call = extract_release(text, None, None, ref)
    assert call["meeting"]["series"] == "courtesy_call"
    assert rows([call]) == {("KAZ", "Nurlan Abenov"), ("CHN", None), ("KGZ", None), ("RUS", None)}
    assert meeting["meeting"]["series"] == "defence_ministers"
    assert {r["participant"] for r in meeting["delegations"]} == {"CHN", "KGZ", "RUS", "KAZ"}
    assert "Nurlan Abenov" not in {r["name"] for r in meeting["delegations"]}


def test_personnel_from_the_countries_of_the_sco_listed_after_a_colon_and_a_province_is_not_its_city(ref):
    text = (
        "CHEBARKUL, Russia, Aug 17 (AFP): The presidents attended joint military exercises Friday at a training "
        "ground in the Russian province of Chelyabinsk. It involved some 6,000 personnel from the six countries of "
        "the Shanghai Cooperation Organisation (SCO): China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan and "
        "Uzbekistan."
    )
    m = extract_release(text, date(2031, 8, 18), None, ref)[0]
    assert m["meeting"]["city"] == "Chebarkul"
    assert {r["participant"] for r in m["delegations"]} >= {"CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"}


def test_an_unnamed_counterpart_is_the_one_person_of_that_state_of_the_same_rank_the_release_names(ref):
    text = (
        "The SCO Foreign Ministers' meeting began in Goa on Thursday with External Affairs Minister Arvind Rao "
        "holding bilateral meetings with Russian Foreign Minister Pavel Orlov. Tajikistan's Lieutenant General "
        "Sherali Nabiev led his country's delegation.\n\n"
        "Rao held talks with his counterparts from Russia and Tajikistan on the sidelines of the meeting."
    )
    talks = [
        m for m in extract_release(text, date(2031, 5, 4), None, ref) if m["meeting"]["series"] != "foreign_ministers"
    ]
    assert [sorted(rows([m])) for m in talks] == [
        [("IND", "Arvind Rao"), ("RUS", "Pavel Orlov")],
        [("IND", "Arvind Rao"), ("TJK", None)],  # the general is not the minister's counterpart
    ]


def test_more_talks_after_sideline_talks_are_sideline_talks_placed_where_the_meeting_was_held(ref):
    text = (
        "Indian Foreign Minister Arvind Rao met his Uzbek counterpart Akmal Saidov on the sidelines of the SCO meet being "
        "held in Russia.\n\n"
        "Rao also had a “fruitful meeting” with his Kyrgyz counterpart Azamat Beishenov.\n\n"
        "Rao is on a visit to Moscow, where he attended the meeting of the Council of Foreign Ministers of the SCO."
    )
    meetings = extract_release(text, None, None, ref)
    talks = [(m["meeting"]["series"], m["meeting"]["city"], sorted(rows([m]))) for m in meetings[:2]]
    assert talks == [
        ("bilateral_sideline", "Moscow", [("IND", "Arvind Rao"), ("UZB", "Akmal Saidov")]),
        ("bilateral_sideline", "Moscow", [("IND", "Arvind Rao"), ("KGZ", "Azamat Beishenov")]),
    ]


def test_links_to_other_stories_ending_the_page_and_a_year_since_which_are_not_the_meetings(ref):
    text = (
        "The SCO summit took place in Samarkand on September 16, 2031, for the first time since the pandemic "
        "outbreak in 2029, with presidents of China, Kazakhstan and Russia.\n\n"
        "Tajik Deputy Foreign Minister meets Turkish Ambassador to Discuss Cooperation\n"
        "Tajik, UN Women Officials Discuss Gender Equality\n"
        "Tajikistan, Romania Plan MoU on Communications Cooperation\n"
    )
    (m,) = extract_release(text, None, None, ref)
    assert {r["participant"] for r in m["delegations"]} == {"CHN", "KAZ", "RUS", "UZB"}


def test_a_list_of_attendees_one_per_line_is_not_taken_for_links(ref):
    text = (
        "The meeting of the SCO Council of Heads of Government was held in Astana on December 15, 2031, with the "
        "following taking part.\n\n"
        "Prime Minister Karim Abenov of Kazakhstan\n"
        "Premier Wu Lei of China\n"
        "Prime Minister Pavel Orlov of Russia\n"
    )
    (m,) = extract_release(text, None, None, ref)
    assert rows([m]) >= {("KAZ", "Karim Abenov"), ("CHN", "Wu Lei"), ("RUS", "Pavel Orlov")}


def test_two_leaders_names_joined_are_no_person_and_a_meeting_last_month_does_not_place_talks(ref):
    text = (
        "Prime Minister Narendra Modi met Chinese President Xi Jinping on the sidelines of the SCO summit in "
        "Qingdao on June 9, 2031. The spokesman shared pictures of the Modi-Xi engagement in Qingdao.\n\n"
        "Earlier in the day, Modi met SCO Secretary-General Rashid Alimov. Modi might also meet Russian President "
        "Pavel Orlov, with whom he had an informal meet in Sochi last month."
    )
    meetings = extract_release(text, None, None, ref)
    assert ("IND", "Modi-Xi") not in rows(meetings)
    call = next(m for m in meetings if ("SCO-SEC", "Rashid Alimov") in rows([m]))
    assert call["meeting"]["city"] == "Qingdao"


def test_a_city_that_hosted_a_meeting_of_agency_heads_and_internal_affairs_ministers(ref):
    border = (
        "On June 6, 2031, Tashkent hosted the seventh meeting of the heads of border services of the competent "
        "authorities of the Shanghai Cooperation Organization member states."
    )
    m = _meeting(border, None, ref)
    assert (m["series"], m["city"], m["date_start"]) == ("ministerial_other", "Tashkent", date(2031, 6, 6))
    interior = "The SCO Internal Affairs Ministers met in Astana on April 28, 2031."
    assert _meeting(interior, None, ref)["mechanism"] == "Meeting of Interior and Public Security Ministers"


def test_the_secretary_general_meeting_another_organisations_head_and_an_ambassador_plenipotentiary(ref):
    text = (
        "BEIJING, July 14 (APP) - SCO Secretary-General Li Dongsheng had a meeting with Pierre Martin, Head of the "
        "Regional East Asia Delegation of the International Committee of the Red Cross and discussed its work.\n\n"
        "Meanwhile, Li Dongsheng had a meeting with U Thant Aung, Ambassador Extraordinary and Plenipotentiary of "
        "the Republic of the Union of Myanmar to the People's Republic of China."
    )
    meetings = extract_release(text, date(2031, 7, 15), None, ref)
    assert [m["meeting"]["series"] for m in meetings] == ["courtesy_call", "courtesy_call"]
    assert rows(meetings) == {("SCO-SEC", "Li Dongsheng"), ("ICRC", "Pierre Martin"), ("MMR", "U Thant Aung")}


def test_the_headline_places_a_meeting_the_text_does_not_place_but_not_the_organisations_name(ref):
    text = (
        "Joint Agreements to Combat Terrorism Signed in Shanghai\n\n"
        "Presidents of China, Russia and Kazakhstan held an informal summit of the SCO on June 14, 2031."
    )
    assert _meeting(text, None, ref)["city"] == "Shanghai"
    other = (
        "A meeting of the Council of Shanghai cooperation organization's heads of state\n\n"
        "The meeting of the SCO Council of Heads of State was held on November 10, 2031."
    )
    assert _meeting(other, None, ref)["city"] is None


def test_is_meeting_his_colleague_an_arrival_places_the_talks_and_states_in_which_it_took_part(ref):
    talks = (
        "Russian Foreign Minister Pavel Orlov is meeting his Iranian colleague Reza Karimi on the sidelines of the "
        "SCO summit, a correspondent reported Friday.\n\n"
        "Orlov arrived at the summit venue in the Kazakh capital of Astana and went to a room where the Iranian "
        "delegation was expecting him."
    )
    m = extract_release(talks, date(2031, 6, 9), None, ref)[0]
    assert (m["meeting"]["series"], m["meeting"]["city"]) == ("bilateral_sideline", "Astana")
    assert rows([m]) == {("RUS", "Pavel Orlov"), ("IRN", "Reza Karimi")}
    council = (
        "The SCO Heads of Government meeting was held in Sochi on December 1, 2031. It was the first SCO Heads of "
        "Government meeting in which Pakistan and India participated as full members."
    )
    assert {r["participant"] for r in extract_release(council, None, None, ref)[0]["delegations"]} == {
        "RUS",
        "PAK",
        "IND",
    }


def test_a_release_opening_with_the_founding_date_still_reports_its_summit(ref):
    text = (
        "Founded on June 15, 2001, the SCO has grown into a large organisation. The 31st summit of the SCO Council "
        "of Heads of State was held in Astana on July 4, 2031."
    )
    m = _meeting(text, None, ref)
    assert (m["series"], m["date_start"], m["city"]) == ("heads_of_state", date(2031, 7, 4), "Astana")
