"""What a reader sees first, read as parsed HTML: the verdict, small numbers, good Danish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, soup

from samtaletjek.cli import cli
from samtaletjek.store import read_manifest


def text(element) -> str:  # noqa: ANN001
    return " ".join(element.get_text(" ", strip=True).replace("\xad", "").split())


def cards(html, indicator: str = "Samtaler") -> list:  # noqa: ANN001
    """The cards of one indicator, each in its target group's family."""
    return [c for c in html.find_all("article", class_="group-card") if text(c.h4) == indicator]


def family_name(card) -> str:  # noqa: ANN001
    return text(card.find_parent("section", class_="group-family").h3)


def kind(card) -> str:  # noqa: ANN001
    return next(c.removeprefix("status-") for c in card["class"] if c.startswith("status-"))


def over_and_total(name: str, sentence: str) -> tuple[int, int]:
    """(over, judged) from "… var Varde over reglen i 5 af 8 målgrupper", "… i alle 8 …"."""
    found = re.search(
        rf"var {re.escape(name)} (over|under) reglen i (?:(\d+) af |alle )?(\d+) målgrupper?",
        sentence,
    )
    assert found, sentence
    total = int(found[3])
    if found[2]:
        return int(found[2]), total
    return (total if found[1] == "over" else 0), total


def test_every_verdict_agrees_with_its_cards(reform_site: Path, site_registry):
    registry = site_registry
    judged_kinds = ("ok", "below", "on-list")
    for m in registry.municipalities:
        html = soup(reform_site / f"kommune/{m.slug}/index.html")
        verdict = [text(p) for p in html.select(".verdict p")]
        assert verdict, m.name
        found = [kind(c) for c in cards(html)]
        # the offer cards have their own sentence, counted from their own cards
        offers = [kind(c) for c in cards(html, "Tilbud inden for 6 måneder")]
        assert len(offers) == len(registry.groups_of("tilbud"))
        said = next((s for s in verdict if s.startswith("For tilbud inden for 6 måneder ")), "")
        offers_judged = [k for k in offers if k in judged_kinds]
        if offers_judged:
            assert over_and_total(m.name, said) == (offers.count("ok"), len(offers_judged)), (
                m.name,
                said,
                offers,
            )
        else:
            assert not said, said
        assert not any(s.startswith("For passivandel") for s in verdict)  # no line, no verdict
        assert len(found) == len(registry.target_groups)
        judged = [k for k in found if k in judged_kinds]
        if not judged:
            assert "vurderes ikke" in verdict[0] or "ingen tal" in verdict[0], verdict
            continue
        assert verdict[0].startswith(("I den seneste måned med tal", "I ")), verdict[0]
        assert over_and_total(m.name, verdict[0]) == (found.count("ok"), len(judged)), (
            m.name,
            verdict,
            found,
        )
        on_list = [family_name(c).lower() for c in cards(html) if kind(c) == "on-list"]
        listed = next((s for s in verdict if "dermed på listen" in s), "")
        for name in on_list:
            assert name in listed.lower(), (m.name, name, listed)
        assert bool(on_list) == bool(listed), (m.name, on_list, listed)
        below = [family_name(c).lower() for c in cards(html) if kind(c) == "below"]
        shorter = next((s for s in verdict if s.startswith("Under reglen i kortere tid")), "")
        for name in below:
            assert name in shorter.lower(), (m.name, name, shorter)
        assert bool(below) == bool(shorter), (m.name, below, shorter)


def test_each_card_says_what_the_figure_is_and_its_status_in_words_and_a_symbol(
    reform_site: Path,
):
    html = soup(reform_site / "kommune/aarhus/index.html")
    card = cards(html)[0]
    assert re.fullmatch(r"\d+,\d %", text(card.select_one(".headline-figure")))
    assert text(card.select_one(".measure")).startswith("fik mindst 2 samtaler af ")
    status = card.select_one(".status")
    assert text(status)[0] in "✓▼!·" and len(text(status)) > 10
    assert status.select_one(".status-symbol")["aria-hidden"] == "true"  # words carry it
    assert re.fullmatch(
        r"[↑↓→] [+−]?\d+,\d procentpoint siden \w+ \d{4}( Regnet fra regelændringen i .*)?",
        text(card.select_one(".trend")),
    )


