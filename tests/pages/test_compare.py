"""The comparison page and the embed pages: parsed HTML and JSON of the small fixture site,
with every expected figure computed here from tests/fixtures/small/samtaler.csv."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import SMALL, soup

from samtaletjek.build import options
from samtaletjek.charts import theme, trends
from samtaletjek.pages import compare, embeds
from samtaletjek.pages import series as aligned_series
from samtaletjek.settings import Settings

GROUPS = ("dagpenge", "sygedagpenge")


def rows() -> list[dict]:
    with (SMALL / "samtaler.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def months() -> list[str]:
    return sorted({r["period"] for r in rows()})


def series(municipality: str, group: str, column: str = "share_pct") -> list[float | None]:
    """The municipality's figures in every month of the fixture, None where the cell is empty."""
    found = {
        r["period"]: r[column]
        for r in rows()
        if r["municipality"] == municipality and r["target_group"] == group
    }
    return [float(found[p]) if found.get(p) else None for p in months()]


def national(group: str, period: str) -> float:
    known = [
        r
        for r in rows()
        if r["target_group"] == group and r["period"] == period and r["persons_meeting"]
    ]
    meeting = sum(int(r["persons_meeting"]) for r in known)
    return meeting / sum(int(r["persons"]) for r in known) * 100


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def text(element) -> str:
    """The element's text as read: soft hyphens (shown only where a word breaks) left out."""
    return element.get_text(" ", strip=True).replace("\xad", "")


def largest(registry, n: int = 5) -> list:
    return sorted(registry.municipalities, key=lambda m: -(m.population or 0))[:n]


# ---- the comparison page ----------------------------------------------------------------------


def legend_labels(container) -> list[str]:
    return [text(li) for li in container.select("ul.chart-legend > li")]


def test_compare_page_puts_the_chart_first_and_the_controls_after_it(site: Path):
    html = soup(site / "sammenlign/index.html")
    main = html.find("main")
    order = [
        el.get("id") or el.name
        for el in main.find_all(["h1", "p", "figure", "form", "section"])
        if el.name != "p" or "lead" in el.get("class", [])
    ]
    # h1, the one-line lead, the chart, then the choice, then the figures
    assert order[:5] == ["h1", "p", "sammenlign-dagpenge", "sammenlign-valg", "section"], order
    assert (
        html.select_one("p.lead").get_text(strip=True).startswith("Op til 5 kommuner side om side")
    )
    figure = html.select_one("figure.compare-chart")
    parts = [c.name or "" for c in figure.find_all(recursive=False)]
    assert parts[:3] == ["figcaption", "div", "div"]  # title, legend, then the drawing
    assert "chart-legend" in str(figure.find_all(recursive=False)[1])
    assert figure.find_all(recursive=False)[2]["class"] == ["chart-canvas"]


def test_compare_page_draws_the_default_comparison_without_javascript(site: Path, site_registry):
    html = soup(site / "sammenlign/index.html")
    assert html.html["lang"] == "da"
    assert html.h1.get_text(strip=True) == "Sammenlign kommuner"
    figure = html.select_one("figure.compare-chart")
    assert not figure.has_attr("data-spec")  # compare.js draws it, not samtaletjek.js
    svg = figure.select_one(".chart-canvas > svg")
    assert svg["role"] == "img"
    label = svg["aria-label"]
    kbh = series("København", "dagpenge")
    assert f"København fra {pct(kbh[0])} i december 2017 til {pct(kbh[-1])} i marts 2020" in label
    assert "Aarhus: ingen tal" in label  # the fixture has no figures for Aarhus
    first = national("dagpenge", "2017-12")
    assert (
        f"Hele landet fra {pct(first)} i december 2017 til "
        f"{pct(national('dagpenge', '2020-03'))} i marts 2020" in label
    )
    assert label.endswith("Kravene blev ændret i januar 2020.")
    assert "Regler 2020" in str(svg)  # the series break the chart spans, labelled
    assert text(figure.select_one(".chart-summary")) == (
        "Andel i procent, hver måned fra december 2017 til marts 2020."
    )
    # the chart has no legend of its own: the page's names the lines, the country, the
    # threshold and the break, in the styles of charts/theme.py
    names = [m.name for m in largest(site_registry)]
    assert legend_labels(figure) == [
        *names,
        "Hele landet",
        "Reglen, tallene holdes op mod",  # from January 2020: before it there was no line
        "Regelændring (databrud)",
    ]
    lines = figure.select("ul.chart-legend > li line")
    assert [line["stroke"] for line in lines[:6]] == [
        theme.STYLES[i].colour for i in (*theme.CHOSEN, theme.NATIONAL)
    ]
    assert not lines[5].has_attr("stroke-dasharray")  # the country: thin, grey, solid
    assert float(lines[5]["stroke-width"]) < min(float(line["stroke-width"]) for line in lines[:5])
    assert len({line.get("stroke-dasharray", "") for line in lines[:5]}) == 5


