"""The comparison's downloads in a real browser: the links follow the group chosen, and "Hent de
viste tal" gives exactly the municipalities and months shown, as CSV for Danish Excel and as a
workbook, made in the page without a request."""

from __future__ import annotations

import csv
import datetime
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from .conftest import ROOT, served
from .test_journalists import table_names, wait_for_rows

SMALL = ROOT / "tests" / "fixtures" / "small"
HEADERS = [
    "Måned",
    "Kommune",
    "Målgruppe",
    "Indikator",
    "Antal personer",
    "Personer, andelen tæller",
    "Andel (%)",
    "Kilde",
]
CHOSEN = {"varde": "Varde", "laesoe": "Læsø", "aarhus": "Aarhus"}  # Aarhus: no figures at all
CSV_LINK = "Hent de viste tal (CSV til dansk Excel)"
XLSX_LINK = "Hent de viste tal (Excel-fil, .xlsx)"


def fixture_rows(group: str) -> dict[tuple[str, str], dict]:
    """(municipality, month) → the small fixture's row in `group`."""
    with (SMALL / "samtaler.csv").open(encoding="utf-8") as fh:
        return {
            (r["municipality"], r["period"]): r
            for r in csv.DictReader(fh)
            if r["target_group"] == group
        }


def months() -> list[str]:
    with (SMALL / "samtaler.csv").open(encoding="utf-8") as fh:
        return sorted({r["period"] for r in csv.DictReader(fh)})


def download(page, name: str, folder: Path) -> Path:
    """Click the link `name` and return the file it downloads."""
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    got = info.value
    assert got.failure() is None
    path = folder / got.suggested_filename
    got.save_as(path)
    return path


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(
        path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Måned": str, "Kilde": str}
    )


def expected(frame: pd.DataFrame, group: str) -> None:
    """Every row of `frame` holds the fixture's figures of its municipality and month; an
    empty cell where the fixture has none (missing is not zero)."""
    rows = fixture_rows(group)
    for r in frame.itertuples(index=False):
        source = rows.get((r.Kommune, r.Måned), {})
        for got, column in ((r[4], "persons"), (r[5], "persons_meeting"), (r[6], "share_pct")):
            if source.get(column):
                assert got == pytest.approx(float(source[column])), (r, column)
            else:
                assert pd.isna(got), (r, column)