def test_fewer_than_ten_persons_get_no_rank_and_are_not_counted(site: Path):
    html = soup(site / "kommune/laesoe/index.html")
    for card in cards(html):
        facts = dict(
            zip(map(text, card.find_all("dt")), map(text, card.find_all("dd")), strict=True)
        )
        assert not re.match(r"nr\. 1 af", facts["Placering"]), facts
    group = soup(site / "maalgruppe/dagpenge/index.html")
    rows = group.select("#rangliste-tabel tbody tr")
    ranked = [r for r in rows if re.fullmatch(r"\d+", text(r.td))]
    persons = [(r, r.select("td")[2]["data-value"]) for r in rows]
    small = [r for r, n in persons if n and float(n) < 10]
    assert small, "the fixture has a municipality with fewer than 10 persons"
    assert all(text(r.td) == "–" for r in small)
    # its figure is hidden by STAR: the status cell says there is none, and why
    badge = small[0].select_one(".badge-missing")
    assert text(badge).startswith("– Ingen tal") and "skjult af STAR" in badge["title"]
    varde = soup(site / "kommune/varde/index.html")
    rank = dict(
        zip(
            map(text, cards(varde)[0].find_all("dt")),
            map(text, cards(varde)[0].find_all("dd")),
            strict=True,
        )
    )["Placering"]
    assert rank.endswith(f"af {len(ranked)}"), (rank, len(ranked))


def test_a_blank_gives_the_right_reason(site: Path):
    reasons = {text(p) for p in soup(site / "kommune/laesoe/index.html").select(".missing")}
    assert (
        "Tallet er skjult af STAR, fordi der er for få personer til at offentliggøre det."
        in reasons
    )
    assert all("diskretioneret" not in r for r in reasons)


BAD_DANISH = [
    r"\baf 1 personer\b",
    r"\b1 flere\b",
    r"nye rækker",
    r"samtaler\. loven",
    r"\b1 kommuner\b",
    r"python3? build\.py",
    r"Atom-feed\b",
]


def test_reader_text_is_good_danish_and_never_a_command(reform_site: Path):
    pages = [p for p in reform_site.rglob("*.html") if "embed" not in p.parts]
    pages += sorted(reform_site.glob("embed/*/dagpenge/index.html"))[:5]
    for page in pages:
        html = soup(page)
        for script in html.find_all("script"):
            script.decompose()
        for cell in html.find_all(["td", "th"]):
            cell.append(" ¦ ")  # "nr. 1 af 1" in a cell ends there: no sentence goes on
        body = text(html)
        for pattern in BAD_DANISH:
            assert not re.search(pattern, body, re.IGNORECASE), (page, pattern)
        if page.parent.name not in ("baggrund", "metode", "om"):  # prose may tell the history
            # a status names its rule; a bare "markant under" reads like "worse than the country"
            assert not re.search(r"\bmarkant under\b", body, re.IGNORECASE), page
        description = html.find("meta", attrs={"name": "description"})
        if description:
            # a sentence never goes on in lower case after a full stop (abbreviations aside)
            content = description["content"]
            assert not re.search(r"[a-zæøå](?<!\bpr)(?<!\bnr)(?<!\bca)\. [a-zæøå]", content), page


def test_titles_use_official_names_and_amk_is_explained(site: Path):
    title = soup(site / "kommune/koebenhavn/index.html").title.get_text()
    assert title.startswith("Københavns Kommune")
    assert (
        soup(site / "kommune/bornholm/index.html")
        .title.get_text()
        .startswith("Bornholms Regionskommune")
    )
    varde = soup(site / "kommune/varde/index.html")
    assert "Arbejdsmarkedskontor Syd" in text(varde.find("main"))
    assert "AMK" not in text(varde.find("main"))
    feed = varde.find("a", href="/kommune/varde/feed.xml")
    assert "feedlæser" in text(feed)


def test_method_speaks_of_real_figures_only_when_they_are_loaded(
    reform_site: Path, plain_site: Path, tmp_path: Path
):
    demo = text(soup(reform_site / "metode/index.html").find("article"))
    assert "Eksempeldata er syntetiske" in demo and "STAR's tal vises" not in demo
    # figures imported from STAR's statement are real: their manifest says so …
    data = tmp_path / "data"
    result = cli.main(
        [
            "import",
            str(FIXTURES / "import" / "statement-2018-06.xlsx"),
            "--data",
            str(data),
            "--date",
            "2026-11-02",
        ],
        standalone_mode=False,
    )
    assert result is None or result == 0
    assert read_manifest(data).demo is False
    # … and a site of real figures (the small fixture's manifest, like the import's) says so
    real = soup(plain_site / "metode/index.html")
    assert "STAR's tal vises, som STAR har offentliggjort dem" in text(real.find("article"))
    assert "eksempeldata" not in text(real.find("article")).lower()
    assert not real.select_one(".demo-banner")


@pytest.mark.parametrize("path", ["kommune/varde/index.html", "index.html"])
def test_long_group_names_can_break_at_their_joints(site: Path, path: str):
    raw = (site / path).read_text(encoding="utf-8")
    assert "kontant\xadhjælps\xadmodtagere" in raw or "kontanthjælps\xadmodtagere" in raw
