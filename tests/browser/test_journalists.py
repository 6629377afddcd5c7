"""The journalists' pages in a real browser: the comparison follows its URL, adds municipalities
by forgiving names and removes them by their chips, fits a phone; the map answers the pointer
and leads to the municipality page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from samtaletjek.charts import theme

from .conftest import AXE, require
from .test_accessibility import axe_violations, describe
from .test_pages import hover_tooltip


def table_names(page) -> list[str]:
    return [
        row.inner_text().strip() for row in page.locator("#sammenlign-seneste tbody tr th").all()
    ]


def chip_names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#sammenlign-chips button.chip", "chips => chips.map(c => c.getAttribute('aria-label'))"
    )


def legend_names(page) -> list[str]:
    return [li.strip() for li in page.locator("#sammenlign-forklaring li").all_inner_texts()]


def chosen_in_address(page) -> list[str]:
    k = parse_qs(urlsplit(page.url).query).get("k", [""])[0]
    return [slug for slug in k.split(",") if slug]


def wait_for_rows(page, n: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#sammenlign-seneste tbody tr th').length === n", arg=n
    )


def wait_for_chart(page, name: str) -> None:
    """Until the live chart's text alternative names `name`."""
    page.wait_for_function(
        """name => {
          const live = document.querySelector('figure.compare-chart .chart-live[role=img]');
          const drawn = live && live.querySelector('svg');
          return drawn && live.getAttribute('aria-label').includes(name);
        }""",
        arg=name,
    )


def test_the_comparison_is_chosen_by_its_url_and_written_back(visit):
    visited = visit("sammenlign/?k=varde,laesoe,nowhere&g=sygedagpenge")
    page = visited.page
    page.wait_for_function(
        "() => document.getElementById('sammenlign-gruppenavn').textContent.includes('Syge')"
    )
    wait_for_rows(page, 2)
    assert table_names(page) == ["Varde", "Læsø"]
    assert chip_names(page) == ["Fjern Varde", "Fjern Læsø"]
    assert page.locator("#sammenlign-gruppe").input_value() == "sygedagpenge"
    assert chosen_in_address(page) == ["varde", "laesoe"]  # the unknown slug is dropped
    assert parse_qs(urlsplit(page.url).query)["g"] == ["sygedagpenge"]
    assert (
        page.locator("#sammenlign-link")
        .get_attribute("href")
        .endswith("?k=varde,laesoe&g=sygedagpenge")
    )
    page.select_option("#sammenlign-gruppe", "dagpenge")
    page.wait_for_function(
        "() => document.getElementById('sammenlign-seneste-titel').textContent"
        ".startsWith('Dagpengemodtagere')"
    )
    assert parse_qs(urlsplit(page.url).query)["g"] == ["dagpenge"]
    assert chosen_in_address(page) == ["varde", "laesoe"]
    wait_for_chart(page, "dagpengemodtagere")
    assert visited.outside_requests() == []
    assert visited.problems == []


