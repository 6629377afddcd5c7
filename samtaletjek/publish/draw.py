"""Vega-Lite → SVG or PNG with vl-convert, in Danish, and share images with Pillow
(`share_png`). Worker processes import only this.

Most pictures share a shape: 98 municipalities' small multiples differ only in their named
datasets. Each shape is compiled to Vega once per process (`to_vega`), and a picture's data
are put into the compiled spec, as the chart modules put them into the Vega-Lite template.
"""

from __future__ import annotations

import ctypes
import functools
import io
import json
import os
import re
import signal
import sys
import threading
import time

import vl_convert as vlc
from PIL import Image

from . import share_png

LOCALE = "da-DK"
OPTIONS = {"format_locale": LOCALE, "time_format_locale": LOCALE}
# A share image is text, flat colours and a few lines: 32 colours keep it sharp at a sixth of
# the bytes of vl-convert's full-colour PNG.
PNG_COLOURS = 32
# Part of every cache key: a new renderer may draw the same spec differently.
VERSION = (
    f"vl-convert {getattr(vlc, '__version__', '')} vega {vlc.get_vega_version()} {LOCALE} "
    f"png {PNG_COLOURS} colours, Pillow {Image.__version__}, slim svg 3; {share_png.VERSION}"
)
# What writes a picture's own into a frame drawn once (publish/panels.py, publish/mapfill.py):
# bump when it writes anything differently. Here, with the version of the whole renderer, so
# the quick "nothing changed" check (fingerprint.py) needs no chart code.
PANELS_VERSION = "panels 1"
MAPS_VERSION = "maps 1"
RENDERER_VERSION = f"{VERSION}, {PANELS_VERSION}, {MAPS_VERSION}"


_FONT = re.compile(r' font-family="[^"]*"')
# vl-convert marks groups as ARIA graphics objects; inside a role="img" they only confuse.
_INNER_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_LONG_NUMBER = re.compile(r"(?<=\d)(\.\d)\d+")
_DEFAULT_OPACITY = ' opacity="1"'
# Vega's hit areas and class names serve its own scripts, which never touch the static SVG:
# a group's unfilled, unstroked background, its empty foreground, pointer-events, classes.
_NO_PAINT = re.compile(
    r'<path class="background" d="[^"]*"/>|<path class="foreground" d="" display="none"/>'
)
_FOR_SCRIPTS = re.compile(r' (?:class="[^"]*"|pointer-events="[^"]*")')
# A mark that describes itself (Vega-Lite's `description`, as the map's municipalities do)
# says it when pointed at: its ARIA label becomes its <title>, a tooltip without JavaScript.
_DESCRIBED = re.compile(r'<path aria-label="([^"]*)"([^>]*)/>')
_TITLE = re.compile(r"(<title>[^<]*</title>)")  # words for readers: "1.234 personer" stays


def slim_svg(svg: str) -> str:
    """Return a drawn SVG with fewer bytes and the same pixels.

    vl-convert repeats the font stack on every text element and writes coordinates to 15
    digits; the font is inherited from the page instead and coordinates keep one decimal,
    a tenth of a pixel. What only Vega's scripts use goes (`_NO_PAINT`, `_FOR_SCRIPTS`), and a
    described mark's label becomes its <title> (`_DESCRIBED`).
    """
    svg = _DESCRIBED.sub(r"<path\2><title>\1</title></path>", svg)
    svg = _INNER_ARIA.sub("", _FONT.sub("", svg))
    svg = _FOR_SCRIPTS.sub("", _NO_PAINT.sub("", svg))
    parts = _TITLE.split(svg)  # every other part is a title
    svg = "".join(p if i % 2 else tenths(p) for i, p in enumerate(parts))
    return svg.replace(_DEFAULT_OPACITY, "")


def tenths(text: str) -> str:
    """`text` with every number cut to one decimal: a tenth of a pixel in a drawing."""
    return _LONG_NUMBER.sub(lambda m: m[1], text)


@functools.lru_cache(maxsize=64)
def _compiled(shape: str) -> str:
    return json.dumps(vlc.vegalite_to_vega(json.loads(shape)))


def to_vega(spec: dict) -> dict:
    """Return the Vega spec of a Vega-Lite `spec`, compiling each shape (the spec without the
    values of its named datasets) once: Vega-Lite's compiler never looks at the data."""
    datasets = spec.get("datasets") or {}
    shape = {**spec, "datasets": dict.fromkeys(datasets, [])} if datasets else spec
    vega = json.loads(_compiled(json.dumps(shape, sort_keys=True)))
    for data in vega.get("data", []):
        if data.get("name") in datasets:
            data["values"] = datasets[data["name"]]
    return vega


def render(job: tuple[str, str]) -> bytes:
    """Draw `(kind, spec as JSON)`: "svg" gives UTF-8 SVG text (`slim_svg`), "png" a PNG at
    scale 1 with an optimised palette of `PNG_COLOURS`, "card" a share image (`share_png`).

    Numbers and months are formatted in Danish.
    """
    kind, spec = job
    if kind == share_png.KIND:
        return share_png.render(spec)
    vega = to_vega(json.loads(spec))
    if kind == "png":
        return _palette_png(bytes(vlc.vega_to_png(vega, scale=1, **OPTIONS)))
    return slim_svg(vlc.vega_to_svg(vega, **OPTIONS)).encode("utf-8")


def _palette_png(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def warm() -> None:
    """Start vl-convert's JavaScript runtime and Vega (the first picture of a process costs
    most of a second more than the next)."""
    render(("svg", json.dumps({"mark": "point", "data": {"values": [{}]}})))


def _die_with(parent: int) -> None:
    """End this worker when the build process `parent` ends, even by SIGKILL: Linux delivers
    SIGKILL to the worker when its parent dies; elsewhere a thread watches the parent."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.25)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    # Ctrl-C reaches the whole process group; the build decides what its workers do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_worker(parent: int) -> None:
    """A pool worker's first step: die with the build `parent`, then warm up."""
    _die_with(parent)
    warm()