def test_the_downloads_follow_the_group_and_hold_exactly_the_figures_shown(visit, tmp_path):
    visited = visit(f"sammenlign/?k={','.join(CHOSEN)}&g=sygedagpenge")
    page = visited.page
    page.wait_for_function(
        "() => document.getElementById('sammenlign-seneste-titel').textContent"
        ".startsWith('Sygedagpengemodtagere')"
    )
    wait_for_rows(page, 3)
    assert table_names(page) == list(CHOSEN.values())
    every = page.locator("#sammenlign-hent-alle")
    assert every.inner_text() == "Hent alle tal for sygedagpengemodtagere (Excel)"
    assert every.get_attribute("href") == "/data/maalgruppe/sygedagpenge.xlsx"
    assert (
        page.locator("#sammenlign-aar caption")
        .inner_text()
        .startswith("Andel af sygedagpengemodtagere, der")
    )

    # CSV for Danish Excel: BOM, ";", decimal comma, Danish headers, one row per municipality
    # and month shown, each with its source
    path = download(page, CSV_LINK, tmp_path)
    assert path.name == "samtaler-sygedagpenge-varde-laesoe-aarhus.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"64,9" in raw and b"64.9" not in raw
    frame = read_csv(path)
    assert list(frame.columns) == HEADERS
    assert list(zip(frame["Kommune"], frame["Måned"], strict=True)) == [
        (name, month) for name in CHOSEN.values() for month in months()
    ]
    assert set(frame["Målgruppe"]) == {"Sygedagpengemodtagere"}
    assert set(frame["Indikator"]) == {"Samtaler"}
    assert set(frame["Kilde"]) == {"Testdata til Samtaletjeks tests"}
    expected(frame, "sygedagpenge")
    assert frame[frame["Kommune"] == "Aarhus"][HEADERS[4:7]].isna().all().all()

    # the workbook: months as dates, figures as numbers, the header frozen, and where the
    # figures come from
    path = download(page, XLSX_LINK, tmp_path)
    assert path.suffix == ".xlsx"
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None  # every file's CRC is right
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Tal", "Om tallene"]
    sheet = book["Tal"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    first = sheet[2]
    assert first[0].is_date and first[0].value == datetime.datetime(2017, 12, 1)
    assert "mmmm yyyy" in first[0].number_format
    assert (first[1].value, first[4].value, first[5].value) == ("Varde", 174, 113)
    assert first[6].value == pytest.approx(64.9) and first[6].data_type == "n"
    assert sheet.max_row == 1 + len(CHOSEN) * len(months())
    aarhus = sheet[2 + 2 * len(months())]
    assert aarhus[1].value == "Aarhus" and [c.value for c in aarhus[4:7]] == [None] * 3
    about = {row[0]: row[1] for row in book["Om tallene"].iter_rows(values_only=True)}
    assert about["Kommuner"] == "Varde, Læsø og Aarhus"
    assert about["Målgruppe"] == "Sygedagpengemodtagere"
    assert about["Kilde"].startswith("Kilde: Testdata til Samtaletjeks tests")

    # another group chosen with the page's control: links and files follow it
    page.select_option("#sammenlign-gruppe", "dagpenge")
    page.wait_for_function(
        "() => document.getElementById('sammenlign-seneste-titel').textContent"
        ".startsWith('Dagpengemodtagere')"
    )
    assert every.inner_text() == "Hent alle tal for dagpengemodtagere (Excel)"
    assert every.get_attribute("href") == "/data/maalgruppe/dagpenge.xlsx"
    assert (
        page.locator("#sammenlign-aar caption")
        .inner_text()
        .startswith("Andel af dagpengemodtagere, der")
    )
    frame = read_csv(download(page, CSV_LINK, tmp_path))
    assert len(frame) == len(CHOSEN) * len(months())
    assert set(frame["Målgruppe"]) == {"Dagpengemodtagere"}
    expected(frame, "dagpenge")
    laesoe = frame[frame["Kommune"] == "Læsø"]  # suppressed by STAR: empty, never 0
    assert laesoe["Andel (%)"].isna().all() and (laesoe["Antal personer"] == 2).all()

    # no municipality left: nothing shown, nothing to download
    for name in CHOSEN.values():
        page.get_by_role("button", name=f"Fjern {name}").click()
    page.locator("#sammenlign-hent-viste").wait_for(state="hidden")
    assert visited.outside_requests() == []
    assert visited.problems == []


def test_the_default_comparison_can_be_downloaded_before_anything_is_loaded(visit, tmp_path):
    visited = visit("sammenlign/")
    page = visited.page
    assert not [url for url in visited.requests if url.endswith("dagpenge.json")]
    frame = read_csv(download(page, CSV_LINK, tmp_path))  # it waits for the figures
    assert list(dict.fromkeys(frame["Kommune"])) == [
        "København",
        "Aarhus",
        "Aalborg",
        "Vejle",
        "Frederiksberg",
    ]
    expected(frame, "dagpenge")
    assert visited.problems == []


def test_switching_indicator_carries_the_choice_and_the_downloads_follow(
    browser, reform_site: Path, tmp_path
):
    with served(reform_site) as url:
        context = browser.new_context(locale="da-DK", service_workers="block")
        try:
            page = context.new_page()
            page.goto(url + "sammenlign/?k=varde,vejle&g=kontanthjaelp-aktivitetsparate")
            wait_for_rows(page, 2)
            switch = page.get_by_role("navigation", name="Vælg måling")
            tilbud = switch.get_by_role("link", name="Tilbud", exact=True)
            assert tilbud.get_attribute("href") == (
                "/sammenlign/tilbud/dagpenge/?k=varde,vejle&g=kontanthjaelp-aktivitetsparate"
            )
            tilbud.click()
            page.wait_for_url("**/sammenlign/tilbud/**")
            page.wait_for_function(
                "() => document.getElementById('sammenlign-seneste-titel').textContent"
                ".startsWith('Aktivitetsparate')"
            )
            every = page.locator("#sammenlign-hent-alle")
            assert every.get_attribute("href") == "/data/tilbud/kontanthjaelp-aktivitetsparate.xlsx"
            assert every.inner_text() == (
                "Hent alle tal for aktivitetsparate kontanthjælpsmodtagere (Excel)"
            )
            frame = read_csv(download(page, CSV_LINK, tmp_path))
            assert list(dict.fromkeys(frame["Kommune"])) == ["Varde", "Vejle"]
            assert set(frame["Indikator"]) == {"Tilbud inden for 6 måneder"}
            assert set(frame["Kilde"]) == {"eksempeldata"}
            about = openpyxl.load_workbook(download(page, XLSX_LINK, tmp_path))["Om tallene"]
            said = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
            assert said["Eksempeldata"] == "Ja – eksempeltal, ikke officielle tal"
        finally:
            context.close()
