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
