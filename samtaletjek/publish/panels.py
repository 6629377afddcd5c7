"""The small multiples' panels drawn in two parts: each frame once by vl-convert, each panel's
series and dots written into it here, as Vega draws them, in about a millisecond.

A static trend panel (`charts.trends.trend_panel`, marked `FRAMED`) has fixed scales: x from
its first to its last month, y from 0 to 100 %. So everything but its series and dots (axes,
grid, threshold and its name, breaks and their labels) is the same for every panel with the
same rule rows: its frame, the spec without the series' rows (`split`). `fill` puts a panel's
lines and dots into its frame's empty layers, in Vega's order and with Vega's numbers (the
same scales, the same rounding, the precision `draw.slim_svg` keeps) and widens the picture
where a line reaches past the frame, as Vega's autosize "pad" would.
tests/publish/test_panels.py compares the pixels with vl-convert's drawing of the same spec.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from ..charts.theme import DOT, STYLES
from ..charts.trends import FRAMED
from .draw import tenths

_DATASET = "trend"
_SERIES_FILTER = "!isValid(datum.part)"
_DOTS_FILTER = f"datum.part == {json.dumps(DOT)}"
_PADDING = 5  # Vega-Lite's default, for a spec that sets none
_EPOCH = datetime.date(1970, 1, 1).toordinal()
_DAY_MS = 86_400_000
Box = tuple[float, float, float, float]  # x1, y1, x2, y2


@dataclass(frozen=True)
class Series:
    """What a panel draws over its frame: the SVG of its lines' layer and of its dots' layer,
    where those layers are among the spec's, and how far they reach (Vega's bounds)."""

    lines: str
    dots: str
    slots: tuple[int, int, int]  # the lines' and dots' layer, of how many layers
    plot: tuple[float, float, float]  # the plot's width and height and the padding
    bounds: Box | None  # x1, y1, x2, y2 in the plot's pixels

    def fill(self, frame: str) -> str:
        return fill(frame, self)


def split(spec: dict) -> tuple[dict, Series] | None:
    """Return a panel's frame (its spec without the rows of its series and dots) and its
    series drawn; None for a spec that is not a framed panel."""
    if spec.get("usermeta") != FRAMED:
        return None
    layers = spec["layer"]
    line = _layer(layers, "line", _SERIES_FILTER)
    dots = _layer(layers, "point", _DOTS_FILTER)
    first, last = layers[line]["encoding"]["x"]["scale"]["domain"]
    rows = spec["datasets"][_DATASET]
    scales = _Scales(first, last, spec["width"], spec["height"])
    # Vega-Lite lets the theme's line width win over the style's (`config.line`).
    line_width = spec.get("config", {}).get("line", {}).get("strokeWidth")
    size = layers[dots]["mark"]["size"]
    lines = [_line(row, scales, line_width) for row in rows if "part" not in row]
    marks = [_dot(row, scales, size) for row in rows if row.get("part") == DOT]
    boxes = [box for _, box in (*lines, *marks) if box]
    frame = {
        **spec,
        "datasets": {
            **spec["datasets"],
            _DATASET: [r for r in rows if "part" in r and r["part"] != DOT],
        },
    }
    series = Series(
        _group([svg for svg, _ in lines]),
        _group([svg for svg, _ in marks]),
        (line, dots, len(layers)),
        (spec["width"], spec["height"], spec.get("padding", _PADDING)),
        _union(boxes),
    )
    return frame, series


def fill(frame: str, series: Series) -> str:
    """Return a panel's SVG: its frame's (vl-convert's SVG of `split`'s frame) with the
    panel's series in their layers, widened where they reach past the frame."""
    head, sizes, between, tail = _cut(frame, series.slots)
    width, height, left, top = sizes
    plot_width, plot_height, padding = series.plot
    if series.bounds:
        # Vega's autosize "pad": the view grows by whole pixels to hold every mark.
        x1, y1, x2, y2 = series.bounds
        out = [
            left - padding,
            top - padding,
            width - left - plot_width - padding,
            height - top - plot_height - padding,
        ]
        grown = [
            max(out[0], math.ceil(-x1)),
            max(out[1], math.ceil(-y1)),
            max(out[2], math.ceil(x2 - plot_width)),
            max(out[3], math.ceil(y2 - plot_height)),
        ]
        if grown != out:
            left, top = padding + grown[0], padding + grown[1]
            width = _num(left + plot_width + grown[2] + padding)
            height = _num(top + plot_height + grown[3] + padding)
    return head.format(width=width, height=height, left=left, top=top) + (
        series.lines + between + series.dots + tail
    )


