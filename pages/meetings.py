"""Meetings: a searchable table of the filtered meetings and the detail of one meeting."""

import functools

import pandas as pd
import streamlit as st

from explorer import exports, labels, queries
from explorer.data import raw_dir
from explorer.filters import Filters
from pages._shared import (
    EAGER_ROWS,
    current_filters,
    dataset,
    filters_caption,
    nothing_matches,
    page_header,
    q,
    require_data,
)


def table_csv(ds, f: Filters, search: str) -> bytes:
    """The CSV of the listed meetings, made again from the filters and the search (when the button is clicked)."""
    return exports.to_csv_bytes(queries.search_meetings(queries.meetings_table(ds, f), search))


page_header(
    "meetings",
    "Every meeting under the current filters, latest first; search it, and select a row (or open a link with "
    "?meeting=<id>) to see that meeting's delegations and sources, with the extracted passages highlighted in "
    "the text of press releases.",
)
require_data()
f = current_filters()
table = q("meetings_table", f)
filters_caption(f, len(table))
if st.query_params.get("meeting"):
    st.caption("[Jump to the selected meeting ↓](#meeting-detail)")

FIRST_COLUMNS = ["date_start", "title", "series", "city", "host", "delegations", "heads_of_delegation"]
TABLE_ROWS = 10_000  # meetings listed at most; the search and the CSV cover them all
search = st.text_input(
    "Search", key="meeting_search", placeholder="Words in the title, place, host or heads of delegation"
)
shown = queries.search_meetings(table, search)
if search.strip() and not table.empty:
    st.caption(f"{len(shown)} of {len(table)} meetings contain “{search.strip()}”.")

if shown.empty:
    nothing_matches()
else:
    if len(shown) > TABLE_ROWS:
        st.caption(
            f"The latest {TABLE_ROWS:,} of {len(shown):,} meetings are listed: search, or narrow the filters, to "
            "find the others (the CSV below holds them all)."
        )
    listed = shown.head(TABLE_ROWS)
    display = listed.assign(series=listed["series"].map(lambda s: labels.label(labels.SERIES, s)))
    event = st.dataframe(
        display,
        key="meetings_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=420,
        column_order=FIRST_COLUMNS + [c for c in display.columns if c not in FIRST_COLUMNS],
        column_config={
            "date_start": st.column_config.DateColumn("Date", format="YYYY-MM-DD", pinned=True),
            "date_end": st.column_config.DateColumn("Last day", format="YYYY-MM-DD"),
            "title": st.column_config.TextColumn("Meeting", width="large", pinned=True),
            "series": "Series",
            "city": "City",
            "host": "Host",
            "delegations": st.column_config.NumberColumn("Delegations", help="Delegations that attended"),
            "heads_of_delegation": st.column_config.TextColumn("Heads of delegation", width="large"),
            "verified": st.column_config.CheckboxColumn("Verified"),
            "source_url": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)"),
            "meeting_id": "Meeting id",
            "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
        },
    )
    st.download_button(
        "Download this table (CSV)",
        # a large table's CSV is made when the button is clicked (holding on to the table would cost its memory)
        data=exports.to_csv_bytes(shown)
        if len(shown) <= EAGER_ROWS
        else functools.partial(table_csv, dataset(), f, search),
        file_name=exports.file_name(f, "meetings", "csv"),
        mime=exports.MIME["csv"],
        on_click="ignore",
        icon=":material/download:",
        key="meetings_table_csv",
    )
    rows = event.selection.rows if event else []
    if rows:
        chosen = str(listed.iloc[rows[0]]["meeting_id"])
        if st.query_params.get("meeting") != chosen:
            st.query_params["meeting"] = chosen

meeting_id = st.query_params.get("meeting")
st.divider()
if not meeting_id:
    st.info("Select a row of the table to see that meeting's delegations and sources.", icon=":material/touch_app:")
    st.stop()

detail = q("meeting_detail", meeting_id)
if detail is None:
    st.info(f"There is no meeting with the id “{meeting_id}” in this dataset.", icon=":material/search_off:")
    st.stop()

m = detail["meeting"]
st.subheader(m["title"], anchor="meeting-detail")
when = f"{m['date_start']:%d %b %Y}" + (f" – {m['date_end']:%d %b %Y}" if pd.notna(m["date_end"]) else "")
place = ", ".join(str(x) for x in (m.get("venue"), m.get("city"), m.get("host")) if isinstance(x, str) and x)
facts = [
    ("Date", when),
    ("Place", place or "unknown"),
    (
        "Series",
        labels.label(labels.SERIES, m["series"])
        + (f" — {m['mechanism']}" if isinstance(m.get("mechanism"), str) else ""),
    ),
    ("Format", labels.label(labels.FORMATS, m["format"])),
    ("Chair", str(m["chair_country"]) if isinstance(m.get("chair_country"), str) else "not recorded"),
    ("Verified", "yes" if m["verified"] else "no: not confirmed by a source that was read"),
    ("Meeting id", m["meeting_id"]),
]
st.dataframe(pd.DataFrame(facts, columns=["", "value"]), hide_index=True, width="content")
if isinstance(m.get("notes"), str) and m["notes"]:
    st.caption("Notes: " + m["notes"].replace("$", "\\$"))

delegations = detail["delegations"]
st.markdown(f"**Delegations** ({len(delegations)})")
if delegations.empty:
    st.info("The dataset has no delegation rows for this meeting.", icon=":material/info:")
else:
    st.dataframe(
        delegations.assign(
            level=delegations["level"].map(lambda s: labels.label(labels.LEVELS, s)),
            status=delegations["status"].map(lambda s: labels.label(labels.STATUSES, s)),
            role=delegations["role"].map(lambda s: labels.label(labels.ROLES, s)),
        )[["participant_name", "name", "title", "level", "status", "role", "attended", "verified", "note"]],
        hide_index=True,
        width="stretch",
        column_config={
            "participant_name": "Delegation",
            "name": "Name",
            "title": "Title",
            "level": "Level",
            "status": "SCO status",
            "role": "Role",
            "attended": st.column_config.CheckboxColumn("Attended"),
            "verified": st.column_config.CheckboxColumn("Verified"),
            "note": st.column_config.TextColumn("Note", width="large"),
        },
    )

sources = detail["sources"]
st.markdown(f"**Sources** ({len(sources)})")
if sources.empty:
    st.info("No sources recorded.", icon=":material/info:")
else:
    st.dataframe(
        sources[["publisher", "title", "url", "published", "retrieved"]],
        hide_index=True,
        width="stretch",
        column_config={
            "url": st.column_config.LinkColumn("Link", width="large"),
            "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
            "retrieved": st.column_config.DateColumn("Read on", format="YYYY-MM-DD"),
        },
    )

for doc in queries.press_documents(detail):
    st.markdown(f"**Press release text** — `{doc['path']}`")
    text = queries.press_text(raw_dir(), doc["path"])
    if text is None:
        st.info(f"The press release file {doc['path']} is not available under {raw_dir()}.", icon=":material/info:")
        continue
    if not queries.text_matches(text, doc["sha256"]):
        st.warning(
            "This file changed since the dataset was built: the highlights may be off.", icon=":material/warning:"
        )
    spans = queries.evidence_spans(text, doc["delegations"])
    st.caption(f"{len(spans)} extracted passage(s) highlighted; hover one to see the row it gave.")
    with st.container(border=True, height=420):
        st.html(queries.highlight_html(text, spans))
