"""Timeline: meetings over time by series (click one to open it) and each state's SCO status over time."""

import streamlit as st

from explorer import figures
from pages._shared import (
    PAGES,
    current_filters,
    filters_caption,
    nothing_matches,
    page_header,
    q,
    require_data,
)

page_header(
    "timeline",
    "Every meeting under the current filters on a time line, one row per series; a dot's size grows with the "
    "number of delegations. Hover for the date, the place and the heads of delegations; click a dot to open "
    "that meeting. Below, each state's SCO status (member, observer, dialogue partner, partner) over time.",
)
require_data()
f = current_filters()
points = q("timeline_points", f)
filters_caption(f, len(points))

if points.empty:
    nothing_matches()
else:
    if len(points) > figures.WEBGL_POINTS:
        st.caption(
            f"With more than {figures.WEBGL_POINTS:,} meetings the hover leaves out the heads of delegation: click "
            "a dot to open the meeting with them, or narrow the filters."
        )
    event = st.plotly_chart(
        figures.timeline_figure(points),
        key="timeline_chart",
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False},
    )
    selected = [p.get("customdata") for p in (event.selection.points if event else []) if p.get("customdata")]
    if selected:
        meeting_id = selected[0][0]
        st.switch_page(PAGES["meetings"][0], query_params={**f.to_query_params(), "meeting": meeting_id})

st.subheader("Membership over time", anchor=False)
periods = q("membership_periods", f)
if periods.empty:
    st.info(
        "No membership periods to show: the dataset has no membership history for these countries "
        "(data/raw/memberships.csv).",
        icon=":material/info:",
    )
else:
    st.caption("Each bar is a period with one status; bars that run to the right edge still hold today.")
    st.plotly_chart(figures.membership_figure(periods), key="membership_chart", config={"displaylogo": False})
