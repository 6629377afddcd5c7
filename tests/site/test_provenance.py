"""The source of every number (issue 22): a site whose activation figures are STAR's and whose
other measures are demo figures. Every page, chart, card, table, embed, feed and download that
shows demo figures says so, and nothing that shows STAR's figures carries the demo label."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import build_site, soup
from stand_in import STAND_IN

from samtaletjek.build import address_warnings
from samtaletjek.domain.dataset import (
    CONTEXT_COLUMNS,
    CONTEXT_SOURCE,
    NATIONAL_CODE,
    NATIONAL_NAME,
    Source,
)
from samtaletjek.ingest import demo
from samtaletjek.settings import Settings
from samtaletjek.store import write_data

ATOM = "{http://www.w3.org/2005/Atom}"
STAR = Source(
    demo=False,
    source="STAR, jobindsats.dk",
    tables=("y60c07", "y60a02"),
    retrieved="2026-08-22",
    release_date="2026-08-22",
)
CREDIT = "Kilde: STAR, jobindsats.dk (tabel y60c07 og y60a02), hentet 22. august 2026."
DEMO_WORDS = ("Eksempeldata", "eksempeldata", "syntetisk")


def _real_activation(frame: pd.DataFrame) -> pd.DataFrame:
    """Kontanthjælp's activation rows as STAR publishes them: a share and a degree per
    municipality, the count derived from them, and STAR's own "Hele landet" row."""
    own = frame[(frame["indicator"] == "aktivering") & (frame["target_group"] == "kontanthjaelp")]
    own = own.assign(
        activation_degree=(own["share_pct"] / 3).round(1).astype("Float64"),
        derived=pd.array(["persons_meeting"] * len(own), dtype="string"),
    )
    national = (
        own.groupby("period", as_index=False)[["persons", "persons_meeting"]]
        .sum()
        .assign(
            municipality_code=NATIONAL_CODE,
            municipality=NATIONAL_NAME,
            indicator="aktivering",
            target_group="kontanthjaelp",
            mean_conversations=pd.NA,
        )
    )
    # A published figure unlike the weighted sum, so the page shows which one it is.
    national["share_pct"] = pd.array([41.7] * len(national), dtype="Float64")
    national["activation_degree"] = pd.array([12.5] * len(national), dtype="Float64")
    national["derived"] = pd.array(["persons_meeting"] * len(national), dtype="string")
    return pd.concat([own, national[own.columns]], ignore_index=True)


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory: pytest.TempPathFactory, site_registry) -> Path:  # noqa: ANN001
    root = tmp_path_factory.mktemp("mixed")
    frame = demo.generate(site_registry, start="2026-01", end="2026-10")
    frame = pd.concat(
        [frame[frame["indicator"] != "aktivering"], _real_activation(frame)], ignore_index=True
    )
    codes = [m.code for m in site_registry.municipalities]
    context = pd.DataFrame(
        {
            "period": "2026-07",
            "municipality_code": codes,
            "municipality": [m.name for m in site_registry.municipalities],
            "unemployed": [400 + c for c in codes],
            "unemployment_pct": [2.5] * len(codes),
        }
    )[list(CONTEXT_COLUMNS)]
    context_source = replace(STAR, tables=("y25i01",))
    manifest = replace(
        demo.demo_manifest(), sources={"aktivering": STAR, CONTEXT_SOURCE: context_source}
    )
    write_data(root / "data", frame, manifest, demo.demo_releases(frame, months=2), context=context)
    return build_site(root / "data", root / "output", root / "cache", STAND_IN)


def text(element) -> str:  # noqa: ANN001
    return " ".join(element.get_text(" ", strip=True).replace("\xad", "").split())


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_demo_figure_has_the_label_and_no_real_figure_has_it(mixed_site: Path):
    labelled = ("article", "figure", "li", "body")  # they carry their own source line
    demo_pages = star_pages = 0
    for path in pages(mixed_site):
        html = soup(path)
        where = path.relative_to(mixed_site)
        demo_parts = html.select('[data-origin="demo"]')
        star_parts = html.select('[data-origin="real"]')
        banner = html.select_one(".demo-banner")
        demo_pages += bool(demo_parts)
        star_pages += bool(star_parts)
        if demo_parts:
            assert banner is not None, f"{where}: demo figures without the banner"
        elif star_parts:
            assert banner is None, f"{where}: the demo banner over STAR's figures only"
        for part in demo_parts:
            if part.name in labelled:
                assert any(w in text(part) for w in DEMO_WORDS), f"{where}: {text(part)[:200]}"
        for part in star_parts:
            words = text(part)
            assert not any(w in words for w in DEMO_WORDS), f"{where}: {words[:200]}"
            if part.name in labelled:
                assert "STAR, jobindsats.dk" in words, f"{where}: {words[:200]}"
    assert demo_pages > 10 and star_pages > 5


def test_the_activation_pages_are_stars_alone(mixed_site: Path):
    page = soup(mixed_site / "aktivering/index.html")
    assert page.select_one(".demo-banner") is None
    card = page.select_one("article.group-card")
    assert card["data-origin"] == "real"
    assert CREDIT in text(card)
    assert "i hele landet (STAR's eget landstal)" in text(card)
    assert "41,7 %" in text(card) and "12,5 %" in text(card)  # STAR's own row, not the sum
    assert "ikke STAR's passivandel" in text(page.select_one(".lead"))
    group = soup(mixed_site / "aktivering/kontanthjaelp/index.html")
    assert group.select_one(".demo-banner") is None
    assert CREDIT in text(group.select_one(".table-scroll[data-origin=real] + .origin"))
    embed = next((mixed_site / "embed").rglob("aktivering*/**/index.html"), None) or next(
        p for p in (mixed_site / "embed").rglob("index.html") if "aktivering" in str(p)
    )
    assert soup(embed).select_one('[data-origin="real"]') is not None
    assert "Eksempeldata" not in text(soup(embed).body)


