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

Values are returned as the cells hold them (the value Excel saved with the file). Shares:
a cell formatted as a percentage (0.453 shown as 45,3 %) is returned as the percentage the
reader sees, and such a table's shares are never rescaled; otherwise a share is rescaled from
a fraction only when its label says it is a share and not a percentage ("Andel med mindst 4
samtaler" holding 0,612) and every share is ≤ 1 — never when the label says "pct." or "%"
(`values.shares_are_fractions`).

A formula cell without a saved value (a file written by a script, or saved without
recalculation; also every formula of a workbook that asks to be recalculated when opened) is
an error, not an empty cell: its figure is unknown, not missing.

The work is bounded: the zip directory's unpacked sizes are checked before anything is
unpacked, sheets are streamed (openpyxl's read-only parser) within MAX_SHEET_ROWS rows and
`shapes.MAX_COLUMNS` columns, and the whole workbook within MAX_CELLS cells.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter

from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from .shapes import (
    MAX_ERRORS,
    Skipped,
    SourceFile,
    SourceTable,
    header_meaning,
    match_columns,
    source_frame,
)
from .workbook import BROKEN, Refused, Row, check_archive, sheet_rows, unreadable

# The header is looked for among the first rows only; below that a sheet is not a statement.
HEADER_SEARCH_ROWS = 60
# (The limits are checked on the XML as it streams, before openpyxl builds anything.)


def read_star_xlsx(data: bytes, name: str) -> SourceFile:
    """Read STAR's statement workbook (.xlsx): one SourceTable per sheet that holds a table."""
    check_archive(data, name)
    with warnings.catch_warnings():
        # openpyxl warns about styles, extensions and dates it does not read; the values are
        # what the sheet holds, and a cell it cannot read as a date stays text ("#VALUE!").
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
        except BROKEN as exc:
            raise unreadable(name, exc) from None
        try:
            return _read_workbook(workbook, name)
        finally:
            workbook.close()


def _read_workbook(workbook, name: str) -> SourceFile:  # noqa: ANN001 - a read-only Workbook
    tables: list[SourceTable] = []
    context: list[str] = []
    skipped: list[Skipped] = []
    errors: list[DataError] = []
    calculation = getattr(workbook, "calculation", None)
    stale = bool(calculation is not None and calculation.fullCalcOnLoad)
    for sheet in workbook.worksheets:
        file = f"{name}[{sheet.title}]"
        try:
            rows, unsaved = sheet_rows(sheet, file, stale)
        except Refused as exc:
            raise DataErrors([exc.error]) from None
        except BROKEN as exc:
            raise unreadable(name, exc, file) from None
        if unsaved:
            errors += unsaved
            if len(errors) >= MAX_ERRORS:
                raise DataErrors(errors, stopped=True)
            continue
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
            tables += _sheet_tables(file, sheet, rows, header_at, skipped)
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
    file: str,
    sheet,  # noqa: ANN001 - a read-only worksheet
    rows: list[Row],
    header_at: int,
    skipped: list[Skipped],
) -> list[SourceTable]:
    """Return the sheet's table: one per indicator its columns (or title) speak of; columns of
    an indicator too incomplete to import go to `skipped`, said."""
    header_row, header = rows[header_at]
    width = max(header)
    labels = [_text(header.get(column, (None, 0))[0]) for column in range(1, width + 1)]
    letters = [get_column_letter(column) for column in range(1, width + 1)]
    shown = [
        f"{letter} ({label})" if label else letter
        for letter, label in zip(letters, labels, strict=True)
    ]
    start = next(i for i, label in enumerate(labels) if label)
    above = [
        t for t in (sheet.title, *(" ".join(_texts(cells)) for _, cells in rows[:header_at])) if t
    ]
    matched = match_columns(labels, shown, above, fixed={"municipality": start})
    if matched.problems:
        raise DataErrors([DataError(file, header_row, None, p) for p in matched.problems])
    if len(rows) == header_at + 1:
        raise DataErrors([DataError(file, header_row, None, "has a header but no rows below it")])
    percent = _PercentFormats(sheet, file)
    tables = []
    for part in matched.parts:
        records = []
        as_shown = False
        for number, cells in rows[header_at + 1 :]:
            record: dict[str, object] = {ROW: number}
            for column, j in part.columns.items():
                value, style = cells.get(j + 1, (None, 0))
                if column == "share_pct" and _is_number(value) and percent(style, number):
                    value *= 100  # shown as a percentage: 0.453 is what the reader sees as 45,3 %
                    as_shown = True
                record[column] = value.strip() if isinstance(value, str) else value
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
                shares_as_shown=as_shown,
                national_rows=True,  # a statement's `Hele landet` is STAR's national figure
            )
        )
    skipped.extend(Skipped(file, None, why) for why in matched.dropped)
    return tables


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# A number format's literal text ("…", \x) and [colour or condition] parts show a "%" without
# scaling the value; only a bare "%" does.
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class _PercentFormats:
    """Whether a style's number format shows the value as a percentage (×100 and "%")."""

    def __init__(self, sheet, file: str) -> None:  # noqa: ANN001
        self.sheet = sheet
        self.file = file
        self.known: dict[int, bool] = {}

    def __call__(self, style: int, row: int) -> bool:
        if style not in self.known:
            try:
                fmt = ReadOnlyCell(self.sheet, row, 1, None, "n", style).number_format
            except (IndexError, KeyError, TypeError, AttributeError):
                raise DataErrors(
                    [
                        DataError(
                            self.file,
                            row,
                            None,
                            f"a cell has style {style}, which the "
                            "workbook does not define: the file is damaged",
                        )
                    ]
                ) from None
            self.known[style] = "%" in _LITERALS.sub("", str(fmt or ""))
        return self.known[style]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}-{value.month:02d}"
    return str(value).strip()


def _texts(cells: dict[int, tuple[object, int]]) -> list[str]:
    return [t for t in (_text(cells[c][0]) for c in sorted(cells)) if t]


def _first_text(cells: dict[int, tuple[object, int]]) -> str:
    return next(iter(_texts(cells)), "")
