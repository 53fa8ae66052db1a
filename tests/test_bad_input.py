"""Bad input never crashes the build and is never dropped silently: each kind lands in rejects with its reason."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.build import run_build
from etl.reference import REFERENCE_DIR, ReferenceDataError, load_reference
from tests.conftest import ROOT

GOOD = """meeting:
  series: foreign_ministers
  title: A test meeting
  date_start: {date}
  host_country: {host}
  city: Bishkek
sources:
  - url: https://example.org/a
delegations:
  - participant: {participant}
    name: Test Person
    title: Foreign Minister
"""


def good(date="2019-05-22", host="KGZ", participant="KGZ") -> bytes:
    return GOOD.format(date=date, host=host, participant=participant).encode()


def build_one(tmp_path: Path, files: dict[str, bytes]):
    raw = tmp_path / "raw"
    for name, data in files.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    result = run_build(raw=raw, out=None)
    for counts in result.counts.values():
        assert counts["accepted"] + counts["rejected"] == counts["read"]
    return result


@pytest.mark.parametrize(
    "name, data, table, code, words",
    [
        ("records/bad.yaml", b"meeting: [unclosed\n  title: x", "meetings", "malformed_file", "not valid YAML at line"),
        ("records/list.yaml", b"- just\n- a list\n", "meetings", "malformed_file", "must be a mapping"),
        ("records/country.yaml", good(host="Atlantis"), "meetings", "unknown_country", "'Atlantis' is not a known country"),
        ("records/who.yaml", good(participant="Narnia"), "delegations", "unknown_country", "'Narnia'"),
        ("records/date.yaml", good(date="2019-02-30"), "meetings", "invalid_date", "2019-02-30 is not a calendar date"),
        ("records/future.yaml", good(date="2099-01-01"), "meetings", "date_out_of_range", "outside"),
        ("records/missing.yaml", b"meeting:\n  series: foreign_ministers\n  date_start: 2019-05-22\n  host_country: KGZ\n"
         b"sources:\n  - url: https://example.org/a\n", "meetings", "missing_field", "'title'"),
        ("records/nosource.yaml", good().split(b"sources:")[0], "meetings", "missing_field", "lists no source"),
        ("records/badurl.yaml", good().replace(b"https://example.org/a", b"example dot org"), "meetings", "invalid_url",
         "not a well-formed"),
        ("records/latin1.yaml", "meeting:\n  title: Bi\xe9\n".encode("latin-1"), "meetings", "not_utf8", "not UTF-8"),
        ("records/empty.yaml", b"", "meetings", "empty_file", "file is empty"),
        ("press/empty.txt", b"   \n", "meetings", "empty_file", "file is empty"),
        ("press/latin1.txt", "Caf\xe9 au lait".encode("latin-1"), "meetings", "not_utf8", "not UTF-8"),
        ("records/notes.docx", b"PK\x03\x04", "meetings", "unsupported_file", "not read here"),
        ("csv/bad.csv", b"series,title\nx,y\n", "meetings", "missing_field", "lacks required column"),
        ("memberships.csv", b"country,status,effective_from\nNarnia,member,2001-06-15\nKAZ,member,2001-06-15\n",
         "memberships", "unknown_country", "Narnia"),
    ],
)  # fmt: skip
def test_each_bad_input_kind_is_rejected_with_its_reason(tmp_path, name, data, table, code, words):
    result = build_one(tmp_path, {name: data})
    rejects = result.tables["rejects"]
    hit = rejects[(rejects["reason_code"] == code) & (rejects["table"] == table)]
    assert len(hit) == 1, rejects.to_string()
    assert words in hit.iloc[0]["reason"]
    assert hit.iloc[0]["input_path"] == name


def test_duplicate_meeting_is_rejected_and_the_first_kept(tmp_path):
    result = build_one(tmp_path, {"records/a.yaml": good(), "records/b.yaml": good()})
    assert len(result.tables["meetings"]) == 1
    assert result.tables["meetings"].iloc[0]["input_path"] == "records/a.yaml"
    rejects = result.tables["rejects"]
    dup = rejects[rejects["reason_code"] == "duplicate_meeting"]
    assert list(dup["input_path"]) == ["records/b.yaml"]
    assert "already recorded by records/a.yaml" in dup.iloc[0]["reason"]
    # its delegation row is accounted for too
    assert list(rejects[rejects["reason_code"] == "meeting_rejected"]["input_path"]) == ["records/b.yaml"]


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    result = build_one(tmp_path, {"records/a.yaml": good(), "records/z.yaml": b"\xff\xfe\x00garbage"})
    assert len(result.tables["meetings"]) == 1
    assert len(result.tables["rejects"]) == 1


def test_csv_row_with_an_unknown_country_rejects_only_that_row(tmp_path):
    data = (
        b"series,title,date_start,host_country,participant,name,source_url\n"
        b"foreign_ministers,T,2019-05-22,KGZ,KGZ,A B,https://example.org/x\n"
        b"foreign_ministers,T,2019-05-22,KGZ,Wakanda,C D,https://example.org/x\n"
    )
    result = build_one(tmp_path, {"csv/user.csv": data})
    assert len(result.tables["delegations"]) == 1
    reject = result.tables["rejects"].iloc[0]
    assert reject["reason_code"] == "unknown_country"
    assert reject["locator"].endswith("line 3")


def test_broken_reference_file_fails_with_file_and_line(tmp_path):
    ref_dir = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref_dir)
    with open(ref_dir / "gazetteer.csv", "a") as fh:
        fh.write("Nowhere,KGZ,north,74.5,\n")
    with pytest.raises(ReferenceDataError, match=r"gazetteer.csv:\d+: 'north' is not a number"):
        load_reference(ref_dir)


@pytest.mark.parametrize(
    "file, line, message",
    [
        ("country_aliases.csv", "kazakh,KZZ\n", "'KZZ' is not an ISO 3166 alpha-3 code"),
        ("title_levels.csv", "\\bboss(,minister,\n", "bad regular expression"),
        ("title_levels.csv", "\\bboss\\b,chief,\n", "unknown level 'chief'"),
        ("persons.csv", "rus-vladimir-putin,Vladimir Putin,RUS,\n", "duplicate person_id"),
    ],
)
def test_reference_defects_name_the_file_and_line(tmp_path, file, line, message):
    ref_dir = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref_dir)
    n_lines = len((ref_dir / file).read_text().splitlines())
    with open(ref_dir / file, "a") as fh:
        fh.write(line)
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(ref_dir)
    assert f"{file}:{n_lines + 1}:" in str(exc.value)
    assert message in str(exc.value)


def test_cli_exits_2_with_a_clear_message_on_broken_reference(tmp_path):
    ref_dir = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref_dir)
    (ref_dir / "countries.csv").write_text("iso3,name\n")
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--reference", str(ref_dir), "--out", str(tmp_path / "o"), "--quiet"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "countries.csv:1: header lacks column(s) capital" in proc.stderr


def test_a_press_release_delegate_whose_state_is_not_said_is_a_row_reject_saying_so(tmp_path):
    release = (
        b"---\npublished: 2024-05-04\n---\n"
        b"Foreign Minister Arvind Rao met his Uzbek counterpart Akmal Saidov on the sidelines of the SCO meet "
        b"on May 4, 2024. The talks were held in Astana.\n"
    )
    result = build_one(tmp_path, {"press/rao.txt": release})
    assert set(result.tables["delegations"]["participant"]) == {"UZB"}
    rejects = result.tables["rejects"]
    row = rejects[rejects["reason"].str.contains("whom Arvind Rao represented is not said")]
    assert len(row) == 1 and row.iloc[0]["reason_code"] == "missing_field"
