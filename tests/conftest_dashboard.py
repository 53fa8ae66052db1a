"""Fixtures of the dashboard's tests: small built datasets, an empty one and a missing one.

Plugged in with ``pytest_plugins = ["tests.conftest_dashboard"]`` in tests/conftest.py (or ``-p
tests.conftest_dashboard`` on the command line).

The fixture corpus is tests/fixtures/dashboard_raw: four curated records, one broken record (a
reject), a membership history and one press release (with a <script> in its text), all through the
real build and the real press extractor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DASH_RAW = ROOT / "tests" / "fixtures" / "dashboard_raw"

PRESS_MEETING_ID = "chs-2019-06-14-kgz"


def build(raw: Path, out: Path) -> Path:
    """Build ``raw`` into ``out`` with the real build (and the real press extractor); return ``out``."""
    from etl.build import run_build

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
    """The project's raw data (data/raw) copied and built into a temporary folder, and that raw folder."""
    import shutil

    raw = tmp_path_factory.mktemp("real_raw") / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    return build(raw, tmp_path_factory.mktemp("real") / "processed"), raw


@pytest.fixture
def ds(dash_data):
    """The fixture dataset opened by the read side (closed after the test)."""
    from explorer.data import open_dataset

    dataset = open_dataset(dash_data)
    yield dataset
    dataset.close()
