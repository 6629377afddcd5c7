"""Charts use the room: small multiples in as many columns as the screen has room for, one on
a phone, and a ranking as wide as the page, its text never under 11 px as drawn."""

from __future__ import annotations

import re

import pytest

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}

# The rendered size of every text of a chart's visible pictures (static or live).
TEXT_SIZES = """figure => [...figure.querySelectorAll('.chart-canvas svg text')]
    .filter(t => t.textContent.trim() && t.ownerSVGElement.getBoundingClientRect().width > 0)
    .map(t => {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
    })"""

# Texts of a chart's pictures that stick out of their picture, in the page's own font.
OUTSIDE = """figure => [...figure.querySelectorAll('.chart-canvas svg text')].filter(t => {
    const box = t.getBoundingClientRect(), svg = t.ownerSVGElement.getBoundingClientRect();
    return box.width && (box.left < svg.left - 1 || box.right > svg.right + 1);
}).map(t => t.textContent)"""


def panel_boxes(page) -> list[dict]:
    """The bounding boxes of the overview's trend panels, drawn or static."""
    panels = page.locator("#landstal .chart-panel")
    assert panels.count() >= 4
    return [panels.nth(i).bounding_box() for i in range(panels.count())]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_overviews_trend_panels_take_several_columns_on_a_wide_screen(visit, javascript):
    page = visit("", **WIDE, javascript=javascript).page
    boxes = panel_boxes(page)
    columns = sorted({round(b["x"]) for b in boxes})
    assert len(columns) >= 2, columns
    assert len(columns) <= 4
    figure = page.locator("#landstal").bounding_box()
    for box in boxes:  # each panel fills its cell, inside the figure
        assert box["x"] + box["width"] <= figure["x"] + figure["width"] + 1
        assert box["width"] >= 280
    # the panel's picture fills its cell: as wide as the cell, whatever the screen
    widths = page.eval_on_selector_all(
        "#landstal .chart-panel[data-panel]",  # those with figures to draw
        "cells => cells.map(c => [c.clientWidth, c.querySelector('svg').clientWidth])",
    )
    assert widths
    for cell, drawn in widths:
        assert abs(cell - drawn) <= 2, (cell, drawn)
    sizes = page.locator("#landstal").evaluate(TEXT_SIZES)
    assert sizes and min(sizes) >= 10.9, min(sizes)
    assert page.locator("#landstal").evaluate(OUTSIDE) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_overviews_trend_panels_take_one_column_on_a_phone(visit, javascript):
    page = visit("", **PHONE, javascript=javascript).page
    boxes = panel_boxes(page)
    assert len({round(b["x"]) for b in boxes}) == 1
    for a, b in zip(boxes, boxes[1:], strict=False):  # one under the other
        assert b["y"] >= a["y"] + a["height"]
    assert max(b["x"] + b["width"] for b in boxes) <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    sizes = page.locator("#landstal").evaluate(TEXT_SIZES)
    assert sizes and min(sizes) >= 10.9, min(sizes)
    assert page.locator("#landstal").evaluate(OUTSIDE) == []


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_ranking_is_as_wide_as_the_page_and_its_text_readable(visit, size, javascript):
    page = visit("maalgruppe/dagpenge/", **size, javascript=javascript).page
    figure = page.locator("#rang-dagpenge")
    shown = figure.locator(".chart-canvas svg").evaluate_all(
        "svgs => svgs.map(s => s.getBoundingClientRect().width).filter(w => w > 0)"
    )
    assert len(shown) == 1  # one picture at a time: the one drawn for this screen
    assert shown[0] >= figure.bounding_box()["width"] - 2
    sizes = figure.evaluate(TEXT_SIZES)
    assert sizes and min(sizes) >= 10.9, min(sizes)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert figure.evaluate(OUTSIDE) == []
    # every bar's figure is written with a decimal comma
    texts = figure.locator(".chart-canvas svg text").all_text_contents()
    figures = [t for t in texts if re.fullmatch(r"\d+[.,]\d", t)]
    assert figures and all("," in f for f in figures), figures
