"""End to end: build the site from the small fixture and read it as a reader would."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

from conftest import SMALL, build_site, soup
from linkcheck import check_links


def fixture_rows() -> list[dict]:
    with (SMALL / "samtaler.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def weighted(rows: list[dict], group: str, period: str) -> float:
    """The national share computed independently of the code under test."""
    known = [
        r
        for r in rows
        if r["target_group"] == group and r["period"] == period and r["persons_meeting"]
    ]
    return (
        sum(int(r["persons_meeting"]) for r in known) / sum(int(r["persons"]) for r in known) * 100
    )


def danish_pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def test_every_page_exists(site: Path, registry):
    assert (site / "index.html").is_file()
    for m in registry.municipalities:
        assert (site / "kommune" / m.slug / "index.html").is_file(), m.slug
    for g in registry.target_groups:
        assert (site / "maalgruppe" / g.id / "index.html").is_file()
    for page in ("om", "metode", "baggrund", "kommune", "maalgruppe"):
        assert (site / page / "index.html").is_file()


def test_pages_are_danish_and_complete_without_javascript(site: Path):
    for path in [
        site / "index.html",
        site / "kommune/varde/index.html",
        site / "maalgruppe/dagpenge/index.html",
    ]:
        html = soup(path)
        assert html.html["lang"] == "da"
        assert len(html.find_all("h1")) == 1
        assert html.find("main", id="indhold")
        svgs = html.select("figure.chart svg")
        assert svgs, path
        for svg in svgs:
            assert svg["role"] == "img"
            assert len(svg["aria-label"]) > 40


def test_overview_ranks_all_98_with_weighted_national_share(site: Path, registry):
    html = soup(site / "index.html")
    rows = fixture_rows()
    national = danish_pct(weighted(rows, "dagpenge", "2020-03"))
    summary = html.find("section", attrs={"aria-labelledby": "maalgrupper-overblik"})
    first = summary.find("tbody").find("tr")
    assert first.th.get_text(strip=True) == "Dagpengemodtagere"
    assert national in [td.get_text(strip=True) for td in first.find_all("td")]

    table = html.find("table", id="rangliste-tabel")
    body_rows = table.find("tbody").find_all("tr")
    assert len(body_rows) == 98
    names = [r.th.a.get_text(strip=True) for r in body_rows]
    assert set(names) == {m.name for m in registry.municipalities}
    links = {r.th.a.get_text(strip=True): r.th.a["href"] for r in body_rows}
    assert links["Høje-Taastrup"] == "/kommune/hoeje-taastrup/"
    # ranked first, by share; municipalities without a figure show "–" and come last
    cells = [[c.get_text(" ", strip=True) for c in r.find_all(["td", "th"])] for r in body_rows]
    assert [c[1].rstrip(" *") for c in cells[:3]] == ["Gentofte", "København", "Varde"]
    assert cells[0][0] == "1"
    assert cells[-1][0] == "–" and cells[-1][2] == "–"


def test_frikommune_is_marked_and_explained(site: Path):
    html = soup(site / "index.html")
    gentofte = html.find("a", string="Gentofte").parent
    assert gentofte.find("a", class_="fri").get_text() == "*"
    assert "Frikommuneforsøg I" in html.find(id="note-frikommune").get_text()
    page = soup(site / "kommune/gentofte/index.html")
    assert "frikommune" in page.find("p", class_="callout").get_text()
    assert not soup(site / "kommune/varde/index.html").find("p", class_="callout")


def test_municipality_page_shows_share_next_to_region_and_country(site: Path):
    rows = fixture_rows()
    varde = next(
        r
        for r in rows
        if r["municipality"] == "Varde"
        and r["period"] == "2020-03"
        and r["target_group"] == "dagpenge"
    )
    html = soup(site / "kommune/varde/index.html")
    assert html.h1.get_text(strip=True) == "Varde"
    card = html.find("article", class_="group-card")
    assert card.h3.get_text(strip=True) == "Dagpengemodtagere"
    assert (
        card.find("p", class_="headline-figure")
        .get_text(" ", strip=True)
        .startswith(danish_pct(float(varde["share_pct"])))
    )
    facts = dict(
        zip(
            [dt.get_text(strip=True) for dt in card.find_all("dt")],
            [dd.get_text(strip=True) for dd in card.find_all("dd")],
            strict=True,
        )
    )
    assert facts["Hele landet"] == danish_pct(weighted(rows, "dagpenge", "2020-03"))
    assert facts["Regionen"] == danish_pct(
        float(varde["share_pct"])
    )  # Varde is alone in its region here
    assert facts["Placering"] == "nr. 3 af 3"
    assert re.fullmatch(
        r"[+−]\d+,\d pct\.-point", facts["Siden januar 2018†"]
    )  # † points to the rule-change note
    # a group without figures says so instead of showing 0
    empty = [
        c
        for c in html.find_all("article", class_="group-card")
        if "jobafklaring" in c.h3.get_text()
    ]
    assert empty[0].find("p", class_="headline-figure").get_text(strip=True) == "–"
    assert "Ingen tal" in empty[0].find("p", class_="missing").get_text()


def test_suppressed_figures_are_a_dash_with_a_reason(site: Path):
    html = soup(site / "kommune/laesoe/index.html")
    card = html.find("article", class_="group-card")
    assert card.find("p", class_="headline-figure").get_text(" ", strip=True).startswith("–")
    assert "diskretioneret" in card.find("p", class_="missing").get_text()


def test_chart_summary_is_a_factual_sentence_from_the_data(site: Path):
    rows = fixture_rows()
    html = soup(site / "kommune/varde/index.html")
    label = html.select_one("figure.chart svg")["aria-label"]
    varde = next(
        r
        for r in rows
        if r["municipality"] == "Varde"
        and r["period"] == "2020-03"
        and r["target_group"] == "dagpenge"
    )
    national = danish_pct(weighted(rows, "dagpenge", "2020-03"))
    assert (
        f"I marts 2020 fik {danish_pct(float(varde['share_pct']))} af 87 dagpengemodtagere i Varde "
        f"mindst 4 samtaler; landstallet var {national}."
    ) in label


def test_rule_change_is_marked_in_charts_and_notes(site: Path):
    html = soup(site / "kommune/varde/index.html")
    assert "januar 2020" in html.find(id="note-databrud").get_text()
    spec = json.loads((site / "kommune/varde/trend.vl.json").read_text(encoding="utf-8"))
    assert "Nye regler fra januar 2020" in json.dumps(spec, ensure_ascii=False)
    assert "Nye regler fra januar 2020" in str(html.select_one("figure.chart svg"))


def test_interactive_specs_and_vendored_bundle_are_published(site: Path):
    figure = soup(site / "kommune/varde/index.html").select_one("figure.chart")
    spec_path = site / figure["data-spec"].lstrip("/")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    assert "tooltip" in json.dumps(spec)
    assert (site / "assets/vendor/vega-embed.bundle.js").stat().st_size > 100_000
    assert (site / "assets/samtaletjek.js").is_file()


def test_no_request_leaves_the_site(site: Path):
    for page in site.rglob("*.html"):
        html = soup(page)
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in html.find_all(tag):
                if element.get(attribute) and "canonical" not in (element.get("rel") or []):
                    assert not re.match(r"^(https?:)?//", element[attribute]), (page, element)


def test_download_holds_exactly_the_canonical_rows(site: Path):
    published = (site / "data/samtaler.csv").read_text(encoding="utf-8").splitlines()
    source = (SMALL / "samtaler.csv").read_text(encoding="utf-8").splitlines()
    assert published[0] == source[0]
    assert sorted(published[1:]) == sorted(source[1:])


def test_no_broken_links_at_root(site: Path):
    broken, checked = check_links(site, "/")
    assert broken == []
    assert checked > 1000


def test_base_url_is_honoured_everywhere(tmp_path: Path, chart_cache: Path):
    out = build_site(SMALL, tmp_path / "output", chart_cache, base_url="/samtaletjek/")
    broken, _ = check_links(out, "/samtaletjek/")
    assert broken == []
    html = soup(out / "index.html")
    assert html.find("link", rel="stylesheet")["href"] == "/samtaletjek/assets/style.css"
    assert html.select_one("figure.chart")["data-spec"].startswith("/samtaletjek/")


def test_demo_data_carries_the_banner_on_every_page(tmp_path: Path, chart_cache: Path, site: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    (data / "manifest.json").write_text(json.dumps({**manifest, "demo": True}), encoding="utf-8")
    out = build_site(data, tmp_path / "output", chart_cache)
    pages = list(out.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        assert "Eksempeldata – ikke officielle tal" in soup(page).get_text(), page
    for page in site.rglob("*.html"):  # real figures carry no banner
        assert soup(page).find(class_="demo-banner") is None, page


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path, site: Path):
    # A fresh chart cache, so every chart is rendered again rather than read back.
    again = build_site(SMALL, tmp_path / "output", tmp_path / "cache")
    assert digest(again) == digest(site)


def test_excel_download_has_danish_headers_and_every_row(site: Path):
    from openpyxl import load_workbook

    workbook = load_workbook(site / "data/samtaler.xlsx", read_only=True)
    rows = list(workbook["Samtaler"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Måned", "Kommunekode", "Kommune")
    assert len(rows) - 1 == len(fixture_rows())
    laesoe = next(r for r in rows if r[2] == "Læsø" and r[3] == "dagpenge")
    assert laesoe[5] is None  # suppressed stays empty, not 0
    assert "Om tallene" in workbook.sheetnames


def test_every_download_column_is_documented(site: Path):
    readme = (site / "data/README.md").read_text(encoding="utf-8")
    header = (site / "data/samtaler.csv").read_text(encoding="utf-8").splitlines()[0]
    for column in header.split(","):
        assert f"`{column}`" in readme
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields == header.split(",")


def test_every_chart_has_a_data_link_and_a_table_or_page_table(site: Path):
    for page in ["index.html", "kommune/varde/index.html", "maalgruppe/dagpenge/index.html"]:
        html = soup(site / page)
        for figure in html.select("figure.chart"):
            assert figure.select("p.chart-links a[href$='.csv']"), (page, figure["id"])
            has_table = figure.find("table") is not None and figure.find("caption") is not None
            assert has_table or html.find("table", id="rangliste-tabel"), (page, figure["id"])
    table = soup(site / "kommune/varde/index.html").select_one("figure.chart table")
    months = [tr.th.get_text() for tr in table.tbody.find_all("tr")]
    assert months == ["januar 2018", "januar 2019", "januar 2020", "marts 2020"]


def test_github_pages_files(tmp_path: Path, chart_cache: Path):
    out = build_site(
        SMALL, tmp_path / "output", chart_cache, base_url="/samtaletjek/", site_url="https://x.dk"
    )
    assert (out / ".nojekyll").exists()
    assert (out / "assets/favicon.svg").exists()
    assert "Sitemap: https://x.dk/samtaletjek/sitemap.xml" in (out / "robots.txt").read_text()
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in sitemap.iter(f"{namespace}loc")]
    assert "https://x.dk/samtaletjek/kommune/varde/" in locs
    for loc in locs:
        path = loc.removeprefix("https://x.dk/samtaletjek/")
        assert (out / path / "index.html").is_file() or (out / path).is_file(), loc
    page = soup(out / "kommune/varde/index.html")
    assert page.find("link", rel="canonical")["href"] == "https://x.dk/samtaletjek/kommune/varde/"
    assert (
        page.find("meta", property="og:url")["content"] == "https://x.dk/samtaletjek/kommune/varde/"
    )
    not_found = soup(out / "404.html")
    assert not_found.find("a", string="Gå til overblikket")["href"] == "/samtaletjek/"
    broken, _ = check_links(out, "/samtaletjek/")
    assert broken == []
