"""The watch list (overvaagning/) in a real browser: one compact row per municipality, its
figures behind a disclosure, the filters by target group and measure against the download
(data/overvaagning.csv), and the page's height on a phone.

Served from the demo site of every indicator (`reform_site`, the small reference's
municipalities): the small site's figures end in March 2020, too soon for anyone to have been
under the line for six months, so its list is empty."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from samtaletjek.pages.status import ON_LIST, SHORT, SYMBOLS

from .conftest import AXE, require, served
from .test_accessibility import axe_violations, describe

PAGE = "overvaagning/"
ROWS = "#overvaagning-kommuner tbody tr"
PHONE = {"width": 360, "height": 640}
SCREENS = 15  # the list may be at most this many screens tall on a phone, every row closed


@pytest.fixture(scope="module")
def site_url(reform_site: Path) -> Iterator[str]:
    """This module's pages come from the demo site (every indicator), not the small one."""
    with served(reform_site) as url:
        yield url


@pytest.fixture(scope="module")
def listed(reform_site: Path) -> list[dict[str, str]]:
    """The rows of the list's download."""
    with (reform_site / "data/overvaagning.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len({r["municipality"] for r in rows}) > 2, "the demo puts several on the list"
    return rows


def names(page, visible_only: bool = True) -> list[str]:
    """The municipalities of the list's rows, in the page's order (shown rows only)."""
    return page.evaluate(
        """([selector, visibleOnly]) => Array.from(document.querySelectorAll(selector))
             .filter(row => !visibleOnly || row.getClientRects().length > 0)
             .map(row => row.querySelector("th[scope=row]").textContent.trim())""",
        [ROWS, visible_only],
    )


def municipalities(listed: list[dict[str, str]], indicator: str = "", group: str = "") -> set:
    """The municipalities the download has a row for in `indicator` and `group` ("": any)."""
    return {
        r["municipality"]
        for r in listed
        if (not indicator or r["indicator"] == indicator)
        and (not group or r["target_group"] == group)
    }


def test_one_row_per_municipality_and_its_figures_open_on_a_click(visit, listed):
    page = visit(PAGE).page
    shown = names(page)
    assert len(shown) == len(set(shown)) and set(shown) == municipalities(listed)
    rows = page.locator(ROWS)
    for i, name in enumerate(shown):  # each row counts its rows of the download
        mine = [r for r in listed if r["municipality"] == name]
        assert rows.nth(i).locator("td.watch-count").get_attribute("data-value") == str(len(mine))
        longest = max(int(r["months_below"]) for r in mine)
        assert rows.nth(i).locator("td.watch-longest").get_attribute("data-value") == str(longest)
    first = rows.first
    badge = first.locator(".badge-on-list")  # the status module's symbol, word and sentence
    assert badge.inner_text().startswith(f"{SYMBOLS[ON_LIST]} {SHORT[ON_LIST]}")
    assert badge.get_attribute("title").endswith("i træk – på listen")
    figures = first.locator("details li")
    assert not figures.first.is_visible()
    first.locator("summary").click()
    assert first.locator("details").evaluate("d => d.open")
    assert figures.first.is_visible()
    mine = [r for r in listed if r["municipality"] == shown[0]]
    lines = figures.all_inner_texts()
    assert len(lines) == len(mine)
    runs = [int(m) for line in lines for m in re.findall(r"(\d+) måneder i træk", line)]
    assert sorted(runs) == sorted(int(r["months_below"]) for r in mine)
    assert all("siden" in line and "Under" in line for line in lines)


def test_a_link_to_a_municipalitys_row_opens_its_figures(visit):
    anchor = visit(PAGE).page.locator(ROWS).nth(1).get_attribute("id")
    page = visit(f"{PAGE}#{anchor}").page
    assert page.locator(f"#{anchor} details").evaluate("d => d.open")
    assert page.locator(ROWS).first.locator("details").evaluate("d => !d.open")


def test_the_group_and_measure_filters_show_what_the_download_holds(visit, listed):
    page = visit(PAGE).page
    measure = page.locator("#overvaagning-kommuner-maaling")
    group = page.locator("#overvaagning-kommuner-maalgruppe")
    status = page.locator(".watch-tools .filter-status")
    assert measure.is_visible() and group.is_visible()
    everyone = len(municipalities(listed))
    measures = measure.locator("option").evaluate_all("os => os.map(o => o.value)")
    groups = group.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert set(measures) == {"", *(r["indicator"] for r in listed)}
    assert set(groups) == {"", *(r["target_group"] for r in listed)}
    # A group in a measure is that pair, not the group in one measure and anything in another:
    # the demo has a case where the two differ, so the test below tells them apart.
    assert any(
        municipalities(listed, i, g) != municipalities(listed, "", g) & municipalities(listed, i)
        for i in measures
        for g in groups
    )
    for i in measures:
        measure.select_option(i)
        for g in groups:
            group.select_option(g)
            expected = municipalities(listed, i, g)
            assert set(names(page)) == expected, (i, g)
            said = f"Viser {len(expected)} af {everyone} kommuner" if i or g else ""
            assert status.inner_text() == said, (i, g)
    # the name box narrows what the choices show
    measure.select_option("")
    group.select_option(groups[1])
    name = sorted(municipalities(listed, "", groups[1]))[0]
    page.locator("#overvaagning-kommuner-filter").fill(name[:4])
    expected = {m for m in municipalities(listed, "", groups[1]) if m.startswith(name[:4])}
    assert set(names(page)) == expected
    assert status.inner_text() == f"Viser {len(expected)} af {everyone} kommuner"
    page.locator("#overvaagning-kommuner-filter").fill("")
    group.select_option("")
    assert len(names(page)) == everyone and status.inner_text() == ""


def test_without_javascript_every_row_shows_and_opens(visit, listed):
    page = visit(PAGE, javascript=False).page
    assert not page.locator(".watch-tools").is_visible()
    assert set(names(page)) == municipalities(listed)
    first = page.locator(ROWS).first
    first.locator("summary").click()
    assert first.locator("details li").first.is_visible()


def test_the_list_is_short_enough_for_a_phone(visit, registry):
    """At most fifteen screens at 360 × 640 px with every row closed and no filter on: each
    row is three short lines, so even with every municipality on the list the page fits."""
    page = visit(PAGE, **PHONE).page
    height, rows = page.evaluate(
        """selector => [document.documentElement.scrollHeight,
             Array.from(document.querySelectorAll(selector),
                        row => row.getBoundingClientRect().height)]""",
        ROWS,
    )
    limit = SCREENS * PHONE["height"]
    assert height <= limit
    assert max(rows) <= 90, f"a closed row is {max(rows):.0f} px tall on a phone"
    everyone = len(registry.municipalities)  # all 98
    projected = height - sum(rows) + everyone * max(rows)
    assert projected <= limit, f"with all {everyone} on the list: {projected:.0f} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_list_with_a_row_open_and_a_filter_on_has_no_wcag_violation(visit, width):
    require(AXE.is_file(), f"axe-core not found at {AXE}")
    page = visit(PAGE, width=width).page
    page.locator(ROWS).first.locator("summary").click()
    page.locator("#overvaagning-kommuner-maaling").select_option(index=1)
    violations = axe_violations(page)
    assert not violations, describe(violations)
