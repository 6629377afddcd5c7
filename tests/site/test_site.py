"""End to end: build the site from the small fixture and read it as a reader would."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from conftest import SMALL, build_site, soup
from linkcheck import check_links
from stand_in import STAND_IN


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


def test_every_page_exists(site: Path, site_registry):
    assert (site / "index.html").is_file()
    for m in site_registry.municipalities:
        assert (site / "kommune" / m.slug / "index.html").is_file(), m.slug
    assert len(list((site / "kommune").glob("*/index.html"))) == len(site_registry.municipalities)
    for g in site_registry.target_groups:
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
        svgs = html.select("figure.chart .chart-canvas svg")
        assert svgs, path
        for svg in svgs:  # its own text alternative, or a part of a grid that has one
            named = svg if svg.get("role") == "img" else svg.find_parent(class_="chart-panels")
            assert svg.get("role") == "img" or svg["aria-hidden"] == "true"
            assert named["role"] == "img"
            assert len(named["aria-label"]) > 40


def test_overview_ranks_every_municipality_with_weighted_national_share(site: Path, site_registry):
    html = soup(site / "index.html")
    rows = fixture_rows()
    national = danish_pct(weighted(rows, "dagpenge", "2020-03"))
    summary = html.find("section", attrs={"aria-labelledby": "maalgrupper-overblik"})
    first = summary.find("tbody").find("tr")
    assert first.th.get_text(strip=True).replace("\xad", "") == "Dagpengemodtagere"
    assert national in [td.get_text(strip=True) for td in first.find_all("td")]

    table = html.find("table", id="rangliste-tabel")
    body_rows = table.find("tbody").find_all("tr")
    assert len(body_rows) == len(site_registry.municipalities)
    names = [r.th.a.get_text(strip=True) for r in body_rows]
    assert set(names) == {m.name for m in site_registry.municipalities}
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
    family = html.find("section", class_="group-family")
    assert family.h3.get_text(strip=True).replace("\xad", "") == "Dagpengemodtagere"
    card = family.find("article", class_="group-card")
    assert card.h4.get_text(strip=True) == "Samtaler"
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
    # One change: March 2019 → March 2020 would cross the rules of January 2020, so it is
    # measured from January 2020, and the note beside it says why.
    january = next(
        r
        for r in rows
        if r["municipality"] == "Varde"
        and r["period"] == "2020-01"
        and r["target_group"] == "dagpenge"
    )
    change = round(float(varde["share_pct"]) - float(january["share_pct"]), 1)
    figure = f"{'+' if change > 0 else '−' if change < 0 else ''}{abs(change):.1f}".replace(
        ".", ","
    )
    trend = card.select_one("p.trend")
    assert f"{figure} procentpoint siden januar 2020" in trend.get_text(" ", strip=True)
    assert (
        trend.select_one(".change-note")
        .get_text(strip=True)
        .startswith("Regnet fra regelændringen i januar 2020")
    )
    assert not any(dt.startswith(("Siden", "Seneste 12")) for dt in facts)  # no other change
    status = card.select_one("p.status").get_text(" ", strip=True)
    assert status.startswith(("✓ Over grænsen på 80 %", "! Under 80 %", "▼ Under STAR's grænse"))
    # a group without figures says so instead of showing 0
    empty = [
        c
        for f in html.find_all("section", class_="group-family")
        if "jobafklaring" in f.h3.get_text()
        for c in f.find_all("article", class_="group-card")
    ]
    assert empty[0].find("p", class_="headline-figure").get_text(strip=True) == "–"
    assert "Ingen tal" in empty[0].find("p", class_="missing").get_text()


def test_suppressed_figures_are_a_dash_with_a_reason(site: Path):
    html = soup(site / "kommune/laesoe/index.html")
    card = html.find("article", class_="group-card")
    assert card.find("p", class_="headline-figure").get_text(" ", strip=True).startswith("–")
    assert (
        "skjult af STAR, fordi der er for få personer"
        in card.find("p", class_="missing").get_text()
    )


def test_chart_summary_is_a_factual_sentence_from_the_data(site: Path):
    rows = fixture_rows()
    html = soup(site / "kommune/varde/index.html")
    label = html.select_one("figure.chart .chart-canvas [role=img]")["aria-label"]
    varde = next(
        r
        for r in rows
        if r["municipality"] == "Varde"
        and r["period"] == "2020-03"
        and r["target_group"] == "dagpenge"
    )
    national = danish_pct(weighted(rows, "dagpenge", "2020-03"))
    assert (
        f"I marts 2020 fik {danish_pct(float(varde['share_pct']))} af de 87 dagpengemodtagere "
        f"i Varde mindst 4 samtaler; landstallet var {national}."
    ) in label


def test_rule_change_is_marked_in_charts_and_notes(site: Path):
    html = soup(site / "kommune/varde/index.html")
    notes = html.find(id="noter")
    beside = html.select_one("article.group-card p.trend .change-note").get_text()
    assert "Regnet fra regelændringen i januar 2020" in beside  # next to the figure it qualifies
    assert not html.select("a.note-mark")  # no footnote marks left to chase
    assert "STAR's grænse: " in notes.get_text()  # the rule the months are held against
    rows = json.loads((site / "kommune/varde/tal.json").read_text(encoding="utf-8"))["trend"]
    breaks = [r for r in rows if r.get("part") == "brud"]
    # the fixture spans December 2017 – March 2020: one break per panel, labelled once
    assert len(breaks) == 8 and [b["label"] for b in breaks if b["label"]] == ["Regler 2020"]
    limits = {r["share"] for r in rows if r.get("part") == "grænse"}
    assert limits == {80.0}
    assert "Regler 2020" in str(html.select_one("figure.chart .chart-canvas svg"))


def test_interactive_specs_and_vendored_bundle_are_published(site: Path):
    figure = soup(site / "kommune/varde/index.html").select_one("figure.chart")
    spec_path = site / figure["data-spec"].lstrip("/")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    assert "tooltip" in json.dumps(spec)
    # every municipality's small multiples share one spec; each page's figures are its own file
    other = soup(site / "kommune/laesoe/index.html").select_one("figure.chart")
    assert other["data-spec"] == figure["data-spec"] == "/diagrammer/udviklingsfelt.vl.json"
    assert spec["data"] == {"name": "trend"} and "datasets" not in spec  # filled by the page
    values = json.loads((site / figure["data-values"].lstrip("/")).read_text(encoding="utf-8"))
    series = [r for r in values["trend"] if "i" in r]  # a row of arrays per panel and series
    assert {"Dagpenge", "Sygedagpenge"} <= {r["panel"] for r in series if r["series"] == "Varde"}
    assert all(len(r["i"]) == len(r["share"]) == len(r["persons"]) for r in series)
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
    # the fixture has no indicator column: its rows are samtaler, and the download says so;
    # no count in it is worked out from a share, so `derived` is empty on every row
    # (no activation degree); `source` names where the figures come from
    assert published[0] == source[0] + ",indicator,derived,activation_degree,source"
    assert sorted(published[1:]) == sorted(
        f"{row},samtaler,,,Testdata til Samtaletjeks tests" for row in source[1:]
    )


def test_no_broken_links_at_root(site: Path):
    broken, checked = check_links(site, "/")
    assert broken == []
    assert checked > 1000


def test_base_url_is_honoured_everywhere(pages_site: Path):
    broken, _ = check_links(pages_site, "/samtaletjek/")
    assert broken == []
    html = soup(pages_site / "index.html")
    assert html.find("link", rel="stylesheet")["href"] == "/samtaletjek/assets/style.css"
    assert html.select_one("figure.chart")["data-spec"].startswith("/samtaletjek/")


def test_demo_data_carries_the_banner_on_every_page(tmp_path: Path, site: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    (data / "manifest.json").write_text(json.dumps({**manifest, "demo": True}), encoding="utf-8")
    out = build_site(data, tmp_path / "output", tmp_path / "cache", STAND_IN)
    pages = list(out.rglob("*.html"))
    labelled = 0
    for page in pages:
        html = soup(page)
        if html.select('[data-origin="demo"]'):  # every page showing figures
            labelled += 1
            assert "Eksempeldata – ikke officielle tal" in html.get_text(), page
        else:  # the pages of words alone: the method, the background, 404
            assert not html.select("[data-origin]") and not html.select(".group-card"), page
    assert labelled > 100
    for page in site.rglob("*.html"):  # real figures carry no banner
        assert soup(page).find(class_="demo-banner") is None, page


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_drawn_charts_carry_no_numbered_ids(site: Path):
    """Same input, same bytes, whichever worker draws a chart: vl-convert numbers the ids it
    makes (clip paths, gradients) per process, so a drawn SVG with an id would depend on what
    its worker drew before. (The pages themselves are held to tests/golden; each picture is
    drawn the same every time: tests/publish/test_pictures.py.)"""
    for page in site.rglob("*.html"):
        for svg in re.findall(r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.S):
            assert not re.search(r'\bid="', svg.split(">", 1)[1]), (page, svg[:200])


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


def test_github_pages_files(pages_site: Path):
    out = pages_site
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


def test_releases_page_and_atom_feeds(tmp_path: Path):
    from samtaletjek.domain.dataset import Release, Revision
    from samtaletjek.store.releases import releases_json

    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    revision = Revision("2020-02", 573, "dagpenge", "persons_meeting", "40", "41")
    (data / "releases.json").write_text(
        releases_json(
            [
                Release("2020-03-02-1", "2020-03-02", "Test", ("2020-01", "2020-02"), 16, 0),
                Release(
                    "2020-04-02-1",
                    "2020-04-02",
                    "Test",
                    ("2020-02", "2020-03"),
                    8,
                    1,
                    (),
                    (revision,),
                ),
            ],
        ),
        encoding="utf-8",
    )
    out = build_site(data, tmp_path / "output", tmp_path / "cache", STAND_IN)
    news = soup(out / "nyt/index.html")
    articles = news.find_all("article", class_="release")
    assert [a.h2.get_text() for a in articles] == ["Tal for marts 2020", "Tal for februar 2020"]
    newest = articles[0]
    assert newest.find("time")["datetime"] == "2020-04-02"
    summary = newest.find("strong").get_text()
    assert (
        summary.startswith("Tal for marts 2020: ")
        and "3 af 3 kommuner under STAR's grænse på 80 % for dagpengemodtagere" in summary
        and summary.endswith("; 0 på listen.")
    )
    cells = [td.get_text(strip=True) for td in newest.find("tbody").find_all(["td", "th"])]
    assert cells == [
        "Varde",
        "februar 2020",
        "Dagpengemodtagere",
        "Personer med de krævede samtaler",
        "40",
        "41",
    ]

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(out / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}id").text for e in entries] == [
        "urn:samtaletjek:release:2020-04-02-1",
        "urn:samtaletjek:release:2020-03-02-1",
    ]
    assert feed.find(f"{atom}updated").text == "2020-04-02T00:00:00Z"
    for element in (feed, *entries):
        for required in ("id", "title", "updated"):
            assert element.find(f"{atom}{required}") is not None
    varde = ElementTree.parse(out / "kommune/varde/feed.xml").getroot()
    titles = [e.find(f"{atom}title").text for e in varde.findall(f"{atom}entry")]
    assert titles == ["Varde: tal for marts 2020", "Varde: tal for februar 2020"]
    page = soup(out / "kommune/varde/index.html")
    assert page.find("link", type="application/atom+xml", href="/kommune/varde/feed.xml")
    # a municipality without figures has a valid, empty feed
    empty = ElementTree.parse(out / "kommune/aarhus/feed.xml").getroot()
    assert empty.findall(f"{atom}entry") == []


def test_peers_by_size_and_region_on_the_municipality_page(site: Path):
    html = soup(site / "kommune/varde/index.html")
    section = html.find("section", attrs={"aria-labelledby": "sammenlignet"})
    assert "40.000–59.999 indbyggere" in section.get_text()
    first = [
        c.get_text(strip=True) for c in section.find("tbody").find("tr").find_all(["th", "td"])
    ]
    assert first[0] == "Dagpengemodtagere"
    # Varde is the only municipality of its size band and region in the small fixture
    assert first[1] == first[2] == first[4]
    assert first[3] == "nr. 1 af 1" and first[5] == "nr. 1 af 1"
    assert "små tal" in section.get_text()


def test_every_page_has_a_municipality_search_that_works_without_javascript(
    site: Path, site_registry
):
    for page in ["index.html", "kommune/varde/index.html", "metode/index.html", "404.html"]:
        form = soup(site / page).find("form", role="search")
        assert form["action"] == "/kommune/" and form["method"] == "get"
        options = form.find("datalist").find_all("option")
        assert len(options) == len(site_registry.municipalities)
        hits = [o["value"] for o in options if o["value"].lower().startswith("hø")]
        assert hits == ["Høje-Taastrup", "Hørsholm"]
        assert {o["data-href"] for o in options if o["value"] == "Hørsholm"} == {
            "/kommune/hoersholm/"
        }
    listing = soup(site / "kommune/index.html")
    links = listing.select("ul[data-searchable] a")
    # without JavaScript the search lands on a plain list of links
    assert len(links) == len(site_registry.municipalities)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_share_images_per_municipality_and_overview(site: Path, site_registry):
    assert png_size(site / "deling.png") == (1200, 630)
    for m in site_registry.municipalities:
        assert png_size(site / "kommune" / m.slug / "deling.png") == (1200, 630)
    meta = soup(site / "kommune/varde/index.html").find("meta", property="og:image")
    assert meta["content"] == "/kommune/varde/deling.png"
    assert soup(site / "index.html").find("meta", property="og:image")["content"] == "/deling.png"


def test_a_rebuild_with_nothing_changed_is_skipped(tmp_path: Path):
    from samtaletjek.build import build
    from samtaletjek.settings import Settings

    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    settings = Settings(
        data_dir=data,
        out_dir=tmp_path / "output",
        cache_dir=tmp_path / "cache",
        reference_dir=data / "reference",
    )
    assert not build(settings, renderer=STAND_IN).skipped
    before = digest(settings.out_dir)
    again = build(settings, renderer=STAND_IN)
    assert again.skipped
    assert digest(settings.out_dir) == before
    # another renderer would draw other pictures: a real build
    assert not build(settings, renderer=replace(STAND_IN, version="stand-in 2")).skipped
    # any change to the data, or to the output by hand, means a real build
    (data / "manifest.json").write_text(
        (data / "manifest.json").read_text(encoding="utf-8").replace("Testdata", "Testtal"),
        encoding="utf-8",
    )
    assert not build(settings, renderer=STAND_IN).skipped
    (settings.out_dir / "index.html").write_text("tampered", encoding="utf-8")
    rebuilt = build(settings, renderer=STAND_IN)
    assert not rebuilt.skipped
    assert "tampered" not in (settings.out_dir / "index.html").read_text(encoding="utf-8")
    assert not build(settings, use_cache=False, renderer=STAND_IN).skipped
