"""Golden test: the fixture corpus builds into exactly the expected tables (tests/fixtures/expected_small/*.csv).

To accept a deliberate change, run with UPDATE_GOLDEN=1 and read the diff of the CSV files.
"""

import io
import os
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from etl.build import run_build
from etl.schema import TABLES
from tests.conftest import FIXTURES, RAW_SMALL

EXPECTED = FIXTURES / "expected_small"


def table_csv(out: Path, table: str) -> str:
    """A table of a built dataset as CSV text, as pyarrow writes it."""
    buffer = io.BytesIO()
    pacsv.write_csv(pq.read_table(out / f"{table}.parquet"), buffer)
    return buffer.getvalue().decode()


@pytest.mark.parametrize("table", list(TABLES))
def test_fixture_build_matches_golden_csv(small_build, table):
    _, out = small_build
    actual = table_csv(out, table)
    path = EXPECTED / f"{table}.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual)
    assert actual == path.read_text()


def test_same_inputs_give_identical_files(small_build, tmp_path):
    _, out = small_build
    run_build(raw=RAW_SMALL, out=tmp_path / "again")
    for table in TABLES:
        assert table_csv(tmp_path / "again", table) == table_csv(out, table)


def test_fixture_build_counts_every_record(small_build):
    result, _ = small_build
    for counts in result.counts.values():
        assert counts["accepted"] + counts["rejected"] == counts["read"]
    assert result.counts["meetings"] == {"read": 5, "accepted": 5, "rejected": 0}


def test_courtesy_call_points_at_its_parent(small_build):
    result, _ = small_build
    meetings = result.tables["meetings"].set_index("meeting_id")
    call = meetings[meetings["series"] == "courtesy_call"].iloc[0]
    assert call["parent_meeting_id"] == "chg-2019-11-02-uzb"


def test_status_is_derived_from_memberships_on_the_meeting_date(small_build):
    result, _ = small_build
    d = result.tables["delegations"]
    summit = d[d["meeting_id"] == "chs-2019-06-13-kgz"].set_index("participant")["status"].to_dict()
    assert summit == {"IND": "member", "IRN": "observer", "KAZ": "member", "KGZ": "member", "SCO-SEC": "organisation"}


def test_duckdb_file_holds_every_table(small_build):
    import duckdb

    _, out = small_build
    con = duckdb.connect(str(out / "sco.duckdb"), read_only=True)
    try:
        names = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        assert names == set(TABLES)
        assert con.execute("select count(*) from delegations").fetchone()[0] == 13
    finally:
        con.close()
