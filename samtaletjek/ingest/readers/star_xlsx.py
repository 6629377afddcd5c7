"""Reader of STAR's statement workbook (Excel `.xlsx`), the per-municipality statement STAR
publishes on its samtaledata page.

Format: one or more sheets, usually one per target group and duration interval, named for it
(e.g. "Dagpengemodtagere med 6-9 måneders ledighed"); title and blank rows above a header row
whose first cell is `Kommune` (or `Område`); columns such as `Antal personer`, `Gns. antal
samtaler`, `Andel med mindst 6 samtaler (pct.)`, found by meaning; the measurement month in
the title or the sheet name; frikommuner marked with a trailing `*`; notes rows below.
The same layout serves STAR's other statements: the active offer (`Andel med aktivt tilbud
(pct.)`), passivity (`Passivandel i pct.`, "Manglende aktiv indsats"), or the tidlig indsats
follow-up with the share with 4 jobsamtaler and the share with an offer side by side; the
column labels (else the sheet name or title) say which indicator each figure is of.
Values are returned as the cells hold them; a cell formatted as a percentage (0.453 shown as
45,3 %) is returned as the percentage the reader sees.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from .shapes import (
    Skipped,
    SourceFile,
    SourceTable,
    header_meaning,
    match_columns,
    source_frame,
)

# The header is looked for among the first rows only; below that a sheet is not a statement.
HEADER_SEARCH_ROWS = 60


def read_star_xlsx(data: bytes, name: str) -> SourceFile:
    """Read STAR's statement workbook (.xlsx): one SourceTable per sheet that holds a table."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; the values are fine.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        reason = str(exc) or type(exc).__name__
        raise DataErrors(
            [DataError(name, None, None, f"not a readable Excel workbook (.xlsx): {reason}")]
        ) from None

    tables: list[SourceTable] = []
    context: list[str] = []
    skipped: list[Skipped] = []
    errors: list[DataError] = []
    for sheet in workbook.worksheets:
        file = f"{name}[{sheet.title}]"
        rows = [
            (cells[0].row, cells)
            for cells in sheet.iter_rows()
            if any(_text(c.value) for c in cells)
        ]
        header_at = next(
            (
                k
                for k, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])
                if header_meaning(_first_text(cells)) == "municipality"
            ),
            None,
        )
        if header_at is None:
            texts = [
                sheet.title,
                *(" ".join(_texts(cells)) for _, cells in rows[:HEADER_SEARCH_ROWS]),
            ]
            context.extend(t for t in texts if t)
            reason = "no table (no row starts with 'Kommune' or 'Område')"
            skipped.append(Skipped(file, None, reason if rows else "empty sheet"))
            continue
        try:
            tables += _sheet_tables(file, sheet.title, rows, header_at, skipped)
        except DataErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise DataErrors(errors)
    if not tables:
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    "no table found: no sheet has a header row starting with 'Kommune' or 'Område'",
                )
            ]
        )
    return SourceFile(
        name, "STAR statement workbook (.xlsx)", tuple(tables), tuple(context), tuple(skipped)
    )


def _sheet_tables(
    file: str, title: str, rows: list, header_at: int, skipped: list[Skipped]
) -> list[SourceTable]:
    """Return the sheet's table: one per indicator its columns (or title) speak of; columns of
    an indicator too incomplete to import go to `skipped`, said."""
    header_row, header = rows[header_at]
    labels = [_text(c.value) for c in header]
    letters = [get_column_letter(c.column) for c in header]
    shown = [
        f"{letter} ({label})" if label else letter
        for letter, label in zip(letters, labels, strict=True)
    ]
    start = next(i for i, label in enumerate(labels) if label)
    above = [t for t in (title, *(" ".join(_texts(cells)) for _, cells in rows[:header_at])) if t]
    matched = match_columns(labels, shown, above, fixed={"municipality": start})
    if matched.problems:
        raise DataErrors([DataError(file, header_row, None, p) for p in matched.problems])
    if len(rows) == header_at + 1:
        raise DataErrors([DataError(file, header_row, None, "has a header but no rows below it")])
    tables = []
    for part in matched.parts:
        records = []
        for number, cells in rows[header_at + 1 :]:
            record: dict[str, object] = {ROW: number}
            for column, j in part.columns.items():
                record[column] = _value(cells[j] if j < len(cells) else None, column)
            records.append(record)
        figures = [labels[j] for c, j in part.columns.items() if c in FIGURES]
        tables.append(
            SourceTable(
                file,
                source_frame(records),
                {c: shown[j] for c, j in part.columns.items()},
                (*above, *figures),
                tuple(matched.ignored),
                part.indicator,
                part.said_by,
            )
        )
    skipped.extend(Skipped(file, None, why) for why in matched.dropped)
    return tables


def _value(cell, column: str) -> object:  # noqa: ANN001 - an openpyxl cell or None
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime | dt.date):
        return value
    if column == "share_pct" and "%" in (cell.number_format or ""):
        return value * 100  # shown as a percentage: 0.453 is what the reader sees as 45,3 %
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}-{value.month:02d}"
    return str(value).strip()


def _texts(cells) -> list[str]:  # noqa: ANN001
    return [t for t in (_text(c.value) for c in cells) if t]


def _first_text(cells) -> str:  # noqa: ANN001
    return next(iter(_texts(cells)), "")
