"""One rule, one count, one truth: on a site whose runs cross the change of rule in July 2026,
every place that judges a municipality says the same as a count made by hand from the
site's own data download.

The hand count knows the rules as the issue states them, not as the code computes them: no
line before 2020; STAR's 80 % from January 2020; from July 2026 the law's 75 % for dagpenge
and jobparate kontanthjælp and STAR's 80 % for the others; a month under its own line with at
least 10 persons is under; a run of such months (each under its own line) goes on across the
change; six in a row put a municipality on the list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import soup

LAW_GROUPS = {"dagpenge", "kontanthjaelp-jobparate"}  # named by the law from July 2026
MIN_PERSONS, LIST_MONTHS = 10, 6


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def line(indicator: str, group: str, month: str) -> float | None:
    if indicator in ("passivandel", "aktivering") or month < "2020-01":  # no line
        return None
    if month >= "2026-07" and group in LAW_GROUPS:
        return 75.0
    return 80.0


def previous(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


@pytest.fixture(scope="module")
def hand(reform_site: Path) -> dict:
    """(indicator, group) → {"month": latest, "below": {name}, "runs": {name: run}}, counted by
    hand from the site's data/samtaler.csv."""
    rows = read_csv(reform_site / "data/samtaler.csv")
    figures: dict = defaultdict(dict)
    for r in rows:
        figures[(r["indicator"], r["target_group"])][(r["municipality"], r["period"])] = r
    out = {}
    for key, by in figures.items():
        latest = max(p for (_, p), r in by.items() if r["share_pct"])
        names = {n for n, _ in by}

        def under(name: str, month: str, key=key, by=by) -> bool:
            r = by.get((name, month))
            limit = line(*key, month)
            if r is None or limit is None or not r["share_pct"] or not r["persons"]:
                return False
            return float(r["share_pct"]) < limit and int(r["persons"]) >= MIN_PERSONS

        runs = {}
        for name in names:
            run, month = 0, latest
            while under(name, month):
                run, month = run + 1, previous(month)
            runs[name] = run
        out[key] = {"month": latest, "below": {n for n in names if runs[n]}, "runs": runs}
    return out


def on_list(counted: dict) -> set[str]:
    return {n for n, run in counted["runs"].items() if run >= LIST_MONTHS}


def text(node) -> str:  # noqa: ANN001
    return " ".join(node.get_text(" ", strip=True).replace("\xad", "").split())


def test_the_hand_count_has_a_run_across_the_change_of_rule(hand):
    """The fixture is what the test needs: someone on the list whose run started before July
    2026 and goes on after it (each month under its own line)."""
    dagpenge = hand[("samtaler", "dagpenge")]
    assert dagpenge["month"] == "2026-10"
    assert any(run > 4 for run in dagpenge["runs"].values()), dagpenge["runs"]


def test_the_overview_counts_are_the_hand_counts(reform_site: Path, hand):
    page = soup(reform_site / "index.html")
    table = page.find("caption", string=re.compile("kommuner under reglen")).find_parent("table")
    for tr in table.tbody.find_all("tr"):
        name = text(tr.th)
        group = next(g for (i, g) in hand if i == "samtaler" and name_of(reform_site, g) == name)
        counted = hand[("samtaler", group)]
        cells = {td["data-label"]: text(td) for td in tr.find_all("td")}
        assert cells["Under reglen denne måned"].startswith(f"{len(counted['below'])} af ")
        assert cells["På listen"] == str(len(on_list(counted))), name


def name_of(site: Path, group: str) -> str:
    return text(soup(site / "maalgruppe" / group / "index.html").h1)


@pytest.mark.parametrize("group", ["dagpenge", "kontanthjaelp-aktivitetsparate"])
def test_the_group_page_its_ranking_and_its_bars_say_the_same(reform_site: Path, hand, group):
    counted = hand[("samtaler", group)]
    page = soup(reform_site / "maalgruppe" / group / "index.html")
    figures = {text(dt): text(dt.find_next("dd")) for dt in page.select("dl.key-figures dt")}
    below = next(v for k, v in figures.items() if k.endswith("denne måned"))
    assert below.startswith(f"{len(counted['below'])} af ")
    listed = next(v for k, v in figures.items() if k.startswith("På listen"))
    assert listed == str(len(on_list(counted)))
    # the ranking's status column: one badge per municipality, the same sets
    statuses = {}
    for tr in page.select("#rangliste-tabel tbody tr"):
        badge = tr.select_one(".badge")
        statuses[text(tr.th).rstrip("*").strip()] = badge.get("class")[1] if badge else ""
    assert {n for n, s in statuses.items() if s == "badge-on-list"} == on_list(counted)
    assert {n for n, s in statuses.items() if s in ("badge-on-list", "badge-below")} == counted[
        "below"
    ]
    # the bars of the ranking chart: the same statuses, in the chart's own words
    spec_path = page.select_one(f"figure#rang-{group}")["data-spec"].lstrip("/")
    spec = json.loads((reform_site / spec_path).read_text(encoding="utf-8"))
    bars = {b["municipality"]: b["status"] for b in spec["datasets"]["ranking"]}
    assert {n for n, s in bars.items() if s.startswith("På listen")} == on_list(counted)


