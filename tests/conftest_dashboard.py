"""Fixtures of the dashboard's tests: small built datasets, an empty one and a missing one.

Plugged in with ``pytest_plugins = ["tests.conftest_dashboard"]`` in tests/conftest.py (or ``-p
tests.conftest_dashboard`` on the command line).

The fixture corpus is tests/fixtures/dashboard_raw: four curated records, one broken record (a
reject), a membership history and one press release. The press release goes through the real
build with a stand-in for the press extractor (etl.extract is written elsewhere), which reports the
meeting and the delegates it names with their character offsets, as the real extractor does.
"""

from __future__ import annotations

import re
import sys
import types
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DASH_RAW = ROOT / "tests" / "fixtures" / "dashboard_raw"
FULL_MEMBERSHIPS = ROOT / "tests" / "fixtures" / "dashboard_memberships.csv"

# Who the fixture press release names: (participant, name as written, title, role).
PRESS_PEOPLE = [
    ("KGZ", "Test Kyrgyz Host", "President", "host"),
    ("CHN", "Test Chinese Leader", "President", "head_of_delegation"),
    ("RUS", "Test Russian Leader", "President", "head_of_delegation"),
    ("IND", "Test Indian Leader", "Prime Minister", "head_of_delegation"),
]
PRESS_MEETING_ID = "chs-2019-06-14-kgz"


def fake_extract_release(text: str, published=None, url=None, ref=None) -> list[dict]:
    """A stand-in for etl.extract.extract_release: the fixture summit and its delegates with evidence spans."""
    if "fixture summit" not in text:
        return []
    delegations = []
    for participant, name, title, role in PRESS_PEOPLE:
        m = re.search(re.escape(name), text)
        start = text.rfind(title, 0, m.start())
        delegations.append(
            {
                "participant": participant,
                "name": name,
                "title": title,
                "role": role,
                "evidence": {"text": text[start : m.end()], "start": start, "end": m.end()},
                "confidence": 0.9,
            }
        )
    meeting = {
        "series": "heads_of_state",
        "title": "Fixture summit in Bishkek (from a press release)",
        "date_start": date(2019, 6, 14),
        "date_precision": "day",
        "format": "in_person",
        "host_country": "KGZ",
        "city": "Bishkek",
        "verified": True,
        "confidence": 0.9,
    }
    return [{"meeting": meeting, "delegations": delegations}]


def build(raw: Path, out: Path) -> Path:
    """Build ``raw`` into ``out`` with the real build and the stand-in press extractor; return ``out``."""
    from etl.build import run_build

    fake = types.ModuleType("etl.extract")
    fake.extract_release = fake_extract_release
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "etl.extract", fake)
        run_build(raw=raw, out=out)
    return out


@pytest.fixture(scope="session")
def dash_raw() -> Path:
    """The fixture raw folder (records, press, memberships.csv)."""
    return DASH_RAW


@pytest.fixture(scope="session")
def dash_data(tmp_path_factory) -> Path:
    """The fixture corpus built into a temporary folder (the dataset folder the dashboard reads)."""
    return build(DASH_RAW, tmp_path_factory.mktemp("dash") / "processed")


@pytest.fixture(scope="session")
def empty_data(tmp_path_factory) -> Path:
    """A dataset built from an empty raw folder: every table present, no rows."""
    raw = tmp_path_factory.mktemp("empty_raw")
    return build(raw, tmp_path_factory.mktemp("empty") / "processed")


@pytest.fixture(scope="session")
def missing_data(tmp_path_factory) -> Path:
    """A dataset folder that does not exist."""
    return tmp_path_factory.mktemp("missing") / "processed"


@pytest.fixture(scope="session")
def real_data(tmp_path_factory) -> tuple[Path, Path]:
    """The project's curated records (data/raw/records) built into a temporary folder, and that raw folder."""
    # data/raw/memberships.csv when the project has one, else the fixture membership history. Press releases
    # are left out: their extractor is written elsewhere and may be mid-edit.
    import shutil

    raw = tmp_path_factory.mktemp("real_raw")
    shutil.copytree(ROOT / "data" / "raw" / "records", raw / "records")
    memberships = ROOT / "data" / "raw" / "memberships.csv"
    shutil.copy(memberships if memberships.is_file() else FULL_MEMBERSHIPS, raw / "memberships.csv")
    return build(raw, tmp_path_factory.mktemp("real") / "processed"), raw


@pytest.fixture
def ds(dash_data):
    """The fixture dataset opened by the read side (closed after the test)."""
    from explorer.data import open_dataset

    dataset = open_dataset(dash_data)
    yield dataset
    dataset.close()