def test_a_municipality_page_names_which_measures_are_examples(mixed_site: Path):
    html = soup(mixed_site / "kommune/varde/index.html")
    banner = text(html.select_one(".demo-banner"))
    assert "Samtaler" in banner and "Aktivering er STAR's rigtige tal. " + CREDIT in banner
    cards = html.select("article.group-card")
    real = [c for c in cards if c["data-origin"] == "real"]
    assert real and all(CREDIT in text(c) for c in real)
    assert all("Eksempeldata" in text(c) for c in cards if c["data-origin"] == "demo")
    facts = text(html.select_one(".context"))
    assert "Kontanthjælpsmodtagere, oktober 2026" in facts  # the newest month of each
    assert "Registreret ledighed, juli 2026" in facts
    assert "2,5 % af arbejdsstyrken (973 ledige)" in facts
    assert "hentet 22. august 2026" in facts
    verdict = text(html.select_one(".verdict")) if html.select_one(".verdict") else text(html)
    assert "hele landet 41,7 % (STAR's eget landstal)" in verdict


def test_the_overview_says_which_measures_are_real(mixed_site: Path):
    items = [
        (li["data-origin"], text(li))
        for li in soup(mixed_site / "index.html").select(".sources li")
    ]
    assert ("real", "Aktivering : STAR's rigtige tal. " + CREDIT) in items
    assert ("demo", "Samtaler : eksempeldata (syntetiske tal, ikke STAR's).") in items


def test_downloads_name_each_rows_source(mixed_site: Path):
    rows = list(csv.DictReader(io.StringIO((mixed_site / "data/samtaler.csv").read_text())))
    by_indicator = {r["indicator"]: r["source"] for r in rows}
    assert by_indicator["aktivering"] == "STAR, jobindsats.dk, y60c07 y60a02, hentet 2026-08-22"
    assert {by_indicator[i] for i in ("samtaler", "tilbud", "passivandel")} == {"eksempeldata"}
    derived = {r["derived"] for r in rows if r["indicator"] == "aktivering"}
    assert derived == {"persons_meeting"}  # the count is worked out, and says so
    national = list(csv.DictReader(io.StringIO((mixed_site / "data/landstal.csv").read_text())))
    own = [r for r in national if r["indicator"] == "aktivering"]
    assert own and all(r["published"] == "true" and r["share_pct"] == "41.7" for r in own)
    assert all(r["municipalities_below"] == "" for r in own)  # no line: no count, not 0
    readme = (mixed_site / "data/README.md").read_text()
    assert "- **Aktivering**: " + CREDIT in readme
    package = json.loads((mixed_site / "data/datapackage.json").read_text())
    assert any("y60c07" in s["title"] for s in package["sources"])


def test_feeds_label_demo_entries(mixed_site: Path):
    municipal = next((mixed_site / "kommune").rglob("feed.xml"))
    for feed in [mixed_site / "feed.xml", municipal, mixed_site / "overvaagning/feed.xml"]:
        entries = ET.parse(feed).getroot().findall(f"{ATOM}entry")
        assert entries
        for e in entries:
            assert e.findtext(f"{ATOM}summary").startswith("Eksempeldata"), feed


def test_the_licence_is_stated_in_every_footer_the_data_readme_and_the_downloads(mixed_site):
    for page in ("index.html", "kommune/varde/index.html", "aktivering/index.html"):
        footer = soup(mixed_site / page).select_one("footer .licence")
        assert "må genbruges under CC BY 4.0 med kildeangivelse" in text(footer)
        # the address as text: the site links nowhere outside itself
        assert "Licensen: https://creativecommons.org/licenses/by/4.0/deed.da" in text(footer)
    readme = (mixed_site / "data/README.md").read_text(encoding="utf-8")
    assert "## Licens" in readme and "CC BY 4.0" in readme
    package = json.loads((mixed_site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    workbooks = sorted((mixed_site / "data").rglob("*.xlsx"))
    assert len(workbooks) > 20  # per municipality, target group and indicator
    for path in workbooks:
        workbook = openpyxl.load_workbook(path, read_only=True)
        about = list(workbook["Om tallene"].iter_rows(values_only=True))
        assert any(row and row[0] == "Licens" and "CC BY 4.0" in (row[1] or "") for row in about)


def test_each_workbook_row_and_note_names_its_source(mixed_site):
    workbook = openpyxl.load_workbook(mixed_site / "data/kommune/varde.xlsx", read_only=True)
    rows = list(workbook["Tal"].iter_rows(values_only=True))
    sources = {(r[3], r[-1]) for r in rows[1:]}
    real = {s for i, s in sources if i == "Aktivering"}
    assert real and all(s.startswith("STAR, jobindsats.dk") for s in real)
    assert {s for i, s in sources if i != "Aktivering"} == {"eksempeldata"}
    notes = dict(r[:2] for r in workbook["Om tallene"].iter_rows(values_only=True) if r[0])
    assert notes["Aktivering"].startswith("Kilde: STAR, jobindsats.dk")
    assert notes["Samtaler"].startswith("Eksempeldata – ikke STAR's tal")


def test_a_build_without_a_site_url_says_what_breaks():
    (warning,) = address_warnings(Settings())
    assert warning.startswith("no --site-url: the embed code")
    assert address_warnings(Settings(site_url="https://eksempel.github.io")) == ()
