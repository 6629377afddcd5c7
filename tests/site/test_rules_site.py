"""The rules as a reader meets them: a site built from demo figures across the 2024 and 2026
breaks, read as parsed HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import soup


def text(element) -> str:  # noqa: ANN001
    return " ".join(element.get_text(" ", strip=True).replace("\xad", "").split())


def card(html, group: str, indicator: str = "Samtaler"):  # noqa: ANN001, ANN201
    """The card of `indicator` in the family of cards of target group `group`."""
    family = next(f for f in html.select("section.group-family") if text(f.h3) == group)
    return next(c for c in family.select("article.group-card") if text(c.h4) == indicator)


def facts(article) -> dict[str, str]:  # noqa: ANN001
    return {
        text(dt): text(dd)
        for dt, dd in zip(article.find_all("dt"), article.find_all("dd"), strict=True)
    }


def test_the_target_group_page_shows_every_rule_period_with_its_source(reform_site: Path):
    html = soup(reform_site / "maalgruppe/dagpenge/index.html")
    rules = html.select("section[aria-labelledby=regler] div.rule")
    assert [text(r.h3) for r in rules] == [
        "Til og med 31. december 2019",
        "Fra 1. januar 2020 til 31. december 2023 Databrud",
        "Fra 1. januar 2024 til 30. juni 2026 Databrud",
        "Fra 1. juli 2026 til 31. december 2026 Databrud",
        "Fra 1. januar 2027 Forventet Databrud",
    ]
    reform = text(rules[3])
    assert "mindst 75 %" in reform and "lov nr. 1750 af 29. december 2025" in reform.lower()
    assert "Månederne holdes op mod lovens krav på 75 %." in reform
    assert "A-kassen holder samtalerne i de første 3 måneder" in text(rules[2])
    # uncertain facts are visibly uncertain
    assert rules[4].select_one("p.uncertain").get_text().startswith("Usikkert:")
    assert "ikke samlet" not in text(html.select_one("section[aria-labelledby=regler] p.note"))
    key = {
        text(dt): text(dd)
        for dt, dd in zip(
            html.select("dl.key-figures dt"), html.select("dl.key-figures dd"), strict=True
        )
    }
    assert "Under lovens krav på 75 % denne måned" in key
    assert "På listen (under reglen 6 måneder i træk)" in key


def test_sygedagpenge_shows_its_uncertain_reform(reform_site: Path):
    html = soup(reform_site / "maalgruppe/sygedagpenge/index.html")
    reform = next(
        r for r in html.select("section[aria-labelledby=regler] div.rule") if "26 uger" in text(r)
    )
    assert text(reform.h3).startswith("Fra 1. juli 2026")
    assert "1. januar 2027" in text(reform.select_one("p.uncertain"))
    notes = text(html.find(id="noter"))
    assert "Usikkert: Hvordan STAR følger op" in notes


def test_a_municipality_card_says_which_rule_its_month_is_held_against(reform_site: Path):
    html = soup(reform_site / "kommune/varde/index.html")
    dagpenge = facts(card(html, "Dagpengemodtagere"))
    status = text(card(html, "Dagpengemodtagere").select_one("p.status"))
    assert re.fullmatch(
        r"✓ Over lovens krav på 75 %|! Under lovens krav på 75 % denne måned"
        r"|[!▼] Under (80 % og derefter )?75 % i \d+ måneder i træk( – på listen)?",
        status,
    ), status
    active = text(card(html, "Aktivitetsparate kontanthjælpsmodtagere").select_one("p.status"))
    # STAR's 80 % carried on after the reform, and a run goes on across the change of rule:
    # each month held against its own line
    assert re.fullmatch(
        r"✓ Over STAR's grænse på 80 %|! Under STAR's grænse på 80 % denne måned"
        r"|[!▼] Under 80 % i \d+ måneder i træk( – på listen)?",
        active,
    ), active
    # the one change does not cross July 2026: it is measured from then, and says so beside it
    change = card(html, "Dagpengemodtagere").select_one("p.trend")
    assert re.search(r"procentpoint siden juli 2026", text(change)), text(change)
    note = text(change.select_one(".change-note"))
    assert note.startswith("Regnet fra regelændringen i juli 2026")
    assert not any(k.startswith(("Siden", "Seneste 12")) for k in dagpenge)
    notes = {p.strong.get_text(): text(p) for p in html.find(id="noter").find_all("p") if p.strong}
    assert "Lovens krav" in notes and "STAR's grænse, videreført" in notes


def test_a_card_under_the_line_names_the_lines_of_its_months(reform_site: Path):
    statuses = {}
    for page in sorted((reform_site / "kommune").glob("*/index.html")):
        article = card(soup(page), "Dagpengemodtagere")
        kind = next(c for c in article["class"] if c.startswith("status-"))
        statuses.setdefault(kind, set()).add(text(article.select_one("p.status")))
    assert statuses.get("status-on-list"), "the demo has municipalities on the list"
    # a run that began under STAR's 80 % and went on under the law's 75 % names both lines
    for said in statuses["status-on-list"]:
        assert re.fullmatch(r"▼ Under 80 % og derefter 75 % i \d+ måneder i træk – på listen", said)
    for said in statuses.get("status-below", ()):
        assert re.fullmatch(
            r"! Under lovens krav på 75 % denne måned|! Under 75 % i [2-5] måneder i træk", said
        )
    overview = soup(reform_site / "index.html").get_text()
    assert "Markant under" not in overview and "markant under" not in overview


def test_the_chart_marks_every_break_it_crosses_once_and_the_threshold_by_period(
    reform_site: Path,
):
    rows = json.loads((reform_site / "kommune/varde/tal.json").read_text("utf-8"))["trend"]
    breaks = [r for r in rows if r.get("part") == "brud"]
    dagpenge = sorted((r["t"], r["label"]) for r in breaks if r["panel"] == "Dagpenge")
    assert [label for _, label in dagpenge] == ["A-kassen 2024", "Reform 2026"]
    # 2026-07 is a break in every panel but labelled once
    assert sum(1 for r in breaks if r["label"] == "Reform 2026") == 1
    assert sum(1 for r in breaks if r["t"] == dagpenge[1][0]) == 8
    segments: dict[str, list] = {}
    for r in rows:
        if r.get("part") == "grænse" and r["panel"] == "Dagpenge":
            segments.setdefault(r["seg"], []).append((r["t"], r["share"]))
    steps = sorted((min(points)[0], {s for _, s in points}) for points in segments.values())
    assert [shares for _, shares in steps] == [{80.0}, {75.0}]  # STAR's 80 %, then the law's 75 %
    assert steps[1][0] == dagpenge[1][0]  # the step is at the reform
    svg = str(
        soup(reform_site / "kommune/varde/index.html").select_one("figure.chart .chart-canvas svg")
    )
    assert "Reform 2026" in svg and "A-kassen 2024" in svg


def test_the_map_legend_states_the_rule_in_force(reform_site: Path):
    html = soup(reform_site / "kort/dagpenge/index.html")
    assert text(html.select_one("p.map-rule")) == "Reglen i oktober 2026: lovens krav på 75 %."
    legend = [text(li) for li in html.select("figure.chart .chart-legend li")]
    assert legend == ["Under 75 %", "75,0–79,9 %", "80,0 % og derover", "Ingen tal"]
    assert text(html.select_one("figure.chart .chart-summary")).endswith(
        "Farverne viser andelen i forhold til lovens krav på 75 %."
    )
    values = json.loads((reform_site / "kort/dagpenge/andele.json").read_text("utf-8"))
    by_month = dict(zip(values["months"], values["rules"], strict=True))
    assert by_month["2026-06"] == "Reglen i juni 2026: STAR's grænse på 80 %."
    legends = {
        m: values["legends"][i] for m, i in zip(values["months"], values["legend"], strict=True)
    }
    assert legends["2026-06"]["items"][0] == ["Under 80 %", "#c99700"]  # the month's own line
    counts = dict(zip(values["months"], values["counts"], strict=True))
    assert re.fullmatch(
        r"\d+ af \d+ kommuner under reglen denne måned; \d+ på listen", counts["2026-10"]
    )


def test_the_overview_and_the_comparison_name_rules_and_breaks(reform_site: Path):
    html = soup(reform_site / "index.html")
    table = html.select_one("section[aria-labelledby=maalgrupper-overblik] table")
    rows = {text(r.th): [text(td) for td in r.find_all("td")] for r in table.tbody.find_all("tr")}
    assert rows["Dagpengemodtagere"][-1] == "lovens krav på 75 %"
    assert rows["Sygedagpengemodtagere"][-1] == "STAR's grænse på 80 %"
    compare = soup(reform_site / "sammenlign/index.html")
    label = compare.select_one("figure.compare-chart .chart-canvas svg")["aria-label"]
    assert label.endswith("Kravene blev ændret i januar 2024 og juli 2026.")
    data = json.loads((reform_site / "sammenlign/dagpenge.json").read_text("utf-8"))
    assert data["breaks"] == "januar 2024 og juli 2026"
    assert {m["part"] for m in data["marks"]} == {"brud", "grænse"}


def test_method_page_collects_the_rules_with_sources(reform_site: Path):
    html = soup(reform_site / "metode/index.html")
    body = text(html.find("article"))
    assert "endnu ikke samlet" not in body
    table = html.find("article").find("table")
    cells = [text(td) for td in table.find_all("td")]
    assert "Lovens krav på 75 %" in cells
    assert any(c.startswith("Fra 1. juli 2026") for c in cells)
    assert "lov nr. 1750 af 29. december 2025" in body.lower()
    assert re.search(r"Dagpengemodtagere ?: januar 2020, januar 2024, juli 2026", body)
    # it shows no figures, so no demo banner; it says which measures are examples in words
    assert soup(reform_site / "metode/index.html").select_one(".demo-banner") is None
    assert "Samtaler : eksempeldata" in body
