"""Downloads: the filtered meetings, delegations and persons, and the whole dataset as one zip."""

import streamlit as st

from explorer import exports
from pages._shared import (
    PREVIEW_ROWS,
    TABLE_QUERIES,
    current_filters,
    dictionary,
    export_data,
    filters_caption,
    nothing_matches,
    page_header,
    q,
    require_data,
    tables_zip,
)

page_header(
    "downloads",
    "The data behind the current filters, as CSV, Excel and Parquet (and JSON for meetings). Each file holds "
    "exactly the rows counted and previewed here, from the same query as the other pages, and is named after the "
    "filters. At the bottom, the whole dataset in one zip.",
)
require_data()
f = current_filters()
sizes = q("table_sizes", f)  # the tables are made in full only for a download, when its button is clicked
filters_caption(f, sizes["meetings"])
st.caption(
    "Spreadsheet safety: text cells that start with = + - @ (or a tab or carriage return) are written with a "
    "leading apostrophe in CSV and Excel files, so a spreadsheet never reads them as formulas."
)

DESCRIPTIONS = {
    "meetings": "One row per meeting, with its host, heads of delegation and first source.",
    "delegations": "One row per delegation member (or explicit absence) of those meetings that matches the filters.",
    "persons": "The people named in those delegation rows, with how often and when they appear.",
}
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel", "parquet": "Parquet", "json": "JSON"}
for table, rows in sizes.items():
    st.subheader(f"{table.capitalize()} ({rows} rows)", anchor=False)
    st.caption(DESCRIPTIONS[table])
    if not rows:
        nothing_matches(table)
        continue
    formats = ["csv", "xlsx", "parquet"] + (["json"] if table == "meetings" else [])
    cols = st.columns(len(formats) + 1)
    for col, ext in zip(cols, formats, strict=False):
        col.download_button(
            FORMAT_LABELS[ext],
            data=export_data(table, ext, f, rows),
            file_name=exports.file_name(f, table, ext),
            mime=exports.MIME[ext],
            on_click="ignore",
            icon=":material/download:",
            key=f"download_{table}_{ext}",
        )
    with st.expander(f"Preview: {exports.file_name(f, table, 'csv')}"):
        if rows > PREVIEW_ROWS:
            st.caption(f"The first {PREVIEW_ROWS:,} of {rows:,} rows; the files hold them all.")
        st.dataframe(q(TABLE_QUERIES[table], f, PREVIEW_ROWS), hide_index=True, width="stretch", height=300)

st.divider()
st.subheader("The whole dataset", anchor=False)
st.caption(
    "Every table (meetings, delegations, persons, countries, memberships, sources, rejects) as CSV and Parquet, "
    "the data dictionary (every column's type and meaning) and CITATION.txt, in one zip. Not filtered."
)
st.download_button(
    "Download the whole dataset (zip)",
    data=tables_zip(),
    file_name="sco_engagements_dataset.zip",
    mime=exports.MIME["zip"],
    on_click="ignore",
    icon=":material/folder_zip:",
    key="download_dataset_zip",
    type="primary",
)
with st.expander("Data dictionary"):
    st.dataframe(dictionary(), hide_index=True, width="stretch", height=360)