def test_every_card_says_its_run_as_the_hand_count_does(reform_site: Path, hand):
    for name in sorted({n for c in hand.values() for n in c["runs"]}):
        slug = slug_of(reform_site, name)
        page = soup(reform_site / "kommune" / slug / "index.html")
        for card in page.select("article.group-card"):
            indicator = text(card.h4)
            group = card.find_parent("section").h3.get_text(strip=True).replace("\xad", "")
            key = next(
                (k for k in hand if indicator_name(k[0]) == indicator and group_name(k) == group),
                None,
            )
            if key is None or key[0] == "passivandel":
                continue
            run = hand[key]["runs"].get(name, 0)
            status = text(card.select_one(".status"))
            if run >= LIST_MONTHS:
                assert f"i {run} måneder i træk – på listen" in status, (name, key, status)
                assert card.select_one(".status a")["href"] == f"/overvaagning/#kommune-{slug}"
            elif run > 1:
                assert f"i {run} måneder i træk" in status and "på listen" not in status
            elif run == 1:
                assert status.endswith("denne måned"), (name, key, status)
            else:
                assert "Under" not in status, (name, key, status)


INDICATORS = {"samtaler": "Samtaler", "tilbud": "Tilbud inden for 6 måneder"}
GROUPS = {
    "dagpenge": "Dagpengemodtagere",
    "kontanthjaelp-jobparate": "Jobparate kontanthjælpsmodtagere",
    "kontanthjaelp-aktivitetsparate": "Aktivitetsparate kontanthjælpsmodtagere",
    "uddannelseshjaelp-uddannelsesparate": "Uddannelsesparate uddannelseshjælpsmodtagere",
    "uddannelseshjaelp-aktivitetsparate": "Aktivitetsparate uddannelseshjælpsmodtagere",
    "sygedagpenge": "Sygedagpengemodtagere",
    "jobafklaring": "Personer i jobafklaringsforløb",
    "ressourceforloeb": "Personer i ressourceforløb",
}


def indicator_name(indicator: str) -> str:
    return INDICATORS.get(indicator, indicator)


def group_name(key: tuple[str, str]) -> str:
    return GROUPS[key[1]]


def slug_of(site: Path, name: str) -> str:
    index = soup(site / "kommune" / "index.html")
    link = index.find("a", string=name)
    return link["href"].strip("/").split("/")[-1]


def test_the_map_data_says_the_same_counts(reform_site: Path, hand):
    counted = hand[("samtaler", "dagpenge")]
    values = json.loads((reform_site / "kort/dagpenge/andele.json").read_text(encoding="utf-8"))
    assert values["months"][-1] == counted["month"]
    expected = f"{len(counted['below'])} af "
    assert values["counts"][-1].startswith(expected)
    assert values["counts"][-1].endswith(f"; {len(on_list(counted))} på listen")


def test_the_list_page_its_csv_and_the_national_csv_hold_the_hand_count(reform_site: Path, hand):
    expected = {
        (name, key): run
        for key, counted in hand.items()
        for name, run in counted["runs"].items()
        if run >= LIST_MONTHS
    }
    listed = read_csv(reform_site / "data/overvaagning.csv")
    found = {
        (r["municipality"], (r["indicator"], r["target_group"])): int(r["months_below"])
        for r in listed
    }
    assert found == expected
    page = soup(reform_site / "overvaagning/index.html")
    rows = page.select("table.watch-table tbody tr")
    assert {text(tr.th) for tr in rows} == {name for name, _ in expected}
    national = read_csv(reform_site / "data/landstal.csv")
    for key, counted in hand.items():
        if key[0] in ("passivandel", "aktivering"):  # no line: no count
            continue
        (row,) = [
            r
            for r in national
            if (r["indicator"], r["target_group"]) == key and r["period"] == counted["month"]
        ]
        assert int(row["municipalities_below"]) == len(counted["below"]), key
        assert int(row["municipalities_on_list"]) == len(on_list(counted)), key
