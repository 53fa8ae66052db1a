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
