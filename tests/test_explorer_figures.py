"""Figures and the offline map: what the charts carry, that the deck fetches nothing, the country outlines."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

from explorer import figures, labels
from explorer import queries as q
from explorer.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
GEOJSON = ROOT / "data" / "reference" / "countries.geojson"


def _boundaries():
    spec = importlib.util.spec_from_file_location("build_boundaries", ROOT / "scripts" / "build_boundaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_timeline_points_carry_the_meeting_id_for_a_click(ds):
    fig = figures.timeline_figure(q.timeline_points(ds, Filters()))
    ids = {row[0] for trace in fig.data for row in trace.customdata}
    assert ids == set(q.meetings_table(ds, Filters())["meeting_id"])
    assert [t.name for t in fig.data] == [
        "Heads of state (summit)",
        "Heads of government",
        "Foreign ministers",
        "Defence ministers",
    ]
    assert "%{customdata[3]}" in fig.data[0].hovertemplate  # heads of delegation in the hover


def test_hover_text_from_the_data_is_escaped(ds):
    points = q.timeline_points(ds, Filters()).head(1).assign(title="<img src=x onerror=alert(1)>")
    fig = figures.timeline_figure(points)
    assert fig.data[0].customdata[0][1] == "&lt;img src=x onerror=alert(1)&gt;"


def test_country_bars_carry_the_country_code_for_a_click(ds):
    att = q.country_attendance(ds, Filters())
    for fig in (
        figures.attendance_figure(att),
        figures.rate_figure(att),
        figures.level_figure(q.level_mix(ds, Filters())),
    ):
        codes = {row[0] for trace in fig.data for row in trace.customdata}
        assert codes and codes <= set(att["country"])
    rate = figures.rate_figure(att)
    assert "TUR" not in {row[0] for row in rate.data[0].customdata}  # no rate without eligibility


def test_membership_and_heatmap_figures_build(ds):
    periods = q.membership_periods(ds, Filters(), today=date(2026, 1, 1))
    fig = figures.membership_figure(periods)
    assert {t.name for t in fig.data} == {"Member", "Observer", "Dialogue partner"}
    heat = figures.heatmap_figure(q.country_year(ds, Filters()))
    assert list(heat.data[0].x) == ["2017", "2018", "2019"]


def test_no_figure_uses_a_plotly_geo_trace(ds):
    att = q.country_attendance(ds, Filters())
    for fig in (
        figures.timeline_figure(q.timeline_points(ds, Filters())),
        figures.attendance_figure(att),
        figures.heatmap_figure(q.country_year(ds, Filters())),
    ):
        assert not any(t.type in {"scattergeo", "choropleth", "scattermapbox", "choroplethmap"} for t in fig.data)


def test_the_map_deck_has_no_basemap_and_loads_nothing(ds):
    statuses = q.statuses_on(ds, date(2018, 1, 1))
    countries = figures.coloured_countries(figures.load_geojson(), statuses, q.participant_names(ds))
    deck = figures.map_deck(countries, q.venues(ds, Filters()), q.arcs(ds, Filters()))
    spec = json.loads(deck.to_json())
    assert spec["mapStyle"] == figures.NO_BASEMAP and "mapProvider" not in spec
    assert [layer["@@type"] for layer in spec["layers"]] == ["GeoJsonLayer", "ArcLayer", "ScatterplotLayer"]
    assert spec["layers"][2]["radiusUnits"] == "pixels" and spec["layers"][1]["widthUnits"] == "pixels"
    text = deck.to_json()
    assert "\n" not in text  # compact
    assert "http" not in text.replace("https://example.org", "")  # nothing to fetch
    india = next(f for f in spec["layers"][0]["data"]["features"] if f["properties"]["iso3"] == "IND")
    assert india["properties"]["fill_color"] == labels.hex_to_rgb(labels.STATUS_COLORS["member"], 200)
    assert (india["properties"]["tip_title"], india["properties"]["tip_body"]) == ("India", "Member")
    venue = spec["layers"][2]["data"][0]
    assert (venue["tip_title"], venue["tip_body"]) == ("Astana, Kazakhstan", "1 meeting, 2017–2017")
    assert deck._tooltip["html"] == "<b>{tip_title}</b><br/>{tip_body}"  # what streamlit reads


def test_the_legend_lists_every_status():
    html = figures.legend_html()
    for status in labels.MEMBERSHIP_STATUSES:
        assert labels.STATUSES[status] in html and labels.STATUS_COLORS[status] in html


def test_the_country_outlines_are_small_and_keyed_by_iso3():
    assert GEOJSON.stat().st_size <= 1_500_000
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    codes = {f["properties"]["iso3"] for f in data["features"]}
    assert {"CHN", "RUS", "IND", "PAK", "KAZ", "KGZ", "TJK", "UZB", "IRN", "BLR", "MNG", "MDV", "BHR"} <= codes
    assert all(set(f["properties"]) == {"iso3", "name"} for f in data["features"])
    assert all(len(c) == 3 for c in codes)
    sample = data["features"][0]["geometry"]["coordinates"][0][0][0]
    assert all(round(v, 2) == v for v in sample)


def test_boundaries_fall_back_from_iso_a3_when_natural_earth_gives_minus_99():
    b = _boundaries()
    assert b.iso3_of({"ISO_A3": "FRA", "ISO_A3_EH": "FRA", "ADM0_A3": "FRA"}) == "FRA"
    assert b.iso3_of({"ISO_A3": "-99", "ISO_A3_EH": "NOR", "ADM0_A3": "NOR"}) == "NOR"
    assert b.iso3_of({"ISO_A3": "-99", "ISO_A3_EH": "-99", "ADM0_A3": "KOS"}) == "KOS"
    assert b.iso3_of({"ISO_A3": "-99", "ISO_A3_EH": "-99", "ADM0_A3": "-99"}) is None


def test_douglas_peucker_drops_points_within_the_tolerance():
    b = _boundaries()
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, -0.01), (3.0, 0.0), (4.0, 2.0)]
    assert b.douglas_peucker(line, 0.1) == [(0.0, 0.0), (3.0, 0.0), (4.0, 2.0)]
    assert b.douglas_peucker(line, 0.001) == line


def test_a_hole_stays_with_its_outer_ring_and_rings_run_counter_clockwise():
    b = _boundaries()
    outer = [(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0), (0.0, 0.0)]  # clockwise: a shapefile outer ring
    hole = [(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)]  # counter-clockwise: a hole
    polygons = b.shape_to_multipolygon([outer, hole], tolerance=0.01, min_area=0.0)
    assert len(polygons) == 1 and len(polygons[0]) == 2
    assert b.signed_area([tuple(p) for p in polygons[0][0][:-1]]) > 0
