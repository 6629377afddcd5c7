"""Pure: a table of registered unemployment → rows of the context table `ledighed.csv`.

Municipality rows become context rows and `Hele landet` a row of code 0; other areas and notes
are skipped; every problem becomes a DataError naming the table, row and source column.
"""

from __future__ import annotations

import pandas as pd

from ..domain.dataset import CONTEXT_COLUMNS, ROW
from ..domain.registry import Registry
from ..errors import DataError
from .interpret import NATIONAL, Interpreted, _Enough, _half_up, _short
from .readers.shapes import MAX_ERRORS, ContextTable, Skipped
from .values import (
    Area,
    check_period,
    classify_area,
    is_missing,
    parse_number,
    parse_period,
    unknown_area,
)

CONTEXT_KEY = "ledighed"  # how skipped rows of the context table name what they were of


def interpret_context(table: ContextTable, registry: Registry, *, today: str) -> Interpreted:
    """Return the context rows (`ledighed.csv`) of one table: municipality rows, and
    `Hele landet` as code 0; other areas and notes are skipped, every problem is an error."""
    out = Interpreted(frame=pd.DataFrame())
    labels = table.labels

    def error(row: int | None, column: str | None, message: str) -> None:
        out.errors.append(DataError(table.file, row, labels.get(column, column), message))
        if len(out.errors) >= MAX_ERRORS:
            raise _Enough

    rows: list[dict] = []
    areas: dict[str, Area] = {}
    frame = table.frame
    columns = list(frame.columns)
    try:
        for values in zip(*(frame[c].tolist() for c in columns), strict=True):
            rec = dict(zip(columns, values, strict=True))
            row = int(rec[ROW])
            out.read += 1
            name = "" if is_missing(rec["municipality"]) else str(rec["municipality"]).strip()
            if name not in areas:
                areas[name] = classify_area(name, registry, suggest=False)
            area = areas[name]
            if area.kind in ("blank", "note"):
                out.skipped.append(
                    Skipped(table.file, row, "note or text below the table", CONTEXT_KEY)
                )
                continue
            if area.kind == "unknown":
                error(row, "municipality", unknown_area(name, registry))
                continue
            if area.kind not in ("municipality", "national"):
                reason = f"{_short(name)} is not one of the 98 municipalities"
                out.skipped.append(Skipped(table.file, row, reason, CONTEXT_KEY))
                continue
            place = area.municipality if area.kind == "municipality" else NATIONAL
            try:
                month = parse_period(rec["period"])
            except ValueError as exc:
                error(row, "period", str(exc))
                continue
            if problem := check_period(month, today):
                error(row, "period", problem)
                continue
            figures: dict[str, float | None] = {}
            for column in ("unemployed", "unemployment_pct"):
                try:
                    figures[column] = parse_number(rec[column])
                except ValueError as exc:
                    error(row, column, str(exc))
                    figures[column] = None
            persons, pct = figures["unemployed"], figures["unemployment_pct"]
            if persons is not None and (persons < 0 or persons != round(persons)):
                error(row, "unemployed", f"{persons:g} is not a whole number of persons ≥ 0")
                persons = None
            if pct is not None and not 0 <= pct <= 100:
                error(row, "unemployment_pct", f"{pct:g} is outside 0–100 %")
                pct = None
            rows.append(
                {
                    "period": month,
                    "municipality_code": place.code,
                    "municipality": place.name,
                    "unemployed": persons,
                    "unemployment_pct": None if pct is None else _half_up(pct, 1),
                    ROW: row,
                }
            )
    except _Enough:
        out.stopped = True
        rows = []
    out.context = context_frame(rows).assign(file=table.file)
    return out


def context_frame(rows: list[dict]) -> pd.DataFrame:
    """Return context rows (CONTEXT_COLUMNS + ROW) typed as `store.read_context` reads them."""
    frame = pd.DataFrame(rows, columns=[*CONTEXT_COLUMNS, ROW])
    return pd.DataFrame(
        {
            "period": pd.array(frame["period"], dtype="string"),
            "municipality_code": pd.array(frame["municipality_code"], dtype="Int64"),
            "municipality": pd.array(frame["municipality"], dtype="string"),
            "unemployed": pd.array(frame["unemployed"], dtype="Int64"),
            "unemployment_pct": pd.array(frame["unemployment_pct"], dtype="Float64"),
            ROW: pd.array(frame[ROW], dtype="Int64"),
        }
    )
