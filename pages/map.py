"""Map: countries coloured by SCO status on a chosen day, meeting venues and journeys from capitals. Offline."""

from datetime import date

import streamlit as st

from explorer import figures, labels
from pages._shared import current_filters, filters_caption, names, page_header, q, require_data, today

page_header(
    "map",
    "Where the meetings under the current filters took place. Countries are coloured by their SCO status on "
    "the day chosen with the slider; red circles are venues, sized by the number of meetings; arcs run from "
    "the capital of each attending country to the venue. Drawn offline: no map tiles are loaded.",
)
require_data()
f = current_filters()
opts = q("options")
venues = q("venues", f)
arcs = q("arcs", f)
filters_caption(f, int(venues["meetings"].sum()) if not venues.empty else 0)

first = opts["date_min"] or date(2001, 6, 15)
last = max(today(), opts["date_max"] or today())
default = min(max(f.date_to or last, first), last)
if "map_day" in st.session_state and not (first <= st.session_state["map_day"] <= last):
    del st.session_state["map_day"]
left, right = st.columns([3, 1])
with left:
    day = st.slider("SCO status on", min_value=first, max_value=last, value=default, format="YYYY-MM-DD", key="map_day")
with right:
    show_arcs = st.toggle("Arcs from capitals", value=True, key="map_arcs")

statuses = q("statuses_on", day)
countries = figures.coloured_countries(figures.map_outlines(), statuses, names())
st.pydeck_chart(figures.map_deck(countries, venues, arcs, show_arcs=show_arcs), height=560, key="map_chart")
st.html(figures.legend_html())

counts = {s: sum(1 for v in statuses.values() if v == s) for s in labels.MEMBERSHIP_STATUSES}
st.caption(
    f"On {day:%d %b %Y}: "
    + ", ".join(f"{n} {labels.STATUSES[s].lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
    + "."
)
if venues.empty:
    st.info("No meeting under the current filters has a known place to draw.", icon=":material/info:")
else:
    with st.expander(f"Venues ({len(venues)})"):
        st.dataframe(
            venues.drop(columns=["titles"]),
            hide_index=True,
            width="stretch",
            column_config={
                "latitude": st.column_config.NumberColumn(format="%.2f"),
                "longitude": st.column_config.NumberColumn(format="%.2f"),
            },
        )