def test_the_static_chart_draws_the_country_and_the_threshold(site: Path):
    html = soup(site / "sammenlign/index.html")
    svg = html.select_one("figure.compare-chart .chart-canvas > svg")
    strokes = [path.get("stroke") for path in svg.find_all("path")]
    assert theme.NATIONAL_COLOUR in strokes  # the country's line
    assert theme.REFERENCE.colour in strokes  # the threshold's step line
    for i in theme.CHOSEN[:1]:  # København, the only one of the five with figures
        assert theme.STYLES[i].colour in strokes
    # the drawing fits a 360 px phone unscaled, so its 11 px text stays 11 px
    assert int(svg["width"]) <= 328
    sizes = [float(size) for size in re.findall(r'font-size="([0-9.]+)px"', str(svg))]
    assert sizes and min(sizes) >= 10  # the break labels are 10 px (charts/theme.py)


def test_compare_tables_hold_the_latest_month_and_each_january(site: Path, site_registry):
    html = soup(site / "sammenlign/index.html")
    chosen = largest(site_registry)
    latest = html.find("table", id="sammenlign-seneste")
    assert "stack" in latest["class"]  # rows become "label: value" blocks on a phone
    assert text(latest.caption) == "Dagpengemodtagere, marts 2020"
    body = [[text(c) for c in tr.find_all(["th", "td"])] for tr in latest.tbody.find_all("tr")]
    assert [row[0] for row in body] == [m.name for m in chosen]
    shares = {
        r["municipality"]: float(r["share_pct"])
        for r in rows()
        if r["period"] == "2020-03" and r["target_group"] == "dagpenge" and r["share_pct"]
    }
    rank = sorted(shares.values(), reverse=True).index(shares["København"]) + 1
    assert body[0] == ["København", pct(shares["København"]), "900", f"nr. {rank} af {len(shares)}"]
    assert body[1] == ["Aarhus", "–", "–", "–"]  # missing is a dash, never 0
    labels = [[td["data-label"] for td in tr.find_all("td")] for tr in latest.tbody.find_all("tr")]
    assert labels == [["Andel", "Personer", "Placering"]] * len(chosen)
    links = [a["href"] for a in latest.tbody.select("th a")]
    assert links == [f"/kommune/{m.slug}/" for m in chosen]

    yearly = html.find("table", id="sammenlign-aar")
    assert "stack" in yearly["class"]
    assert [text(th) for th in yearly.thead.find_all("th")] == ["Måned", *(m.name for m in chosen)]
    shown = [[text(c) for c in tr.find_all(["th", "td"])] for tr in yearly.tbody.find_all("tr")]
    kbh = dict(zip(months(), series("København", "dagpenge"), strict=True))
    assert [row[:2] for row in shown] == [
        ["januar 2018", pct(kbh["2018-01"])],
        ["januar 2019", pct(kbh["2019-01"])],
        ["januar 2020", pct(kbh["2020-01"])],
        ["marts 2020", pct(kbh["2020-03"])],
    ]
    assert all(cell == "–" for row in shown for cell in row[2:])
    first = yearly.tbody.find("tr")
    assert [td["data-label"] for td in first.find_all("td")] == [m.name for m in chosen]
    notes = text(html.select_one("section[aria-labelledby=sammenlign-tal] .notes"))
    assert "skjult af STAR, fordi der er for få personer" in notes
    assert "diskretioner" not in html.get_text().lower()


