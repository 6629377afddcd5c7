"""New target groups are a change of data, not code (issue 23): two hypothetical groups from
January 2027, one carrying on dagpenge (which ends in December 2026) and one new, are added to
the reference TOML alone, with demo rows, and the site builds and shows them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SMALL_REFERENCE, build_site, soup
from stand_in import STAND_IN

from samtaletjek.ingest import demo
from samtaletjek.store import write_data
from samtaletjek.store.reference import load_registry
from tests.publish.test_excel_downloads import table_rows

NEW_GROUPS = """
[[target_group]]
id = "ledige-ny"
name = "Ledige i den nye lov"
short = "Ledige (ny)"
noun = "ledige i den nye lov"
description = "En tænkt målgruppe fra 2027, der fortsætter dagpengemodtagerne."
valid_from = "2027-01"
continues = "dagpenge"

[[target_group]]
id = "syge-ny"
name = "Sygemeldte i den nye lov"
short = "Syge (ny)"
noun = "sygemeldte i den nye lov"
description = "En tænkt ny målgruppe fra 2027."
valid_from = "2027-01"

[[rule]]
target_group = "ledige-ny"
valid_from = "2027-01-01"
flag = "lov"
series_break = true
break_label = "Ny lov 2027"
requirement = "En tænkt regel til testen."
legal_source = "Ingen: testdata"

[[rule]]
target_group = "syge-ny"
valid_from = "2027-01-01"
flag = "star-efter-reform"
requirement = "En tænkt regel til testen."
legal_source = "Ingen: testdata"
"""


def text(node) -> str:  # noqa: ANN001
    return " ".join(node.get_text(" ", strip=True).replace("\xad", "").split())


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("new-groups")
    reference = root / "reference"
    shutil.copytree(SMALL_REFERENCE, reference)
    toml = reference / "maalgrupper.toml"
    source = toml.read_text(encoding="utf-8")
    # dagpenge ends with 2026: one edit of its entry, and the new groups appended
    ended = source.replace('id = "dagpenge"\n', 'id = "dagpenge"\nvalid_to = "2026-12"\n', 1)
    assert ended != source
    toml.write_text(ended + NEW_GROUPS, encoding="utf-8")
    registry = load_registry(reference)
    frame = demo.generate(registry, start="2026-09", end="2027-02")
    write_data(root / "data", frame, demo.demo_manifest(), demo.demo_releases(frame, months=2))
    return build_site(
        root / "data", root / "output", root / "cache", STAND_IN, reference_dir=reference
    )


def test_the_new_groups_have_pages_of_their_own(new_site: Path):
    page = soup(new_site / "maalgruppe/ledige-ny/index.html")
    assert text(page.h1) == "Ledige i den nye lov"
    assert "fortsætter Dagpengemodtagere fra januar 2027" in text(page.select_one(".lineage"))
    assert "februar 2027" in text(page)
    assert (new_site / "maalgruppe/syge-ny/index.html").is_file()
    rows, _ = table_rows(new_site / "data/maalgruppe/syge-ny.xlsx")
    assert {(r[0].year, r[0].month) for r in rows[1:]} == {(2027, 1), (2027, 2)}


def test_the_new_groups_chart_draws_the_old_series_beside_the_new_with_a_break(new_site: Path):
    page = soup(new_site / "maalgruppe/ledige-ny/index.html")
    chart = page.select_one("figure.chart#trend-ledige-ny")
    legend = text(chart)
    assert "Dagpengemodtagere (før januar 2027)" in legend and "Regelændring (databrud)" in legend
    values = json.loads((new_site / chart["data-values"].lstrip("/")).read_text("utf-8"))
    lines = {r["series"]: r for r in values["trend"] if "share" in r and "i" in r}
    assert set(lines) == {"Hele landet", "Dagpengemodtagere (før januar 2027)"}
    assert lines["Dagpengemodtagere (før januar 2027)"]["i"] == [0, 1, 2, 3]  # 2026-09 … 12
    assert lines["Hele landet"]["i"] == [4, 5]  # 2027-01 … 02: the new series, after the break
    assert any(r.get("part") == "brud" and r["label"] == "Ny lov 2027" for r in values["trend"])


def test_the_ended_group_keeps_its_history_and_says_what_carries_it_on(new_site: Path):
    page = soup(new_site / "maalgruppe/dagpenge/index.html")
    lineage = text(page.select_one(".lineage"))
    assert lineage == (
        "Målgruppen ophørte efter december 2026; den fortsættes af Ledige i den nye lov fra "
        "januar 2027."
    )
    assert "december 2026" in text(page.select_one("#seneste-maaned"))


def test_a_municipality_shows_the_latest_groups_first_and_the_ended_below(new_site: Path):
    html = soup(new_site / "kommune/varde/index.html")
    families = html.select("section.group-family")
    headings = [text(f.h3) for f in families]
    assert "Ledige i den nye lov" in headings and "Sygemeldte i den nye lov" in headings
    assert headings[-1] == "Dagpengemodtagere"  # ended: last, with its history
    last = families[-1].select_one("article.group-card")
    assert text(last.select_one(".ended")) == "Målgruppen ophørte efter december 2026."
    assert text(last.select_one(".month")) == "december 2026"
    new = next(f for f in families if text(f.h3) == "Ledige i den nye lov")
    assert text(new.select_one(".month")) == "februar 2027"
