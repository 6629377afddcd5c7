"""The downloads made for Danish Excel: a workbook per municipality, target group and indicator
(Danish headers, the groups' Danish names, numbers as numbers, the month as a date), and a
"CSV til dansk Excel" beside the small CSVs (the national and regional figures, the list:
UTF-8 with BOM, ";" between fields, decimal comma), while the machine-readable CSVs stay as
they are.

Each row of the table is published once as CSV (the whole table, for machines) and in the
workbooks readers open: their municipality's, a target group's, a measure's. No CSV repeats a
municipality's or a group's rows (issue 26: they were 60 of the site's 137 MB).

What the workbooks hold is decided here; `publish.xlsx` writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain.dataset import COLUMN_DOCS, DERIVED_MEETING
from ..domain.registry import Registry
from . import addresses
from .base import Link
from .provenance import LICENCE, Origins

# The workbooks' and Danish CSVs' columns, from the canonical table's: (canonical column,
# cell kind, width in characters). Headers are the public contract's (COLUMN_DOCS).
COLUMNS = (
    ("period", "month", 14),
    ("municipality_code", "integer", 12),
    ("municipality", "text", 18),
    ("indicator", "text", 26),
    ("target_group", "text", 42),
    ("persons", "integer", 15),
    ("persons_meeting", "integer", 22),
    ("share_pct", "decimal1", 10),
    ("mean_conversations", "decimal2", 18),
    ("activation_degree", "decimal1", 18),
    ("derived", "text", 22),
    ("source", "text", 48),
)
EMPTY_DOC = (
    "Tomme celler",
    "Tallet mangler eller er skjult af STAR (for få personer); tom er ikke 0.",
)
SHEET = "Tal"
NOTES = "Om tallene"
# Danish headers of the other CSVs' columns (the canonical ones are COLUMN_DOCS').
HEADERS = {
    **{c: doc[0] for c, doc in COLUMN_DOCS.items()},
    "source": "Kilde",
    "region": "Region",
    "published": "STAR's eget landstal",
    "municipalities_reporting": "Kommuner med tal",
    "municipalities_below": "Kommuner under reglen",
    "municipalities_on_list": "Kommuner på listen",
    "months_below": "Måneder i træk under reglen",
    "below_since": "Under reglen siden",
    "latest_period": "Seneste måned",
    "reason": "Begrundelse",
}
MONTHS = ("period", "below_since", "latest_period")  # ÅÅÅÅ-MM, a date in Danish Excel


def header(column: str) -> str:
    return HEADERS[column]


def in_words(frame: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """`frame` (rows of a download, machine-readable columns) as Danish readers get it: the
    indicator's and the target group's Danish names instead of ids, `derived` and `published`
    in words; other values and the column names unchanged."""
    table = frame.copy()
    if "target_group" in frame:
        names = {f"{g.indicator}/{g.id}": g.name for g in registry.every_group}
        indicator = frame.get("indicator", registry.indicator.id)
        keys = indicator + "/" + frame["target_group"]
        table["target_group"] = keys.map(names).fillna(frame["target_group"])
    if "indicator" in frame:
        names = {i.id: i.name for i in registry.indicators}
        table["indicator"] = frame["indicator"].map(names).fillna(frame["indicator"])
    if "derived" in frame:
        derived = {DERIVED_MEETING: header(DERIVED_MEETING), "": ""}
        table["derived"] = frame["derived"].fillna("").map(derived).fillna(frame["derived"])
    if "published" in frame:
        table["published"] = frame["published"].map({"true": "ja", "false": "nej"})
    return table


def danish_table(canonical: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The published table (canonical columns and `source`) in words, the columns of the
    workbooks (`COLUMNS`) in order."""
    return in_words(canonical[[c for c, _, _ in COLUMNS]], registry)


def excel_csv(table: pd.DataFrame) -> str:
    """`table` (in words) as a CSV Danish Excel opens by double-click: a BOM, ";" between
    fields, decimal comma, months as dates (ÅÅÅÅ-MM-01), Danish headers."""
    out = table.copy()
    for month in MONTHS:
        if month in out:
            months = out[month]
            out[month] = months.where(months.isna() | (months == ""), months + "-01")
    out = out.rename(columns=header)
    body = out.to_csv(index=False, sep=";", decimal=",", float_format="%.1f", lineterminator="\r\n")
    return "\ufeff" + body


@dataclass(frozen=True)
class Workbook:
    """One workbook to write: its path, the rows of the Danish table it holds and its notes."""

    path: str
    rows: np.ndarray  # positions in the Danish table
    notes: tuple[tuple[str, ...], ...]


def notes(title: str, origins: Origins, release_date: str) -> tuple[tuple[str, ...], ...]:
    """The notes sheet: what the workbook holds, where each indicator's figures come from,
    the licence, and what each column means."""
    return (
        ("Om tallene", title),
        ("Offentliggjort", release_date),
        *((o.name, o.credit) for o in origins.by_key.values()),
        ("Licens", f"{LICENCE.terms} {LICENCE.url}"),
        EMPTY_DOC,
        ("", ""),
        ("Kolonne", "Betydning"),
        *((header(c), _meaning(c)) for c, _, _ in COLUMNS),
    )


def _meaning(column: str) -> str:
    if column == "source":
        return "Hvor rækkens tal kommer fra: eksempeldata eller STAR's tabel og dato."
    if column == "period":
        return "Målemåneden, som dato (den 1. i måneden), vist som måned og år."
    if column in ("indicator", "target_group"):
        return {"indicator": "Hvad andelen måler.", "target_group": "Målgruppens navn."}[column]
    return COLUMN_DOCS[column][2]


def workbooks(
    canonical: pd.DataFrame, registry: Registry, origins: Origins, release_date: str
) -> Iterator[Workbook]:
    """Every workbook the site offers: one per municipality (all its measures), one per target
    group of each indicator, one per indicator (all its groups and municipalities)."""
    codes = canonical["municipality_code"].to_numpy()
    groups = canonical["target_group"].to_numpy()
    indicators = canonical["indicator"].to_numpy()

    def book(path: str, rows: np.ndarray, title: str) -> Workbook:
        return Workbook(path, np.flatnonzero(rows), notes(title, origins, release_date))

    for m in registry.municipalities:
        title = f"Alle tal for {m.name}: alle målinger og målgrupper."
        yield book(addresses.municipality_workbook(m), codes == m.code, title)
    for g in registry.every_group:
        title = f"{registry.indicator_by_id(g.indicator).name}: {g.name}, alle kommuner."
        rows = (groups == g.id) & (indicators == g.indicator)
        yield book(addresses.group_workbook(g), rows, title)
    for i in registry.indicators:
        yield Workbook(
            addresses.indicator_workbook(i),
            np.flatnonzero(indicators == i.id),
            notes(f"{i.name}: alle målgrupper og kommuner.", origins, release_date),
        )


def workbook_links(path: str, what: str) -> tuple[Link, ...]:
    """The links to a workbook's rows: "Hent <what> (Excel)", and the whole table as CSV for
    machines, where the same rows are (no CSV repeats them)."""
    return (
        Link(path, f"Hent {what} (Excel)"),
        Link(addresses.ALL_CSV, "alle kommuners tal som CSV (maskinlæsbar)"),
    )


def csv_links(csv_path: str, what: str) -> tuple[Link, ...]:
    """The links to a small CSV in its two forms: for Danish Excel, and machine-readable."""
    return (
        Link(addresses.excel_csv(csv_path), f"Hent {what} (CSV til dansk Excel)"),
        Link(csv_path, "CSV (maskinlæsbar)"),
    )
