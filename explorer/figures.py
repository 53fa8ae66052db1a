"""Plotly figures and pydeck decks, built from the frames of `explorer.queries`.

Nothing here fetches anything: no Plotly geo traces (they load maps from a CDN) and pydeck
decks without a basemap (no tiles, no style), country outlines come from
data/reference/countries.geojson.
"""

from __future__ import annotations

import html
import json
import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from explorer import labels
from explorer.data import ROOT, STR

GEOJSON = ROOT / "data" / "reference" / "countries.geojson"
FONT = dict(family="sans-serif", size=13)
ARC_COLOR = [31, 95, 139, 120]
VENUE_COLOR = [214, 69, 65, 200]
# Streamlit's deck.gl component fills a missing map style with a Carto basemap (fetched from
# basemaps.cartocdn.com) whenever the view is a MapView; this value is the one it reads as "no basemap".
NO_BASEMAP = "__MAP_STYLE__"


def _layout(height: int = 420, **kwargs) -> dict:
    """The layout every chart shares (height, margins, font, a horizontal legend), with ``kwargs`` on top."""
    return dict(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=FONT,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=dict(text="")),
        **kwargs,
    )


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts.

    Plotly validates every value once this way; trace objects handed to go.Figure are validated a second time,
    each update_* call parses its paths again, and plotly express adds passes of its own (several times the cost).
    Nested dicts, not "magic underscore" keys (title=dict(text=...), not title_text=...): plotly parses each such
    key as a path, about a millisecond apiece.
    """
    return go.Figure(data=traces, layout=layout)


def _esc(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else html.escape(str(value))


def _trace_groups(column: pd.Series, first: list) -> list:
    """The distinct values of a colour column in plotly express's trace order: those of ``first`` that occur, in
    that order, then the others in order of appearance."""
    present = list(dict.fromkeys(column.tolist()))
    head = [v for v in first if v in set(present)]
    rest = set(head)
    return head + [v for v in present if v not in rest]


def _px_axes(layout: dict) -> dict:
    """The axis anchors and domains plotly express writes (the figures it made before keep their layout)."""
    layout["xaxis"] = dict(anchor="y", domain=[0.0, 1.0], **layout.get("xaxis", {}))
    layout["yaxis"] = dict(anchor="x", domain=[0.0, 1.0], **layout.get("yaxis", {}))
    layout["legend"]["tracegroupgap"] = 0
    return layout


def _positions(values: np.ndarray, value) -> np.ndarray:
    """Positions of the elements equal to ``value`` (a missing value matches a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return np.flatnonzero(pd.isna(values))
    return np.flatnonzero(values == value)


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """The rows of some columns as lists (a chart's customdata)."""
    return frame[columns].to_numpy(dtype=object).tolist()


def status_color_map() -> dict[str, str]:
    """Status label -> colour, for discrete colour maps."""
    return {labels.STATUSES[s]: c for s, c in labels.STATUS_COLORS.items()}


# -- timeline --------------------------------------------------------------------------------------

# Above this many meetings the timeline is drawn with WebGL (one SVG element per point would stall the browser), and
# its hover leaves out the heads of delegation (at 100,000 meetings they would be some 50 MB to send on each change).
WEBGL_POINTS = 5000


# HTML's special characters and their escapes, as html.escape(quote=True) writes them (& first).
_HTML = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))
_BREAK = "\x00"  # stands for a line break while the rest is escaped


def _escaped(column: pd.Series, breaks: bool = False) -> np.ndarray:
    """Each value as escaped HTML text ('' for none), a column at a time; with ``breaks``, '; ' becomes '<br>'
    (each part escaped, then joined with <br>)."""
    if column.dtype == STR:
        text = column.fillna("")
    else:
        text = pd.Series(["" if v is None or v != v else str(v) for v in column], index=column.index, dtype=STR)
    if breaks and text.str.contains(_BREAK, regex=False).any():  # pragma: no cover - no text holds a NUL
        return np.array(["<br>".join(_esc(p) for p in v.split("; ")) for v in text], dtype=object)
    if breaks:
        text = text.str.replace("; ", _BREAK, regex=False)
    for char, escape in _HTML:
        text = text.str.replace(char, escape, regex=False)
    if breaks:
        text = text.str.replace(_BREAK, "<br>", regex=False)
    return text.to_numpy(dtype=object)


