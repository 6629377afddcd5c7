"""Simplify the municipality boundaries into `samtaletjek/reference/kommuner.topojson`.

Reads TopoJSON as in the project's domain notes (DAGI/FOT 2014, Geodatastyrelsen & Danske
Kommuner): one GeometryCollection `stdin` of Polygons with properties `KOMKODE` ("0101") and
`KOMNAVN`, quantized, delta-encoded arcs. Writes one GeometryCollection `kommuner`, a
(Multi)Polygon per municipality with properties `kode` (int) and `navn` (the site's spelling
from `kommuner.csv`), Christiansø left out.

The simplification keeps the topology: each arc is simplified once (Douglas–Peucker, its two
ends fixed), so a border shared by two municipalities is the same line in both and no gaps or
overlaps open between neighbours. Islands smaller than `--min-island` that touch no other
municipality are dropped; a municipality's largest piece is always kept.

Run from the project root (a dev tool: the build reads only the file it writes):

    python3 tools/simplify_boundaries.py ../shared/domain/kommuner.topojson
    python3 tools/simplify_boundaries.py SOURCE --tolerance 300 --min-island 1 --grid 50
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "samtaletjek" / "reference"
CHRISTIANSOE = 411
# Metres per degree at Denmark's middle latitude: close enough to measure tolerances and areas.
LAT0 = 56.0
M_PER_DEG_Y = 111_320.0
M_PER_DEG_X = M_PER_DEG_Y * math.cos(math.radians(LAT0))

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Return the arcs as absolute (lon, lat) points; a third coordinate is dropped."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)
    return arcs


def _metres(p: Point) -> Point:
    return (p[0] * M_PER_DEG_X, p[1] * M_PER_DEG_Y)


def douglas_peucker(points: list[Point], tolerance_m: float) -> list[Point]:
    """Return `points` simplified to within `tolerance_m` metres, both ends kept."""
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        # A closed arc (an island drawn as one line): anchor it at its farthest point too.
        far = max(range(len(points)), key=lambda i: _dist2(_metres(points[0]), _metres(points[i])))
        if far == 0:
            return [points[0], points[-1]]
        head = douglas_peucker(points[: far + 1], tolerance_m)
        return head[:-1] + douglas_peucker(points[far:], tolerance_m)
    xy = [_metres(p) for p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance_m * tolerance_m
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_dist2(xy[i], xy[first], xy[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _dist2(a: Point, b: Point) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_dist2(p: Point, a: Point, b: Point) -> float:
    length2 = _dist2(a, b)
    if length2 == 0:
        return _dist2(p, a)
    t = max(
        0.0, min(1.0, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / length2)
    )
    return _dist2(p, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Return the points of a ring given as TopoJSON arc indices (~i = arc i reversed)."""
    out: list[Point] = []
    for index in ring:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        out += points if not out else points[1:]
    return out


def area_km2(points: list[Point]) -> float:
    xy = [_metres(p) for p in points]
    twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(xy, xy[1:] + xy[:1], strict=True))
    return abs(twice) / 2 / 1e6


def _arc_id(index: int) -> int:
    return index if index >= 0 else ~index


