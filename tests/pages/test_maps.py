"""The map: the simplified boundaries, the chart's Vega-Lite dict and the pages under kort/."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import re
from pathlib import Path

import pytest
import stand_in
from conftest import SMALL, build_site, soup

from samtaletjek.charts import maps as map_charts
from samtaletjek.domain.registry import TargetGroup
from samtaletjek.pages import maps, status
from samtaletjek.publish import draw
from samtaletjek.publish.pictures import Renderer
from samtaletjek.settings import PACKAGE, Settings
from samtaletjek.store.reference import TOPOLOGY_FILE, load_topology

TOPOLOGY = Settings().reference_dir / TOPOLOGY_FILE


@pytest.fixture(scope="module")
def topology() -> dict:
    return load_topology(Settings().reference_dir)


def geometries(topology: dict) -> list[dict]:
    return topology["objects"][map_charts.FEATURE]["geometries"]


def fixture_rows() -> list[dict]:
    with (SMALL / "samtaler.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def danish_pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def units(spec: dict) -> list[dict]:
    """Every single-view spec (one with a mark) in a possibly concatenated spec."""
    found = [spec] if "mark" in spec else []
    for key in ("hconcat", "vconcat", "layer"):
        for sub in spec.get(key, []):
            found += units(sub)
    return found


# ---- the boundary file --------------------------------------------------------------------------


def test_boundaries_hold_exactly_the_98_municipalities_without_christiansoe(topology, registry):
    codes = [g["properties"]["kode"] for g in geometries(topology)]
    assert sorted(codes) == sorted(m.code for m in registry.municipalities)
    assert len(codes) == 98 and 411 not in codes
    names = {g["properties"]["kode"]: g["properties"]["navn"] for g in geometries(topology)}
    assert names == {m.code: m.name for m in registry.municipalities}  # the site's spelling
    assert {g["type"] for g in geometries(topology)} <= {"Polygon", "MultiPolygon"}


def test_boundaries_are_quantized_light_and_every_arc_reference_resolves(topology):
    assert TOPOLOGY.stat().st_size < 60_000
    assert set(topology["transform"]) == {"scale", "translate"}
    assert all(isinstance(v, int) for arc in topology["arcs"] for p in arc for v in p)
    n = len(topology["arcs"])

    def indices(node: object) -> list[int]:
        return [node] if isinstance(node, int) else [i for x in node for i in indices(x)]

    used = {i if i >= 0 else ~i for g in geometries(topology) for i in indices(g["arcs"])}
    assert used == set(range(n))  # no arc missing, none left over


def test_the_island_municipalities_keep_their_shape(topology):
    """Læsø, Fanø, Samsø, Ærø and Bornholm are islands: each must still be a real polygon."""
    by_code = {g["properties"]["kode"]: g for g in geometries(topology)}
    for code in (825, 563, 741, 492, 400):
        g = by_code[code]
        polygons = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        points = max(
            sum(len(topology["arcs"][i if i >= 0 else ~i]) for i in polygon[0])
            for polygon in polygons
        )
        assert points >= 8, code


def _script():
    path = PACKAGE.parent / "tools" / "simplify_boundaries.py"
    spec = importlib.util.spec_from_file_location("simplify_boundaries", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_simplify_keeps_shared_borders_once_and_drops_christiansoe_and_islets():
    script = _script()
    # Two squares 0.1° wide sharing one wiggly border (arc 1), an islet of A's, and Christiansø.
    wiggle = [[10.1 + (0.0001 if i % 2 else 0), 55.0 + i / 100] for i in range(11)]
    arcs = [
        [[10.1, 55.1], [10.0, 55.1], [10.0, 55.0], [10.1, 55.0]],  # A's outer edge
        wiggle,  # the border between A and B, bottom to top
        [[10.1, 55.0], [10.2, 55.0], [10.2, 55.1], [10.1, 55.1]],  # B's outer edge
        [[10.5, 55.5], [10.501, 55.5], [10.501, 55.501], [10.5, 55.5]],  # a 60 × 110 m islet
        [[15.18, 55.32], [15.19, 55.32], [15.19, 55.33], [15.18, 55.32]],  # Christiansø
    ]
    source = {
        "type": "Topology",
        "arcs": arcs,
        "objects": {
            "stdin": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"KOMKODE": "0101"}},
                    {"type": "Polygon", "arcs": [[3]], "properties": {"KOMKODE": "0101"}},
                    {"type": "Polygon", "arcs": [[2, ~1]], "properties": {"KOMKODE": "0147"}},
                    {"type": "Polygon", "arcs": [[4]], "properties": {"KOMKODE": "0411"}},
                ],
            }
        },
    }
    out = script.simplify(source, {101: "A", 147: "B"}, 100.0, 1.0, 10.0)
    geoms = out["objects"]["kommuner"]["geometries"]
    assert [(g["properties"], g["type"]) for g in geoms] == [
        ({"kode": 101, "navn": "A"}, "Polygon"),
        ({"kode": 147, "navn": "B"}, "Polygon"),
    ]
    assert len(out["arcs"]) == 3  # the islet's and Christiansø's arcs are gone
    a, b = geoms[0]["arcs"][0], geoms[1]["arcs"][0]
    shared = set(a) & {~i for i in b} | set(b) & {~i for i in a}
    assert shared, "A and B must use the same border arc, in opposite directions"
    border = out["arcs"][next(i if i >= 0 else ~i for i in shared)]
    assert len(border) == 2  # a 7 m wiggle is gone at 100 m tolerance; the ends stay


def test_douglas_peucker_keeps_ends_and_what_is_beyond_the_tolerance():
    dp = _script().douglas_peucker
    line = [(10.0, 55.0), (10.05, 55.0001), (10.1, 55.0), (10.15, 55.02), (10.2, 55.0)]
    assert dp(line, 50.0) == [(10.0, 55.0), (10.1, 55.0), (10.15, 55.02), (10.2, 55.0)]
    ring = [(10.0, 55.0), (10.1, 55.0), (10.1, 55.1), (10.0, 55.1), (10.0, 55.0)]
    assert dp(ring, 50.0) == ring  # a closed arc keeps its corners


# ---- the chart ----------------------------------------------------------------------------------


def test_each_municipality_is_drawn_in_its_colour_and_says_its_figures_when_pointed_at(topology):
    """Drawn by vl-convert: the row's colour, grey where there is no row, and the row's text as
    the shape's <title> (a tooltip without JavaScript), with its Danish numbers intact."""
    said = "Varde, oktober 2026\n81,0 % · Over lovens krav på 75 %\n1.234 personer"
    rows = [
        {"kode": 573, "farve": "#17662f", "tekst": said},
        {"kode": 101, "farve": "#c99700", "tekst": "København, oktober 2026\n– · Ingen tal"},
    ]
    spec = map_charts.map_spec(topology, rows, 480, interactive=False, insets=True)
    svg = draw.render(("svg", json.dumps(spec))).decode("utf-8")
    fills = re.findall(r'fill="(#[0-9a-f]{6})"', svg)
    assert fills.count("#17662f") == 1  # Varde
    assert fills.count("#c99700") == 2  # København, on the country and in its box
    assert fills.count(map_charts.NO_DATA_COLOUR) >= 96  # the rest, Bornholm in its box too
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert titles.count(said.replace("\n", "&#xA;")) == 1
    assert "København, oktober 2026&#xA;– · Ingen tal" in titles
    assert "Bornholm: Ingen tal" in titles  # a municipality without a row
    assert len(titles) == 97 + 20 + 1  # the country but Bornholm, the capital area, Bornholm
    assert "aria-label" not in svg.replace("<svg aria-label", "")


