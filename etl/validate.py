"""Split a table into accepted rows and rejected rows with reasons, using its pandera schema.

Unlike pandera's drop_invalid_rows we never throw rows away: every failing row comes
back with the checks it failed, to be written to the rejects table.

Most builds break no rule, so a quick vectorised pass over the same contract (etl/schema.py)
comes first; only when it finds something does pandera run, and pandera's failure cases
give the reasons. The quick pass may only be stricter than pandera, never looser: any doubt
(an unexpected column or dtype, a check it does not know) sends the table to pandera.
"""

from __future__ import annotations

import re

import pandas as pd

from etl.schema import FRAME_CHECKS, PANDAS_DTYPES, TABLES, check_args, columns, pandera_schema

_QUICK_CHECKS = ("isin", "str_matches", "in_range", "ge")


def _column_passes(series: pd.Series, col) -> bool:
    """True when every value of one column passes its dtype, nullability, uniqueness and checks."""
    if series.dtype != pd.api.types.pandas_dtype(PANDAS_DTYPES[col.kind]):
        return False
    present = series.notna()
    if not col.nullable and not present.all():
        return False
    if col.unique and series.duplicated().any():
        return False
    values = series[present]
    if values.empty:
        return True
    for check in col.checks:
        if check.name not in _QUICK_CHECKS:
            return False
        args = check_args(check, col.kind)
        if check.name == "isin":
            ok = values.isin(list(args[0]))
        elif check.name == "str_matches":
            match = re.compile(args[0]).match
            ok = pd.Series([match(v) is not None for v in values.astype(object)], index=values.index)
        elif check.name == "in_range":
            ok = (values >= args[0]) & (values <= args[1])
        else:
            ok = values >= args[0]
        if not bool(ok.all()):
            return False
    return True


def quick_check(frame: pd.DataFrame, table: str) -> bool:
    """True when the table certainly passes its schema (False: ask pandera)."""
    if list(frame.columns) != columns(table):
        return False
    try:
        if not all(_column_passes(frame[col.name], col) for col in TABLES[table]):
            return False
        return all(bool(fn(frame).all()) for _, fn in FRAME_CHECKS.get(table, ()))
    except (TypeError, ValueError):
        return False


def split_valid(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted rows, rejected rows with a 'reason' column) for one table."""
    frame = frame.reset_index(drop=True)
    if quick_check(frame, table):
        return frame, frame.iloc[0:0].assign(reason=pd.Series(dtype="string"))
    import pandera.errors as pe

    try:
        pandera_schema(table).validate(frame, lazy=True)
        return frame, frame.iloc[0:0].assign(reason=pd.Series(dtype="string"))
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
    row_cases = cases[cases["index"].notna()]
    schema_cases = cases[cases["index"].isna()]
    if not schema_cases.empty:
        raise ValueError(f"table '{table}' breaks its contract as a whole:\n{schema_cases.to_string()}")
    reasons: dict[int, list[str]] = {}
    for case in row_cases.itertuples():
        column = case.column if isinstance(case.column, str) else "row"
        reasons.setdefault(int(case.index), []).append(f"{column}: fails {case.check} (value {case.failure_case!r})")
    bad = sorted(reasons)
    rejected = frame.loc[bad].copy()
    rejected["reason"] = ["; ".join(dict.fromkeys(reasons[i])) for i in bad]
    return frame.drop(index=bad).reset_index(drop=True), rejected.reset_index(drop=True)
