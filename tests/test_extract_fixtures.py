"""Scores the press-release extractor on the invented fixtures in tests/fixtures/press.

Each NAME.txt has an expected NAME.expected.yaml (meetings with series, date, city and
delegations; not_participants and not_persons list context mentions that must not become
attendees). Expected and extracted meetings are paired greedily (series, date, then shared
participants); precision/recall/F1 are printed per field and floors are asserted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.extract import extract_release
from etl.extract.score import Report, context_errors, load_expected, prf
from etl.sources.press import read_press_file

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "press"
FIXTURES = sorted(FIXTURE_DIR.glob("*.txt"))
FLOORS = {"countries": 0.95, "persons": 0.90, "date_start": 0.90, "city": 0.90, "host_country": 0.90, "series": 0.90}


def load_case(path: Path):
    """Release and expectation of one fixture."""
    return read_press_file(path), load_expected(path)


@pytest.fixture(scope="module")
def results(ref):
    """Every fixture extracted once: name -> (release, expected, meetings)."""
    out = {}
    for path in FIXTURES:
        release, expected = load_case(path)
        out[path.stem] = (
            release,
            expected,
            extract_release(release.text, release.published, release.meta.get("url"), ref),
        )
    return out


@pytest.fixture(scope="module")
def report(results):
    """Summed [tp, fp, fn] per field over all fixtures."""
    out = Report()
    for name, (_, expected, got) in results.items():
        out.add(name, expected, got)
    return out


def test_fixture_corpus_has_at_least_25_releases():
    assert len(FIXTURES) >= 25
    for path in FIXTURES:
        assert path.with_suffix(".expected.yaml").exists(), path.name


def test_field_scores_meet_their_floors(report, capsys):
    with capsys.disabled():
        print("\nextractor scores over", len(FIXTURES), "fixtures\n" + report.table())
    for f, floor in FLOORS.items():
        assert prf(*report.totals[f])[2] >= floor, f"{f} F1 below {floor}"


@pytest.mark.parametrize("name", [p.stem for p in FIXTURES])
def test_context_mentions_never_become_attendees(results, name):
    _, expected, got = results[name]
    assert context_errors(expected, got) == []


@pytest.mark.parametrize("name", [p.stem for p in FIXTURES])
def test_extracted_meeting_count_matches_expectation(results, name):
    _, expected, got = results[name]
    assert len(got) == len(expected["meetings"])


@pytest.mark.parametrize("name", [p.stem for p in FIXTURES])
def test_every_evidence_span_indexes_the_release_text(results, name):
    release, _, got = results[name]
    for m in got:
        spans = [row["evidence"] for row in m["delegations"]] + list(m["meeting"]["evidence"].values())
        for span in spans:
            assert release.text[span["start"] : span["end"]] == span["text"]


def _got(series, day, rows, city="Astana"):
    return {"meeting": {"series": series, "date_start": day, "city": city, "host_country": "KAZ"},
            "delegations": [{"participant": p, "name": n} for p, n in rows]}  # fmt: skip


def test_the_scorer_counts_misses_inventions_and_context_attendees():
    expected = {
        "meetings": [
            {"series": "foreign_ministers", "date_start": "2024-05-21", "city": "Astana",
             "delegations": [{"participant": "KAZ", "name": "Murat Nurtleu"}, {"participant": "IND", "name": None}]}
        ],
        "not_participants": ["IRN"],
        "not_persons": ["Ebrahim Raisi"],
    }  # fmt: skip
    got = [_got("foreign_ministers", date(2024, 5, 22), [("KAZ", "M. Nurtleu"), ("IRN", "Ebrahim Raisi")])]
    counts = Report()
    counts.add("case", expected, got)
    assert counts.cases["case"]["countries"] == [1, 1, 1]
    assert counts.cases["case"]["persons"] == [1, 1, 0]
    assert counts.cases["case"]["date_start"] == [0, 1, 1]
    assert counts.cases["case"]["city"] == [1, 0, 0]
    assert counts.cases["case"]["host_country"] == [0, 0, 0]  # not annotated: not scored
    assert counts.context["case"] == ["country IRN", "person Ebrahim Raisi"]


def test_the_scorer_takes_a_city_in_any_spelling_the_gazetteer_lists():
    expected = {"meetings": [{"series": "defence_ministers", "city": "St. Petersburg", "delegations": []}]}
    report = Report()
    report.add("same", expected, [_got("defence_ministers", None, [], city="Saint Petersburg")])
    report.add("other", expected, [_got("defence_ministers", None, [], city="Moscow")])
    assert report.cases["same"]["city"] == [1, 0, 0]
    assert report.cases["other"]["city"] == [0, 1, 1]
