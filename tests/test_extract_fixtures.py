"""Scores the press-release extractor on the invented fixtures in tests/fixtures/press.

Each NAME.txt has an expected NAME.expected.yaml (meetings with series, date, city and
delegations; not_participants and not_persons list context mentions that must not become
attendees). Expected and extracted meetings are paired greedily (series, date, then shared
participants); precision/recall/F1 are printed per field and floors are asserted.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from etl.extract import extract_release
from etl.sources.press import read_press_file

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "press"
FIXTURES = sorted(FIXTURE_DIR.glob("*.txt"))
FIELDS = ("countries", "persons", "date_start", "city", "series")
FLOORS = {"countries": 0.95, "persons": 0.90, "date_start": 0.90, "city": 0.90, "series": 0.90}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[.\-']", " ", text).split())


def same_name(a: str, b: str) -> bool:
    """Two spellings of one person's name (Shoigu/Shoygu, S. Jaishankar/Subrahmanyam Jaishankar)."""
    ka, kb = _key(a), _key(b)
    return ka == kb or fuzz.token_sort_ratio(ka, kb) >= 85 or ka.split()[-1] == kb.split()[-1]


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def load_case(path: Path):
    """Release, extracted meetings and expectation of one fixture."""
    release = read_press_file(path)
    expected = yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    return release, expected


def _participants(meeting: dict) -> set[str]:
    return {row["participant"] for row in meeting["delegations"]}


def pair_meetings(expected: list[dict], got: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Greedy pairing of expected and extracted meetings by series, date and shared participants."""
    pairs, free = [], list(range(len(got)))
    for exp in expected:
        best, best_score = None, 0.0
        for i in free:
            g = got[i]["meeting"]
            exp_p = {d["participant"] for d in exp["delegations"]}
            shared = len(exp_p & _participants(got[i])) / max(1, len(exp_p | _participants(got[i])))
            score = 2 * (g["series"] == exp["series"]) + (g["date_start"] == _as_date(exp["date_start"])) + 3 * shared
            if score > best_score:
                best, best_score = i, score
        if best is None:
            pairs.append((exp, None))
        else:
            free.remove(best)
            pairs.append((exp, got[best]))
    pairs.extend((None, got[i]) for i in free)
    return pairs


def _count_persons(exp_rows: list[dict], got_rows: list[dict]) -> tuple[int, int, int]:
    exp_named = [(r["participant"], r["name"]) for r in exp_rows if r.get("name")]
    got_named = [(r["participant"], r["name"]) for r in got_rows if r.get("name")]
    tp, used = 0, set()
    for p, n in exp_named:
        for j, (gp, gn) in enumerate(got_named):
            if j not in used and gp == p and same_name(n, gn):
                tp, _ = tp + 1, used.add(j)
                break
    return tp, len(got_named) - tp, len(exp_named) - tp


def score_case(expected: dict, got: list[dict]) -> dict[str, list[int]]:
    """[tp, fp, fn] per field for one fixture."""
    counts = {f: [0, 0, 0] for f in FIELDS}
    for exp, g in pair_meetings(expected["meetings"], got):
        exp_rows = exp["delegations"] if exp else []
        got_rows = g["delegations"] if g else []
        ep, gp = {r["participant"] for r in exp_rows}, {r["participant"] for r in got_rows}
        c = counts["countries"]
        c[0], c[1], c[2] = c[0] + len(ep & gp), c[1] + len(gp - ep), c[2] + len(ep - gp)
        for i, v in enumerate(_count_persons(exp_rows, got_rows)):
            counts["persons"][i] += v
        for f in ("date_start", "city", "series"):
            e = _as_date(exp.get(f)) if exp and f == "date_start" else (exp.get(f) if exp else None)
            v = g["meeting"][f] if g else None
            if e is not None and v == e:
                counts[f][0] += 1
            else:
                counts[f][1] += v is not None
                counts[f][2] += e is not None
    return counts


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (1.0 when there is nothing to find)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


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
def totals(results):
    """Summed [tp, fp, fn] per field over all fixtures."""
    total = {f: [0, 0, 0] for f in FIELDS}
    for _, expected, got in results.values():
        for f, (tp, fp, fn) in score_case(expected, got).items():
            total[f][0] += tp
            total[f][1] += fp
            total[f][2] += fn
    return total


def test_fixture_corpus_has_at_least_25_releases():
    assert len(FIXTURES) >= 25
    for path in FIXTURES:
        assert path.with_suffix(".expected.yaml").exists(), path.name


def test_field_scores_meet_their_floors(totals, capsys):
    lines = [f"{'field':<12}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for f in FIELDS:
        p, r, f1 = prf(*totals[f])
        lines.append(f"{f:<12}{p:7.3f}{r:7.3f}{f1:7.3f}{totals[f][0]:6d}{totals[f][1]:5d}{totals[f][2]:5d}")
    with capsys.disabled():
        print("\nextractor scores over", len(FIXTURES), "fixtures\n" + "\n".join(lines))
    for f, floor in FLOORS.items():
        assert prf(*totals[f])[2] >= floor, f"{f} F1 below {floor}"


@pytest.mark.parametrize("name", [p.stem for p in FIXTURES])
def test_context_countries_never_become_participants(results, name):
    _, expected, got = results[name]
    banned = set(expected.get("not_participants") or [])
    attending = {row["participant"] for m in got for row in m["delegations"]}
    assert not banned & attending


@pytest.mark.parametrize("name", [p.stem for p in FIXTURES])
def test_context_people_never_become_attendees(results, name):
    _, expected, got = results[name]
    names = [row["name"] for m in got for row in m["delegations"] if row["name"]]
    for banned in expected.get("not_persons") or []:
        assert not any(_key(banned) == _key(n) for n in names), banned


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
