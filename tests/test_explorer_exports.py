"""Downloads: golden CSV, formula-injection neutralising in CSV and Excel, Parquet/JSON round trips, the zip."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pyarrow.parquet as pq

from explorer import exports
from explorer import queries as q
from explorer.filters import Filters

FRAME = pd.DataFrame(
    {
        "meeting_id": ["cfm-2018-04-24-chn", "chs-2017-06-08-kaz", "x"],
        "date_start": [date(2018, 4, 24), date(2017, 6, 8), None],
        "title": ['=HYPERLINK("http://evil")', "+SUM(A1)", "-2+3"],
        "note": ["@cmd", "\tTab first", "plain, with a comma"],
        "delegations": [4, 7, 0],
        "verified": [True, False, True],
        "confidence": [1.0, 0.5, None],
    }
)

GOLDEN_CSV = """meeting_id,date_start,title,note,delegations,verified,confidence
cfm-2018-04-24-chn,2018-04-24,"'=HYPERLINK(""http://evil"")",'@cmd,4,True,1.0
chs-2017-06-08-kaz,2017-06-08,'+SUM(A1),'\tTab first,7,False,0.5
x,,'-2+3,"plain, with a comma",0,True,
"""


def test_csv_matches_the_golden_text_with_formulas_neutralized():
    assert exports.to_csv_bytes(FRAME).decode("utf-8") == GOLDEN_CSV


def test_neutralize_prefixes_only_dangerous_text():
    assert [exports.neutralize(v) for v in ["=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", "", 5, None]] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1", "", 5, None,
    ]  # fmt: skip


def test_excel_cells_are_text_with_the_apostrophe_and_dates_are_dates():
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_excel_bytes(FRAME, sheet_name="meetings")))
    ws = wb["meetings"]
    assert [c.value for c in ws[1]] == list(FRAME.columns)
    title = ws["C2"]
    assert title.value == '\'=HYPERLINK("http://evil")' and title.data_type == "s"
    assert ws["D2"].value == "'@cmd" and ws["C4"].value == "'-2+3"
    assert ws["B2"].value.date() == date(2018, 4, 24) and ws["B4"].value is None
    assert ws["E3"].value == 7 and ws["F3"].value is False and ws["G4"].value is None
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_parquet_and_json_keep_values_as_they_are():
    table = pq.read_table(io.BytesIO(exports.to_parquet_bytes(FRAME)))
    assert str(table.schema.field("date_start").type) == "date32[day]"
    assert table.column("title").to_pylist()[0] == '=HYPERLINK("http://evil")'
    records = json.loads(exports.to_json_bytes(FRAME))
    assert records[0]["date_start"] == "2018-04-24" and records[2]["date_start"] is None
    assert records[1]["title"] == "+SUM(A1)" and records[2]["confidence"] is None and records[1]["verified"] is False


def test_file_names_come_from_the_filters():
    f = Filters(
        countries=("KAZ", "IND"), date_from=date(2015, 1, 1), date_to=date(2024, 12, 31), series=("foreign_ministers",)
    )
    assert exports.file_name(f, "meetings", "csv") == "sco_meetings_foreign-ministers_kaz-ind_2015-2024.csv"
    assert exports.file_name(Filters(), "delegations", "xlsx") == "sco_delegations_all.xlsx"


def test_the_meetings_download_is_the_meetings_view(ds):
    f = Filters(series=("heads_of_state",))
    view = q.meetings_table(ds, f)
    text = exports.to_csv_bytes(view).decode()
    lines = text.splitlines()
    assert lines[0].split(",")[:3] == ["meeting_id", "date_start", "date_end"]
    assert [line.split(",")[0] for line in lines[1:]] == list(view["meeting_id"])
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == len(view) == 2


def test_a_note_that_looks_like_a_formula_is_neutralized_in_the_real_download(ds):
    view = q.meetings_table(ds, Filters(series=("foreign_ministers",)))
    assert view["notes"].iloc[0].startswith("=HYPERLINK")
    back = pd.read_csv(io.BytesIO(exports.to_csv_bytes(view)))
    assert back["notes"].iloc[0].startswith("'=HYPERLINK")


def test_the_dataset_zip_holds_every_table_the_dictionary_and_the_citation(ds):
    from etl.schema import data_dictionary

    data = exports.dataset_zip(q.dataset_tables(ds), data_dictionary(), version="abc123")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for table in ("meetings", "delegations", "persons", "countries", "memberships", "sources", "rejects"):
            assert f"csv/{table}.csv" in names and f"parquet/{table}.parquet" in names
        assert {"data_dictionary.csv", "CITATION.txt"} <= names
        assert "version abc123" in zf.read("CITATION.txt").decode()
        meetings = pd.read_csv(zf.open("csv/meetings.csv"))
        assert len(meetings) == 5
        assert pq.read_table(io.BytesIO(zf.read("parquet/delegations.parquet"))).num_rows == 21
        dictionary = pd.read_csv(zf.open("data_dictionary.csv"))
        assert {"table", "column", "type", "nullable", "description"} <= set(dictionary.columns)


def _awkward_frame(n: int = 40) -> pd.DataFrame:
    import itertools

    texts = ["plain", "=1+1", "+x", "-3", "@a", "\ttab", "\rcr", "a,b", 'say "hi"', "two\nlines", "cr\rinside", "",
             " lead", "é ü 😀", "'quoted'", "x=1", None]  # fmt: skip
    cycle = itertools.cycle(texts)
    text = [next(cycle) for _ in range(n)]
    return pd.DataFrame(
        {
            "text": pd.Series(text, dtype="str"),
            "object_text": pd.Series(text[::-1], dtype=object),
            "no_value": pd.Series([None] * n, dtype=object),
            "day": pd.Series([date(2001 + i % 25, 1 + i % 12, 1 + i % 28) if i % 7 else None for i in range(n)]),
            "stamp": pd.to_datetime([f"2019-06-{1 + i % 28:02d} {i % 24:02d}:30" for i in range(n)]),
            "count": pd.Series(range(-3, n - 3), dtype="int64"),
            "maybe": pd.Series([None if i % 5 == 0 else i for i in range(n)], dtype="Int64"),
            "flag": pd.Series([i % 2 == 0 for i in range(n)]),
            "maybe_flag": pd.Series([None if i % 3 == 0 else i % 2 == 0 for i in range(n)], dtype="boolean"),
            "score": pd.Series([[1.0, 0.1, -0.0, 1e-05, 1e16, 1 / 3, float("nan"), 0.5][i % 8] for i in range(n)]),
        }
    )


def test_csv_column_by_column_is_byte_for_byte_what_pandas_writes(monkeypatch):
    frame = _awkward_frame()
    pandas_text = exports.for_spreadsheet(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")
    assert exports._fast_csv(frame) is not None  # every column above is written by Arrow string kernels
    assert exports.to_csv_bytes(frame) == pandas_text
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 3)  # rows written in chunks join up the same
    assert exports.to_csv_bytes(frame) == pandas_text
    assert exports.to_csv_bytes(frame.iloc[:0]) == pandas_text.split(b"\n")[0] + b"\n"
    lines = pandas_text.decode().split("\n")
    assert lines[2].startswith("'=1+1,") and lines[8].startswith('"a,b",') and lines[9].startswith('"say ""hi""",')