def test_add_municipalities_by_forgiving_names_and_remove_one_by_its_chip(visit):
    visited = visit("sammenlign/?k=varde&g=dagpenge")
    page = visited.page
    wait_for_rows(page, 1)
    assert page.locator("#sammenlign-antal").inner_text() == "1 kommune valgt (højst 5)."
    find = page.get_by_label("Tilføj en kommune")
    # the header search's matching, shared by samtaletjek.js
    assert page.evaluate("typeof (window.Samtaletjek || {}).matches") == "function"

    # "Kobenhavn" without ø, then Enter: the best match is added
    find.fill("Kobenhavn")
    suggestions = page.locator("#sammenlign-forslag button")
    suggestions.first.wait_for()
    assert suggestions.first.inner_text().strip() == "+ København"
    find.press("Enter")
    wait_for_rows(page, 2)
    assert chip_names(page) == ["Fjern Varde", "Fjern København"]
    assert find.input_value() == "" and page.locator("#sammenlign-forslag").is_hidden()
    assert page.locator("#sammenlign-antal").inner_text() == "2 kommuner valgt (højst 5)."
    assert chosen_in_address(page) == ["varde", "koebenhavn"]

    # "hoeje taastrup" in lower case with oe and a space: chosen from the suggestions
    find.fill("hoeje taastrup")
    page.get_by_role("button", name="Tilføj Høje-Taastrup").click()
    wait_for_rows(page, 3)
    assert chip_names(page) == ["Fjern Varde", "Fjern København", "Fjern Høje-Taastrup"]
    assert chosen_in_address(page) == ["varde", "koebenhavn", "hoeje-taastrup"]
    assert table_names(page) == ["Varde", "København", "Høje-Taastrup"]
    wait_for_chart(page, "Høje-Taastrup: ingen tal")  # the fixture has no figures for it
    assert legend_names(page)[:4] == ["Varde", "København", "Høje-Taastrup", "Hele landet"]

    # a municipality already chosen is not suggested again, and the field says so
    find.fill("varde")
    page.wait_for_function(
        "() => document.getElementById('sammenlign-find-svar').textContent"
        " === 'Varde er allerede valgt.'"
    )
    assert page.locator("#sammenlign-forslag").is_hidden()
    find.fill("")

    # remove Varde with its chip: the address, tables, legend and chart follow
    page.get_by_role("button", name="Fjern Varde").click()
    wait_for_rows(page, 2)
    assert chip_names(page) == ["Fjern København", "Fjern Høje-Taastrup"]
    assert chosen_in_address(page) == ["koebenhavn", "hoeje-taastrup"]
    assert table_names(page) == ["København", "Høje-Taastrup"]
    assert page.locator("#sammenlign-antal").inner_text() == "2 kommuner valgt (højst 5)."
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Fjern København"
    assert "Varde" not in legend_names(page)
    page.wait_for_function(
        "() => !document.querySelector('.chart-live').getAttribute('aria-label').includes('Varde')"
    )
    label = page.locator("figure.compare-chart .chart-live").get_attribute("aria-label")
    assert label.startswith("Andel af dagpengemodtagere, der fik de krævede samtaler: København")
    assert "Hele landet fra" in label
    assert page.locator("#sammenlign-status").inner_text() == (
        "Viser København og Høje-Taastrup for dagpengemodtagere."
    )
    # the first chosen has the first style: København is now the strong blue line
    colours = page.eval_on_selector_all(
        "#sammenlign-chips button.chip line", "lines => lines.map(l => l.getAttribute('stroke'))"
    )
    assert colours == [theme.STYLES[theme.CHOSEN[0]].colour, theme.STYLES[theme.CHOSEN[1]].colour]
    assert visited.outside_requests() == []
    assert visited.problems == []


def test_a_full_comparison_says_why_nothing_more_is_added(visit):
    visited = visit("sammenlign/")
    page = visited.page
    wait_for_rows(page, 5)
    assert page.locator("input[type=checkbox]").count() == 0
    assert page.locator("#sammenlign-antal").inner_text() == "5 kommuner valgt, det højeste antal."
    hint = page.locator("#sammenlign-find-hjaelp").inner_text()
    assert "plads til 5 kommuner" in hint and "Fjern en" in hint
    find = page.get_by_label("Tilføj en kommune")
    assert find.is_enabled()
    find.fill("Varde")
    find.press("Enter")
    assert page.locator("#sammenlign-find-svar").inner_text() == (
        "Der er ikke plads til flere: fjern først en kommune."
    )
    assert page.locator("#sammenlign-forslag").is_hidden()
    assert len(chip_names(page)) == 5
    assert urlsplit(page.url).query == ""  # nothing changed, so the address stays as it was
    page.get_by_role("button", name="Fjern Aarhus").click()
    wait_for_rows(page, 4)
    find.fill("Varde")
    find.press("Enter")
    wait_for_rows(page, 5)
    assert chosen_in_address(page)[-1] == "varde"
    page.get_by_role("button", name="Vis de fem største kommuner").click()
    page.wait_for_function("() => !document.querySelector('#sammenlign-chips [data-slug=varde]')")
    assert "aarhus" in chosen_in_address(page) and "varde" not in chosen_in_address(page)
    assert visited.problems == []


