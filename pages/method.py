"""Data & method: row counts, rejects, unverified rows, coverage gaps, methodology and citation."""

import re

import streamlit as st

from explorer.data import ROOT
from pages._shared import dataset, page_header, q


def table(frame, rows: int = 8) -> None:
    """A table, scrolling when it has more than ``rows`` rows."""
    st.dataframe(frame, hide_index=True, width="stretch", height="auto" if len(frame) <= rows else 36 * rows + 38)


page_header(
    "method",
    "How the dataset was made and how far to trust it: rows per table, inputs the build rejected and why, rows "
    "no source confirms, gaps in coverage, the method and how to cite. Not affected by the filters.",
)
ds = dataset()
if ds.message:
    st.info(ds.message, icon=":material/info:")

st.subheader("Rows per table", anchor=False)
counts = q("row_counts")
cols = st.columns(len(counts))
for col, row in zip(cols, counts.itertuples(index=False), strict=True):
    col.metric(row.table.capitalize(), row.rows)

st.subheader("Rejected inputs", anchor=False)
by_reason = q("rejects_by_reason")
if by_reason.empty:
    st.success("The build rejected nothing: every record, row and membership period it read was accepted.")
else:
    st.caption("Records and rows the build could not accept, by reason; the full list is below.")
    table(by_reason)
    with st.expander(f"Every rejected input ({int(by_reason['rows'].sum())})"):
        table(ds.table("rejects"))

st.subheader("Unverified rows", anchor=False)
unverified = q("unverified")
st.caption("Meetings and delegation rows marked verified = false: not confirmed by a source that was read.")
a, b = st.columns(2, gap="large")
with a:
    st.markdown(f"**Meetings** ({len(unverified['meetings'])})")
    if unverified["meetings"].empty:
        st.caption("None.")
    else:
        table(unverified["meetings"])
with b:
    st.markdown(f"**Delegation rows** ({len(unverified['delegations'])})")
    if unverified["delegations"].empty:
        st.caption("None.")
    else:
        table(unverified["delegations"])

st.subheader("Coverage gaps", anchor=False)
gaps = q("coverage_gaps")
a, b, c = st.columns(3, gap="large")
with a:
    rows = gaps["meetings_without_delegations"]
    st.markdown(f"**Meetings without delegation rows** ({len(rows)})")
    if rows.empty:
        st.caption("None.")
    else:
        table(rows)
with b:
    years = gaps["missing_years"]
    st.markdown(f"**Years without a summit or heads-of-government meeting** ({len(years)})")
    st.caption("Between the first and the last year in the dataset. A gap may be a real gap or a missing record.")
    if years.empty:
        st.caption("None.")
    else:
        table(years)
with c:
    places = gaps["places_without_coordinates"]
    st.markdown(f"**Places not on the map** ({len(places)})")
    st.caption("Cities missing from the gazetteer (data/reference/gazetteer.csv).")
    if places.empty:
        st.caption("None.")
    else:
        table(places)

METHOD = """
**What counts as a meeting.** A meeting of one of the SCO's bodies or mechanisms: the Council of Heads of
State (the annual summit), the Council of Heads of Government, the Councils of Foreign Ministers and the
meetings of Defence Ministers and Security Council Secretaries, other ministerial mechanisms and expert
groups, and events around them (bilateral meetings on the sidelines, courtesy calls, joint military
exercises). Each is one curated record (data/raw/records, format in docs/records.md) or is extracted from a
press release (data/raw/press), with at least one source that was actually read.

**Delegations.** One row per participant, the head of delegation at least: the person as the source names
them, their title, and a level coded from the title (head of state, head of government, deputy head,
minister, deputy minister, ambassador or envoy, senior official, military chief, head of an organisation,
other). Roles are host, head of delegation, delegation member and guest; an explicit absence is a row with
attended = false.

**Status.** A participant's SCO status on the first day of a meeting (member, observer, dialogue partner,
partner; guest for a state with none; organisation) is derived from the membership history
(data/raw/memberships.csv), never typed by hand.

**Attendance rate.** The meetings a country attended divided by those it was eligible for: a member for every
council-level meeting while a member, an observer for the summit; partners have no rate.

**Limits.** Coverage is uneven: official sources name heads of delegation more often than their members, and
early years have fewer sources. Rows marked unverified are shown but not confirmed. Dates are those of the
first day; the map places a meeting at its city (gazetteer coordinates) and draws country outlines from
Natural Earth (public domain).
"""


def readme_sections() -> str | None:
    """The body of the Methodology (and any Citation) section of README.md, when the project has one."""
    try:
        text = (ROOT / "README.md").read_text(encoding="utf-8")
    except OSError:
        return None
    pattern = r"^##+ *(?:Method\w*|Citation|How to cite)[^\n]*\n(.*?)(?=^##? |\Z)"
    found = re.findall(pattern, text, re.S | re.M | re.I)
    return "\n".join(part.strip() for part in found) or None


st.subheader("Method", anchor=False)
st.markdown(readme_sections() or METHOD)
st.subheader("How to cite", anchor=False)
manifest_version = ds.version.split(":")[-1][:12] or "unknown"
st.code(
    f"SCO Engagements Explorer (dataset), build {manifest_version}. "
    "Meetings and delegations of the Shanghai Cooperation Organization, compiled from the sources listed "
    "for each row.",
    language=None,
    wrap_lines=True,
)
st.caption("Cite the original sources for individual facts: every row names them (Meetings page, Downloads).")
