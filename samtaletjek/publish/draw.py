"""Vega-Lite → SVG or PNG with vl-convert, in Danish. Worker processes import only this."""

from __future__ import annotations

import json

import vl_convert as vlc

LOCALE = "da-DK"
# Part of every cache key: a new renderer may draw the same spec differently.
VERSION = f"vl-convert {getattr(vlc, '__version__', '')} vega {vlc.get_vega_version()} {LOCALE}"


def render(job: tuple[str, str]) -> bytes:
    """Draw `(kind, spec as JSON)`: "svg" gives UTF-8 SVG text, "png" a PNG at scale 1.

    Numbers and months are formatted in Danish.
    """
    kind, spec = job
    options = {"format_locale": LOCALE, "time_format_locale": LOCALE}
    if kind == "png":
        return bytes(vlc.vegalite_to_png(json.loads(spec), scale=1, **options))
    return vlc.vegalite_to_svg(json.loads(spec), **options).encode("utf-8")
