"""The Dask engine gives tables identical to the local engine, and assembly does not depend on
how the per-file work was scheduled."""

import random
import shutil

import pytest

from etl.build import run_build
from etl.engines import BATCH_FILES, MIN_BATCH_FILES, batch_sizes, outline_batch
from etl.pipeline import Assembler, assemble, discover_inputs, ordered_inputs, read_and_prepare
from etl.schema import TABLES
from etl.synth import write_synthetic
from tests.conftest import FIXTURES, RAW_SMALL, ROOT
from tests.test_build_golden import table_csv


@pytest.fixture(scope="module")
def mixed_raw(tmp_path_factory):
    """Curated records, user CSV, press releases (some describing meetings the records already hold, with
    other spellings of the same people), and broken files: enough files for many Dask batches."""
    raw = tmp_path_factory.mktemp("mixed") / "raw"
    shutil.copytree(RAW_SMALL, raw)
    synthetic = raw.parent / "synthetic"
    write_synthetic(synthetic, meetings=40, releases=30, seed=3)
    for kind in ("records", "press"):
        (raw / kind).mkdir(exist_ok=True)
        for path in sorted((synthetic / kind).iterdir()):
            shutil.copy(path, raw / kind / f"synthetic-{path.name}")
    press = raw / "press"
    for path in sorted((FIXTURES / "press").glob("*.txt"))[:12] + sorted((ROOT / "data" / "raw" / "press").glob("*")):
        shutil.copy(path, press / path.name)
    (raw / "records" / "broken.yaml").write_bytes(b"meeting: [")
    (press / "latin1.txt").write_bytes("Bi\xe9".encode("latin-1"))
    return raw


@pytest.mark.slow
def test_dask_engine_builds_identical_tables_on_a_local_cluster(mixed_raw, tmp_path):
    local = run_build(raw=mixed_raw, out=tmp_path / "local")
    dask = run_build(raw=mixed_raw, out=tmp_path / "dask", engine="dask")
    assert local.counts == dask.counts
    assert local.warnings == dask.warnings
    for result in (local, dask):
        assert {"setup", "read", "finish", "write", "total"} <= set(result.timings)
    assert "cluster_wait" in dask.timings
    assert len(local.tables["meetings"]) > 40
    assert (local.tables["rejects"]["reason_code"] == "duplicate_meeting").any()
    for table in TABLES:
        assert table_csv(tmp_path / "dask", table) == table_csv(tmp_path / "local", table), table


def test_assembly_is_the_same_whatever_order_the_files_were_read_in(mixed_raw, ref):
    def read(inputs):  # fresh results each time: assembling fills in persons, parents and statuses
        return [read_and_prepare(kind, path, ref, mixed_raw) for kind, path in inputs]

    inputs = discover_inputs(mixed_raw)
    expected = assemble(read(inputs), ref)
    shuffled = inputs[:]
    random.Random(7).shuffle(shuffled)
    results = [assemble(read(shuffled), ref)]
    # As the Dask engine does it: outlines decided a prefix at a time, the kept records added in between.
    streamed = Assembler(ref)
    ordered = read(ordered_inputs(inputs, mixed_raw))
    for start in range(0, len(ordered), 5):
        chunk = ordered[start : start + 5]
        names, outlines = outline_batch(chunk)
        streamed.see_names(names)
        for outline, full in zip(outlines, chunk, strict=True):
            for j in streamed.decide(outline):
                outline.docs[j] = full.docs[j]
        for outline in outlines:
            streamed.add(outline)
    results.append(streamed.finish())
    for result in results:
        assert result.counts == expected.counts
        assert result.warnings == expected.warnings
        for table in TABLES:
            assert result.tables[table].equals(expected.tables[table]), table


@pytest.mark.parametrize("n_inputs", [1, 7, 40, 100, 1_000, 12_000, 100_001])
def test_batches_cover_the_inputs_in_order_and_shrink_towards_the_end(n_inputs):
    sizes = batch_sizes(n_inputs, workers=2)
    assert sum(sizes) == n_inputs
    assert all(0 < size <= BATCH_FILES for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # big first, small last
    if n_inputs >= 1_000:
        assert min(sizes[:-1]) == MIN_BATCH_FILES  # (the last one takes what is left)
    if n_inputs >= 10_000:
        assert sizes[0] == BATCH_FILES
