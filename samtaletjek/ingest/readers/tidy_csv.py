"""Reader of tidy CSV files of jobindsats.dk figures: one row per month and area.

Format: `,`-separated, decimal point and no thousands separator, UTF-8 with or without a BOM,
CRLF or LF line endings; a header row `period,area,<measure>_<table id>,…`, then one row per
month (`2026-07`) and area. Areas are named as jobindsats names them (`Vesthimmerlands`,
`Høje-Taastrup`, no "Kommune"), and `Hele landet` is STAR's own national figure. A measure
column's name ends in the id of the jobindsats table it comes from (`persons_y60a02`: table
y60a02); the ids are read from there. An empty cell is a suppressed figure: missing, not 0.
This is the layout of the real figures in `site_data/star/` (see its README).

What the columns hold, by their measure names:
- activation, indicator `aktivering`: `persons_<table>` (persons on the benefit in the month),
  `andel_aktiveringsberoerte_pct_<table>` (the share who took part in an active offer at
  least one day in the month, as STAR publishes it) and `aktiveringsgrad_<table>` (the
  activation degree). `fulltime_persons_<table>` (full-time persons) is not stored. Which
  benefit (target group) the file holds is said by its name (`kontanthjaelp_aktivering_…`)
  or by `--target-group`.
- registered unemployment, the context table `ledighed.csv`: `ledige_<table>` (persons) and
  `ledighedspct_<table>` (% of the labour force). Columns of the unemployed on one benefit
  (`ledige_dagpenge`) are not stored.

A file holding both kinds gives a table of each. Any other column is left out and said so.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ...domain.danish import fold
from ...domain.dataset import ROW
from ...errors import DataError, DataErrors
from ..values import is_missing, shown
from .shapes import (
    CONTEXT_SOURCE_COLUMNS,
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_ROWS,
    MAX_VALUES,
    ContextTable,
    SourceFile,
    SourceTable,
    decode_text,
    source_frame,
    text_encoding,
)

FORMAT = "tidy CSV of jobindsats figures (period,area,…)"
ACTIVATION = "aktivering"  # the indicator the activation columns are of
# Measure name → (which table it belongs to, canonical column).
_MEASURES = {
    "persons": (ACTIVATION, "persons"),
    "andel_aktiveringsberoerte_pct": (ACTIVATION, "share_pct"),
    "aktiveringsgrad": (ACTIVATION, "activation_degree"),
    "ledige": ("ledighed", "unemployed"),
    "ledighedspct": ("ledighed", "unemployment_pct"),
}
# Measures the layout holds that are not stored, and why.
_NOT_STORED = {
    "fulltime_persons": "full-time persons (fuldtidspersoner) are not stored; the share and "
    "the derived count are of persons",
    "ledige_": "the unemployed on one benefit are not stored; ledighed.csv holds all "
    "registered unemployed",
}
# A jobindsats table id: letters, then digits, then letters or digits ("y60c07", "smt02").
_TABLE_ID = re.compile(r"[a-z]+\d+[a-z0-9]*")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def is_tidy_csv(data: bytes) -> bool:
    """True if a text file's first line is this layout's header (`period,area,…`)."""
    head = data[:4000].decode(text_encoding(data), errors="ignore").lstrip("\ufeff \t\r\n")
    fields = [f.strip().strip('"') for f in head.splitlines()[0].split(",")] if head else []
    return len(fields) > 2 and [fold(f) for f in fields[:2]] == ["period", "area"]


def _measure(label: str) -> tuple[str, str]:
    """Return (measure name, table id) of a column name; "" where it names no table."""
    name = label.strip().lower()
    measure, _, table = name.rpartition("_")
    if measure and _TABLE_ID.fullmatch(table):
        return measure, table
    return name, ""


def read_tidy_csv(data: bytes, name: str) -> SourceFile:
    """Read a tidy CSV file of jobindsats figures (see the module's docstring)."""
    text = decode_text(data, name)
    records = _records(text, name)
    header_line, header = records[0]
    columns: dict[str, dict[str, int]] = {}  # table kind → canonical column → index
    tables: dict[int, str] = {}  # index → the table id its name ends in
    notes, problems = [], []
    for i, label in enumerate(header[2:], start=2):
        measure, table = _measure(label)
        if measure in _MEASURES:
            kind, column = _MEASURES[measure]
            if column in columns.get(kind, {}):
                first = header[columns[kind][column]]
                problems.append(f"columns {first}, {label} both hold {measure}; keep one")
                continue
            columns.setdefault(kind, {})[column] = i
            if table:
                tables[i] = table
            continue
        why = next((w for m, w in _NOT_STORED.items() if measure.startswith(m)), None)
        notes.append(f"{name}: column {label}: {why or 'not a measure this layout holds'}")
    activation = columns.get(ACTIVATION, {})
    if activation and not {"persons", "share_pct"} <= set(activation):
        problems.append(
            "activation figures need persons_<table> and andel_aktiveringsberoerte_pct_<table>; "
            f"the header has {', '.join(header[i] for i in activation.values())}"
        )
    if not columns:
        problems.append(
            "no column this layout knows (persons_<table>, andel_aktiveringsberoerte_pct_<table>, "
            "aktiveringsgrad_<table>, ledige_<table>, ledighedspct_<table>)"
        )
    if problems:
        raise DataErrors([DataError(name, header_line, None, p) for p in problems])

    rows, errors = _rows(records, name, {i for kind in columns.values() for i in kind.values()})
    if errors:
        raise DataErrors(errors, stopped=len(errors) >= MAX_ERRORS)
    if not rows:
        raise DataErrors([DataError(name, header_line, None, "has a header but no rows below it")])

    def frame_of(kind: str) -> list[dict[str, object]]:
        own = {"municipality": 1, "period": 0, **columns[kind]}
        return [{ROW: n, **{c: values[i] for c, i in own.items()}} for n, values in rows]

    def ids(kind: str, order: tuple[str, ...]) -> tuple[str, ...]:
        found = (tables.get(columns[kind][c], "") for c in order if c in columns[kind])
        return tuple(dict.fromkeys(t for t in found if t))

    labels = {"municipality": header[1], "period": header[0]}
    out_tables, context_tables = [], []
    if activation:
        out_tables.append(
            SourceTable(
                name,
                source_frame(frame_of(ACTIVATION)),
                labels | {c: header[i] for c, i in activation.items()},
                context=(Path(name).stem,),  # the file's name says which benefit
                indicator=ACTIVATION,
                table_ids=ids(ACTIVATION, ("share_pct", "activation_degree", "persons")),
                shares_as_shown=True,  # percentages, as the layout says
                national_rows=True,  # `Hele landet` is STAR's own national figure
            )
        )
    if "ledighed" in columns:
        import pandas as pd

        context_tables.append(
            ContextTable(
                name,
                pd.DataFrame(
                    [[r.get(c) for c in CONTEXT_SOURCE_COLUMNS] for r in frame_of("ledighed")],
                    columns=list(CONTEXT_SOURCE_COLUMNS),
                    dtype=object,
                ),
                labels | {c: header[i] for c, i in columns["ledighed"].items()},
                ids("ledighed", ("unemployed", "unemployment_pct")),
            )
        )
    return SourceFile(
        name,
        FORMAT,
        tuple(out_tables),
        context_tables=tuple(context_tables),
        notes=tuple(notes),
    )


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Return (line, fields) of every non-blank line, within MAX_ROWS, MAX_COLUMNS and
    MAX_VALUES; a quote left open is an error naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start, values = 1, 0

    def fail(message: str) -> DataErrors:
        return DataErrors([DataError(name, start, None, message)])

    try:
        for fields in reader:
            if reader.line_num != start:
                raise fail('a quote (") opens a field on this line and is not closed on it')
            if len(records) > MAX_ROWS:
                raise fail(
                    f"the file goes on beyond {MAX_ROWS:,} lines, the most the import reads "
                    "from one file; import it in parts"
                )
            if len(fields) > MAX_COLUMNS:
                raise fail(f"has {len(fields):,} fields; the import reads at most {MAX_COLUMNS}")
            values += len(fields)
            if values > MAX_VALUES:
                raise fail(f"the file goes on beyond {MAX_VALUES:,} fields; import it in parts")
            if any(f.strip() for f in fields):
                records.append((start, [f.strip() for f in fields]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise fail(f"not readable CSV: {exc} (a stray quote?)") from None
    if not records:
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    return records


def _rows(
    records: list[tuple[int, list[str]]], name: str, numeric: set[int]
) -> tuple[list[tuple[int, list[object]]], list[DataError]]:
    """Return (line, values) of the rows below the header, figures as numbers (None where
    missing), and every cell that is not as the layout says."""
    header = records[0][1]
    rows, errors = [], []
    for line, fields in records[1:]:
        if len(fields) != len(header):
            errors.append(
                DataError(
                    name, line, None, f"has {len(fields)} fields; the header has {len(header)}"
                )
            )
        else:
            values: list[object] = list(fields)
            for i in numeric:
                cell = fields[i]
                if is_missing(cell):
                    values[i] = None
                elif _NUMBER.fullmatch(cell):
                    values[i] = float(cell)
                else:
                    errors.append(
                        DataError(
                            name,
                            line,
                            header[i],
                            f"{shown(cell)} is not a number written as this layout writes them "
                            "(a decimal point, no thousands separator: 1234.5)",
                        )
                    )
            rows.append((line, values))
        if len(errors) >= MAX_ERRORS:
            break
    return rows, errors