def group() -> TargetGroup:
    return TargetGroup("dagpenge", "Dagpengemodtagere", "Dagpenge", "dagpengemodtagere", "")


def test_summary_names_the_lowest_and_highest_and_the_counts_every_page_shows():
    counted = "1 af 2 kommuner under reglen denne måned; 0 på listen"
    text = maps.summary_sentence(
        group(), "2026-10", [("Åbenrå", 38.5), ("Fanø", 100.0), ("Aarhus", None)], counted
    )
    assert text == (
        "I oktober 2026 lå andelen af dagpengemodtagere, der fik de krævede samtaler, mellem "
        "38,5 % i Åbenrå og 100,0 % i Fanø. 2 af 3 kommuner har tal; 1 af 2 kommuner under "
        "reglen denne måned; 0 på listen."
    )
    # ties go to the first name in Danish order (aa is å, after æ)
    tie = maps.summary_sentence(
        group(), "2026-10", [("Aabenraa", 50.0), ("Ærø", 50.0), ("Vejle", 90.0)], ""
    )
    assert "mellem 50,0 % i Ærø og 90,0 % i Vejle" in tie
    same = maps.summary_sentence(group(), "2026-10", [("Aabenraa", 50.0), ("Ærø", 50.0)], "")
    assert "krævede samtaler, 50,0 % i alle kommuner med tal. 2 af 2" in same
    one = maps.summary_sentence(group(), "2026-10", [("Ærø", 50.0), ("Vejle", None)], "")
    assert one.startswith(
        "I oktober 2026 var andelen af dagpengemodtagere, der fik de krævede samtaler, "
        "50,0 % i Ærø. 1 af 2 kommuner har tal"
    )
    assert maps.summary_sentence(group(), "2026-10", [("Varde", None)], "") == (
        "Der er ingen tal for dagpengemodtagere i oktober 2026."
    )