def test_csv_of_other_columns_falls_back_to_pandas():
    frame = pd.DataFrame({"kind": pd.Series(["a", "b", None], dtype="category"), "mixed": [1, "=x", 2.5]})
    assert exports._fast_csv(frame) is None
    assert exports.to_csv_bytes(frame) == b"kind,mixed\na,1\nb,'=x\n,2.5\n"
    one = pd.DataFrame({"only": ["=a", None, ""]})  # a single column writes "" for an empty field
    assert exports.to_csv_bytes(one) == b'only\n\'=a\n""\n""\n'


def test_the_spreadsheet_frame_is_neutralized_column_by_column():
    frame = _awkward_frame()
    clean = exports.for_spreadsheet(frame)
    assert clean["text"].dtype == frame["text"].dtype
    expected = [exports.neutralize(v) if isinstance(v, str) else v for v in frame["text"]]
    assert [v if isinstance(v, str) else None for v in clean["text"]] == [
        v if isinstance(v, str) else None for v in expected
    ]
    assert clean["day"].tolist() == [v if v is not None else None for v in frame["day"]]
    assert clean["stamp"].iloc[0] == date(2019, 6, 1)


def test_json_column_by_column_is_byte_for_byte_what_json_writes(monkeypatch):
    frame = _awkward_frame().assign(
        escapes=lambda f: pd.Series(["back\\slash", "nul\x00", 'q"', "\x1f", None] * (len(f) // 5), dtype="str"),
        big=lambda f: pd.Series([float("inf"), -float("inf"), 2.5, float("nan")] * (len(f) // 4)),
    )

    def reference(frame: pd.DataFrame) -> bytes:
        records = [{str(k): exports._json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    assert exports._fast_json(frame) is not None  # the date-time column goes value by value, the rest by column
    assert exports.to_json_bytes(frame) == reference(frame)
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 3)
    assert exports.to_json_bytes(frame) == reference(frame)
    assert exports.to_json_bytes(frame.iloc[:0]) == b"[]\n"
    nested = pd.DataFrame({"a": [1, 2], "b": [[1], {"x": 1}]})  # containers: json.dumps lays them out
    assert exports._fast_json(nested) is None and exports.to_json_bytes(nested) == reference(nested)
