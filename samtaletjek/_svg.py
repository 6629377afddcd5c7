"""Vega-Lite → SVG with vl-convert, in Danish. Kept tiny: worker processes import only this."""

from __future__ import annotations

import json

import vl_convert as vlc

LOCALE = "da-DK"
# Part of every cache key: a new renderer may draw the same spec differently.
VERSION = f"vl-convert {getattr(vlc, '__version__', '')} vega {vlc.get_vega_version()} {LOCALE}"


def render(spec_json: str) -> str:
    """Return the SVG of a Vega-Lite spec given as JSON, with Danish number and month formats."""
    return vlc.vegalite_to_svg(
        json.loads(spec_json), format_locale=LOCALE, time_format_locale=LOCALE
    )