# ---- the colours of a month ---------------------------------------------------------------------


def test_a_month_with_a_line_is_coloured_around_it_in_the_cards_colours(registry):
    dagpenge = registry.target_group("dagpenge")
    key = maps.map_key(dagpenge, "2026-10", [70.0, 90.0, None], True)
    assert key.bins.labels == ("Under 75 %", "75,0–79,9 %", "80,0 % og derover")
    assert key.bins.colours[0] == status.COLOURS[status.BELOW]
    assert key.bins.colours[-1] == status.COLOURS[status.OK]
    assert key.note == "Farverne viser andelen i forhold til lovens krav på 75 %."
    # STAR's line before the reform: the month's own line
    assert maps.map_key(dagpenge, "2026-06", [], True).bins.breaks == (80.0, 85.0)
    expected = maps.map_key(dagpenge, "2027-01", [], True)  # announced, not in force
    assert expected.note == "Farverne viser andelen i forhold til den forventede grænse på 75 %."
    legend = maps.legend_entries(key)
    assert [(e.label, e.kind) for e in legend][-1] == ("Ingen tal", "bar")


def test_a_month_without_a_line_is_coloured_by_its_quantiles(registry):
    dagpenge = registry.target_group("dagpenge")  # no line before 2020
    shares = [40.0, 50.0, 60.0, 70.0, 80.0, None]
    key = maps.map_key(dagpenge, "2019-06", shares, True)
    assert key.bins == map_charts.quantile_bins(shares)
    assert key.note == (
        "Farverne deler kommunerne med tal i fem grupper med omtrent lige mange i hver. "
        "Højere er bedre: jo mørkere, jo højere andel."
    )
    assert maps.map_key(dagpenge, "2019-06", [None], True).note == ""


