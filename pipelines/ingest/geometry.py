"""The geometry of a boundary file: TopoJSON arcs decoded, simplified, stitched into rings,
given a label position and encoded again.

Separate from `pipelines.ingest.boundaries`, which reads the configuration and checks what a
file says (codes, keys, objects): these are plain sums on points, knowing nothing of settings
or regions. Douglas-Peucker and the centroid serve the GeoJSON reader too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Grid of the re-quantised TopoJSON: 4,096 steps across the file's extent, i.e. about
#: 0.004° (450 m) for Mali, finer than the simplification tolerance.
QUANTISATION = 4096

Point = tuple[float, float]
#: A GeoJSON position as written out: ``[lon, lat]`` (a list) or a `Point`.
Position = Sequence[float]


def decode_arc(arc: Sequence[Sequence[float]], transform: Mapping[str, Any] | None) -> list[Point]:
    """Absolute (lon, lat) points of an arc, undoing delta encoding and quantisation."""
    if not transform:
        return [(float(p[0]), float(p[1])) for p in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0.0
    points = []
    for p in arc:
        x, y = x + p[0], y + p[1]
        points.append((x * sx + tx, y * sy + ty))
    return points


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Fewer points within ``tolerance`` of the line, end points kept (iterative: rings
    of thousands of points would exceed the recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            dist = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else math.hypot(px - ax, py - ay)
            if dist > best:
                best, index = dist, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    result = [p for p, k in zip(points, keep, strict=True) if k]
    if len(result) < 4 and points[0] == points[-1] and len(points) >= 4:
        # A closed arc (a whole ring) needs at least a triangle to stay a polygon.
        quarter = len(points) // 4
        result = [points[0], points[quarter], points[2 * quarter], points[-1]]
    return result


def arc_indices(arcs: Any) -> list[int]:
    if isinstance(arcs, int):
        return [arcs]
    return [i for item in arcs for i in arc_indices(item)]


def renumbered(arcs: Any, renumber: Mapping[int, int]) -> Any:
    if isinstance(arcs, int):
        return renumber[arcs] if arcs >= 0 else ~renumber[~arcs]
    return [renumbered(item, renumber) for item in arcs]


def rings(geometry: Mapping[str, Any], arcs: Sequence[Sequence[Point]]) -> list[list[Point]]:
    """The outer ring of each polygon of a TopoJSON geometry, as points."""
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    rings = []
    for polygon in polygons:
        ring: list[Point] = []
        for index in polygon[0]:
            points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            ring += points if not ring else points[1:]
        rings.append(ring)
    return rings


def centroid(rings: Sequence[Sequence[Position]]) -> tuple[float, float]:
    """Area centroid of the largest ring (a label position; planar lon/lat is enough)."""
    best: tuple[float, float, float] | None = None
    for ring in rings:
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + list(ring[:1]), strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area == 0:
            continue
        candidate = (abs(area), cx / (3 * area), cy / (3 * area))
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is None:
        xs = [p[0] for ring in rings for p in ring]
        ys = [p[1] for ring in rings for p in ring]
        return (round(sum(xs) / len(xs), 3), round(sum(ys) / len(ys), 3))
    return (round(best[1], 3), round(best[2], 3))


def encode(objects: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> dict[str, Any]:
    """A quantised, delta-encoded topology: integers are what make TopoJSON small."""
    xs = [p[0] for arc in arcs for p in arc]
    ys = [p[1] for arc in arcs for p in arc]
    x0, y0 = min(xs), min(ys)
    sx = (max(xs) - x0) / (QUANTISATION - 1) or 1.0
    sy = (max(ys) - y0) / (QUANTISATION - 1) or 1.0
    encoded = []
    for arc in arcs:
        out: list[list[int]] = []
        px = py = 0
        last: tuple[int, int] | None = None
        for x, y in arc:
            qx, qy = round((x - x0) / sx), round((y - y0) / sy)
            if (qx, qy) == last:
                continue
            out.append([qx - px, qy - py])
            px, py, last = qx, qy, (qx, qy)
        if len(out) == 1:  # an arc shrunk to a point still needs two positions
            out.append([0, 0])
        encoded.append(out)
    return {
        "type": "Topology",
        "transform": {"scale": [sx, sy], "translate": [x0, y0]},
        "objects": objects,
        "arcs": encoded,
    }
