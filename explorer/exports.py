"""Downloads: CSV, Excel, Parquet and JSON bytes of a frame, and the whole dataset as one zip.

Text cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) get a leading apostrophe in CSV and Excel files, so opening a download never runs anything.
Parquet and JSON keep the values as they are (they are typed data, not spreadsheets).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from explorer.filters import Filters

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default text dtype
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
        elif series.dtype == _STR and series.notna().any():
            # Whole-column string operations; only the cells that start like a formula change.
            formula = series.str.startswith(FORMULA_START).fillna(False).astype(bool)
            out[col] = series.mask(formula, "'" + series) if formula.any() else series.copy()
        elif _is_text(series):
            if pd.api.types.infer_dtype(series, skipna=True) in ("date", "empty"):  # nothing to neutralize
                out[col] = series.astype(object).where(series.notna(), None)
            else:
                out[col] = series.astype(object).map(neutralize).where(series.notna(), None)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (comma, LF line ends, ISO dates), injection-neutralized."""
    data = _fast_csv(frame)
    if data is not None:
        return data
    return for_spreadsheet(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


# -- CSV, column by column -------------------------------------------------------------------------
#
# The same bytes as `for_spreadsheet(frame).to_csv(index=False, lineterminator="\n")` (pandas writes through
# Python's csv module: minimal quoting, quotes doubled; numbers as str(), floats as repr(), booleans as
# True/False, missing values empty), made with Arrow string kernels over whole columns instead of a Python call
# per cell: a million rows take a second or two instead of half a minute. Frames with other column types fall
# back to pandas.

CSV_CHUNK_ROWS = 1 << 17


def _csv_quote_chars() -> str:
    """The characters that make Python's csv writer (as pandas calls it) quote a field."""
    found = []
    for code in [*range(128), 0x85, 0x2028, 0x2029]:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([f"a{chr(code)}b", "x"])
        if buf.getvalue().startswith('"'):
            found.append(chr(code))
    return "".join(found)


_QUOTE_CHARS = _csv_quote_chars()
_QUOTE_BYTES = [ord(c) for c in _QUOTE_CHARS] if all(ord(c) < 128 for c in _QUOTE_CHARS) else None
_NEEDS_QUOTES = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _QUOTE_CHARS) + "]"
_FORMULA_REGEX = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in FORMULA_START) + "]"
_FORMULA_BYTES = np.zeros(256, dtype=bool)
_FORMULA_BYTES[[ord(c) for c in FORMULA_START]] = True