def test_passivity_is_coloured_by_its_quantiles_darkest_where_lowest(registry):
    view = registry.for_indicator("passivandel")
    g = view.target_groups[0]
    shares = [8.0, 12.0, 20.0, 35.0, 70.0]
    key = maps.map_key(g, "2026-10", shares, view.indicator.higher_is_better)
    assert key.bins.colour(8.0) == map_charts.SEQUENTIAL[-1]
    assert key.bins.colour(70.0) == map_charts.SEQUENTIAL[0]
    assert "Lavere er bedre: jo mørkere, jo lavere andel." in key.note
    text = maps.caption(g, "2026-10", view.indicator.got, key)
    assert text.startswith(f"Andel af {g.noun}, der {view.indicator.got}, i hver kommune.")
    assert text.endswith(key.note)


def test_a_month_without_a_rule_is_coloured_by_its_quantiles_and_says_so(registry):
    offer = registry.for_indicator("tilbud").target_group("dagpenge")  # its rules end with 2026
    key = maps.map_key(offer, "2027-02", [50.0, 60.0], True)
    assert key.bins.labels == ("50,0 %", "60,0 %")
    assert maps.caption(offer, "2027-02", "fik et tilbud", key).endswith(
        "Ingen kendt regel for februar 2027, så tallene vurderes ikke."
    )


def test_the_status_colours_are_those_of_the_cards_stylesheet():
    css = (PACKAGE / "assets" / "style.css").read_text(encoding="utf-8")
    declared = dict(re.findall(r"--(flag|warn|ok):\s*(#[0-9a-f]{6});", css))
    assert {
        status.ON_LIST: declared["flag"],
        status.BELOW: declared["warn"],
        status.OK: declared["ok"],
    } == status.COLOURS


def test_a_municipality_says_its_month_share_status_and_persons():
    said = "Over lovens krav på 75 %"
    assert maps.tooltip_text("Varde", "2026-06", 81.04, said, 1234) == (
        "Varde, juni 2026\n81,0 % · Over lovens krav på 75 %\n1.234 personer"
    )
    reason = "Kommunen har ikke indberettet tal for måneden."
    assert maps.tooltip_text("Læsø", "2026-06", None, reason, None) == f"Læsø, juni 2026\n{reason}"
    assert maps.tooltip_text("Fanø", "2026-06", 50.0, "x", 1).endswith("\n1 person")


