"""The indicators on the built site (demo figures for all three): the cards side by side, a
page per indicator, the switches on the map and the comparison, the embeds, the downloads
and STAR's watch list with its feed."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
from conftest import soup

ATOM = "{http://www.w3.org/2005/Atom}"


def text(element) -> str:  # noqa: ANN001
    return " ".join(element.get_text(" ", strip=True).replace("\xad", "").split())


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def family(html, group: str):  # noqa: ANN001, ANN201
    return next(f for f in html.select("section.group-family") if text(f.h3) == group)


def test_each_group_shows_its_samtale_and_offer_cards_side_by_side(reform_site: Path, registry):
    html = soup(reform_site / "kommune/aarhus/index.html")
    for g in registry.groups_of("tilbud"):
        cards = family(html, g.name).select("article.group-card")
        names = [text(c.h4) for c in cards]
        assert names[:2] == ["Samtaler", "Tilbud inden for 6 måneder"], (g.id, names)
        offer = cards[1]
        assert offer.h4.a["href"] == f"/tilbud/{g.id}/"
        # the offer card says what was measured and which rule it is held against
        assert text(offer.select_one(".measure")).startswith(("fik et tilbud", "fik et aktivt"))
        status = text(offer.select_one(".status"))
        assert re.search(r"lovens krav på 75 %|80 %|Få personer|Ingen tal", status), status
    # wide families line their cards up: one column per indicator
    assert html.select_one(".group-families")["style"] == "--slots: 4"
    passive = next(
        c
        for c in family(html, "Aktivitetsparate uddannelseshjælpsmodtagere").select(".group-card")
        if text(c.h4) == "Passivandel"
    )
    assert passive["style"] == "--slot: 3"
    assert "status-unjudged" in passive["class"]
    assert "Ingen grænse: vises, vurderes ikke" in text(passive.select_one(".status"))
    facts = dict(zip(map(text, passive("dt")), map(text, passive("dd")), strict=True))
    assert "Placering (lavest er nr. 1)" in facts  # lower is better for passivity
    # groups only samtaler measure still have their card, after the families of several
    singles = [f for f in html.select("section.group-family") if "is-wide" not in f["class"]]
    assert [text(f.h3) for f in singles][0] == "Uddannelsesparate uddannelseshjælpsmodtagere"


def test_the_rules_note_names_every_line_on_the_page(reform_site: Path):
    html = soup(reform_site / "kommune/aarhus/index.html")
    notes = text(html.find(id="noter"))
    assert "Lovens krav" in notes and "et tilbud inden for de første 6 måneder" in notes


def test_a_page_per_indicator_with_its_groups_chart_and_switch(reform_site: Path, registry):
    for slug, indicator in (("tilbud", "tilbud"), ("passivitet", "passivandel")):
        html = soup(reform_site / f"{slug}/index.html")
        name = registry.indicator_by_id(indicator).name
        assert text(html.h1) == name
        groups = [text(a) for a in html.select(".group-card h3 a")]
        assert groups == [g.name for g in registry.groups_of(indicator)]
        assert html.select_one(f"figure#indikator-{indicator} svg")  # drawn without JavaScript
        switch = {text(a): a.get("aria-current") for a in html.select(".choices a")}
        assert switch.get(registry.indicator_by_id(indicator).short) == "page", switch
        assert (reform_site / f"{slug}/deling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        nav = [a["href"] for a in soup(reform_site / "index.html").select("header nav a")]
        assert f"/{slug}/" in nav
    passive = text(soup(reform_site / "passivitet/index.html").main)
    assert passive.count("Jo lavere, jo bedre") == 1 and "ingen fastsat grænse" in passive
    # no line for passivity: none drawn, none in the legend
    legend = text(soup(reform_site / "passivitet/index.html").select_one(".chart-legend"))
    assert "Grænsen" not in legend


def shares_from_the_top(spec: dict) -> list[float]:
    """The shares of a ranking's bars in the order they are drawn, the top first."""
    assert spec["layer"][0]["encoding"]["y"]["sort"] == {"field": "order", "op": "min"}
    bars = sorted(spec["datasets"]["ranking"], key=lambda r: r["order"])
    return [r["share"] for r in bars if r["share"] is not None]


