"""Drawing the pictures: vl-convert's SVG and PNG (publish/draw.py), each drawn once and cached
under its renderer's version (publish/pictures.py), and the stand-in the site tests use."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import stand_in
from PIL import Image

from samtaletjek.charts.specs import spec_json
from samtaletjek.pages.base import Browser, Chart, Panel, Variant
from samtaletjek.publish import draw
from samtaletjek.publish.cache import Cache
from samtaletjek.publish.html import labelled_svgs, svg_labels
from samtaletjek.publish.pictures import (
    VL_CONVERT,
    Drawing,
    Picture,
    Rendered,
    Renderer,
    pictures,
)

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "width": 200,
    "height": 100,
    "data": {"values": [{"måned": "januar", "andel": 81.25}, {"måned": "februar", "andel": 79.5}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "måned", "type": "nominal"},
        "y": {"field": "andel", "type": "quantitative", "title": "Andel (%)"},
    },
}


def job(kind: str, spec: dict = SPEC) -> tuple[str, str]:
    return kind, spec_json(spec)  # as Drawing hands it to the renderer


def test_an_svg_is_drawn_slim_in_danish_and_the_same_every_time():
    svg = draw.render(job("svg")).decode("utf-8")
    assert svg.startswith("<svg") and "Andel (%)" in svg
    assert "font-family=" not in svg and 'class="background"' not in svg
    assert not re.search(r"\d\.\d\d", svg)  # a tenth of a pixel is enough
    assert draw.render(job("svg")) == svg.encode("utf-8")
    draw.render(job("svg", {**SPEC, "mark": "line"}))  # whatever the worker drew before
    assert draw.render(job("svg")) == svg.encode("utf-8")


def test_a_png_is_drawn_with_a_small_palette():
    png = draw.render(job("png"))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "P"
    assert len(image.getcolors()) <= draw.PNG_COLOURS
    assert image.size[0] >= 200


def counting(calls: list[tuple[str, str]]) -> Renderer:
    def render(job: tuple[str, str]) -> bytes:
        calls.append(job)
        return stand_in.render(job)

    return Renderer(render, "counting")


def test_a_spec_is_drawn_once_and_then_taken_from_the_cache(tmp_path: Path):
    calls: list[tuple[str, str]] = []
    drawing = Drawing(None, Cache(tmp_path), counting(calls))
    drawing.add(Picture("a", "svg", SPEC))
    drawing.add(Picture("b", "svg", SPEC))  # the same chart at another place
    drawing.add(Picture("a.png", "png", SPEC))
    rendered = drawing.result()
    assert len(calls) == 2 and rendered.rendered == 2
    assert rendered.pictures["a"] == rendered.pictures["b"] == stand_in.render(job("svg"))
    assert rendered.pictures["a.png"] == stand_in.PNG

    again = Drawing(None, Cache(tmp_path), counting(calls))
    again.add(Picture("a", "svg", SPEC))
    assert again.result().rendered == 0 and len(calls) == 2


def test_a_renderer_never_takes_another_renderers_pictures(tmp_path: Path):
    cache = Cache(tmp_path)
    fake = Drawing(None, cache, stand_in.STAND_IN)
    fake.add(Picture("a", "svg", SPEC))
    fake.result()
    real = Drawing(None, cache, VL_CONVERT)
    real.add(Picture("a", "svg", SPEC))
    drawn = real.result()
    assert drawn.rendered == 1
    assert drawn.pictures["a"] == draw.render(job("svg"))


def test_the_stand_in_is_valid_and_tells_specs_apart():
    other = {**SPEC, "mark": "line"}
    svg, png = stand_in.render(job("svg")), stand_in.render(job("png"))
    assert svg != stand_in.render(job("svg", other))
    assert svg.startswith(b"<svg") and b"<title>" in svg
    assert Image.open(io.BytesIO(png)).size == (1, 1)

    # inlined in a page, its id is made unique by the chart's id, as a drawn SVG's are
    class Drawn:  # what svg_labels reads of a chart
        id, summary, panels = "kommune-trend", "Andel af dagpengemodtagere", ()
        pictures = (("kommune-trend", SPEC),)

    inline = labelled_svgs(svg_labels([Drawn()]), Rendered({"kommune-trend": svg}, 1))[
        "kommune-trend"
    ]
    assert 'id="kommune-trend-stand-in"' in inline and 'role="img"' in inline


def test_small_multiples_are_a_picture_per_panel_with_figures_and_a_width_per_screen():
    other = {**SPEC, "mark": "line"}
    panels = Chart(
        id="trend-varde",
        title="",
        caption="",
        summary="Varde: 81,3 % i januar.",
        static_spec=None,
        browser=Browser("x.vl.json", {}),
        data_links=(),
        panels=(Panel("trend-varde-felt-0", "Dagpenge", 0, SPEC), Panel("p1", "Ledige", 1, None)),
    )
    drawn = pictures(panels)
    assert [(p.id, p.kind, p.spec) for p in drawn] == [("trend-varde-felt-0", "svg", SPEC)]
    svg = stand_in.render(job("svg"))
    inline = labelled_svgs(svg_labels([panels]), Rendered({"trend-varde-felt-0": svg}, 1))
    # the grid of panels carries the text alternative (templates/_partials.html): each
    # panel's picture is hidden from screen readers, its ids its own
    (only,) = inline.values()
    assert 'aria-hidden="true"' in only and "role=" not in only
    assert 'id="trend-varde-felt-0-stand-in"' in only
    ranked = dataclasses.replace(
        panels, panels=(), static_spec=SPEC, variants=(Variant("trend-varde-wide", "wide", other),)
    )
    assert [p.id for p in pictures(ranked)] == ["trend-varde", "trend-varde-wide"]
    inline = labelled_svgs(svg_labels([ranked]), Rendered({p.id: svg for p in pictures(ranked)}, 2))
    assert all('role="img" aria-label="Varde: 81,3 % i januar."' in s for s in inline.values())
