"""The indicators in a real browser, on the site built from demo figures for all three: clean
loads, live charts, the cards side by side, no sideways scroll, and the watch list's filter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import served

PAGES = [
    "kommune/aarhus/",
    "tilbud/",
    "passivitet/",
    "tilbud/dagpenge/",
    "passivitet/kontanthjaelp-jobparate/",
    "overvaagning/",
    "kort/tilbud/dagpenge/",
    "sammenlign/tilbud/dagpenge/",
]


@pytest.fixture(scope="module")
def site_url(reform_site: Path) -> Iterator[str]:
    """This module's pages come from the demo site (every indicator), not the small one."""
    with served(reform_site) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_each_page_loads_cleanly_and_its_charts_become_interactive(visit, path):
    visited = visit(path)
    assert visited.problems == []
    assert visited.outside_requests() == []
    figures = visited.page.locator("figure.chart[data-spec]")
    for i in range(figures.count()):
        figure = figures.nth(i)
        assert "is-interactive" in figure.get_attribute("class"), (path, i)
        # one live drawing, or one a panel of small multiples with figures
        drawn = max(1, figure.locator(".chart-panel[data-panel]").count())
        assert figure.locator(".chart-live svg").count() == drawn


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_360_px(visit, path):
    page = visit(path, width=360, height=740).page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path}: the page is {width} px wide at a 360 px viewport"


def boxes(page, group: str) -> list[dict]:
    family = page.locator("section.group-family", has=page.locator(f"h3:text-is('{group}')"))
    cards = family.locator("article.group-card")
    return [cards.nth(i).bounding_box() for i in range(cards.count())]


def test_the_samtale_and_offer_cards_stand_side_by_side_and_stack_on_a_phone(visit):
    wide = boxes(visit("kommune/aarhus/", javascript=False).page, "Dagpengemodtagere")
    assert len(wide) == 3  # samtaler, tilbud and aktivering
    samtaler, tilbud, aktivering = wide
    assert samtaler["y"] == tilbud["y"] == aktivering["y"]
    assert tilbud["x"] > samtaler["x"] + samtaler["width"]
    assert aktivering["x"] > tilbud["x"] + tilbud["width"]
    # the passivity card of a group without an offer card keeps the third column
    third = boxes(
        visit("kommune/aarhus/", javascript=False).page,
        "Aktivitetsparate uddannelseshjælpsmodtagere",
    )
    assert third[1]["x"] > tilbud["x"] + tilbud["width"]
    narrow = boxes(visit("kommune/aarhus/", width=360, javascript=False).page, "Dagpengemodtagere")
    assert narrow[1]["y"] >= narrow[0]["y"] + narrow[0]["height"]
    assert narrow[0]["x"] == narrow[1]["x"]


def test_the_watch_list_filters_by_municipality(visit):
    page = visit("overvaagning/").page
    box = page.locator("#overvaagning-kommuner-filter")
    assert box.is_visible()
    rows = page.locator("#overvaagning-kommuner tbody tr")
    total = rows.count()
    assert total > 1
    name = rows.first.locator("th").inner_text()
    box.fill(name)
    shown = [r for r in (rows.nth(i) for i in range(total)) if r.is_visible()]
    assert [r.locator("th").inner_text() for r in shown] == [name]
    box.fill("")
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total
