"""The static maps drawn in two parts: the shapes once per map shape by vl-convert, each map's
colours and words written into them here.

A static map (`charts.maps.choropleth`, marked `FRAMED`) differs from another of the same
width and boundaries only in each municipality's colour and the words its shape says when
pointed at (its <title>). So its frame is the spec with a mark in place of both for every
municipality in the boundaries (`split`), and `fill` puts each municipality's own in, as the
chart's lookup and its "Ingen tal" fallback would, escaped as Vega escapes them.
tests/publish/test_panels.py compares the pixels with vl-convert's drawing of the same spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..charts.maps import FEATURE, FRAMED, NO_DATA, NO_DATA_COLOUR, STATIC_FIELDS

_DATASET = "andele"
_MARK = "@kommune-"  # a municipality's place in the frame, by its code
_PLACES = re.compile(rf'(fill="|<title>){_MARK}(\d+)(?=["<])')


@dataclass(frozen=True)
class Colours:
    """What a map puts into its frame: each municipality's colour and words, by its code."""

    by_code: dict[int, tuple[str, str]]

    def fill(self, frame: str) -> str:
        """Return the map's SVG: its frame's (vl-convert's SVG of `split`'s frame) with each
        municipality's colour and words in their places."""

        def place(m: re.Match) -> str:
            colour, words = self.by_code[int(m[2])]
            return m[1] + (colour if m[1] == 'fill="' else _escape(words))

        return _PLACES.sub(place, frame)


def split(spec: dict) -> tuple[dict, Colours] | None:
    """Return a static map's frame (its spec with a mark for each municipality's colour and
    words) and what each municipality gets; None for a spec that is not a framed map."""
    if spec.get("usermeta") != FRAMED:
        return None
    kode, farve, tekst = STATIC_FIELDS
    rows = {r[kode]: r for r in spec["datasets"][_DATASET]}
    by_code: dict[int, tuple[str, str]] = {}
    for shape in spec["data"]["values"]["objects"][FEATURE]["geometries"]:
        code, name = shape["properties"]["kode"], shape["properties"]["navn"]
        row = rows.get(code, {})
        # As the chart's calculate does for a municipality without a row or a value.
        colour, words = row.get(farve), row.get(tekst)
        by_code[code] = (
            NO_DATA_COLOUR if colour is None else colour,
            f"{name}: {NO_DATA}" if words is None else words,
        )
    marks = [{kode: code, farve: f"{_MARK}{code}", tekst: f"{_MARK}{code}"} for code in by_code]
    frame = {**spec, "datasets": {**spec["datasets"], _DATASET: marks}}
    return frame, Colours(by_code)


def _escape(text: str) -> str:
    """Words as Vega writes an SVG attribute (`draw.slim_svg` moves it into a <title>)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;").replace("\t", "&#x9;").replace("\n", "&#xA;")
    return text.replace("\r", "&#xD;")
