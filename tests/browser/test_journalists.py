"""The journalists' pages in a real browser: the comparison follows its URL, the map answers
the pointer and leads to the municipality page."""

from __future__ import annotations

import re

from .test_pages import hover_tooltip


def table_names(page) -> list[str]:
    return [
        row.inner_text().strip() for row in page.locator("#sammenlign-seneste tbody tr th").all()
    ]


def test_the_comparison_is_chosen_by_its_url_and_written_back(visit):
    visited = visit("sammenlign/?k=varde,laesoe,nowhere&g=sygedagpenge")
    page = visited.page
    page.wait_for_function(
        "() => document.getElementById('sammenlign-gruppenavn').textContent.includes('Syge')"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('#sammenlign-seneste tbody tr').length === 2"
    )
    assert table_names(page) == ["Varde", "Læsø"]
    assert page.locator("#k-varde").is_checked() and page.locator("#k-laesoe").is_checked()
    assert "k=varde%2Claesoe" in page.url or "k=varde,laesoe" in page.url  # unknown slug dropped
    page.locator("label[for='k-gentofte']").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#sammenlign-seneste tbody tr').length === 3"
    )
    assert "gentofte" in page.url
    page.wait_for_selector("figure.compare-chart .chart-live svg")
    assert visited.outside_requests() == []
    assert visited.problems == []


def test_the_comparison_without_javascript_shows_the_default_and_links(visit):
    page = visit("sammenlign/", javascript=False).page
    assert page.locator("#sammenlign-valg").is_hidden()
    assert page.locator("figure.compare-chart svg[role=img]").count() == 1
    assert len(table_names(page)) == 5
    assert page.locator("#sammenlign-seneste a[href*='/kommune/']").count() == 5


def test_the_map_shows_name_and_share_and_a_click_opens_the_municipality(visit):
    visited = visit("kort/dagpenge/")
    page = visited.page
    figure = page.locator("figure.chart.is-interactive").first
    text = hover_tooltip(page, figure)
    assert "Andel" in text and "Kommune" in text, text
    # the pointer rests on the municipality whose tooltip is showing: click it there
    with page.expect_navigation():
        page.mouse.down()
        page.mouse.up()
    assert re.search(r"/kommune/[a-z0-9-]+/$", page.url), page.url
    assert visited.outside_requests() == []
