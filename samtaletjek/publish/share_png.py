"""A share image drawn with Pillow: a `charts.share_card.Card` (as JSON) → a 1200×630 PNG that
looks as vl-convert draws the card's Vega-Lite spec, for a fraction of the work.

The text is set in the font vl-convert uses (Liberation Sans, vendored in fonts/), placed by
Vega's rules for the spec's marks and legend; lines are drawn at twice the size and reduced,
so they are anti-aliased as vl-convert's are. tests/publish/test_share_png.py holds the two
drawings to each other. Worker processes import this with publish/draw.py: only Pillow here.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import math
import re
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

KIND = "card"  # a picture of this kind is a card as JSON, drawn here
FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = FONTS / "LiberationSans-Regular.ttf", FONTS / "LiberationSans-Bold.ttf"
# A share image is text, flat colours and a few lines: 32 colours keep it sharp and small.
COLOURS = 32
COMPRESS = 4  # zlib's level: 8 % more bytes than its default, 6, in two thirds of the time
SCALE = 2  # lines are drawn at twice the size and reduced: anti-aliased
# Raqm places glyphs at fractional positions with the font's kerning, as vl-convert does;
# Pillow's basic layout rounds each advance (a long headline ends 10 px early). Without
# FriBiDi on the machine Pillow has no Raqm: the text is then a pixel or two narrower.
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
# Vega's text baselines, as fractions of the font size below the mark's y (vega-scenegraph).
TOP, MIDDLE = 0.79, 0.3
# Vega's legend: a label starts `LABEL_OFFSET` after its symbol, the next entry the card's
# `legend_gap` after the label's bounds, which Vega takes `BOUNDS_PAD` px wider (measured on
# vl-convert's drawing); the row's symbols and labels sit `SYMBOL_DROP` px below its middle.
LABEL_OFFSET, BOUNDS_PAD, SYMBOL_DROP = 4, 2, 0.25
# Part of every card's cache key: its first number goes up whenever the drawing changes.
VERSION = ", ".join(
    (
        "share card 2",
        f"Pillow {Image.__version__}",
        f"FreeType {features.version('freetype2')}",
        f"HarfBuzz {features.version('harfbuzz')}",
        f"{LAYOUT.name} {features.version('raqm')}",
        f"{COLOURS} colours",
        f"zlib {features.version('zlib')} level {COMPRESS}",
        "fonts " + hashlib.sha256(REGULAR.read_bytes() + BOLD.read_bytes()).hexdigest()[:16],
    )
)

# Vega's SVG: a miter at most 10 times the line's width long (`stroke-miterlimit`).
MITER_LIMIT = 10
Point = tuple[float, float]
_SPACES = re.compile(r"[ \t\r\n]+")


@functools.lru_cache(maxsize=16)
def _font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size, layout_engine=LAYOUT)


def render(spec: str) -> bytes:
    """Draw a card given as JSON (`Card.as_dict`): a PNG with a palette of `COLOURS`."""
    card = json.loads(spec)
    image = Image.new("RGB", (card["width"], card["height"]), card["background"])
    labels = _draw_trend(image, card)
    room = card["width"] - 2 * card["left"]
    for t in card["texts"]:
        size = _fitting(t["text"], t["size"], t["bold"], room)
        baseline = t["y"] + _round(TOP * size)
        _text(image, card["left"], baseline, t["text"], size, t["bold"], t["colour"])
    for x, baseline, name in labels:
        _text(image, x, baseline, name, card["legend_size"], False, card["legend_colour"])
    out = io.BytesIO()
    palette = image.quantize(palette=_palette(card), dither=Image.Dither.NONE)
    palette.save(out, "PNG", compress_level=COMPRESS)
    return out.getvalue()


def _draw_trend(image: Image.Image, card: dict) -> list[tuple[float, float, str]]:
    """Draw the grid, the lines and the legend's symbols in the band of the card they fill;
    return where the legend's labels go (x, baseline, text)."""
    top = math.floor(min(card["legend_y"], card["hundred"] - card["line_width"]))
    bottom = math.ceil(card["zero"] + card["line_width"])
    band = Image.new("RGB", (card["width"] * SCALE, (bottom - top) * SCALE), card["background"])
    draw = ImageDraw.Draw(band)

    def at(x: float, y: float) -> Point:
        return x * SCALE - 0.5, (y - top) * SCALE - 0.5

    left, right = card["left"], card["right"]
    times = [t for s in card["series"] for t, _ in s["points"]]
    first, last = (min(times), max(times)) if times else (0, 0)

    def x_of(t: float) -> float:
        if last == first:  # a scale over a single month puts it in the middle, as d3's does
            return (left + right) / 2
        return left + (t - first) / (last - first) * (right - left)

    def y_of(share: float) -> float:
        return card["zero"] + share / 100 * (card["hundred"] - card["zero"])

    for share in card["grid"]:
        _stroke(
            draw,
            [at(left, y_of(share)), at(right, y_of(share))],
            card["grid_colour"],
            card["grid_width"] * SCALE,
        )
    for s in card["series"]:
        run: list[Point] = []
        for t, share in [*s["points"], (0, None)]:
            if share is not None:
                run.append(at(x_of(t), y_of(share)))
            elif run:  # an unknown month breaks the line; a lone month draws nothing
                _line(draw, run, s["colour"], s["dash"], card["line_width"] * SCALE)
                run = []
    # The legend: one row of entries, each a short line in its series' style and its name.
    length = math.sqrt(card["legend_symbol"])
    size = max(math.ceil(length + card["legend_stroke"]), card["legend_size"])
    middle = card["legend_y"] + size / 2
    labels = []
    x = left
    for s in card["series"]:
        centre = x + size / 2
        symbol = [
            at(centre - length / 2, middle + SYMBOL_DROP),
            at(centre + length / 2, middle + SYMBOL_DROP),
        ]
        _line(draw, symbol, s["colour"], s["dash"], card["legend_stroke"] * SCALE)
        baseline = _round(middle + SYMBOL_DROP + _round(MIDDLE * card["legend_size"]))
        labels.append((x + size + LABEL_OFFSET, baseline, s["name"]))
        width = _font(card["legend_size"], False).getlength(s["name"])
        x += size + LABEL_OFFSET + math.floor(width) + BOUNDS_PAD + card["legend_gap"]
    image.paste(band.reduce(SCALE), (0, top))
    return labels


