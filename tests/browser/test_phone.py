"""What a reader sees first, on a phone (360 × 740) and a desktop (1280 × 900), with and without
JavaScript: the verdict and a figure, the search field, no sideways scrolling, readable charts."""

from __future__ import annotations

import pytest

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# One page of every type.
PAGE_TYPES = [
    "",
    "kommune/varde/",
    "kommune/gentofte/",  # a frikommune: its note
    "kommune/laesoe/",
    "maalgruppe/dagpenge/",
    "maalgruppe/",
    "kommune/",
    "kort/",
    "kort/sygedagpenge/",
    "sammenlign/",
    "nyt/",
    "metode/",
    "baggrund/",
    "om/",
    "embed/varde/dagpenge/",
    "404.html",
]


def on_first_screen(page, selector: str, height: int) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_municipality_page_opens_with_its_verdict_and_a_figure(visit, size, javascript):
    page = visit("kommune/varde/", **size, javascript=javascript, charts=False).page
    verdict = page.locator(".verdict p").first
    assert verdict.inner_text().startswith(("I ", "Der er"))
    assert on_first_screen(page, ".verdict p", size["height"])
    assert on_first_screen(page, ".group-card .headline-figure", size["height"]), (
        "the first figure is below the first screen"
    )
    assert page.locator(".group-card .headline-figure").first.inner_text().endswith("%")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_overview_opens_with_find_your_municipality(visit, size):
    page = visit("", **size, charts=False).page
    assert page.locator("label[for=find-din-kommune]").inner_text() == "Find din kommune"
    assert on_first_screen(page, "#find-din-kommune", size["height"])
    box = page.locator("#find-din-kommune").bounding_box()
    assert box["height"] >= 40  # large enough to hit on a phone


@pytest.mark.parametrize(
    ("typed", "landing"),
    [
        ("Kobenhavn", "kommune/koebenhavn/"),
        ("hoeje taastrup", "kommune/hoeje-taastrup/"),
        ("Århus", "kommune/aarhus/"),
        ("Vesthimmerlands", "kommune/vesthimmerland/"),
        ("Bornholms Regionskommune", "kommune/bornholm/"),
        ("Frederiksbjerg", "kommune/frederiksberg/"),  # two letters off
    ],
)
def test_the_search_forgives_spelling(visit, site_url, typed, landing):
    page = visit("", **PHONE, charts=False).page
    page.fill("#find-din-kommune", typed)
    with page.expect_navigation():
        page.press("#find-din-kommune", "Enter")
    assert page.url == site_url + landing


def test_without_javascript_the_search_leads_to_the_list_of_all(visit, site_url, site_registry):
    page = visit("", **PHONE, javascript=False).page
    page.fill("#find-din-kommune", "Kobenhavn")
    with page.expect_navigation():
        page.press("#find-din-kommune", "Enter")
    assert page.url.startswith(site_url + "kommune/?q=")
    assert page.locator("a", has_text="København").count() >= 1
    assert page.locator(".municipality-list li").count() == len(site_registry.municipalities)


def test_an_ambiguous_search_filters_the_list(visit, site_url):
    visited = visit("kommune/?q=vej", **PHONE, charts=False)
    names = visited.page.locator(".municipality-list li:visible").all_inner_texts()
    assert sorted(names) == ["Vejen", "Vejle"]
    assert "passer på" in visited.page.locator("#soegning-status").inner_text()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_phone_header_is_compact_and_its_menu_and_search_open(visit, javascript):
    page = visit("kommune/varde/", **PHONE, javascript=javascript, charts=False).page
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 80, header
    nav = page.locator(".header-menu nav")
    assert not nav.is_visible()
    page.click(".header-menu > summary")
    assert nav.is_visible()
    assert page.locator(".header-menu nav a", has_text="Målgrupper").is_visible()
    page.click(".header-search > summary")
    assert page.locator("#find-kommune").is_visible()


def test_on_a_wide_screen_menu_and_search_are_open(visit):
    page = visit("", **DESKTOP, charts=False).page
    assert page.locator(".header-menu nav a", has_text="Målgrupper").is_visible()
    assert page.locator("#find-kommune").is_visible()
    assert not page.locator(".header-menu > summary").is_visible()


