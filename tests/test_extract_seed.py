"""Golden test: the real seed release yields exactly the curated courtesy call."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from etl.extract import extract_press_file, extract_release
from etl.sources.press import read_press_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "press" / "2012-04-24_mfa_china_xi_meets_sco_defence_ministers.txt"
EXPECTED = ROOT / "tests" / "fixtures" / "press" / "seed" / (SEED.stem + ".expected.yaml")
ROW_KEYS = ("participant", "name", "title", "level", "role")


@pytest.fixture(scope="module")
def release():
    """The seed release as read by the press reader."""
    return read_press_file(SEED)


@pytest.fixture(scope="module")
def meetings(release, ref):
    """Meetings extracted from the seed."""
    return extract_release(release.text, release.published, release.meta.get("url"), ref)


@pytest.fixture(scope="module")
def expected():
    """The curated expectation."""
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))["meetings"]


def test_seed_yields_exactly_one_meeting(meetings):
    assert len(meetings) == 1


@pytest.mark.parametrize(
    "field",
    ["series", "date_start", "date_end", "city", "venue", "host_country", "format", "parent_hint"],
)
def test_seed_meeting_field_matches_golden(meetings, expected, field):
    assert meetings[0]["meeting"][field] == expected[0][field]


def test_seed_delegations_match_golden_in_order(meetings, expected):
    got = [{k: row[k] for k in ROW_KEYS} for row in meetings[0]["delegations"]]
    assert got == expected[0]["delegations"]


def test_seed_every_row_is_attended_with_confidence(meetings):
    for row in meetings[0]["delegations"]:
        assert row["attended"] is True
        assert 0.0 < row["confidence"] <= 1.0


def test_seed_every_evidence_span_indexes_the_text(meetings, release):
    spans = [row["evidence"] for row in meetings[0]["delegations"]] + list(meetings[0]["meeting"]["evidence"].values())
    for span in spans:
        assert release.text[span["start"] : span["end"]] == span["text"]


def test_seed_row_evidence_contains_the_name(meetings):
    for row in meetings[0]["delegations"]:
        if row["name"]:
            assert row["name"] in row["evidence"]["text"]


def test_seed_press_file_output_is_json_serialisable():
    result = extract_press_file(SEED)
    text = json.dumps(result, indent=2)
    assert '"date_start": "2012-04-24"' in text
    assert result["source"]["published"] == date(2012, 4, 24).isoformat()
    assert result["source"]["sha256"] and result["source"]["path"].endswith(SEED.name)