def timeline_figure(points: pd.DataFrame) -> go.Figure:
    """Meetings over time, one row per series; hover: date, place, heads; customdata[0] is the meeting_id.

    Above `WEBGL_POINTS` meetings: WebGL, and no heads in the hover. Columns go to plotly as numpy arrays: it checks
    an array at once, where a list is checked item by item (at 100,000 meetings, seconds)."""
    series = points["series"].to_numpy(dtype=object)
    present = set(series)
    codes = [s for s in labels.SERIES if s in present]
    order = [labels.SERIES[s] for s in codes]
    large = len(points) > WEBGL_POINTS
    hover = np.full((len(points), 5), "", dtype=object)  # meeting_id, title, place, heads, delegations
    if codes:
        hover[:, 0] = points["meeting_id"].to_numpy(dtype=object)
        hover[:, 1] = _escaped(points["title"])
        hover[:, 2] = _escaped(points["place"])
        if not large:
            hover[:, 3] = _escaped(points["heads"], breaks=True)
        hover[:, 4] = points["delegations"].to_numpy(dtype=object)
        starts = points["date_start"].to_numpy(dtype=object)
        sizes = 6 + 2 * np.sqrt(np.clip(points["delegations"].to_numpy(), 1, None).astype("float64"))
    kind = "scattergl" if large else "scatter"
    template = "<b>%{customdata[1]}</b><br>%{x|%d %b %Y} · %{customdata[2]}<br>%{customdata[4]} delegations"
    template += "<extra></extra>" if large else "<br>%{customdata[3]}<extra></extra>"
    traces = []
    for code, series_label in zip(codes, order, strict=True):
        rows = _positions(series, code)
        traces.append(
            dict(
                type=kind,
                x=starts[rows],
                y=np.full(len(rows), series_label, dtype=object),
                mode="markers",
                name=series_label,
                # no white outline when points crowd: each would hide the one drawn before it
                marker=dict(size=sizes[rows], opacity=0.85, line=dict(width=0 if large else 1, color="white")),
                customdata=hover[rows],
                hovertemplate=template,
                legendgroup=code,
            )
        )
    layout = _layout(
        height=max(320, 70 * len(order) + 120),
        hovermode="closest",
        clickmode="event+select",
        yaxis=dict(categoryorder="array", categoryarray=order[::-1], title=dict(text="")),
        xaxis=dict(title=dict(text=""), type="date"),
    )
    return _figure(traces, layout)


def _day_text(value) -> str:
    return pd.Timestamp(value).strftime("%d %b %Y")


def membership_figure(periods: pd.DataFrame) -> go.Figure:
    """Each state's SCO status over time, as horizontal bars coloured by status."""
    starts = pd.to_datetime(periods["start"])
    ends = pd.to_datetime(pd.Series(periods["end"].tolist(), dtype=object))
    start_text = starts.dt.strftime("%d %b %Y").tolist()
    end_text = ["today" if cur else _day_text(e) for cur, e in zip(periods["current"], periods["end"], strict=True)]
    length = ((ends.to_numpy() - starts.to_numpy()) / np.timedelta64(1, "ms")).tolist()  # bar length in ms
    base = starts.dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()
    status_label, names = periods["status_label"].to_numpy(dtype=object), periods["name"].tolist()
    colors = status_color_map()
    traces = []
    for group in _trace_groups(periods["status_label"], [labels.STATUSES[s] for s in labels.MEMBERSHIP_STATUSES]):
        rows = _positions(status_label, group).tolist()
        trace = dict(
            type="bar",
            base=[base[i] for i in rows],
            x=[length[i] for i in rows],
            y=[names[i] for i in rows],
            orientation="h",
            xaxis="x",
            yaxis="y",
            name=group,
            legendgroup=group,
            showlegend=True,
            textposition="auto",
            customdata=[[group, start_text[i], end_text[i]] for i in rows],
            hovertemplate="<b>%{y}</b><br>%{customdata[0]}: %{customdata[1]} – %{customdata[2]}<extra></extra>",
            marker=dict(pattern=dict(shape="")),
        )
        if group in colors:
            trace["marker"]["color"] = colors[group]
        traces.append(trace)
    order = list(dict.fromkeys(names))
    layout = _layout(
        height=max(260, 22 * len(order) + 110),
        barmode="overlay",
        xaxis=dict(type="date", title=dict(text="")),
        yaxis=dict(categoryorder="array", categoryarray=order[::-1], title=dict(text="")),
    )
    return _figure(traces, _px_axes(layout))