# ---- the pages under kort/ ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["kort/index.html", "kort/dagpenge/index.html"])
def test_map_page_works_without_javascript(site: Path, path: str, site_registry):
    html = soup(site / path)
    assert html.html["lang"] == "da"
    assert len(html.find_all("h1")) == 1
    headings = [int(h.name[1]) for h in html.find("main").find_all(re.compile(r"^h[1-6]$"))]
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False))  # in order
    figure = html.select_one("figure.chart")
    svg = figure.select_one(".chart-canvas svg")
    assert svg["role"] == "img"
    summary = html.select_one("p.map-summary").get_text(strip=True)
    assert svg["aria-label"] == summary
    # the fixture: four municipalities with dagpenge in March 2020, Læsø's figure suppressed
    shares = {
        r["municipality"]: float(r["share_pct"])
        for r in fixture_rows()
        if r["period"] == "2020-03" and r["target_group"] == "dagpenge" and r["share_pct"]
    }
    low, high = min(shares, key=shares.get), max(shares, key=shares.get)
    key_figures = soup(site / "maalgruppe/dagpenge/index.html").select_one("dl.key-figures")
    figures = {
        dt.get_text(" ", strip=True): dt.find_next("dd").get_text() for dt in key_figures("dt")
    }
    below = figures["Under STAR's grænse på 80 % denne måned"].split()[0]  # the same count
    listed = next(v for k, v in figures.items() if k.startswith("På listen"))
    assert summary == (
        "I marts 2020 lå andelen af dagpengemodtagere, der fik de krævede samtaler, mellem "
        f"{danish_pct(shares[low])} i {low} og {danish_pct(shares[high])} i {high}. "
        f"3 af {len(site_registry.municipalities)} kommuner har tal; "
        f"{below} af 3 kommuner under reglen denne måned; {listed} på listen."
    )
    # the colours around the month's line (STAR's 80 %), said by the page, not the picture
    legend = [li.get_text(strip=True) for li in figure.select(".chart-legend li")]
    assert legend == ["Under 80 %", "80,0–84,9 %", "85,0 % og derover", "Ingen tal"]
    assert "i forhold til STAR's grænse på 80 %" in figure.select_one(".chart-summary").get_text()
    assert "Hovedstadsområdet" in str(svg) and "Bornholm" in str(svg)
    # each municipality says its figures when pointed at: the same status as its card
    titles = {t.get_text().split(",")[0]: t.get_text().split("\n") for t in svg("title")}
    card = soup(site / "kommune/varde/index.html").select_one("article.group-card .status")
    assert titles["Varde"] == [
        "Varde, marts 2020",
        f"{danish_pct(shares['Varde'])} · {card.get_text(' ', strip=True).lstrip('!✓▼· ')}",
        "87 personer",
    ]
    assert titles["Læsø"] == [  # 2 persons, the share hidden by STAR
        "Læsø, marts 2020",
        "Tallet er skjult af STAR, fordi der er for få personer til at offentliggøre det.",
        "2 personer",
    ]
    assert html.select_one("form.map-find").has_attr("hidden")  # kort.js shows it
    # every municipality in the table, with its share or "–"
    table = figure.select_one("table")
    rows = {tr.th.get_text(strip=True): tr.td.get_text(strip=True) for tr in table.tbody("tr")}
    assert set(rows) == {m.name for m in site_registry.municipalities}
    assert rows["Varde"].endswith(" %") and rows["Aalborg"] == "–"
    assert list(rows)[-3:] == ["Ærø", "Aalborg", "Aarhus"]  # Danish order: aa is å, after æ
    link = figure.select_one("p.chart-links a[href$='dagpenge.xlsx']")
    assert link["href"] == "/data/maalgruppe/dagpenge.xlsx"
    assert (site / "data/maalgruppe/dagpenge.xlsx").is_file()
    # the month slider is there for the script to show, hidden without it
    controls = html.select_one(".map-controls")
    assert controls.has_attr("hidden")
    assert controls["data-values"] == "/kort/dagpenge/andele.json"
    assert "Geodatastyrelsen" in html.find("main").get_text()
    groups = html.select("nav.map-groups a")
    assert len(groups) == 8 and [a for a in groups if a.has_attr("aria-current")]


def test_every_target_group_has_a_map_page(site: Path, site_registry):
    for g in site_registry.target_groups:
        html = soup(site / "kort" / g.id / "index.html")
        assert html.h1.get_text(strip=True).replace("\xad", "") == f"Kort: {g.name}"


def test_map_data_files_for_the_slider_and_the_interactive_map(site: Path, site_registry):
    values = json.loads((site / "kort/dagpenge/andele.json").read_text(encoding="utf-8"))
    assert values["months"][0] == "2017-12" and values["months"][-1] == "2020-03"
    assert values["labels"][-1] == "marts 2020"
    assert len(values["counts"]) == len(values["months"])
    assert values["counts"][0] == ""  # December 2017: no line before 2020, nothing judged
    assert len(values["kommuner"]) == len(site_registry.municipalities)
    varde = next(k for k in values["kommuner"] if k["navn"] == "Varde")
    assert len(varde["andele"]) == len(values["months"]) and varde["andele"][-1] is not None
    aalborg = next(k for k in values["kommuner"] if k["navn"] == "Aalborg")
    assert set(aalborg["andele"]) == {None}  # missing stays missing, never 0

    figure = soup(site / "kort/dagpenge/index.html").select_one("figure.chart")
    spec = json.loads((site / figure["data-spec"].lstrip("/")).read_text(encoding="utf-8"))
    assert spec["data"]["url"] == "/kort/kommuner.topojson"
    assert (site / "kort/kommuner.topojson").is_file()
    rows = {r["kode"]: r for r in spec["datasets"]["andele"]}
    assert rows[573]["href"] == "/kommune/varde/" and rows[573]["maaned"] == "marts 2020"
    assert rows[851]["andel"] == "–" and rows[851]["farve"] == map_charts.NO_DATA_COLOUR
    assert "tooltip" in json.dumps(spec)
    # what the slider draws another month from: its legend, and each municipality's class in
    # it, status and persons
    first = values["legends"][values["legend"][0]]
    # no line before 2020: quantiles
    assert values["captions"][first["caption"]].endswith("jo mørkere, jo højere andel.")
    last = values["legends"][values["legend"][-1]]
    assert [label for label, _ in last["items"]] == [
        "Under 80 %",
        "80,0–84,9 %",
        "85,0 % og derover",
        "Ingen tal",
    ]
    assert values["captions"][last["caption"]] == figure.select_one(".chart-summary").get_text()
    assert values["statuses"][varde["status"][-1]] == rows[573]["status"]
    assert last["items"][varde["klasse"][-1]][1] == rows[573]["farve"]
    assert varde["personer"][-1] == 87
    assert set(aalborg["klasse"]) == {None}  # "Ingen tal": the legend's last item
    assert (site / "assets/kort.js").is_file()


