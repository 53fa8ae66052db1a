"""Split a table into accepted rows and rejected rows with reasons, using its pandera schema.

Unlike pandera's drop_invalid_rows we never throw rows away: every failing row comes
back with the checks it failed, to be written to the rejects table.
"""

from __future__ import annotations

import pandas as pd
import pandera.errors as pe

from etl.schema import pandera_schema


def split_valid(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted rows, rejected rows with a 'reason' column) for one table."""
    frame = frame.reset_index(drop=True)
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