_HEAD = re.compile(
    r'<svg (?P<a>[^>]*)width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)" viewBox="0 0 [\d.]+ [\d.]+">'
    r'<rect width="[\d.]+" height="[\d.]+"(?P<r>[^>]*)/>'
    r'<g (?P<g>[^>]*)transform="translate\((?P<x>[\d.]+),(?P<y>[\d.]+)\)">'
)
_TAG = re.compile(r"<(/?)[A-Za-z][^>]*?(/?)>")
_LAYERS_DEPTH = 5  # svg > g (padding) > g > g (the view) > g > the layers and axes


@functools.lru_cache(maxsize=64)
def _cut(frame: str, slots: tuple[int, int, int]) -> tuple[str, tuple, str, str]:
    """A frame's SVG cut around its empty lines' and dots' layers: its head (a format string
    of its size and the plot's place), the sizes, the text between the two layers, the rest."""
    head = _HEAD.match(frame)
    if not head:
        raise RuntimeError("a panel's frame does not start as vl-convert's SVG does")
    children: list[tuple[int, int]] = []
    depth = 0
    for tag in _TAG.finditer(frame):
        closing, empty = tag[1], tag[2]
        if closing:
            depth -= 1
            if depth == _LAYERS_DEPTH:
                children[-1] = (children[-1][0], tag.end())
            continue
        if depth == _LAYERS_DEPTH:
            children.append((tag.start(), tag.end()))
        if not empty:
            depth += 1
    line, dots, count = slots
    layers = children[-count:]
    spans = [layers[line], layers[dots]] if len(layers) == count else []
    if dots != line + 1 or any(frame[a:b] != "<g/>" for a, b in spans):
        raise RuntimeError("a panel's frame has no empty layers for its lines and dots")
    (a, b), (c, d) = spans
    fmt = (
        '<svg {a}width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}">'
        '<rect width="{{width}}" height="{{height}}"{r}/>'
        '<g {g}transform="translate({{left}},{{top}})">'
    ).format(**{k: _braces(head[k]) for k in ("a", "r", "g")})
    sizes = tuple(_value(head[k]) for k in ("w", "h", "x", "y"))
    return fmt + _braces(frame[head.end() : a]), sizes, frame[b:c], frame[d:]


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _value(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


def _layer(layers: list[dict], mark: str, condition: str) -> int:
    """The place of the layer that draws `mark`s of the rows `condition` keeps."""
    for i, layer in enumerate(layers):
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if kind == mark and {"filter": condition} in layer.get("transform", []):
            return i
    raise ValueError(f"a framed panel has no {mark} layer of the rows {condition}")


@dataclass(frozen=True)
class _Scales:
    """A panel's x (time, ms) and y (share, %) scales as Vega's: d3's linear scale to the
    last bit, so its numbers are the ones Vega writes."""

    first: int
    last: int
    width: float
    height: float


def _linear(value: float, d0: float, d1: float, r0: float, r1: float) -> float:
    """d3-scale's linear map with d3-interpolate's number interpolation."""
    t = (value - d0) / (d1 - d0) if d1 != d0 else 0.5
    return r0 * (1 - t) + r1 * t


@functools.lru_cache(maxsize=64)
def _months(first: int, last: int, width: float, y0: int, m0: int) -> tuple[tuple, ...]:
    """The place of each month from `m0` (from 0) of year `y0` to the last, and as a path
    writes it (Vega's `utc(y0, m0 + i, 1)` on the x scale)."""
    out = []
    year, month = y0, m0
    while True:
        t = (datetime.date(year, month + 1, 1).toordinal() - _EPOCH) * _DAY_MS
        if t > last:
            return tuple(out)
        x = _linear(t, first, last, 0, width)
        out.append((x, _num(_round(x))))
        year, month = (year + 1, 0) if month == 11 else (year, month + 1)


@functools.lru_cache(maxsize=4096)
def _y(height: float, share: float) -> tuple[float, str]:
    y = _linear(share, 0, 100, height, 0)
    return y, _num(_round(y))


def _line(row: dict, scales: _Scales, width: float | None) -> tuple[str, Box | None]:
    """One series' line, as Vega's line mark in a facet draws it: broken where a month has no
    figure; a figure alone between two gaps is a point ("Z") its dot shows. With the box its
    points reach, widened by the stroke (as Vega bounds a stroke: by its whole width)."""
    style = STYLES[row["style"]]
    width = style.width if width is None else width
    places = _months(scales.first, scales.last, scales.width, row["y0"], row["m0"])
    height = scales.height
    d: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    run = 0
    for i, share in zip(row["i"], row["share"], strict=True):
        if share is None or not math.isfinite(share):
            if run == 1:
                d.append("Z")
            run = 0
            continue
        x, x_text = places[i]
        y, y_text = _y(height, share)
        xs.append(x)
        ys.append(y)
        d.append(f"L{x_text},{y_text}" if run else f"M{x_text},{y_text}")
        run += 1
    if run == 1:
        d.append("Z")
    path = f' d="{"".join(d)}"' if d else ""
    svg = (
        f'<g transform="translate(0,0)"><g><g><path{path} stroke="{style.colour}" '
        f'stroke-width="{_num(width)}" stroke-dasharray="{",".join(map(str, style.dash))}"/>'
        "</g></g></g>"
    )
    if not xs:
        return svg, None
    return svg, (min(xs) - width, min(ys) - width, max(xs) + width, max(ys) + width)


def _dot(row: dict, scales: _Scales, size: float) -> tuple[str, Box]:
    """A figure between two unknown months as Vega draws a filled point (a ghost row unseen),
    with the box it reaches."""
    r = math.sqrt(size) / 2
    x = _linear(row["t"], scales.first, scales.last, 0, scales.width)
    y, _ = _y(scales.height, row["share"])
    ra, rb = _num(_round(r)), _num(_round(-r))
    seen = ' opacity="0"' if row.get("ghost") else ""
    svg = (
        f'<path transform="translate({_num(x)},{_num(y)})" '
        f'd="M{ra},0A{ra},{ra},0,1,1,{rb},0A{ra},{ra},0,1,1,{ra},0" '
        f'fill="{STYLES[row["style"]].colour}" stroke-width="2"{seen}/>'
    )
    return svg, (x - r, y - r, x + r, y + r)


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    x1, y1, x2, y2 = zip(*boxes, strict=True)
    return min(x1), min(y1), max(x2), max(y2)


def _group(items: list[str]) -> str:
    return f"<g>{''.join(items)}</g>" if items else "<g/>"


def _round(value: float) -> float:
    """As d3-path writes a path's numbers: Math.round(value * 1000) / 1000."""
    scaled = value * 1000
    whole = math.floor(scaled)
    return (whole + (scaled - whole >= 0.5)) / 1000


def _num(value: float) -> str:
    """A number as JavaScript writes it, cut to the tenth of a pixel `draw.slim_svg` keeps."""
    if value == int(value):
        return str(int(value))
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        # JavaScript writes the exponent only below 1e-6, and without a leading zero.
        small = int(exponent) < -6
        text = f"{mantissa}e{int(exponent)}" if small else format(Decimal(text), "f")
    return tenths(text)