def test_compare_form_holds_chips_a_search_and_waits_for_javascript(site: Path, site_registry):
    html = soup(site / "sammenlign/index.html")
    form = html.find("form", id="sammenlign-valg")
    assert form.has_attr("hidden")  # without JavaScript the links below do the work
    said = html.find(id="sammenlign-standard").get_text(strip=True)
    assert said.startswith("Uden JavaScript viser siden de fem største kommuner efter indbyggertal")
    assert "At vælge kommuner kræver JavaScript." in said
    select = form.find("select", attrs={"name": "g"})
    assert html.find("label", attrs={"for": select["id"]})
    assert [o["value"] for o in select.find_all("option")] == [
        g.id for g in site_registry.target_groups
    ]
    assert select.find("option", selected=True)["value"] == "dagpenge"
    assert not form.find("input", attrs={"type": "checkbox"})  # no wall of 98 checkboxes
    chips = form.select("#sammenlign-chips button.chip")
    assert [b["aria-label"] for b in chips] == [f"Fjern {m.name}" for m in largest(site_registry)]
    assert [b["data-slug"] for b in chips] == [m.slug for m in largest(site_registry)]
    assert all(b["type"] == "button" and "✕" in text(b) for b in chips)
    assert [b.find("line")["stroke"] for b in chips] == [
        theme.STYLES[i].colour for i in theme.CHOSEN
    ]
    assert text(form.find(id="sammenlign-antal")) == "5 kommuner valgt, det højeste antal."
    assert form.find(id="sammenlign-antal")["aria-live"] == "polite"
    find = form.find("input", attrs={"type": "search"})
    assert text(html.find("label", attrs={"for": find["id"]})) == "Tilføj en kommune"
    described = find["aria-describedby"].split()
    assert all(html.find(id=d) for d in described)
    assert html.find(id="sammenlign-find-svar")["aria-live"] == "polite"
    assert form.find(id="sammenlign-forslag").has_attr("hidden")
    assert text(form.find(id="sammenlign-nulstil")) == "Vis de fem største kommuner"
    assert form.find("a", id="sammenlign-link")["href"] == "/sammenlign/"
    assert html.find(id="sammenlign-status")["role"] == "status"
    root = html.find(id="sammenlign")
    assert root["data-default"] == ",".join(m.slug for m in largest(site_registry))
    assert (site / root["data-template"].lstrip("/")).is_file()
    assert (site / root["data-data"].lstrip("/") / "dagpenge.json").is_file()
    scripts = [s["src"] for s in html.find_all("script", src=True)]
    assert scripts[-1] == "/assets/compare.js"
    assert "/assets/vendor/vega-embed.bundle.js" not in scripts  # loaded when first drawn:
    vega = html.find("script", src="/assets/samtaletjek.js")["data-vega"]  # samtaletjek.js
    assert vega == "/assets/vendor/vega-embed.bundle.js"
    assert scripts.index("/assets/samtaletjek.js") < scripts.index("/assets/compare.js")
    assert (site / "assets/compare.js").is_file()


def test_compare_setup_has_every_municipality_and_the_line_styles(site: Path, site_registry):
    root = soup(site / "sammenlign/index.html").find(id="sammenlign")
    setup = json.loads(root["data-setup"])
    assert len(setup["municipalities"]) == len(site_registry.municipalities)
    by_slug = {slug: (name, href) for slug, name, href in setup["municipalities"]}
    assert by_slug["hoeje-taastrup"] == ("Høje-Taastrup", "/kommune/hoeje-taastrup/")
    names = [m[1] for m in setup["municipalities"]]
    assert names[:2] == ["Bornholm", "Frederiksberg"] and names[-1] == "Aarhus"  # Danish order
    assert setup["chosen"] == list(theme.CHOSEN)
    assert setup["national"] == {"style": theme.NATIONAL, "name": "Hele landet"}
    assert [s["colour"] for s in setup["styles"]] == [s.colour for s in theme.STYLES]
    assert setup["styles"][theme.NATIONAL]["dash"] == ""  # solid, as the legend draws it
    assert setup["few"] == 10 and setup["max"] == 5


