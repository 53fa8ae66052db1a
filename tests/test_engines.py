"""The Dask engine gives tables identical to the local engine."""

import shutil

import pytest

from etl.build import run_build
from etl.schema import TABLES
from tests.conftest import FIXTURES, RAW_SMALL, ROOT
from tests.test_build_golden import table_csv


@pytest.mark.slow
def test_dask_engine_builds_identical_tables_on_a_local_cluster(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_SMALL, raw)
    press = raw / "press"
    press.mkdir()
    for path in sorted((FIXTURES / "press").glob("*.txt"))[:12] + sorted((ROOT / "data" / "raw" / "press").glob("*")):
        shutil.copy(path, press / path.name)
    (raw / "records" / "broken.yaml").write_bytes(b"meeting: [")
    local = run_build(raw=raw, out=tmp_path / "local")
    dask = run_build(raw=raw, out=tmp_path / "dask", engine="dask")
    assert local.counts == dask.counts
    assert len(local.tables["meetings"]) > 5
    for table in TABLES:
        assert table_csv(tmp_path / "dask", table) == table_csv(tmp_path / "local", table), table
