"""The map in a real browser: on a phone a tap on a municipality opens its card (and the
keyboard opens it from the form above the map), and each measure has its own legend. Served
from the demo site (every indicator), so samtaler's line and passivity's quantiles both show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import AXE, require, served, wait_for_interactive_charts
from .test_accessibility import axe_violations, describe

PHONE = {"width": 360, "height": 740}
SAMTALER = "kort/dagpenge/"  # a line in its latest month: the law's 75 %
PASSIVITY = "kort/passivitet/kontanthjaelp-jobparate/"  # no line, lower is better


@pytest.fixture(scope="module")
def site_url(reform_site: Path) -> Iterator[str]:
    with served(reform_site) as url:
        yield url


@pytest.fixture
def phone(browser, site_url: str) -> Iterator:
    """Open a path of the site on a touch screen 360 px wide, its charts drawn; no request
    leaves 127.0.0.1, and a page error fails the test."""
    context = browser.new_context(
        viewport=PHONE, has_touch=True, locale="da-DK", service_workers="block"
    )
    context.set_default_timeout(15_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    errors: list[str] = []

    def open_page(path: str):
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site_url + path, wait_until="load")
        wait_for_interactive_charts(page)
        return page

    yield open_page
    context.close()
    assert errors == []


def point_inside(page, name: str) -> dict:
    """A point of the live map where the municipality `name` is what a finger would touch."""
    point = page.evaluate(
        """name => {
            const paths = document.querySelectorAll(".chart-live svg .mark-shape path");
            for (const path of paths) {
                const item = path.__data__;
                if (!item || !item.datum || item.datum.properties.navn !== name) continue;
                path.scrollIntoView({block: "center"});
                const box = path.getBoundingClientRect();
                for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
                    const x = box.left + box.width * i / 10, y = box.top + box.height * j / 10;
                    if (document.elementFromPoint(x, y) === path) return {x, y};
                }
            }
            return null;
        }""",
        name,
    )
    assert point, f"{name} is not on the map"
    return point


def test_a_tap_opens_the_municipality_card_with_a_link_and_it_closes(phone, site_url):
    page = phone(SAMTALER)
    shapes = page.locator(".chart-live svg .mark-shape path")
    drawn = shapes.count()
    point = point_inside(page, "Varde")
    page.touchscreen.tap(point["x"], point["y"])
    card = page.locator(".map-card")
    card.wait_for(state="visible")
    assert page.url == site_url + SAMTALER  # a tap shows the card, it does not leave the page
    assert card.locator("h3").inner_text() == "Varde"
    fields = dict(
        zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts(), strict=True)
    )
    assert list(fields) == ["Andel", "Status", "Personer", "Måned"]
    assert re.fullmatch(r"\d{1,3},\d %", fields["Andel"]), fields
    assert fields["Status"].startswith(("Over", "Under", "For få")), fields
    assert re.fullmatch(r"[\d.]+", fields["Personer"]), fields
    assert fields["Måned"] == "oktober 2026"
    link = card.get_by_role("link", name="Gå til siden om Varde")
    assert link.get_attribute("href") == "/kommune/varde/"
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # all of it on screen
    assert box["y"] + box["height"] <= PHONE["height"]
    assert shapes.count() == drawn > 0  # the map stays drawn
    card.get_by_role("button", name="Luk").tap()
    card.wait_for(state="hidden")
    # the tooltip stays away from a finger: the card says what it would
    assert not page.locator("#vg-tooltip-element.visible").count()


def test_the_keyboard_opens_the_card_from_the_form_and_escape_closes_it(phone):
    page = phone(SAMTALER)
    select = page.get_by_label("Vis en kommune")
    select.select_option(label="Aarhus")
    select.focus()
    page.keyboard.press("Tab")  # to the form's button
    page.keyboard.press("Enter")
    card = page.locator(".map-card")
    card.wait_for(state="visible")
    assert page.evaluate("document.activeElement.classList.contains('map-card')")
    assert card.locator("h3").inner_text() == "Aarhus"
    page.keyboard.press("Tab")  # the card's link, then its button, are next
    assert page.evaluate("document.activeElement.textContent") == "Gå til siden om Aarhus"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Vis"  # back where it was


def test_the_page_with_its_card_open_has_no_wcag_violations(phone):
    require(AXE.is_file(), f"axe-core not found at {AXE}")
    page = phone(SAMTALER)
    point = point_inside(page, "Varde")
    page.touchscreen.tap(point["x"], point["y"])
    page.locator(".map-card").wait_for(state="visible")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_the_card_follows_the_month_slider(phone):
    page = phone(SAMTALER)
    point = point_inside(page, "Varde")
    page.touchscreen.tap(point["x"], point["y"])
    card = page.locator(".map-card")
    card.wait_for(state="visible")
    slider = page.locator(".map-controls input[type=range]")
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_function(
        "() => document.querySelector('.map-card dd[data-field=maaned]').textContent"
        " === 'oktober 2023'"
    )
    assert page.locator(".chart-title").first.inner_text() == "Dagpengemodtagere, oktober 2023"
    # the colours and the legend of that month: STAR's 80 %, before the law's 75 %
    assert legend(page) == ["Under 80 %", "80,0–84,9 %", "85,0 % og derover", "Ingen tal"]
    caption = page.locator("figure.chart .chart-summary").inner_text()
    assert caption.endswith("i forhold til STAR's grænse på 80 %.")
    colours = page.evaluate(
        """() => Array.from(document.querySelectorAll(".chart-live svg .mark-shape path"))
            .map(p => p.getAttribute("fill"))"""
    )
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll(".chart-legend rect"))
            .map(r => r.getAttribute("fill"))"""
    )
    assert set(colours) <= set(drawn)


def legend(page) -> list[str]:
    return page.locator("figure.chart .chart-legend li").all_inner_texts()


def test_each_measure_has_its_own_legend(phone):
    line = legend(phone(SAMTALER))
    assert line == ["Under 75 %", "75,0–79,9 %", "80,0 % og derover", "Ingen tal"]
    page = phone(PASSIVITY)
    quantiles = legend(page)
    assert quantiles != line and quantiles[-1] == "Ingen tal"
    assert all(re.fullmatch(r"\d+,\d(–\d+,\d)? %", label) for label in quantiles[:-1]), quantiles
    caption = page.locator("figure.chart .chart-summary").inner_text()
    assert "Lavere er bedre" in caption


def test_the_inset_labels_are_readable_on_a_phone(phone):
    page = phone(SAMTALER)
    # the font size the map is drawn with, times the scale it is shown at
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll(".chart-live svg text"))
            .filter(t => ["Bornholm", "Hovedstadsområdet"].includes(t.textContent))
            .map(t => {
                const svg = t.ownerSVGElement;
                const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
                return parseFloat(getComputedStyle(t).fontSize) * scale;
            })"""
    )
    assert len(sizes) == 2 and min(sizes) >= 11, sizes