def test_compare_template_spec_carries_the_marks_but_no_figures(site: Path):
    root = soup(site / "sammenlign/index.html").find(id="sammenlign")
    spec = json.loads((site / root["data-template"].lstrip("/")).read_text("utf-8"))
    assert spec["datasets"]["lines"] == []  # compare.js puts the choice in
    assert {m["part"] for m in spec["datasets"]["marks"]} == {"brud", "grænse"}
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["width"] == 300  # compare.js sets the figure's width


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Ingen kommuner valgt."),
        (1, "1 kommune valgt (højst 5)."),
        (2, "2 kommuner valgt (højst 5)."),
        (5, "5 kommuner valgt, det højeste antal."),
    ],
)
def test_the_count_of_chosen_municipalities_is_good_danish(n: int, expected: str):
    assert compare.chosen_count(n) == expected


def test_a_figure_on_too_few_persons_has_no_rank_but_says_why():
    assert compare._rank_text((3, 93), 50.0, 400, 10) == "nr. 3 af 93"
    assert compare._rank_text(None, 50.0, 3, 10) == "Få personer"
    assert compare._rank_text(None, None, 2, 10) == "–"  # no figure: not "few"
    assert compare._rank_text(None, None, None, 10) == "–"


def test_every_target_group_has_a_default_comparison(site: Path, site_registry):
    html = soup(site / "sammenlign/index.html")
    nav = html.find("nav", attrs={"aria-labelledby": "andre-maalgrupper"})
    hrefs = [a["href"] for a in nav.find_all("a")]
    assert hrefs[0] == "/sammenlign/"
    assert hrefs[1:] == [f"/sammenlign/{g.id}/" for g in site_registry.target_groups[1:]]
    assert not (site / "sammenlign/dagpenge").exists()  # the headline group is sammenlign/
    sick = soup(site / "sammenlign/sygedagpenge/index.html")
    assert text(sick.find("table", id="sammenlign-seneste").caption).startswith(
        "Sygedagpengemodtagere"
    )
    assert sick.find("option", selected=True)["value"] == "sygedagpenge"
    assert sick.select_one("figure.compare-chart .chart-canvas > svg")


def test_compare_data_is_months_and_aligned_figures_with_null_for_missing(
    site: Path, site_registry
):
    data = json.loads((site / "sammenlign/dagpenge.json").read_text(encoding="utf-8"))
    assert data["group"] == "dagpenge"
    assert data["months"] == months()
    assert data["latest"] == "2020-03"
    assert data["ranked"] == 3  # Læsø's figure is suppressed, so it is not ranked
    assert set(data["municipalities"]) == {"koebenhavn", "varde", "laesoe", "gentofte"}
    varde = data["municipalities"]["varde"]
    assert varde["share"] == series("Varde", "dagpenge")
    assert varde["persons"] == [int(v) for v in series("Varde", "dagpenge", "persons")]
    laesoe = data["municipalities"]["laesoe"]
    assert laesoe["share"] == [None] * len(months())  # null, not 0
    assert laesoe["persons"] == [2] * len(months())
    assert laesoe["rank"] is None
    assert data["municipalities"]["gentofte"]["rank"] == 1
    assert data["national"]["share"][-1] == pytest.approx(national("dagpenge", "2020-03"), abs=0.05)
    assert len(data["national"]["share"]) == len(months())
    assert {m["part"] for m in data["marks"]} == {"brud", "grænse"}
    assert [(e["label"], e["kind"]) for e in data["legend"]] == [
        ("Reglen, tallene holdes op mod", "limit"),
        ("Regelændring (databrud)", "break"),
    ]
    assert data["breaks"] == "januar 2020"
    empty = json.loads((site / "sammenlign/jobafklaring.json").read_text(encoding="utf-8"))
    assert empty["municipalities"] == {} and empty["ranked"] is None
    for g in site_registry.target_groups:
        assert (site / f"sammenlign/{g.id}.json").stat().st_size < 6_000


# ---- the embed pages --------------------------------------------------------------------------


def test_every_municipality_and_group_has_an_embed_page(site: Path, site_registry):
    missing = [
        f"{m.slug}/{g.id}"
        for m in site_registry.municipalities
        for g in site_registry.target_groups
        if not (site / "embed" / m.slug / g.id / "index.html").is_file()
    ]
    assert missing == []
    assert (
        len(list((site / "embed").glob("*/*/index.html"))) == len(site_registry.municipalities) * 8
    )