@pytest.mark.parametrize("path", PAGE_TYPES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_no_page_scrolls_sideways_on_a_phone(visit, path, javascript):
    page = visit(path, **PHONE, javascript=javascript).page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path}: {width} px wide at 360 px"


def test_tables_keep_their_key_columns_on_a_phone(visit):
    page = visit("", **PHONE, charts=False).page
    ranking = page.locator("#rangliste-tabel")
    for header in ("Nr.", "Kommune", "Andel", "Status"):
        assert ranking.locator("thead th", has_text=header).first.is_visible(), header
    assert not ranking.locator("thead th", has_text="Personer").is_visible()
    # the small table of target groups stacks each row, every value with its label
    row = page.locator("section[aria-labelledby=maalgrupper-overblik] tbody tr").first
    cell = row.locator("td").nth(1)
    assert cell.is_visible()
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Hele landet" in label


@pytest.mark.parametrize("path", ["kommune/varde/", "", "maalgruppe/dagpenge/"])
def test_chart_text_is_at_least_11_px_on_a_phone(visit, path):
    for javascript in (True, False):
        page = visit(path, **PHONE, javascript=javascript).page
        sizes = page.eval_on_selector_all(
            "figure.chart .chart-canvas svg text",
            """texts => texts.filter(t => t.textContent.trim()
                && t.ownerSVGElement.getBoundingClientRect().width > 0).map(t => {
                const svg = t.ownerSVGElement;
                const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
                return parseFloat(getComputedStyle(t).fontSize) * scale;
            })""",
        )
        assert sizes, path
        assert min(sizes) >= 10.9, (path, javascript, min(sizes))


def test_the_live_municipality_chart_has_one_panel_a_row_on_a_phone(visit):
    page = visit("kommune/varde/", **PHONE).page
    figure = page.locator("figure.chart").first
    figure.scroll_into_view_if_needed()
    panels = figure.locator(".chart-panel")
    assert panels.count() > 1
    boxes = [panels.nth(k).bounding_box() for k in range(panels.count())]
    assert len({round(b["x"]) for b in boxes}) == 1
    widths = figure.locator(".chart-live svg").evaluate_all(
        "svgs => svgs.map(s => s.getBoundingClientRect().width)"
    )
    assert len(widths) == figure.locator(".chart-panel[data-panel]").count()
    assert widths and max(widths) <= 340


def test_the_legend_is_drawn_by_the_page_spaced_and_readable(visit):
    page = visit("kommune/varde/", **PHONE, charts=False).page
    items = page.locator("figure.chart .chart-legend li")
    labels = items.all_inner_texts()
    assert labels[:3] == ["Varde", "Region Syddanmark", "Hele landet"]
    boxes = [items.nth(i).bounding_box() for i in range(3)]
    for a, b in zip(boxes, boxes[1:], strict=False):  # never run together
        assert b["y"] > a["y"] + a["height"] - 1 or b["x"] >= a["x"] + a["width"] + 10


@pytest.mark.parametrize("path", ["", "maalgruppe/dagpenge/", "maalgruppe/sygedagpenge/"])
def test_no_status_in_a_ranking_is_clipped_on_a_phone(visit, path):
    """The answer of a ranking, its status, stays readable at 360 px: every status cell lies
    inside the screen and shows all of its badge."""
    page = visit(path, **PHONE, charts=False).page
    cells = page.locator("#rangliste-tabel tbody tr td:last-child")
    assert cells.count() > 0
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('#rangliste-tabel tbody tr td:last-child')]
            .filter(td => {
              const box = td.getBoundingClientRect();
              const badge = td.querySelector('.badge, .status') || td;
              const inner = badge.getBoundingClientRect();
              return box.right > window.innerWidth || inner.right > window.innerWidth
                || td.scrollWidth > td.clientWidth + 1;
            })
            .map(td => td.closest('tr').querySelector('th').innerText)"""
    )
    assert clipped == [], f"{path}: status clipped for {clipped[:5]}"
