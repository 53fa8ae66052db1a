"""Downloads: CSV, Excel, Parquet and JSON bytes of a frame, and the whole dataset as one zip.

Text cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe in CSV and Excel files, so opening a download never runs anything.
Parquet and JSON keep the values as they are (they are typed data, not spreadsheets).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from explorer.filters import Filters

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
    "zip": "application/zip",
}
CITATION = """SCO Engagements Explorer: a dataset of Shanghai Cooperation Organization meetings and delegations.
Dataset version: {version}
Downloaded: {today}

Please cite as:
  SCO Engagements Explorer (dataset), version {version}, downloaded {today}.

Every meeting and delegation row names its sources (tables sources, meetings.source_ids,
delegations.source_id); cite the original sources for individual facts. Rows with verified = false
are not confirmed by a source that was read. data_dictionary.csv describes every column.
"""


def neutralize(value):
    """A text value a spreadsheet would run as a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)


def for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralized and dates as plain dates (no time of day)."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[col] = series.dt.date.astype(object).where(series.notna(), None)
        elif _is_text(series):
            out[col] = series.astype(object).map(neutralize).where(series.notna(), None)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (comma, LF line ends, ISO dates), injection-neutralized."""
    return for_spreadsheet(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_excel_bytes(sheets: dict[str, pd.DataFrame] | pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet per frame; text cells neutralized and stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if isinstance(sheets, pd.DataFrame):
        sheets = {sheet_name: sheets}
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=str(name)[:31])
        clean = for_spreadsheet(frame)
        ws.append([str(c) for c in clean.columns])
        for row in clean.itertuples(index=False, name=None):
            ws.append([_excel_value(v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a string, never a formula
                elif isinstance(cell.value, date | datetime):
                    cell.number_format = "yyyy-mm-dd"
        for i, col in enumerate(clean.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in clean[col].head(200) if v is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _excel_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return value.item()
        except (AttributeError, ValueError):
            return str(value)
    return value


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet (zstd) bytes of a frame, values unchanged."""
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buf, compression="zstd")
    return buf.getvalue()


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    """A JSON array of records (ISO dates, null for missing), values unchanged."""
    records = [{str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def file_name(filters: Filters, table: str, ext: str) -> str:
    """The download's file name, from the filters: e.g. sco_meetings_foreign-ministers_kaz-ind_2015-2024.csv."""
    return f"{filters.file_stem(table)}.{ext}"


def dataset_zip(tables: dict[str, pd.DataFrame], dictionary: pd.DataFrame | None, version: str = "") -> bytes:
    """Every table as CSV and Parquet, the data dictionary and CITATION.txt, in one zip."""
    today = date.today().isoformat()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, frame in tables.items():
            zf.writestr(f"csv/{name}.csv", to_csv_bytes(frame))
            zf.writestr(f"parquet/{name}.parquet", to_parquet_bytes(frame))
        if dictionary is not None:
            zf.writestr("data_dictionary.csv", to_csv_bytes(dictionary))
        zf.writestr("CITATION.txt", CITATION.format(version=version or "unknown", today=today))
    return buf.getvalue()