def test_embed_page_works_without_javascript(site: Path):
    html = soup(site / "embed/varde/dagpenge/index.html")
    assert html.html["lang"] == "da"
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert text(html.h1) == "Dagpengemodtagere i Varde"
    assert not html.find("header") and not html.find("nav")  # no site chrome in an iframe
    varde = series("Varde", "dagpenge")
    assert text(html.select_one(".embed-figure")) == f"{pct(varde[-1])} marts 2020"
    sentence = text(html.select_one(".embed-sentence"))
    assert sentence == (
        f"I marts 2020 fik {pct(varde[-1])} af de 87 dagpengemodtagere i Varde mindst 4 samtaler. "
        f"Region Syddanmark: {pct(varde[-1])}. Hele landet: {pct(national('dagpenge', '2020-03'))}."
    )
    details = html.find("details", class_="embed-table")
    assert details.has_attr("open")  # embed.js folds it away once the chart is drawn
    table = details.find("table")
    assert [text(th) for th in table.thead.find_all("th")] == [
        "Måned",
        "Varde",
        "Region Syddanmark",
        "Hele landet",
    ]
    body = [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    by_month = dict(zip(months(), varde, strict=True))
    assert body[-1] == [
        "marts 2020",
        pct(by_month["2020-03"]),
        pct(by_month["2020-03"]),  # Varde is alone in its region in the fixture
        pct(national("dagpenge", "2020-03")),
    ]
    assert [row[0] for row in body] == ["januar 2018", "januar 2019", "januar 2020", "marts 2020"]
    back = html.find("a", target="_top")
    assert back["href"] == "/kommune/varde/"
    source = text(html.find("footer"))
    assert "Testdata til Samtaletjeks tests" in source and "15. april 2020" in source
    assert html.find(class_="demo-banner") is None


def test_embed_page_carries_its_figures_inline_and_asks_nothing_of_other_sites(site: Path):
    page = site / "embed/laesoe/dagpenge/index.html"
    html = soup(page)
    inline = json.loads(html.find("script", type="application/json").string)
    assert inline["start"] == months()[0]
    assert all(len(s["share"]) == len(s["persons"]) == len(months()) for s in inline["series"])
    assert [s["name"] for s in inline["series"]] == ["Læsø", "Region Nordjylland", "Hele landet"]
    assert inline["series"][0]["share"] == [None] * len(months())  # suppressed: null, not 0
    assert inline["series"][0]["persons"] == [2] * len(months())
    assert inline["series"][2]["share"][-1] == round(national("dagpenge", "2020-03"), 1)
    sentence = text(html.select_one(".embed-sentence"))
    assert "skjult af STAR, fordi der er for få personer" in sentence  # plain words
    assert "diskretioner" not in sentence
    assert text(html.select_one(".embed-figure")).startswith("–")

    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("a", "href")):
        for element in html.find_all(tag, attrs={attribute: True}):
            assert not re.match(r"^(https?:)?//", element[attribute]), element
    raw = page.read_text(encoding="utf-8")
    assert "top.location" not in raw and "<iframe" not in raw  # no frame-busting
    figure = html.find("figure", class_="embed-chart")
    assert figure.has_attr("hidden")  # shown by embed.js once the chart is drawn
    template = json.loads((site / figure["data-template"].lstrip("/")).read_text("utf-8"))
    assert template["datasets"]["lines"] == []  # embed.js fills in the figures
    marks = template["datasets"]["marks"]  # the group's break and threshold come with it
    assert {m["part"] for m in marks} == {"brud", "grænse"}
    assert any(m["part"] == "brud" and m["label"] == "Regler 2020" for m in marks)
    assert template["config"]["locale"]["number"]["decimal"] == ","
    assert (site / "assets/embed.js").is_file()


def test_an_embed_page_without_figures_says_so(site: Path):
    html = soup(site / "embed/aarhus/jobafklaring/index.html")
    assert text(html.select_one(".embed-sentence")) == (
        "Ingen tal for personer i jobafklaringsforløb i Aarhus i marts 2020."
    )


# ---- "Brug tallene" on the municipality page --------------------------------------------------


