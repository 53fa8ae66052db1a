"""A killed build leaves the previous dataset whole; arbitrary bytes never crash the build."""

import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.build import run_build
from etl.pipeline import assemble, read_input
from etl.schema import TABLES
from tests.conftest import RAW_SMALL, ROOT


def snapshot(out):
    """Every table of a dataset as Python rows."""
    return {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in TABLES}


def test_build_killed_midway_leaves_the_previous_dataset_intact(tmp_path):
    out = tmp_path / "processed"
    big_raw = tmp_path / "raw"
    subprocess.run([sys.executable, "-m", "etl", "synth", "--meetings", "3000", "--out", str(big_raw)],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    run_build(raw=big_raw, out=tmp_path / "complete")
    complete = snapshot(tmp_path / "complete")
    run_build(raw=RAW_SMALL, out=out)
    before = snapshot(out)
    kills_midway = 0
    for delay in (0.8, 1.6, 2.4, 3.2, 4.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "etl", "build", "--raw", str(big_raw), "--out", str(out), "--quiet"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        after = snapshot(out)
        # Whole or nothing: the previous dataset, or (killed after the swap, or finished) the complete new one.
        assert after in (before, complete)
        if after == complete:
            run_build(raw=RAW_SMALL, out=out)
        else:
            kills_midway += 1
    assert kills_midway >= 3, "the build finished too fast to be killed midway; raise --meetings"


input_names = st.sampled_from(["records/a.yaml", "records/b.yml", "press/c.txt", "press/d.html", "csv/e.csv",
                               "memberships.csv", "records/f.yaml"])  # fmt: skip
yamlish = st.builds(
    lambda parts: "\n".join(parts).encode(),
    st.lists(st.sampled_from(["meeting:", "  series: heads_of_state", "  title: T", "  date_start: 2019-02-30",
                              "  date_start: 2019-06-14", "  host_country: KGZ", "  host_country: Narnia",
                              "sources:", "  - url: https://example.org/x", "  - url: nope", "delegations:",
                              "  - participant: KAZ", "  - participant: 12", "    role: king", "- x", "{", "---",
                              "series,title,date_start,host_country,source_url",
                              "heads_of_state,T,2019-06-14,KGZ,https://example.org/y", "country,status,effective_from",
                              "KAZ,member,2001-06-15", "KAZ,member,2099-99-99"]), max_size=14),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.dictionaries(input_names, st.one_of(st.binary(max_size=300), yamlish), min_size=1, max_size=5))
def test_arbitrary_bytes_never_crash_the_build_and_every_record_is_counted(ref, tmp_path_factory, files):
    raw = tmp_path_factory.mktemp("raw")
    results = []
    for name, data in files.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        kind = name.split("/")[0] if "/" in name else "memberships"
        results.append(read_input(kind, path, ref, raw))
    result = assemble(results, ref)
    for table, counts in result.counts.items():
        assert counts["accepted"] + counts["rejected"] == counts["read"], (table, counts)
    assert result.counts["meetings"]["read"] >= sum(1 for n in files if n.startswith("records/"))


def _breakers(table: str) -> list[tuple[str, object]]:
    """(column, value) pairs that each break one rule of a table's contract."""
    import pandas as pd

    from etl.schema import TABLES

    out = []
    for col in TABLES[table]:
        if not col.nullable:
            out.append((col.name, None))
        for check in col.checks:
            if check.name == "isin":
                out.append((col.name, "not-a-listed-value"))
            elif check.name == "str_matches":
                out.append((col.name, "lower case and spaces"))
            elif check.name in ("in_range", "ge"):
                low = check.args[0]
                out.append((col.name, pd.Timestamp("1900-01-01") if col.kind == "date" else low - 1))
    ends = {"meetings": "date_end", "memberships": "effective_to"}  # before the start: a check across columns
    if table in ends:
        out.append((ends[table], pd.Timestamp("1997-01-01")))
    return out


def test_the_quick_validation_never_passes_a_row_that_pandera_rejects(small_build):
    from etl.schema import TABLES, pandera_schema, to_frame
    from etl.validate import quick_check, split_valid

    result, _ = small_build
    for table in TABLES:
        if table == "rejects":
            continue
        frame = result.tables[table]
        rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
        assert quick_check(to_frame(rows, table), table), table
        pandera_schema(table).validate(to_frame(rows, table))
        if not rows:
            continue
        breakers = _breakers(table)
        if TABLES[table][0].unique and len(rows) > 1:  # the new last row repeats the first row's key
            breakers.append((TABLES[table][0].name, rows[0][TABLES[table][0].name]))
        for column, value in breakers:
            broken = to_frame([*rows[:-1], {**rows[0], column: value}], table)
            assert not quick_check(broken, table), (table, column, value)
            accepted, rejected = split_valid(broken, table)
            assert len(rejected) >= 1 and len(accepted) + len(rejected) == len(broken), (table, column, value)
