"""An embed in someone else's iframe: at the suggested height it shows the figure, the status,
a legend naming every line and the chart, without a scroll bar or a band of white, from a
phone to a laptop."""

from __future__ import annotations

import re

import pytest

from samtaletjek.pages.embeds import EMBED_HEIGHT


@pytest.mark.parametrize("width", [320, 360, 640, 1280])
def test_an_embed_fits_the_suggested_height_at_every_width(visit, width):
    page = visit("embed/varde/dagpenge/", width=width, height=EMBED_HEIGHT, charts=False).page
    page.wait_for_selector("figure.embed-chart.is-drawn")
    sizes = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollHeight,
            inner: window.innerHeight,
            bottom: document.querySelector('.embed-source').getBoundingClientRect().bottom,
            wide: document.documentElement.scrollWidth,
        })"""
    )
    assert sizes["scroll"] <= sizes["inner"], sizes  # no scroll bar in the iframe
    assert sizes["inner"] - sizes["bottom"] < 40, sizes  # no band of white below
    assert sizes["wide"] <= width, sizes  # nor sideways
    chart = page.locator(".embed-chart .chart-canvas svg").first.bounding_box()
    assert chart["width"] >= 0.8 * min(width, 700) and chart["height"] >= 120, chart  # drawn
    legend = [li.inner_text() for li in page.locator(".embed-chart .chart-legend li").all()]
    assert legend[:3] == ["Varde", "Region Syddanmark", "Hele landet"], legend
    assert page.locator(".embed-status").inner_text().strip()[0] in "✓!▼·○"


def test_the_embed_code_suggests_the_height_the_embed_is_made_for(site):
    html = (site / "kommune/varde/index.html").read_text(encoding="utf-8")
    heights = set(re.findall(r"height=&#34;(\d+)&#34;", html))
    assert heights == {str(EMBED_HEIGHT)}