# -- countries -------------------------------------------------------------------------------------


def _bar_height(n: int) -> int:
    return max(240, 24 * n + 90)


def _country_bars(frame: pd.DataFrame, x: list, text, color: str, hover: str, name: str, xaxis: dict) -> go.Figure:
    """Horizontal bars, one per country (customdata is the country code, so a click can filter)."""
    bar = dict(
        type="bar",
        y=frame["name"].tolist(),
        x=x,
        orientation="h",
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=_rows(frame, ["country"]),
        marker=dict(color=color),
        hovertemplate=hover,
        name=name,
    )
    layout = _layout(
        height=_bar_height(len(frame)),
        clickmode="event+select",
        showlegend=False,
        xaxis=xaxis,
        yaxis=dict(title=dict(text="")),
    )
    return _figure([bar], layout)


def attendance_figure(attendance: pd.DataFrame) -> go.Figure:
    """Meetings attended per country, as horizontal bars (customdata is the country code, so a click can filter)."""
    frame = attendance.sort_values(["attended", "name"], ascending=[True, False])
    return _country_bars(
        frame,
        frame["attended"].tolist(),
        frame["attended"].to_numpy(),
        labels.STATUS_COLORS["member"],
        "<b>%{y}</b><br>%{x} meetings attended<extra></extra>",
        "Meetings attended",
        dict(title=dict(text="meetings attended")),
    )


def rate_figure(attendance: pd.DataFrame) -> go.Figure:
    """Attendance rate per country against the meetings it was eligible for (horizontal bars with 'n of m')."""
    frame = attendance[attendance["eligible"] > 0].sort_values(["rate", "name"], ascending=[True, False])
    return _country_bars(
        frame,
        (frame["rate"] * 100).tolist(),
        [f"{a} of {e}" for a, e in zip(frame["attended_eligible"], frame["eligible"], strict=True)],
        labels.STATUS_COLORS["partner"],
        "<b>%{y}</b><br>%{x:.0f}% (%{text} eligible meetings)<extra></extra>",
        "Attendance rate",
        dict(title=dict(text="% of eligible meetings attended"), range=[0, 118]),
    )


LEVEL_COLORS = (
    "rgb(136, 204, 238)", "rgb(204, 102, 119)", "rgb(221, 204, 119)", "rgb(17, 119, 51)", "rgb(51, 34, 136)",
    "rgb(170, 68, 153)", "rgb(68, 170, 153)", "rgb(153, 153, 51)", "rgb(136, 34, 85)", "rgb(102, 17, 0)",
    "rgb(136, 136, 136)",
)  # fmt: skip  # plotly's qualitative "Safe" palette, colour-blind safe


def level_figure(mix: pd.DataFrame) -> go.Figure:
    """Stacked bars: per country, how often its delegation was headed at each level."""
    order = [labels.LEVELS[lv] for lv in labels.LEVELS if lv in set(mix["level"])]
    totals = mix.groupby("name")["delegations"].sum().sort_values(ascending=False)
    level_label, names = mix["level_label"].to_numpy(dtype=object), mix["name"].tolist()
    counts, countries = mix["delegations"].tolist(), mix["country"].tolist()
    traces = []
    for i, group in enumerate(_trace_groups(mix["level_label"], order)):
        rows = _positions(level_label, group).tolist()
        traces.append(
            dict(
                type="bar",
                x=[names[j] for j in rows],
                y=[counts[j] for j in rows],
                orientation="v",
                xaxis="x",
                yaxis="y",
                name=group,
                legendgroup=group,
                showlegend=True,
                textposition="auto",
                customdata=[[countries[j], group] for j in rows],
                hovertemplate="<b>%{x}</b><br>%{customdata[1]}: %{y}<extra></extra>",
                marker=dict(color=LEVEL_COLORS[i % len(LEVEL_COLORS)], pattern=dict(shape="")),
            )
        )
    layout = _layout(
        height=420,
        barmode="stack",
        clickmode="event+select",
        xaxis=dict(categoryorder="array", categoryarray=list(totals.index), title=dict(text="")),
        yaxis=dict(title=dict(text="delegations (by level of their head)")),
    )
    return _figure(traces, _px_axes(layout))


