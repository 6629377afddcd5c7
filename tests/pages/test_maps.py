"""The map: the simplified boundaries, the chart's Vega-Lite dict and the pages under kort/."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import stand_in
import vl_convert as vlc
from conftest import SMALL, build_site, soup

from samtaletjek.charts import maps as map_charts
from samtaletjek.domain.registry import TargetGroup
from samtaletjek.pages import maps
from samtaletjek.publish import draw
from samtaletjek.publish.pictures import Renderer
from samtaletjek.settings import PROJECT_ROOT, Settings
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
    path = PROJECT_ROOT / "tools" / "simplify_boundaries.py"
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


def values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": [101, 147, 400],
            "share": [45.3, 80.0, None],
            "href": ["/kommune/koebenhavn/", "/kommune/frederiksberg/", "/kommune/bornholm/"],
        }
    )


def test_static_map_looks_up_the_share_and_colours_it_in_classes(topology):
    spec = map_charts.choropleth(map_charts.geo_data(topology, True), values()).to_dict()
    assert spec["data"]["format"] == {"type": "topojson", "feature": "kommuner"}
    views = units(spec)
    assert len(views) == 3  # the country, Bornholm and the capital area
    for view in views:
        lookup = view["transform"][0]
        assert lookup["lookup"] == "properties.kode"
        assert lookup["from"]["key"] == "kode" and lookup["from"]["fields"] == ["share"]
        colour = view["encoding"]["color"]
        assert colour["field"] == "klasse"
        assert colour["scale"]["domain"] == [*map_charts.CLASSES, "Ingen tal"]
        assert colour["scale"]["range"] == [*map_charts.COLOURS, map_charts.NO_DATA_COLOUR]
        assert colour["legend"]["title"] == "Andel (%)"
        assert "tooltip" not in view["encoding"] and "href" not in view["encoding"]
    assert all(v["projection"]["type"] == "transverseMercator" for v in views)


def test_interactive_map_has_a_danish_tooltip_and_links_to_the_municipality(topology):
    spec = map_charts.choropleth(
        map_charts.geo_data("/kort/kommuner.topojson", False), values(), interactive=True
    ).to_dict()
    assert spec["data"]["url"] == "/kort/kommuner.topojson"
    for view in units(spec):
        assert view["transform"][0]["from"]["fields"] == ["share", "href"]
        tooltip = view["encoding"]["tooltip"]
        assert [(t["field"], t["title"]) for t in tooltip] == [
            ("properties.navn", "Kommune"),
            ("andel", "Andel"),
        ]
        assert view["encoding"]["href"]["field"] == "href"


def test_the_small_map_can_leave_out_the_insets(topology):
    spec = map_charts.choropleth(
        map_charts.geo_data(topology, True), values(), width=300, insets=False
    ).to_dict()
    assert spec["mark"]["type"] == "geoshape" and spec["width"] == 300
    assert spec["encoding"]["color"]["legend"]["columns"] == 3  # fits a phone's width


def test_classes_and_missing_figures_get_their_colours_when_drawn(topology):
    shares = {101: 49.9, 147: 50.0, 155: 100.0, 157: 80.0, 400: None}
    data = pd.DataFrame({"kode": list(shares), "share": list(shares.values())})
    svg = vlc.vegalite_to_svg(
        map_charts.choropleth(map_charts.geo_data(topology, True), data, insets=False).to_dict()
    )
    fills = re.findall(r'fill="(#[0-9a-f]{6})"', svg)
    for colour in ("#440154", "#414487", "#fde725", "#7ad151"):  # <50, 50–60, 90–100, 80–90
        assert colour in fills
    # Bornholm and the 93 municipalities missing from `data` are grey
    assert fills.count(map_charts.NO_DATA_COLOUR) >= 94


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
    assert "Andel (%)" in str(svg) and "Ingen tal" in str(svg) and "Hovedstadsområdet" in str(svg)
    # every municipality in the table, with its share or "–"
    table = figure.select_one("table")
    rows = {tr.th.get_text(strip=True): tr.td.get_text(strip=True) for tr in table.tbody("tr")}
    assert set(rows) == {m.name for m in site_registry.municipalities}
    assert rows["Varde"].endswith(" %") and rows["Aalborg"] == "–"
    assert list(rows)[-3:] == ["Ærø", "Aalborg", "Aarhus"]  # Danish order: aa is å, after æ
    link = figure.select_one("p.chart-links a[href$='dagpenge.csv']")
    assert link["href"] == "/data/maalgruppe/dagpenge.csv"
    assert (site / "data/maalgruppe/dagpenge.csv").is_file()
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
    assert rows[573]["href"] == "/kommune/varde/" and rows[851]["share"] is None
    assert "tooltip" in json.dumps(spec)
    assert (site / "assets/kort.js").is_file()


def maps_drawn(job: tuple[str, str]) -> bytes:
    """Draw the maps with vl-convert, and every other picture with the stand-in."""
    kind, spec = job
    if kind == "svg" and '"geoshape"' in spec:
        return draw.render(job)
    return stand_in.render(job)


@pytest.fixture(scope="module")
def full_map_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture built with all 98 municipalities of site_data/reference, its maps
    drawn: the weight of the map page is that of the real site."""
    root = tmp_path_factory.mktemp("full-map-site")
    renderer = Renderer(maps_drawn, f"{draw.VERSION}, maps only")
    reference = Settings().reference_dir
    return build_site(SMALL, root / "output", root / "cache", renderer, reference_dir=reference)


def test_map_page_weight(full_map_site: Path):
    """The page of the map is measured: the inline SVG is most of it."""
    page = (full_map_site / "kort/index.html").read_bytes()
    svg = re.search(rb"<svg.*?</svg>", page, re.S).group(0)
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
    assert chart.static_spec["hconcat"][0]["width"] < maps.MAP_WIDTH * 0.68
    assert chart.static_spec["data"]["values"]["type"] == "Topology"
    assert chart.browser.spec["data"]["url"] == "/kort/kommuner.topojson"
    assert "data/maalgruppe/dagpenge.csv" in [link.href for link in chart.data_links]