def _round(x: float) -> int:
    """Round half up, as JavaScript's Math.round (Python's round takes half to even)."""
    return math.floor(x + 0.5)


def _line(
    draw: ImageDraw.ImageDraw, points: list[Point], colour: str, dash: list, width: float
) -> None:
    """Stroke a polyline, dashed as Vega's strokeDash says ([1, 0] and [] are solid)."""
    if len(points) < 2:
        return
    if len(dash) < 2 or not any(dash[1::2]):
        _stroke(draw, points, colour, width)
        return
    pattern = [d * SCALE for d in dash]
    k, left, on = 0, pattern[0], True  # the dash now drawn or skipped, and what is left of it
    run = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while length - done > left:
            done += left
            x, y = x0 + (x1 - x0) * done / length, y0 + (y1 - y0) * done / length
            if on:
                _stroke(draw, [*run, (x, y)], colour, width)
            run = [(x, y)]
            k = (k + 1) % len(pattern)
            left, on = pattern[k], not on
        left -= length - done
        run.append((x1, y1))
    if on:
        _stroke(draw, run, colour, width)


def _stroke(draw: ImageDraw.ImageDraw, points: list[Point], colour: str, width: float) -> None:
    """A solid polyline with butt ends and SVG's joins: mitred, bevelled where the miter
    would reach further than `MITER_LIMIT` times the width (a sharp month-to-month spike)."""
    draw.line(points, fill=colour, width=round(width))
    half = width / 2
    ways = [_unit(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in itertools.pairwise(points)]
    for (x, y), (ax, ay), (bx, by) in zip(points[1:], ways, ways[1:], strict=False):
        turn = ax * by - ay * bx
        if abs(turn) < 0.05:
            continue  # (nearly) straight on: the joint's wedge is under an eighth of a pixel
        out = half if turn < 0 else -half  # the outer side of the joint, on the left or right
        a = (x - out * ay, y + out * ax)  # the incoming edge's outer corner
        b = (x - out * by, y + out * bx)  # the outgoing edge's
        sx, sy = ax + bx, ay + by  # along the miter: its length is 2 / |s| half widths
        if (sx * sx + sy * sy) * MITER_LIMIT**2 >= 4:
            scale = 2 * out / (sx * sx + sy * sy)
            draw.polygon([(x, y), a, (x - scale * sy, y + scale * sx), b], fill=colour)
        else:
            draw.polygon([(x, y), a, b], fill=colour)


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


SMALLEST = 18  # px: a line longer than the card is set smaller, down to this, never cut off


def _fitting(text: str, size: int, bold: bool, room: float) -> int:
    """The size `text` is set in: its own, or smaller where it would run past `room` (a
    long municipality name and its status: "… hele landet 78," would be cut off)."""
    text = _as_svg_sets(text)
    while size > SMALLEST and _font(size, bold).getlength(text) > room:
        size -= 1
    return size


def _text(
    image: Image.Image, x: float, baseline: float, text: str, size: int, bold: bool, colour: str
) -> None:
    """Set `text` from `x` on `baseline`, anti-aliased by FreeType at the picture's size
    (drawn larger and reduced it comes a shade nearer vl-convert's, in twice the time),
    spaced as SVG sets it."""
    text = _as_svg_sets(text)
    font = _font(size, bold)
    ImageDraw.Draw(image).text((x, baseline), text, font=font, fill=colour, anchor="ls")


def _as_svg_sets(text: str) -> str:
    """`text` as SVG sets it: spaces at the ends go, a run of them is one (a non-breaking one
    stays)."""
    return _SPACES.sub(" ", text).strip(" ")


def _palette(card: dict) -> Image.Image:
    """A palette of the background and each colour the card draws, blended with the
    background in steps: every pixel drawn is one of them, or near one.

    A colour far from the background gets more steps than a light one (the grid's one), whose
    steps would lie so near the background that Pillow's nearest-colour lookup, coarse by a
    few levels, would paint the background with them.
    """
    paper = ImageColor.getrgb(card["background"])[:3]
    inks = [
        ImageColor.getrgb(c)[:3]
        for c in sorted(
            {t["colour"] for t in card["texts"]}
            | {s["colour"] for s in card["series"]}
            | {card["grid_colour"], card["legend_colour"]}
        )
    ]
    far = [max(abs(p - i) for p, i in zip(paper, ink, strict=True)) for ink in inks]
    colours = [paper]
    for ink, distance in zip(inks, far, strict=True):
        steps = max(1, (COLOURS - 1) * distance // max(1, sum(far)))
        colours += [
            tuple(round(p + (i - p) * k / steps) for p, i in zip(paper, ink, strict=True))
            for k in range(1, steps + 1)
        ]
    palette = Image.new("P", (1, 1))
    palette.putpalette([c for colour in colours for c in colour])
    return palette