def heatmap_figure(country_year: pd.DataFrame) -> go.Figure:
    """Country x year heatmap of meetings attended."""
    # pivot_table(index=name, columns=year, values=meetings, aggfunc=sum), every year from the first to the last,
    # the busiest countries at the top; with numpy (pandas' pivot_table costs more than the rest of the figure).
    known = country_year[country_year["year"].notna() & country_year["name"].notna()]
    names, z, years = [], [], []
    if len(known):
        row, names = pd.factorize(known["name"], sort=True)
        year = known["year"].to_numpy(dtype=np.int64)
        first, last = int(year.min()), int(year.max())
        grid = np.zeros((len(names), last - first + 1), dtype=np.int64)
        np.add.at(grid, (row, year - first), known["meetings"].to_numpy(dtype=np.int64))
        order = pd.Series(grid.sum(axis=1)).sort_values(ascending=True).index.to_numpy()
        names, z, years = list(names[order]), grid[order].tolist(), list(range(first, last + 1))
    heat = dict(
        type="heatmap",
        z=z,
        x=[str(y) for y in years],
        y=names,
        colorscale="Blues",
        hovertemplate="<b>%{y}</b>, %{x}: %{z} meetings<extra></extra>",
        colorbar=dict(title=dict(text="meetings")),
        xgap=1,
        ygap=1,
    )
    layout = _layout(height=max(300, 20 * len(names) + 120), xaxis=dict(type="category", title=dict(text="")))
    return _figure([heat], layout)


# -- map -------------------------------------------------------------------------------------------


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON has no indentation (pydeck indents it: about seven times the bytes)."""

    def to_json(self) -> str:
        """The deck's JSON, compact."""
        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


@lru_cache(maxsize=2)
def load_geojson(path: str = str(GEOJSON)) -> dict:
    """The country outlines (read once); an empty collection when the file is missing."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {"type": "FeatureCollection", "features": []}


# The part of the world the map shows (west, south, east, north): outlines wholly outside it are not sent to
# the browser, which keeps the deck small (deck.gl's JSON conversion walks every coordinate).
MAP_REGION = (-30.0, -15.0, 180.0, 85.0)


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            for x, y in ring:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=4)
def _in_region(path: str, region: tuple[float, float, float, float]) -> tuple[int, ...]:
    west, south, east, north = region
    keep = []
    for i, feature in enumerate(load_geojson(path)["features"]):
        x0, y0, x1, y1 = _bbox(feature["geometry"])
        if x1 >= west and x0 <= east and y1 >= south and y0 <= north:
            keep.append(i)
    return tuple(keep)


def map_outlines(path: str = str(GEOJSON), region: tuple[float, float, float, float] = MAP_REGION) -> dict:
    """The country outlines that touch the map's region."""
    features = load_geojson(path)["features"]
    return {"type": "FeatureCollection", "features": [features[i] for i in _in_region(path, region)]}


def coloured_countries(geojson: dict, statuses: dict[str, str], names: dict[str, str] | None = None) -> dict:
    """A copy of the outlines with a fill colour and a tooltip per country from its status."""
    names = names or {}
    features = []
    for feature in geojson.get("features", []):
        iso3 = feature["properties"].get("iso3")
        status = statuses.get(iso3)
        color = labels.STATUS_COLORS.get(status, labels.NO_STATUS_COLOR) if status else labels.NO_STATUS_COLOR
        name = names.get(iso3) or feature["properties"].get("name") or iso3
        tip = {"tip_title": str(name), "tip_body": labels.label(labels.STATUSES, status) if status else "no SCO status"}
        props = dict(feature["properties"], fill_color=labels.hex_to_rgb(color, 200 if status else 150), **tip)
        features.append({"type": "Feature", "properties": props, "geometry": feature["geometry"], **tip})
    return {"type": "FeatureCollection", "features": features}


