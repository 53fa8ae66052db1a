"""Overview: headline numbers, the latest meetings and who is in the SCO today."""

import streamlit as st

from explorer import labels
from pages._shared import (
    current_filters,
    filters_caption,
    nothing_matches,
    page_header,
    q,
    query_string,
    require_data,
    today,
)

page_header(
    "overview",
    "The dataset at a glance: how many SCO meetings and delegations are recorded under the current filters, "
    "the most recent meetings, and each state's SCO status today.",
)
require_data()
f = current_filters()
head = q("headline", f)
filters_caption(f, head["meetings"])

cols = st.columns(5)
cols[0].metric("Meetings", head["meetings"])
cols[1].metric("Delegations", head["delegations"], help="Delegation rows of states and organisations that attended.")
cols[2].metric("Countries", head["countries"], help="Countries that sent at least one delegation.")
cols[3].metric("People", head["persons"], help="Named delegates.")
cols[4].metric("Host countries", head["hosts"])
if head["first"]:
    st.caption(
        f"From {head['first']:%d %b %Y} to {head['last']:%d %b %Y}."
        + (f" {head['unverified']} meeting(s) not confirmed by a source read." if head["unverified"] else "")
    )

st.subheader("Latest meetings", anchor=False)
latest = q("latest_meetings", f, 10)
if latest.empty:
    nothing_matches()
else:
    latest = latest.assign(link=[f"meetings?{query_string(f, meeting=m)}" for m in latest["meeting_id"]])
    st.dataframe(
        latest[["date_start", "title", "series", "city", "host", "delegations", "link"]],
        hide_index=True,
        width="stretch",
        column_config={
            "date_start": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "title": st.column_config.TextColumn("Meeting", width=330),
            "series": "Series",
            "city": "City",
            "host": "Host",
            "delegations": st.column_config.NumberColumn("Delegations", help="Delegations that attended", width=80),
            "link": st.column_config.LinkColumn(
                "Details", display_text="Open", help="The meeting on the Meetings page"
            ),
        },
    )

st.subheader("Membership today", anchor=False)
st.caption(f"Each state's SCO status on {today():%d %B %Y}, from the membership history.")
members = q("membership_on", today())
if members.empty:
    st.info("No membership history in the dataset (data/raw/memberships.csv).", icon=":material/info:")
else:
    groups = [(s, members[members["status"] == s]) for s in labels.MEMBERSHIP_STATUSES]
    groups = [(s, g) for s, g in groups if not g.empty]
    for col, (status, group) in zip(st.columns(len(groups), gap="large"), groups, strict=True):
        color = labels.STATUS_COLORS[status]
        col.html(
            f'<div style="margin:0 0 2px 0"><span style="display:inline-block;width:12px;height:12px;'
            f'background:{color};margin-right:6px"></span><b>{labels.STATUSES[status]}s</b> ({len(group)})</div>'
        )
        col.write(", ".join(group["name"]))
