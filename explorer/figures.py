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

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pydeck as pdk

from explorer import labels
from explorer.data import ROOT

GEOJSON = ROOT / "data" / "reference" / "countries.geojson"
FONT = dict(family="sans-serif", size=13)
ARC_COLOR = [31, 95, 139, 120]
VENUE_COLOR = [214, 69, 65, 200]
# Streamlit's deck.gl component fills a missing map style with a Carto basemap (fetched from
# basemaps.cartocdn.com) whenever the view is a MapView; this value is the one it reads as "no basemap".
NO_BASEMAP = "__MAP_STYLE__"


def _layout(fig: go.Figure, height: int = 420, **kwargs) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=FONT,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text=""),
        **kwargs,
    )
    return fig


def _esc(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else html.escape(str(value))


def status_color_map() -> dict[str, str]:
    """Status label -> colour, for discrete colour maps."""
    return {labels.STATUSES[s]: c for s, c in labels.STATUS_COLORS.items()}


# -- timeline --------------------------------------------------------------------------------------


def timeline_figure(points: pd.DataFrame) -> go.Figure:
    """Meetings over time, one row per series; hover: date, place, heads; customdata[0] is the meeting_id."""
    order = [labels.SERIES[s] for s in labels.SERIES if s in set(points["series"])]
    frame = points.assign(
        hover_title=points["title"].map(_esc),
        hover_place=points["place"].map(_esc),
        hover_heads=points["heads"].map(lambda s: "<br>".join(_esc(p) for p in str(s).split("; "))),
        size=points["delegations"].clip(lower=1).map(lambda n: 6 + 2 * math.sqrt(n)),
    )
    fig = go.Figure()
    for series_label in order:
        part = frame[frame["series_label"] == series_label]
        code = part["series"].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=part["date_start"],
                y=part["series_label"],
                mode="markers",
                name=series_label,
                marker=dict(size=part["size"], opacity=0.85, line=dict(width=1, color="white")),
                customdata=part[["meeting_id", "hover_title", "hover_place", "hover_heads", "delegations"]].to_numpy(),
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>%{x|%d %b %Y} · %{customdata[2]}<br>"
                    "%{customdata[4]} delegations<br>%{customdata[3]}<extra></extra>"
                ),
                legendgroup=code,
            )
        )
    _layout(fig, height=max(320, 70 * len(order) + 120), hovermode="closest", clickmode="event+select")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title_text="")
    fig.update_xaxes(title_text="", type="date")
    return fig


def membership_figure(periods: pd.DataFrame) -> go.Figure:
    """Each state's SCO status over time, as horizontal bars coloured by status."""
    frame = periods.assign(
        start_text=pd.to_datetime(periods["start"]).dt.strftime("%d %b %Y"),
        end_text=[
            "today" if cur else pd.Timestamp(e).strftime("%d %b %Y")
            for cur, e in zip(periods["current"], periods["end"], strict=True)
        ],
    )
    fig = px.timeline(
        frame,
        x_start="start",
        x_end="end",
        y="name",
        color="status_label",
        color_discrete_map=status_color_map(),
        category_orders={"status_label": [labels.STATUSES[s] for s in labels.MEMBERSHIP_STATUSES]},
        custom_data=["status_label", "start_text", "end_text"],
    )
    fig.update_traces(
        hovertemplate="<b>%{y}</b><br>%{customdata[0]}: %{customdata[1]} – %{customdata[2]}<extra></extra>"
    )
    names = list(dict.fromkeys(frame["name"]))
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], title_text="")
    fig.update_xaxes(title_text="")
    return _layout(fig, height=max(260, 22 * len(names) + 110))


# -- countries -------------------------------------------------------------------------------------


def _bar_height(n: int) -> int:
    return max(240, 24 * n + 90)


def attendance_figure(attendance: pd.DataFrame) -> go.Figure:
    """Meetings attended per country, as horizontal bars (customdata is the country code, so a click can filter)."""
    frame = attendance.sort_values(["attended", "name"], ascending=[True, False])
    fig = go.Figure(
        go.Bar(
            y=frame["name"],
            x=frame["attended"],
            orientation="h",
            text=frame["attended"],
            textposition="outside",
            cliponaxis=False,
            customdata=frame[["country"]].to_numpy(),
            marker_color=labels.STATUS_COLORS["member"],
            hovertemplate="<b>%{y}</b><br>%{x} meetings attended<extra></extra>",
            name="Meetings attended",
        )
    )
    fig.update_xaxes(title_text="meetings attended")
    fig.update_yaxes(title_text="")
    return _layout(fig, height=_bar_height(len(frame)), clickmode="event+select", showlegend=False)


def rate_figure(attendance: pd.DataFrame) -> go.Figure:
    """Attendance rate per country against the meetings it was eligible for (horizontal bars with 'n of m')."""
    frame = attendance[attendance["eligible"] > 0].sort_values(["rate", "name"], ascending=[True, False])
    text = [f"{a} of {e}" for a, e in zip(frame["attended_eligible"], frame["eligible"], strict=True)]
    fig = go.Figure(
        go.Bar(
            y=frame["name"],
            x=frame["rate"] * 100,
            orientation="h",
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=frame[["country"]].to_numpy(),
            marker_color=labels.STATUS_COLORS["partner"],
            hovertemplate="<b>%{y}</b><br>%{x:.0f}% (%{text} eligible meetings)<extra></extra>",
            name="Attendance rate",
        )
    )
    fig.update_xaxes(title_text="% of eligible meetings attended", range=[0, 118])
    fig.update_yaxes(title_text="")
    return _layout(fig, height=_bar_height(len(frame)), clickmode="event+select", showlegend=False)


def level_figure(mix: pd.DataFrame) -> go.Figure:
    """Stacked bars: per country, how often its delegation was headed at each level."""
    order = [labels.LEVELS[lv] for lv in labels.LEVELS if lv in set(mix["level"])]
    totals = mix.groupby("name")["delegations"].sum().sort_values(ascending=False)
    fig = px.bar(
        mix,
        x="name",
        y="delegations",
        color="level_label",
        category_orders={"level_label": order, "name": list(totals.index)},
        custom_data=["country", "level_label"],
        color_discrete_sequence=px.colors.qualitative.Safe,
    )
    fig.update_traces(hovertemplate="<b>%{x}</b><br>%{customdata[1]}: %{y}<extra></extra>")
    fig.update_layout(barmode="stack", clickmode="event+select")
    fig.update_xaxes(title_text="")
    fig.update_yaxes(title_text="delegations (by level of their head)")
    return _layout(fig, height=420)


def heatmap_figure(country_year: pd.DataFrame) -> go.Figure:
    """Country x year heatmap of meetings attended."""
    table = country_year.pivot_table(index="name", columns="year", values="meetings", aggfunc="sum", fill_value=0)
    if not table.empty:
        years = list(range(int(table.columns.min()), int(table.columns.max()) + 1))
        table = table.reindex(columns=years, fill_value=0)
        table = table.loc[table.sum(axis=1).sort_values(ascending=True).index]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=[str(y) for y in table.columns],
            y=list(table.index),
            colorscale="Blues",
            hovertemplate="<b>%{y}</b>, %{x}: %{z} meetings<extra></extra>",
            colorbar=dict(title=dict(text="meetings")),
            xgap=1,
            ygap=1,
        )
    )
    fig.update_xaxes(type="category", title_text="")
    return _layout(fig, height=max(300, 20 * len(table) + 120))


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