def map_deck(
    countries: dict,
    venues: pd.DataFrame,
    arcs: pd.DataFrame,
    show_arcs: bool = True,
    view: tuple[float, float, float] = (42.0, 72.0, 2.2),
) -> pdk.Deck:
    """The offline map: countries by status, venues sized by meetings, arcs from capitals; no basemap."""
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=countries,
            id="countries",
            stroked=True,
            filled=True,
            get_fill_color="properties.fill_color",
            get_line_color=[255, 255, 255, 255],
            line_width_min_pixels=0.5,
            pickable=True,
        )
    ]
    if show_arcs and not arcs.empty:
        arc_data = arcs.assign(
            width=arcs["meetings"].map(lambda n: 0.5 + 0.6 * math.sqrt(n)),
            tip_title=[f"{n} → {c}" for n, c in zip(arcs["name"], arcs["city"], strict=True)],
            tip_body=[f"{m} meeting{'s' if m != 1 else ''}" for m in arcs["meetings"]],
        )
        layers.append(
            pdk.Layer(
                "ArcLayer",
                data=arc_data[
                    ["capital_lon", "capital_lat", "longitude", "latitude", "width", "tip_title", "tip_body"]
                ].to_dict("records"),
                id="arcs",
                get_source_position=["capital_lon", "capital_lat"],
                get_target_position=["longitude", "latitude"],
                get_source_color=ARC_COLOR,
                get_target_color=VENUE_COLOR,
                get_width="width",
                width_units="'pixels'",  # quoted: pydeck reads a bare string as an expression
                pickable=True,
                auto_highlight=True,
            )
        )
    if not venues.empty:
        venue_data = venues.assign(
            radius=venues["meetings"].map(lambda n: 3 + 2 * math.sqrt(n)),
            tip_title=[f"{city}, {host}" for city, host in zip(venues["city"], venues["host"], strict=True)],
            tip_body=[
                f"{m} meeting{'s' if m != 1 else ''}, {a}–{b}"
                for m, a, b in zip(venues["meetings"], venues["first_year"], venues["last_year"], strict=True)
            ],
        )
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=venue_data[["longitude", "latitude", "radius", "tip_title", "tip_body"]].to_dict("records"),
                id="venues",
                get_position=["longitude", "latitude"],
                get_radius="radius",
                radius_units="'pixels'",
                get_fill_color=VENUE_COLOR,
                get_line_color=[255, 255, 255, 255],
                stroked=True,
                line_width_min_pixels=1,
                pickable=True,
            )
        )
    lat, lon, zoom = view
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=1, max_zoom=8),
        map_provider=None,
        map_style=NO_BASEMAP,
        # streamlit escapes the values it puts into the template, so names stay text
        tooltip={
            "html": "<b>{tip_title}</b><br/>{tip_body}",
            "style": {"backgroundColor": "#1b2733", "color": "white", "fontSize": "13px"},
        },
    )


def legend_html(statuses: list[str] | None = None) -> str:
    """A small legend of coloured squares for the map's statuses, venues and arcs."""
    items = [(labels.STATUS_COLORS[s], labels.STATUSES[s]) for s in (statuses or labels.MEMBERSHIP_STATUSES)]
    items.append((labels.NO_STATUS_COLOR, "No SCO status"))
    cells = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:14px;height:14px;background:{c};display:inline-block;margin-right:6px;'
        f'border:1px solid #9aa5b1"></span>{html.escape(t)}</span>'
        for c, t in items
    )
    venue = "rgba({},{},{},0.8)".format(*VENUE_COLOR[:3])
    arc = "rgba({},{},{},0.8)".format(*ARC_COLOR[:3])
    cells += (
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:12px;height:12px;border-radius:50%;background:{venue};display:inline-block;'
        f'margin-right:6px"></span>Venue (size: meetings)</span>'
        f'<span style="display:inline-flex;align-items:center">'
        f'<span style="width:22px;height:3px;background:linear-gradient(90deg,{arc},{venue});display:inline-block;'
        f'margin-right:6px"></span>Capital → venue</span>'
    )
    return f'<div class="map-legend" style="font-size:0.9rem;line-height:1.8">{cells}</div>'
