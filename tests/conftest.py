"""Shared fixtures: the reference data, a fixture build and the real dataset build."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build import run_build
from etl.reference import load_reference

pytest_plugins = ["tests.conftest_dashboard"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RAW_SMALL = FIXTURES / "raw_small"


@pytest.fixture(scope="session")
def ref():
    """The project's reference data."""
    return load_reference()


@pytest.fixture(scope="session")
def small_build(tmp_path_factory):
    """The fixture corpus tests/fixtures/raw_small built into a temporary folder."""
    out = tmp_path_factory.mktemp("small") / "processed"
    result = run_build(raw=RAW_SMALL, out=out)
    return result, out


@pytest.fixture(scope="session")
def dataset(tmp_path_factory):
    """The real dataset (data/raw) built into a temporary folder."""
    out = tmp_path_factory.mktemp("dataset") / "processed"
    result = run_build(raw=ROOT / "data" / "raw", out=out)
    return result, out
