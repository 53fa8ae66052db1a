"""Countries: attendance, attendance rate against eligibility, delegation levels, a country x year heatmap, profiles."""

import streamlit as st

from explorer import figures, labels
from pages._shared import (
    current_filters,
    filter_to_country,
    filters_caption,
    names,
    nothing_matches,
    page_header,
    q,
    require_data,
)

page_header(
    "countries",
    "How often each country took part in the meetings under the current filters, how that compares with the "
    "meetings it was eligible for, at what level it was represented, and year by year. Click a bar to filter "
    "every page to that country; pick a country at the bottom for its profile.",
)
require_data()
f = current_filters()
attendance = q("country_attendance", f)
filters_caption(f, q("count_meetings", f))

if attendance.empty:
    nothing_matches("countries")
    st.stop()

config = {"displaylogo": False}
LIST_ROWS = 1000  # rows listed at most in the profile's tables
left, right = st.columns(2, gap="large")
with left:
    st.subheader("Meetings attended", anchor=False)
    st.caption("Distinct meetings at which the country had a delegation that attended.")
    shown = attendance[attendance["attended"] > 0]
    if shown.empty:
        st.info("No country attended a meeting under these filters.", icon=":material/info:")
    else:
        st.plotly_chart(
            figures.attendance_figure(shown),
            key="attendance_chart",
            on_select=lambda: filter_to_country("attendance_chart"),
            selection_mode="points",
            config=config,
        )
with right:
    st.subheader("Attendance rate", anchor=False)
    st.caption(
        "Share of the meetings a country was eligible for that it attended. Eligibility follows its status on "
        "the day: a member is eligible for every council-level meeting (heads of state and of government, "
        "foreign and defence ministers, security council secretaries) while a member; an observer for the "
        "heads-of-state summit; partners are invited case by case and have no rate."
    )
    if (attendance["eligible"] > 0).any():
        st.plotly_chart(
            figures.rate_figure(attendance),
            key="rate_chart",
            on_select=lambda: filter_to_country("rate_chart"),
            selection_mode="points",
            config=config,
        )
    else:
        st.info("No country was eligible for these meetings (see the rule above).", icon=":material/info:")

st.subheader("Level of delegations", anchor=False)
st.caption("Each attending delegation counted once, by the level of its head (coded from the title).")
mix = q("level_mix", f)
if mix.empty:
    st.info("No delegation heads under these filters.", icon=":material/info:")
else:
    st.plotly_chart(
        figures.level_figure(mix),
        key="level_chart",
        on_select=lambda: filter_to_country("level_chart"),
        selection_mode="points",
        config=config,
    )

st.subheader("Country × year", anchor=False)
st.caption("Meetings attended per country and year.")
cy = q("country_year", f)
if cy.empty:
    st.info("Nothing to show per year under these filters.", icon=":material/info:")
else:
    st.plotly_chart(figures.heatmap_figure(cy), key="heatmap_chart", config=config)

st.subheader("Country profile", anchor=False)
all_names = names()
codes = list(dict.fromkeys([*f.countries, *attendance["country"]]))
choice = st.selectbox(
    "Country", codes, format_func=lambda c: all_names.get(c, c), key="profile_country", help="Who represented it."
)
if choice:
    profile = q("country_profile", f, choice, LIST_ROWS)
    history = profile["history"]
    if not history.empty:
        st.caption(
            "SCO status: "
            + "; ".join(
                f"{labels.label(labels.STATUSES, r.status)} from {r.effective_from:%Y-%m-%d}"
                + (f" to {r.effective_to:%Y-%m-%d}" if r.effective_to == r.effective_to and r.effective_to else "")
                for r in history.itertuples()
            )
        )
    people, hosted = profile["people"], profile["hosted"]
    a, b = st.columns([3, 2], gap="large")
    with a:
        st.markdown(f"**Who represented {all_names.get(choice, choice)}** ({profile['people_rows']} rows)")
        if people.empty:
            st.info("No delegation rows for this country under the current filters.", icon=":material/info:")
        else:
            if profile["people_rows"] > len(people):
                st.caption(f"The latest {len(people):,} rows; narrow the filters for the others.")
            st.dataframe(
                people.assign(
                    series=people["series"].map(lambda s: labels.label(labels.SERIES, s)),
                    level=people["level"].map(lambda s: labels.label(labels.LEVELS, s)),
                    role=people["role"].map(lambda s: labels.label(labels.ROLES, s)),
                ).drop(columns=["meeting_id"]),
                hide_index=True,
                width="stretch",
                height=360,
                column_config={
                    "date_start": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                    "meeting": st.column_config.TextColumn("Meeting", width="medium"),
                    "attended": st.column_config.CheckboxColumn("Attended"),
                },
            )
    with b:
        st.markdown(f"**Meetings hosted** ({profile['hosted_rows']})")
        if hosted.empty:
            st.info("It hosted none of the meetings under the current filters.", icon=":material/info:")
        else:
            if profile["hosted_rows"] > len(hosted):
                st.caption(f"The latest {len(hosted):,} meetings; narrow the filters for the others.")
            st.dataframe(
                hosted.assign(series=hosted["series"].map(lambda s: labels.label(labels.SERIES, s))).drop(
                    columns=["meeting_id"]
                ),
                hide_index=True,
                width="stretch",
                height=360,
                column_config={"date_start": st.column_config.DateColumn("Date", format="YYYY-MM-DD")},
            )