def _marks(values: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """Which values start like a formula and which hold a character that needs quotes, from the raw buffers."""
    if _QUOTE_BYTES is None:
        return None
    n = len(values)
    width = np.int64 if pa.types.is_large_string(values.type) else np.int32
    _, offsets, data = values.buffers()
    offsets = np.frombuffer(offsets, dtype=width)[values.offset : values.offset + n + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    starts = offsets[:-1]
    filled = np.flatnonzero(offsets[1:] > starts)
    formula = np.zeros(n, dtype=bool)
    formula[filled] = _FORMULA_BYTES[data[starts[filled]]]
    span = data[offsets[0] : offsets[-1]]
    text = span.tobytes()  # bytes.find is a memchr: most columns hold none of these characters
    quote = np.zeros(n, dtype=bool)
    for byte in _QUOTE_BYTES:
        if text.find(bytes((byte,))) >= 0:
            hits = np.flatnonzero(span == byte)
            quote[np.searchsorted(offsets, hits + offsets[0], side="right") - 1] = True
    if values.null_count:
        valid = values.is_valid().to_numpy(zero_copy_only=False)
        formula &= valid
        quote &= valid
    return formula, quote


def _text_cells(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """CSV fields of text values: neutralized, quoted when needed, empty for null; only marked values change."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_large_string(values.type):
        values = values.cast(pa.string())
    marks = _marks(values)
    if marks is None:
        formula = pc.fill_null(pc.match_substring_regex(values, _FORMULA_REGEX), False).to_numpy(zero_copy_only=False)
        quote = pc.fill_null(pc.match_substring_regex(values, _NEEDS_QUOTES), False).to_numpy(zero_copy_only=False)
    else:
        formula, quote = marks
    touched = formula | quote
    if touched.any():
        rows = np.flatnonzero(touched)
        some = values.take(pa.array(rows))
        apostrophe, quote_mark, empty = (pa.scalar(t, values.type) for t in ("'", '"', ""))
        some = pc.if_else(pa.array(formula[rows]), pc.binary_join_element_wise(apostrophe, some, empty), some)
        quoted = pc.binary_join_element_wise(quote_mark, pc.replace_substring(some, '"', '""'), quote_mark, empty)
        some = pc.if_else(pa.array(quote[rows]), quoted, some)
        values = pc.replace_with_mask(values, pa.array(touched), some.cast(values.type))
    return pc.fill_null(values, "") if values.null_count else values


def _repr_cells(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    """CSV fields of floats as numpy's str() (which is repr()), empty where missing; repr once per distinct value."""
    bits = values.view(np.int64 if values.dtype.itemsize == 8 else np.int32)
    codes, uniques = pd.factorize(bits)
    text = pa.array(uniques.view(values.dtype).astype(str).tolist(), type=pa.string())
    return pc.fill_null(text.take(pa.array(codes, mask=missing)), "")


def _iso_dates(days: pa.Array) -> pa.Array | None:
    """CSV fields of Arrow dates (YYYY-MM-DD, as str(date)), or None outside the years 1000-9999."""
    if days.null_count < len(days):
        lo, hi = pc.min_max(days).values()
        if lo.as_py().year < 1000 or hi.as_py().year > 9999:
            return None
    return pc.fill_null(pc.cast(days, pa.string()), "")


def _csv_cells(series: pd.Series) -> pa.Array | None:
    """The CSV fields of one column as pandas would write them after `for_spreadsheet`; None: not handled here."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return _text_cells(pa.array(series))
    if isinstance(dtype, np.dtype):
        values = series.to_numpy()
        if dtype.kind == "b":
            return pc.if_else(pa.array(values), "True", "False")
        if dtype.kind in "iu":
            return pc.cast(pa.array(values), pa.string())
        if dtype.kind == "f" and dtype.itemsize in (4, 8):
            return _repr_cells(values, np.isnan(values))
        if dtype.kind == "M":
            return _iso_dates(pa.array(values.astype("datetime64[D]"), type=pa.date32(), from_pandas=True))
        if dtype.kind == "O":
            kind = pd.api.types.infer_dtype(values, skipna=True)  # strictly: every value is of that kind
            if kind == "empty":
                return pa.array(np.full(len(values), "", dtype=object), type=pa.string())
            if kind == "string":
                return _text_cells(pa.array(values, type=pa.string(), from_pandas=True))
            if kind == "date" and set(map(type, values)) <= {date, type(None), float, type(pd.NaT)}:
                return _iso_dates(pa.array(values, type=pa.date32(), from_pandas=True))
        return None
    if isinstance(dtype, pd.BooleanDtype):
        return pc.fill_null(pc.if_else(pa.array(series), "True", "False"), "")
    if isinstance(dtype, pd.core.dtypes.dtypes.BaseMaskedDtype) and dtype.kind in "iu":
        return pc.fill_null(pc.cast(pa.array(series), pa.string()), "")
    return None


def _joined(cells: list[pa.Array]) -> memoryview:
    """The rows of the fields, comma-separated, each ending with a line feed, as one buffer."""
    comma, newline, empty = (pa.scalar(t, pa.large_string()) for t in (",", "\n", ""))
    pieces = []
    for cell in cells:
        pieces += [comma, cell if pa.types.is_large_string(cell.type) else cell.cast(pa.large_string())]
    return _buffer(pc.binary_join_element_wise(*pieces[1:], newline, empty))


def _buffer(lines: pa.Array | pa.ChunkedArray) -> memoryview:
    """The bytes of all the strings of an array, one after the other."""
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    width = 8 if pa.types.is_large_string(lines.type) else 4
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64 if width == 8 else np.int32)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return memoryview(lines.buffers()[2])[start:end]


def _fast_csv(frame: pd.DataFrame) -> bytes | None:
    columns = list(frame.columns)
    if len(columns) < 2 or not all(isinstance(c, str) for c in columns) or frame.columns.nlevels != 1:
        return None  # a one-column frame writes "" for an empty field: leave such frames to pandas
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(columns)
    parts: list = [head.getvalue().encode("utf-8")]
    for start in range(0, len(frame), CSV_CHUNK_ROWS):
        chunk = frame.iloc[start : start + CSV_CHUNK_ROWS]
        cells = []
        for i in range(len(columns)):
            field = _csv_cells(chunk.iloc[:, i])
            if field is None:
                return None
            cells.append(field)
        parts.append(_joined(cells))
    return b"".join(parts)


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
    data = _fast_json(frame)
    if data is not None:
        return data
    records = [{str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- JSON, column by column ------------------------------------------------------------------------
#
# The same bytes as json.dumps(records, ensure_ascii=False, indent=1) of the frame's records, made like the CSV:
# each column's values as JSON text with Arrow string kernels, then the records put together around them.

_JSON_ESCAPE = np.zeros(256, dtype=bool)
_JSON_ESCAPE[list(range(32)) + [ord('"'), ord("\\")]] = True  # what json escapes when ensure_ascii is off


def _json_text(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """JSON strings of text values ("null" for null): quoted; the few that need escapes escaped by json itself."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = values.cast(pa.large_string())
    quote, empty = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    out = pc.binary_join_element_wise(quote, values, quote, empty)
    _, offsets, data = values.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[values.offset : values.offset + len(values) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    span = data[offsets[0] : offsets[-1]]
    text = span.tobytes()  # a control character, a quote or a backslash anywhere? (min and memchr: fast)
    special = len(span) and (span.min() < 32 or b'"' in text or b"\\" in text)
    hits = np.flatnonzero(_JSON_ESCAPE[span]) + offsets[0] if special else []
    if len(hits):
        rows = np.unique(np.searchsorted(offsets, hits, side="right") - 1)
        mask = np.zeros(len(values), dtype=bool)
        mask[rows] = True
        if values.null_count:
            mask &= values.is_valid().to_numpy(zero_copy_only=False)
            rows = np.flatnonzero(mask)
        escaped = [json.encoder.encode_basestring(v) for v in values.take(pa.array(rows)).to_pylist()]
        out = pc.replace_with_mask(out, pa.array(mask), pa.array(escaped, type=pa.large_string()))
    return pc.fill_null(out, "null")


def _json_floats(values: np.ndarray) -> pa.Array:
    """JSON numbers of float64 values as json writes them (repr; NaN null; inf Infinity), once per distinct value."""
    codes, uniques = pd.factorize(values.view(np.int64))
    numbers = uniques.view(np.float64)
    text = numbers.astype(str).astype(object)
    text[np.isnan(numbers)] = "null"
    text[np.isposinf(numbers)] = "Infinity"
    text[np.isneginf(numbers)] = "-Infinity"
    return pa.array(text.tolist(), type=pa.large_string()).take(pa.array(codes))


def _json_python(series: pd.Series) -> pa.Array | None:
    """JSON values of a column the slow way (each value through `_json_value`); None if one is not a scalar."""
    out = []
    for record in series.to_frame().to_dict(orient="records"):
        value = _json_value(next(iter(record.values())))
        if value is not None and not isinstance(value, str | int | float):
            return None
        out.append(json.dumps(value, ensure_ascii=False))
    return pa.array(out, type=pa.large_string())


def _json_cells(series: pd.Series) -> pa.Array | None:
    """The JSON values of one column as `to_json_bytes` writes them; None: leave the frame to json.dumps."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return _json_text(pa.array(series))
    if isinstance(dtype, np.dtype):
        values = series.to_numpy()
        if dtype.kind == "b":
            return pc.if_else(pa.array(values), "true", "false").cast(pa.large_string())
        if dtype.kind in "iu":
            return pc.cast(pa.array(values), pa.large_string())
        if dtype.kind == "f":
            return _json_floats(values.astype(np.float64))
        if dtype.kind == "O":
            kind = pd.api.types.infer_dtype(values, skipna=True)
            if kind == "empty":
                return pa.array(np.full(len(values), "null", dtype=object), type=pa.large_string())
            if kind == "string":
                return _json_text(pa.array(values, type=pa.large_string(), from_pandas=True))
            if kind == "date" and set(map(type, values)) <= {date, type(None), float, type(pd.NaT)}:
                days = _iso_dates(pa.array(values, type=pa.date32(), from_pandas=True))
                if days is not None:
                    null = pa.array(pd.isna(values))
                    quote, empty = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
                    quoted = pc.binary_join_element_wise(quote, days.cast(pa.large_string()), quote, empty)
                    return pc.if_else(null, pa.scalar("null", pa.large_string()), quoted)
        return _json_python(series)
    if isinstance(dtype, pd.BooleanDtype):
        return pc.fill_null(pc.if_else(pa.array(series), "true", "false"), "null").cast(pa.large_string())
    if isinstance(dtype, pd.core.dtypes.dtypes.BaseMaskedDtype) and dtype.kind in "iu":
        return pc.fill_null(pc.cast(pa.array(series), pa.large_string()), "null")
    return _json_python(series)


def _fast_json(frame: pd.DataFrame) -> bytes | None:
    keys = [str(c) for c in frame.columns]
    if not keys or len(set(keys)) != len(keys) or frame.columns.nlevels != 1:
        return None
    if not len(frame):
        return b"[]\n"
    # One record: ' {\n  "key": value,\n  "key": value\n },\n' (the last comma is taken off at the end).
    heads = [(" {\n" if i == 0 else ",\n") + f"  {json.dumps(k, ensure_ascii=False)}: " for i, k in enumerate(keys)]
    heads = [pa.scalar(h, pa.large_string()) for h in heads]
    closing, empty = pa.scalar("\n },\n", pa.large_string()), pa.scalar("", pa.large_string())
    parts: list = [b"[\n"]
    for start in range(0, len(frame), CSV_CHUNK_ROWS):
        chunk = frame.iloc[start : start + CSV_CHUNK_ROWS]
        pieces = []
        for i, head in enumerate(heads):
            values = _json_cells(chunk.iloc[:, i])
            if values is None:
                return None
            pieces += [head, values]
        parts.append(_buffer(pc.binary_join_element_wise(*pieces, closing, empty)))
    parts[-1] = parts[-1][:-2]  # no comma after the last record
    parts.append(b"\n]\n")
    return b"".join(parts)


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
