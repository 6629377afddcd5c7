"""A page opens light: on a phone, a municipality page fetches no Vega bundle and no chart data
until a chart comes near the screen; then the bundle comes and the chart becomes interactive."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tools.page_weight import before_interaction, weigh

from .test_pages import hover_tooltip

BUNDLE = "/assets/vendor/vega-embed.bundle.js"
# The aim for a municipality page of the full site (98 municipalities) before the
# reader touches a chart; the small site's page is lighter (about 20 KB), the bundle alone ~300.
LIMIT_GZIP = 100 * 1024


def paths(visited) -> list[str]:
    """The paths the page asked for so far, in order, each once."""
    return list(dict.fromkeys(urlsplit(url).path for url in visited.requests))


def test_a_municipality_page_loads_the_vega_bundle_only_when_a_chart_comes_near(visit, site: Path):
    visited = visit("kommune/varde/", width=360, height=640, charts=False)
    page = visited.page
    page.wait_for_load_state("networkidle")
    before = paths(visited)
    assert BUNDLE not in before
    assert not [p for p in before if p.endswith((".vl.json", "/tal.json", ".json"))], before
    # What a browser fetched is what the benchmark counts (tools/page_weight.py) …
    counted = [loaded.path for loaded in before_interaction(site, "kommune/varde/")]
    assert sorted(before) == sorted(counted)
    # … and it is light: the files, gzip-compressed as a static host sends them.
    assert sum(loaded.gzip for loaded in weigh(site, before)) < LIMIT_GZIP
    figure = page.locator("figure.chart[data-spec]").first
    assert "is-interactive" not in figure.get_attribute("class")

    figure.scroll_into_view_if_needed()
    page.wait_for_selector("figure.chart.is-interactive .chart-live svg")
    after = paths(visited)
    assert BUNDLE in after
    assert figure.get_attribute("data-spec") in after
    assert figure.get_attribute("data-values") in after
    assert "Andel" in hover_tooltip(page, figure)
    assert after.count(BUNDLE) == 1 and visited.problems == []


def test_pages_without_charts_never_load_the_bundle(visit):
    for path in ("kommune/", "nyt/", "metode/"):
        visited = visit(path, width=360, height=640, charts=False)
        visited.page.wait_for_load_state("networkidle")
        visited.page.mouse.wheel(0, 5000)
        visited.page.wait_for_load_state("networkidle")
        assert BUNDLE not in paths(visited), path


def test_the_default_comparison_loads_the_bundle_when_the_reader_points_at_it(visit):
    visited = visit("sammenlign/", width=360, height=640, charts=False)
    page = visited.page
    page.wait_for_load_state("networkidle")
    assert BUNDLE not in paths(visited)
    page.locator("figure.compare-chart").hover()
    page.wait_for_selector("figure.compare-chart.is-interactive .chart-live svg")
    assert BUNDLE in paths(visited) and visited.problems == []