def test_municipality_page_offers_a_citation_and_an_iframe_per_group(site: Path, site_registry):
    html = soup(site / "kommune/varde/index.html")
    section = html.find("section", attrs={"aria-labelledby": "brug-tallene"})
    assert text(section.h2) == "Brug tallene"
    assert text(section.find(class_="citation")) == (
        "Kilde: Samtaletjek på grundlag af samtaler: Testdata til Samtaletjeks tests, tal "
        "offentliggjort 15. april 2020, /kommune/varde/"
    )
    snippets = section.find_all("details", class_="embed-snippet")
    assert [text(d.summary) for d in snippets] == [g.name for g in site_registry.target_groups]
    for details, g in zip(snippets, site_registry.target_groups, strict=True):
        field = details.find("textarea")
        assert field.has_attr("readonly")
        assert section.find("label", attrs={"for": field["id"]})
        iframe = BeautifulSoup(field.get_text(), "html.parser").iframe
        assert iframe["src"] == f"/embed/varde/{g.id}/"
        assert iframe["title"] == f"{g.name} i Varde – Samtaletjek"
        assert (site / iframe["src"].lstrip("/") / "index.html").is_file()
    assert section.find(class_="copy-status")["role"] == "status"
    assert html.find("script", src="/assets/embed.js")
    assert section.find("a", href="/sammenlign/?k=varde")


def test_snippet_and_citation_use_the_absolute_address_when_the_site_has_one(registry):
    settings = Settings(site_url="https://x.dk/", base_url="/samtaletjek")
    varde = next(m for m in registry.municipalities if m.slug == "varde")
    use = embeds.use_figures(varde, "kommune/varde/", registry, options(settings))
    assert use.url == "https://x.dk/samtaletjek/kommune/varde/"
    iframe = BeautifulSoup(use.snippets[0].code, "html.parser").iframe
    assert iframe["src"] == "https://x.dk/samtaletjek/embed/varde/dagpenge/"
    assert iframe["height"] == str(embeds.EMBED_HEIGHT)
    assert use.snippets[0].href == "embed/varde/dagpenge/"  # links on the site stay relative


# ---- the pure parts ---------------------------------------------------------------------------


def test_aligned_keeps_missing_as_none_and_months_in_order():
    frame = pd.DataFrame(
        {
            "region": ["A", "A", "B"],
            "period": ["2020-02", "2020-01", "2020-01"],
            "share": pd.array([50.04, None, 12.0], dtype="Float64"),
            "persons": pd.array([10, 4, None], dtype="Int64"),
        }
    )
    out = aligned_series.aligned(frame, ["region"], ("2020-01", "2020-02", "2020-03"))
    assert out[("A",)] == ([None, 50.0, None], [4, 10, None])
    assert out[("B",)] == ([12.0, None, None], [None, None, None])


def test_shown_months_are_each_january_and_the_latest():
    months_ = ("2019-11", "2019-12", "2020-01", "2020-02", "2020-03", "2020-04")
    assert aligned_series.shown_months(months_, "2020-03") == [2, 4]
    assert aligned_series.shown_months(months_, "2020-01") == [2]


def test_comparison_chart_tells_series_apart_by_colour_and_dash():
    spec = trends.lines_spec([], [], interactive=True)
    line = spec["layer"][1]["encoding"]
    ids = list(range(len(theme.STYLES)))
    assert line["color"]["field"] == line["strokeDash"]["field"] == "style"
    assert line["color"]["scale"] == {"domain": ids, "range": [s.colour for s in theme.STYLES]}
    dashes = line["strokeDash"]["scale"]["range"]
    assert len({json.dumps(dashes[i]) for i in theme.CHOSEN}) == 5  # never colour alone
    widths = line["strokeWidth"]["scale"]["range"]
    assert widths[theme.NATIONAL] < min(widths[i] for i in theme.CHOSEN)  # the country is thin
    assert line["color"]["legend"] is None  # the page draws the legend
    assert 'datum.part == \\"brud\\"' in json.dumps(spec)  # the series breaks are marked
    assert "!isValid(datum.before) && !isValid(datum.after)" in json.dumps(spec)  # lone months
    tooltip = spec["layer"][-1]["encoding"]["tooltip"]
    assert [t["title"] for t in tooltip] == ["Serie", "Måned", "Andel (%)", "Personer"]
    assert "formatType" not in json.dumps(spec)


@pytest.mark.parametrize("style", [theme.STYLES[i] for i in (*theme.CHOSEN, theme.NATIONAL)])
def test_the_comparisons_colours_have_enough_contrast_against_white(style):
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert 1.05 / (luminance(style.colour) + 0.05) >= 4.5