def maps_drawn(job: tuple[str, str]) -> bytes:
    """Draw the maps with vl-convert, and every other picture with the stand-in."""
    kind, spec = job
    if kind == "svg" and '"geoshape"' in spec:
        return draw.render(job)
    return stand_in.render(job)


@pytest.fixture(scope="module")
def full_map_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture built with all 98 municipalities of samtaletjek/reference, its maps
    drawn: the weight of the map page is that of the real site."""
    root = tmp_path_factory.mktemp("full-map-site")
    renderer = Renderer(maps_drawn, f"{draw.VERSION}, maps only")
    reference = Settings().reference_dir
    return build_site(SMALL, root / "output", root / "cache", renderer, reference_dir=reference)


def test_map_page_weight(full_map_site: Path):
    """The page of the map is measured: the inline SVG is most of it."""
    page = (full_map_site / "kort/index.html").read_bytes()
    svg = re.search(rb"<svg role=\"img\".*?</svg>", page, re.S).group(0)
    assert page.count(b"<path") > 98  # drawn: a path per municipality, and the insets
    print(
        f"kort/index.html: {len(page) / 1024:.1f} KB, {len(gzip.compress(page)) / 1024:.1f} KB "
        f"gzipped; the map's SVG {len(svg) / 1024:.1f} KB"
    )
    assert len(page) < 120_000
    assert len(gzip.compress(page)) < 35_000


def test_overview_map_is_a_small_chart_of_the_headline_group(registry):
    from samtaletjek.build import load_data, options
    from samtaletjek.domain.metrics import compute

    settings = Settings(data_dir=SMALL)
    frame = load_data(settings, registry).frame
    metrics = compute(frame, registry, 10)
    chart = maps.overview_map(
        metrics, registry, options(settings), load_topology(settings.reference_dir)
    )
    assert chart.id == "kort-overblik" and chart.browser.spec_path == "kort/overblik.vl.json"
    assert chart.title == "Dagpengemodtagere, marts 2020"
    assert chart.summary.startswith("I marts 2020 lå andelen af dagpengemodtagere")
    assert chart.static_spec["vconcat"][0]["width"] == maps.SMALL_WIDTH
    assert [e.label for e in chart.legend] == [
        "Under 80 %",
        "80,0–84,9 %",
        "85,0 % og derover",
        "Ingen tal",
    ]
    # a small map that leads on: a click or a tap goes to the municipality (no kort.js here)
    assert "href" in json.dumps(chart.browser.spec)
    assert chart.static_spec["data"]["values"]["type"] == "Topology"
    assert chart.browser.spec["data"]["url"] == "/kort/kommuner.topojson"
    assert "data/maalgruppe/dagpenge.xlsx" in [link.href for link in chart.data_links]
