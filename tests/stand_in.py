"""A stand-in for the picture renderer, for tests that do not look at pictures.

Drawing with vl-convert is most of a build's time. Builds whose tests read pages, data and
specs, not what is drawn, pass `STAND_IN` as `build(..., renderer=STAND_IN)`: every chart is
the same small, valid SVG (an element with an id, which the page makes unique with the
chart's id, and a <title> naming the hash of the spec it stands for, so a changed spec still
changes the page) and every share image the same 1 × 1 PNG. The real renderer is tested in
tests/publish, tests/site (the `site` and `reform_site` fixtures) and tests/browser.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

from samtaletjek.publish.pictures import Renderer


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


# One white pixel: 8-bit greyscale, filter byte 0, then the pixel.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\xff"))
    + _chunk(b"IEND", b"")
)


def svg(spec: str) -> str:
    """The stand-in SVG of a chart drawn from `spec` (Vega-Lite as JSON)."""
    digest = hashlib.sha256(spec.encode("utf-8")).hexdigest()[:12]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" '
        'viewBox="0 0 320 200">'
        f'<title>stand-in for spec {digest}</title><rect id="stand-in" width="320" height="200" '
        'fill="none" stroke="#999"/></svg>'
    )


def render(job: tuple[str, str]) -> bytes:
    """`(kind, spec as JSON)` → the stand-in SVG as UTF-8, or for a PNG (a share image) the
    stand-in PNG."""
    kind, spec = job
    return svg(spec).encode("utf-8") if kind == "svg" else PNG


STAND_IN = Renderer(render, "stand-in 1")