def test_the_ranking_puts_rank_one_on_top(reform_site: Path):
    """Highest first where higher is better; lowest first for passivity."""
    offer = json.loads((reform_site / "tilbud/dagpenge/rang.vl.json").read_text("utf-8"))
    passive = reform_site / "passivitet/kontanthjaelp-jobparate/rang.vl.json"
    shares = shares_from_the_top(offer)
    assert len(shares) > 1 and shares == sorted(shares, reverse=True)
    shares = shares_from_the_top(json.loads(passive.read_text("utf-8")))
    assert len(shares) > 1 and shares == sorted(shares)


def test_map_and_comparison_switch_indicator(reform_site: Path):
    for path in ("kort/tilbud/dagpenge/", "sammenlign/tilbud/dagpenge/"):
        html = soup(reform_site / path / "index.html")
        links = {text(a): a["href"] for a in html.select(".choices a")}
        assert {"Samtaler", "Tilbud", "Passivitet"} <= set(links), (path, links)
        assert "aktivt tilbud" in text(html.main) or "et tilbud" in text(html.main)
    cmp = text(soup(reform_site / "sammenlign/passivitet/kontanthjaelp-jobparate/index.html").main)
    assert "1 er den laveste andel" in cmp
    # each measure its own colours: the offer's line, passivity's quantiles (lower is better)
    offer = soup(reform_site / "kort/tilbud/dagpenge/index.html")
    assert text(offer.select_one(".chart-legend li")) == "Under 75 %"
    passive = soup(reform_site / "kort/passivitet/kontanthjaelp-jobparate/index.html")
    assert "Lavere er bedre" in text(passive.select_one(".chart-summary"))


def test_embeds_know_their_indicator(reform_site: Path):
    html = soup(reform_site / "embed/varde/tilbud/dagpenge/index.html")
    assert text(html.h1) == "Dagpengemodtagere: tilbud inden for 6 måneder i Varde"
    assert re.search(r"i Varde et tilbud inden for de første 6 måneder\.", text(html.main))
    template = html.select_one("figure.embed-chart")["data-template"]
    assert (reform_site / template.lstrip("/")).is_file()
    assert html.select_one("details.embed-table table")  # the figures without JavaScript


def test_downloads_carry_the_indicator(reform_site: Path, registry):
    rows = read_csv(reform_site / "data/samtaler.csv")
    assert {r["indicator"] for r in rows} == {"samtaler", "tilbud", "passivandel", "aktivering"}
    offers = openpyxl.load_workbook(reform_site / "data/tilbud/dagpenge.xlsx", read_only=True)
    measures = {r[3] for r in offers["Tal"].iter_rows(min_row=2, values_only=True)}
    assert measures == {"Tilbud inden for 6 måneder"}
    national = read_csv(reform_site / "data/landstal.csv")
    assert {r["indicator"] for r in national} == {"samtaler", "tilbud", "passivandel", "aktivering"}
    readme = (reform_site / "data/README.md").read_text(encoding="utf-8")
    for i in registry.indicators:
        assert f"### `{i.id}`" in readme
    assert "overvaagning.csv" in readme


def test_the_watch_list_page_download_feed_and_overview_agree(reform_site: Path):
    html = soup(reform_site / "overvaagning/index.html")
    table = html.find(id="overvaagning-kommuner")
    municipalities = table.tbody.find_all("tr")
    assert municipalities, "the demo has municipalities under the line for six months"
    entries = [
        (text(tr.th), item) for tr in municipalities for item in map(text, tr.select("details li"))
    ]
    for tr in municipalities:  # the count column is the number of figures it lists
        assert int(tr.select_one("td.watch-count")["data-value"]) == len(tr.select("details li"))
    runs = [int(m) for _, item in entries for m in re.findall(r"(\d+) måneder i træk", item)]
    assert len(runs) == len(entries) and all(m >= 6 for m in runs)
    assert {item.split(":")[0] for _, item in entries} <= {"Samtaler", "Tilbud"}
    download = read_csv(reform_site / "data/overvaagning.csv")
    assert len(download) == len(entries)
    assert sorted(int(r["months_below"]) for r in download) == sorted(runs)
    assert {r["municipality"] for r in download} == {name for name, _ in entries}
    feed = ET.parse(reform_site / "overvaagning/feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    changes = r"(?P<name>.+) (er kommet på listen|er ikke længere på listen|er på listen for flere "
    changes += r"målgrupper) \(\w+ \d{4}\)"
    assert titles and all(re.fullmatch(changes, t) for t in titles), titles

    overview = soup(reform_site / "index.html").find(id="overvaagning").parent
    assert f"{len(municipalities)} kommuner" in text(overview)
    assert overview.find("a", href="/overvaagning/")