def read_names(path: Path) -> dict[int, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {int(row["kode"]): row["navn"] for row in csv.DictReader(fh)}


def simplify(
    source: dict,
    names: dict[int, str],
    tolerance_m: float,
    min_island_km2: float,
    grid_m: float,
) -> dict:
    """Return the simplified topology of the municipalities in `names`."""
    arcs = decode_arcs(source)
    (geometries,) = source["objects"].values()
    polygons: dict[int, list[list[list[int]]]] = {}
    for g in geometries["geometries"]:
        code = int(g["properties"]["KOMKODE"])
        if code == CHRISTIANSOE:
            continue
        rings = g["arcs"] if g["type"] == "Polygon" else None
        if rings is None:
            raise SystemExit(f"unexpected geometry type {g['type']} for {code}")
        polygons.setdefault(code, []).append(rings)
    if set(polygons) != set(names):
        missing, extra = set(names) - set(polygons), set(polygons) - set(names)
        raise SystemExit(f"codes differ from kommuner.csv: missing {missing}, extra {extra}")

    uses = Counter(
        _arc_id(a) for parts in polygons.values() for rings in parts for r in rings for a in r
    )
    kept: dict[int, list[list[list[int]]]] = {}
    dropped = 0
    for code, parts in polygons.items():
        sizes = [area_km2(ring_points(rings[0], arcs)) for rings in parts]
        largest = max(range(len(parts)), key=sizes.__getitem__)
        keep = []
        for i, rings in enumerate(parts):
            island = all(uses[_arc_id(a)] == 1 for r in rings for a in r)
            if i == largest or not island or sizes[i] >= min_island_km2:
                keep.append(rings)
            else:
                dropped += 1
        kept[code] = keep

    used = sorted(
        {_arc_id(a) for parts in kept.values() for rings in parts for r in rings for a in r}
    )
    simple = {i: douglas_peucker(arcs[i], tolerance_m) for i in used}

    # Quantize to a grid of about `grid_m` metres: the site never zooms in further.
    lon0 = min(p[0] for i in used for p in simple[i])
    lat0 = min(p[1] for i in used for p in simple[i])
    sx, sy = grid_m / M_PER_DEG_X, grid_m / M_PER_DEG_Y
    quantized: dict[int, list[tuple[int, int]]] = {}
    for i in used:
        points = [(round((p[0] - lon0) / sx), round((p[1] - lat0) / sy)) for p in simple[i]]
        points = [p for j, p in enumerate(points) if j == 0 or p != points[j - 1]]
        quantized[i] = points if len(points) > 1 else points * 2

    # A ring needs three distinct points; an islet or a hole may collapse on the grid.
    final: dict[int, list[list[list[int]]]] = {}
    for code in sorted(kept):
        parts = []
        for rings in kept[code]:
            if len(set(_quantized_ring(rings[0], quantized))) < 3:
                dropped += 1
                continue
            parts.append([r for r in rings if len(set(_quantized_ring(r, quantized))) >= 3])
        if not parts:
            raise SystemExit(f"{code} {names[code]}: nothing left; lower --tolerance")
        final[code] = parts

    used = sorted(
        {_arc_id(a) for parts in final.values() for rings in parts for r in rings for a in r}
    )
    new_index = {old: new for new, old in enumerate(used)}
    out_geometries = []
    for code, parts in final.items():
        parts = [
            [[new_index[a] if a >= 0 else ~new_index[~a] for a in r] for r in p] for p in parts
        ]
        geometry = (
            {"type": "Polygon", "arcs": parts[0]}
            if len(parts) == 1
            else {"type": "MultiPolygon", "arcs": parts}
        )
        out_geometries.append({**geometry, "properties": {"kode": code, "navn": names[code]}})

    out_arcs = []
    for i in used:
        points = quantized[i]
        out_arcs.append(
            [list(points[0])]
            + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(points, points[1:], strict=False)]
        )
    print(
        f"{len(out_geometries)} municipalities, {len(out_arcs)} arcs, "
        f"{sum(len(a) for a in out_arcs)} points (from {sum(len(arcs[i]) for i in used)}), "
        f"{dropped} small islands dropped",
        file=sys.stderr,
    )
    return {
        "type": "Topology",
        "transform": {"scale": [round(sx, 10), round(sy, 10)], "translate": [lon0, lat0]},
        "objects": {"kommuner": {"type": "GeometryCollection", "geometries": out_geometries}},
        "arcs": out_arcs,
    }


def _quantized_ring(ring: list[int], quantized: dict[int, list[tuple[int, int]]]) -> list:
    out: list = []
    for index in ring:
        points = quantized[index] if index >= 0 else quantized[~index][::-1]
        out += points if not out else points[1:]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the DAGI TopoJSON (object `stdin`)")
    parser.add_argument("--out", type=Path, default=REFERENCE / "kommuner.topojson")
    parser.add_argument("--names", type=Path, default=REFERENCE / "kommuner.csv")
    parser.add_argument("--tolerance", type=float, default=500.0, help="metres (default 500)")
    parser.add_argument(
        "--min-island", type=float, default=1.5, help="km²: smaller islands are dropped"
    )
    parser.add_argument("--grid", type=float, default=100.0, help="quantization, metres")
    args = parser.parse_args(argv)
    source = json.loads(args.source.read_text(encoding="utf-8"))
    topology = simplify(source, read_names(args.names), args.tolerance, args.min_island, args.grid)
    text = json.dumps(topology, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()) / 1024:.1f} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
