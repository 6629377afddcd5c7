"""Reader of jobindsats.dk's CSV export.

Format: `;`-separated, decimal comma, UTF-8 with or without a BOM, CRLF or LF line endings;
title lines, then a header row of Danish labels starting with `Område` or `Kommune`
(`Område;Periode;Antal personer;…`), then one row per area and month.
"""

from __future__ import annotations

import csv
import io

from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from .shapes import (
    SourceFile,
    SourceTable,
    decode_text,
    header_meaning,
    match_columns,
    missing_columns,
    source_frame,
)


def read_jobindsats_csv(data: bytes, name: str) -> SourceFile:
    """Read a jobindsats.dk CSV export: `;`-separated, decimal comma, UTF-8
    with or without BOM, CRLF or LF, a header row of Danish labels starting with `Område` or
    `Kommune`; title lines above it are kept as context (they may name month and group)."""
    text = decode_text(data, name)
    if not text.strip():
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    records: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            records.append((reader.line_num, [v.strip() for v in values]))
    except csv.Error as exc:
        raise DataErrors(
            [DataError(name, reader.line_num, None, f"not readable CSV: {exc}")]
        ) from None

    header_at = next(
        (
            k
            for k, (_, values) in enumerate(records)
            if any(values) and header_meaning(next(v for v in values if v)) == "municipality"
        ),
        None,
    )
    if header_at is None:
        first = next((values for _, values in records if any(values)), [""])
        if len(first) == 1 and ("," in first[0] or "\t" in first[0]):
            message = "columns are not separated by ';' (jobindsats CSV uses ';')"
        else:
            message = "no header row: no line starts with 'Område' or 'Kommune'"
        raise DataErrors([DataError(name, None, None, message)])
    line, header = records[header_at]
    columns, ignored, problems = match_columns(header)
    problems += missing_columns(columns)
    if problems:
        raise DataErrors([DataError(name, line, None, p) for p in problems])

    rows = []
    errors = []
    for line, values in records[header_at + 1 :]:
        if not any(values):
            continue
        if len(values) > len(header) and any(values[len(header) :]):
            errors.append(
                DataError(
                    name, line, None, f"has {len(values)} fields; the header has {len(header)}"
                )
            )
            continue
        values = values + [""] * (len(header) - len(values))
        row: dict[str, object] = {ROW: line}
        row.update({c: values[j] for c, j in columns.items()})
        rows.append(row)
    if errors:
        raise DataErrors(errors)
    if not rows:
        raise DataErrors(
            [DataError(name, records[header_at][0], None, "has a header but no rows below it")]
        )
    title = tuple(" ".join(v for v in values if v) for _, values in records[:header_at])
    context = title + tuple(header[j] for c, j in columns.items() if c in FIGURES)
    labels = {c: header[j] for c, j in columns.items()}
    table = SourceTable(name, source_frame(rows), labels, context, tuple(ignored))
    return SourceFile(name, "jobindsats CSV", (table,))