def test_the_comparison_on_a_phone_has_the_chart_first_and_no_sideways_scroll(visit):
    visited = visit("sammenlign/?k=koebenhavn,varde,gentofte&g=dagpenge", width=360, height=740)
    page = visited.page
    wait_for_chart(page, "Gentofte")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    chart = page.locator("figure.compare-chart .chart-live").bounding_box()
    form = page.locator("#sammenlign-valg").bounding_box()
    assert chart["y"] + chart["height"] <= form["y"]  # the chart first, the controls under it
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 360
    # no text in the live chart smaller than 11 px, drawn at its own size (not scaled down)
    sizes = page.eval_on_selector_all(
        "figure.compare-chart .chart-live svg text",
        "texts => texts.filter(t => t.textContent.trim())"
        ".map(t => { const m = t.getScreenCTM();"
        " return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })",
    )
    assert sizes and min(sizes) >= 11 - 0.01, sorted(sizes)[:3]
    # the tables keep their key columns: each row is a block of "label: value" lines
    cells = page.locator("#sammenlign-seneste tbody tr").first.locator("td")
    assert cells.count() == 3
    for i in range(cells.count()):
        box = cells.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    # the chips, the search and the suggestions fit too
    page.get_by_label("Tilføj en kommune").fill("h")
    page.locator("#sammenlign-forslag button").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for chip in page.locator("#sammenlign-chips button.chip").all():
        box = chip.bounding_box()
        assert box["x"] + box["width"] <= 360 and box["height"] >= 24
    assert visited.outside_requests() == []
    assert visited.problems == []


def test_the_comparison_has_no_wcag_violations_with_its_controls_in_use(visit):
    require(AXE.is_file(), f"axe-core not found at {AXE}")
    visited = visit("sammenlign/?k=varde,koebenhavn&g=dagpenge", width=360, height=740)
    page = visited.page
    wait_for_rows(page, 2)
    page.get_by_label("Tilføj en kommune").fill("ho")  # suggestions and the answer showing
    page.locator("#sammenlign-forslag button").first.wait_for()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert visited.problems == []


def test_the_comparison_without_javascript_shows_the_default_and_links(visit):
    page = visit("sammenlign/", javascript=False, width=360, height=740).page
    assert page.locator("#sammenlign-valg").is_hidden()
    assert page.locator("#sammenlign-standard").is_visible()
    assert page.locator("figure.compare-chart .chart-canvas > svg[role=img]").count() == 1
    assert "Hele landet" in legend_names(page)
    assert len(table_names(page)) == 5
    assert page.locator("#sammenlign-seneste a[href*='/kommune/']").count() == 5
    assert page.locator("nav.compare-groups a").count() >= 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    svg = page.locator("figure.compare-chart .chart-canvas > svg").bounding_box()
    assert svg["width"] <= 328  # drawn for a phone: not scaled down, its text stays 11 px


def test_the_comparison_without_its_scripts_has_no_wcag_violations(visit):
    require(AXE.is_file(), f"axe-core not found at {AXE}")
    page = visit("sammenlign/", site_scripts=False).page
    violations = axe_violations(page)
    assert not violations, describe(violations)


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


def test_the_default_comparison_stays_static_until_the_reader_points_at_it(visit):
    visited = visit("sammenlign/")
    page = visited.page
    canvas = page.locator("figure.compare-chart .chart-canvas")
    assert canvas.locator(":scope > svg").count() == 1  # drawn at build time: nothing to load
    assert not [url for url in visited.requests if url.endswith("dagpenge.json")]
    page.locator("figure.compare-chart").hover()
    page.wait_for_selector("figure.compare-chart .chart-live svg")
    assert [url for url in visited.requests if url.endswith("dagpenge.json")]
    assert visited.problems == []
