"""Department shapes for the server-drawn SVG map.

The GeoJSON (data/peru_departments.geojson, MPL-2.0) is projected, simplified and
turned into SVG path data once per process (``department_shapes`` is cached), never
per request. Equirectangular projection scaled by cos(latitude) at Peru's centre,
which keeps shapes faithful at this scale.
"""

import itertools
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

GEOJSON = Path(settings.BASE_DIR) / "data" / "peru_departments.geojson"
WIDTH = 480.0  # SVG user units; the height follows Peru's proportions
PADDING = 8.0
TOLERANCE = 0.6  # simplification tolerance in SVG units (≈ 1 km)
# Where a department's name is written, moved from its centroid (SVG units, by ubigeo) when the name
# would touch a neighbour's: Ayacucho's name goes down into its southern half, clear of Apurímac's.
LABEL_OFFSETS = {"05": (-6.0, 30.0)}


@dataclass(frozen=True)
class Shape:
    ubigeo: str
    name: str
    path: str
    centroid: tuple[float, float]
    area: float
    label: tuple[float, float]  # where the name is written: the centroid, or moved by LABEL_OFFSETS


@dataclass(frozen=True)
class MapGeometry:
    width: float
    height: float
    shapes: dict[str, Shape]  # by ubigeo


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer–Douglas–Peucker on a ring (first and last points kept)."""
    if len(points) < 4:
        return points
    start, end = points[0], points[-1]
    dx, dy = end[0] - start[0], end[1] - start[1]
    norm = math.hypot(dx, dy)
    distances = [
        (abs(dy * (x - start[0]) - dx * (y - start[1])) / norm if norm else math.hypot(x - start[0], y - start[1]))
        for x, y in points[1:-1]
    ]
    index, farthest = max(enumerate(distances, start=1), key=lambda item: item[1])
    if farthest <= tolerance:
        return [start, end]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _relative_path(points: list[tuple[float, float]]) -> str:
    """'M x y l dx dy …z' with one decimal: about half the bytes of absolute coordinates."""
    x0, y0 = round(points[0][0], 1), round(points[0][1], 1)
    parts = [f"M{_number(x0)} {_number(y0)}l"]
    previous = (x0, y0)
    for x, y in points[1:]:
        x, y = round(x, 1), round(y, 1)
        dx, dy = _number(x - previous[0]), _number(y - previous[1])
        parts.append(f"{dx}{'' if dy.startswith('-') else ' '}{dy} ")
        previous = (x, y)
    return "".join(parts).rstrip() + "z"


def _ring_area_and_centroid(ring):
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, ring[0]
    return area / 2, (cx / (3 * area), cy / (3 * area))


def _moved(point: tuple[float, float], offset: tuple[float, float]) -> tuple[float, float]:
    return point[0] + offset[0], point[1] + offset[1]


@cache
def map_geometry() -> MapGeometry:
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    polygons_by_feature = []
    lons, lats = [], []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        polygons_by_feature.append((feature["properties"], polygons))
        for polygon in polygons:
            for lon, lat in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = (WIDTH - 2 * PADDING) / ((max(lons) - min(lons)) * k)
    height = (max(lats) - min(lats)) * scale + 2 * PADDING

    def project(lon, lat):
        return ((lon - min(lons)) * k * scale + PADDING, (max(lats) - lat) * scale + PADDING)

    shapes = {}
    for properties, polygons in polygons_by_feature:
        commands, total_area, weighted = [], 0.0, [0.0, 0.0]
        for polygon in polygons:
            for ring_index, ring in enumerate(polygon):
                projected = _simplify([project(lon, lat) for lon, lat in ring], TOLERANCE)
                if len(projected) < 4:
                    continue
                if ring_index == 0:
                    area, (cx, cy) = _ring_area_and_centroid(projected)
                    total_area += abs(area)
                    weighted[0] += cx * abs(area)
                    weighted[1] += cy * abs(area)
                commands.append(_relative_path(projected[:-1]))
        centroid = (weighted[0] / total_area, weighted[1] / total_area) if total_area else (0.0, 0.0)
        shapes[properties["ubigeo"]] = Shape(
            ubigeo=properties["ubigeo"],
            name=properties["name"],
            path="".join(commands),
            centroid=centroid,
            area=total_area,
            label=_moved(centroid, LABEL_OFFSETS.get(properties["ubigeo"], (0.0, 0.0))),
        )
    return MapGeometry(width=WIDTH, height=round(height, 1), shapes=shapes)
