"""The downloads for Danish Excel: a workbook per municipality, target group and indicator, and
a "CSV til dansk Excel" beside each small CSV a page offers, read back as a reader's tools
read them (openpyxl, and pandas with sep=";" and decimal=","); each row is in one CSV only."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from samtaletjek.publish import xlsx
from tests.conftest import soup

MACHINE = {"dtype": {"period": str}, "keep_default_na": False, "na_values": [""]}


def danish_csv(path: Path) -> pd.DataFrame:
    """Read as a Danish reader's tools would: semicolons, decimal comma, BOM."""
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "no BOM: Excel would misread æøå"
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


def table_rows(path: Path) -> tuple[list[tuple], object]:
    book = load_workbook(path)  # not read-only: the sheet's view (frozen pane) is read too
    assert book.sheetnames == ["Tal", "Om tallene"]
    sheet = book["Tal"]
    return [r for r in sheet.iter_rows(values_only=True)], book


def test_municipality_workbook_has_danish_headers_dates_numbers_and_the_source(plain_site: Path):
    rows, book = table_rows(plain_site / "data/kommune/laesoe.xlsx")
    sheet = book["Tal"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{len(rows)}"
    header, *body = rows
    assert header[:8] == (
        "Måned",
        "Kommunekode",
        "Kommune",
        "Indikator",
        "Målgruppe",
        "Antal personer",
        "Personer, andelen tæller",
        "Andel (%)",
    )
    assert header[-1] == "Kilde"
    machine = pd.read_csv(plain_site / "data/samtaler.csv", **MACHINE)
    machine = machine[machine.municipality == "Læsø"].reset_index(drop=True)
    assert len(body) == len(machine)
    first = body[0]
    assert first[0] == datetime(int(machine.period[0][:4]), int(machine.period[0][5:]), 1)
    assert sheet["A2"].number_format == "mmmm\\ yyyy"
    assert first[2] == "Læsø"
    assert first[4] == "Dagpengemodtagere"  # the group's Danish name, not its id
    assert isinstance(first[1], int) and isinstance(first[5], int)
    suppressed = [r for r in body if r[4] == "Dagpengemodtagere" and r[6] is None]
    assert suppressed and all(r[7] is None for r in suppressed)  # missing stays empty, not 0
    shares = [r[7] for r in body if r[7] is not None]
    assert shares == pytest.approx(machine.share_pct.dropna().tolist())
    assert all(isinstance(s, float | int) for s in shares)
    assert [r[-1] for r in body] == machine.source.tolist()  # each row keeps its source
    notes = [tuple(r) for r in book["Om tallene"].iter_rows(values_only=True)]
    said = " ".join(str(c) for r in notes for c in r if c)
    assert "Læsø" in said and "Testdata til Samtaletjeks tests" in said and "CC BY 4.0" in said
    assert ("Andel (%)", "persons_meeting ÷ persons × 100, med én decimal (0–100).") in notes


def test_group_and_indicator_workbooks_hold_their_rows(plain_site: Path):
    machine = pd.read_csv(plain_site / "data/samtaler.csv", **MACHINE)
    rows, _ = table_rows(plain_site / "data/maalgruppe/sygedagpenge.xlsx")
    sick = machine[(machine.target_group == "sygedagpenge") & (machine.indicator == "samtaler")]
    assert len(rows) - 1 == len(sick)
    assert {r[4] for r in rows[1:]} == {"Sygedagpengemodtagere"}
    rows, _ = table_rows(plain_site / "data/indikator/samtaler.xlsx")
    assert len(rows) - 1 == (machine.indicator == "samtaler").sum()


def test_danish_csv_reads_in_danish_excel_and_matches_the_machine_csv(plain_site: Path):
    danish = danish_csv(plain_site / "data/landstal-excel.csv")
    machine = pd.read_csv(plain_site / "data/landstal.csv", **MACHINE)
    assert list(danish.columns[:2]) == ["Måned", "Målgruppe"]
    assert len(danish) == len(machine)
    assert danish["Måned"].tolist() == [f"{p}-01" for p in machine.period]
    assert danish["Andel (%)"].dtype == float  # decimal comma read as a number
    assert danish["Andel (%)"].tolist() == pytest.approx(machine.share_pct.tolist(), nan_ok=True)
    assert danish["Antal personer"].tolist() == machine.persons.tolist()
    text = (plain_site / "data/landstal-excel.csv").read_text(encoding="utf-8-sig")
    assert ";" in text.splitlines()[1] and "," in text.splitlines()[1]
    national = danish
    assert {"Måned", "Målgruppe", "Andel (%)", "STAR's eget landstal"} <= set(national.columns)
    assert set(national["STAR's eget landstal"]) <= {"ja", "nej"}
    regions = danish_csv(plain_site / "data/regioner-excel.csv")
    assert "Region" in regions.columns and regions["Andel (%)"].dtype == float


def test_every_offered_csv_has_its_danish_excel_sibling_linked(plain_site: Path):
    for page in ["kommune/varde/index.html", "maalgruppe/dagpenge/index.html", "index.html"]:
        links = soup(plain_site / page).select("p.chart-links a")
        hrefs = [a["href"] for a in links]
        machine = [h for h in hrefs if h.endswith(".csv") and not h.endswith("-excel.csv")]
        assert machine, page
        for href in machine:
            if href != "/data/samtaler.csv":  # the whole table: its rows are in the workbooks
                assert href.removesuffix(".csv") + "-excel.csv" in hrefs, (page, href)
        for href in hrefs:
            assert (plain_site / href.lstrip("/")).is_file(), (page, href)
    texts = [a.get_text() for a in soup(plain_site / "kommune/varde/index.html").select("a")]
    assert "Hent tallene for Varde (Excel)" in texts
    assert "regionerne (CSV til dansk Excel)" in texts


def test_no_csv_repeats_a_municipality_or_a_groups_rows(plain_site: Path):
    """Each row is in one CSV, the whole table; the workbooks hold the cuts readers open."""
    data = plain_site / "data"
    csvs = sorted(p.relative_to(data).as_posix() for p in data.rglob("*.csv"))
    assert csvs == [
        "landstal-excel.csv",
        "landstal.csv",
        "overvaagning-excel.csv",
        "overvaagning.csv",
        "regioner-excel.csv",
        "regioner.csv",
        "samtaler.csv",
    ]
    assert (data / "kommune/varde.xlsx").is_file() and (data / "maalgruppe/dagpenge.xlsx").is_file()


def test_workbook_writer_escapes_text_leaves_missing_empty_and_names_wide_columns():
    frame = pd.DataFrame(
        {
            "month": ["2020-03", "2018-12"],
            "name": ["A & B <C> 100 %", ""],
            "count": pd.array([3, None], dtype="Int64"),
            "share": [12.34, float("nan")],
        }
    )
    columns = [("Måned", "month", 10), ("Navn", "text", 10)]
    columns += [("Antal", "integer", 8), ("Andel", "decimal1", 8)]
    data = xlsx.workbook(
        "Tal", columns, xlsx.row_cells(frame, columns), "Om", [("Om", "x"), ("a", "b")]
    )
    book = load_workbook(io.BytesIO(data))
    assert [tuple(r) for r in book["Tal"].iter_rows(values_only=True)] == [
        ("Måned", "Navn", "Antal", "Andel"),
        (datetime(2020, 3, 1), "A & B <C> 100 %", 3, 12.34),
        (datetime(2018, 12, 1), None, None, None),
    ]
    assert [xlsx._letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"
    ]  # fmt: skip
    again = xlsx.workbook(
        "Tal", columns, xlsx.row_cells(frame, columns), "Om", [("Om", "x"), ("a", "b")]
    )
    assert again == data  # the same bytes for the same input
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
