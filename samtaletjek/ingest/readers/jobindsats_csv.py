"""Reader of jobindsats.dk's CSV export.

Format: `;`-separated, decimal comma, UTF-8 with or without a BOM, CRLF or LF line endings;
title lines, then a header row of Danish labels starting with `Område` or `Kommune`
(`Område;Periode;Antal personer;…`), then one row per area and month. The figures may be of
samtaler, of the active offer (`Andel med aktivt tilbud (pct.)`) or of passivity
(`Passivandel i perioden i pct.`), or of several side by side; their labels (else the title
lines) say which.
"""

from __future__ import annotations

import csv
import io

from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from .shapes import (
    Skipped,
    SourceFile,
    SourceTable,
    decode_text,
    header_meaning,
    match_columns,
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
    title = tuple(" ".join(v for v in values if v) for _, values in records[:header_at])
    matched = match_columns(header, context=[t for t in title if t])
    if matched.problems:
        raise DataErrors([DataError(name, line, None, p) for p in matched.problems])

    lines = []
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
        lines.append((line, values + [""] * (len(header) - len(values))))
    if errors:
        raise DataErrors(errors)
    if not lines:
        raise DataErrors(
            [DataError(name, records[header_at][0], None, "has a header but no rows below it")]
        )
    tables = []
    for part in matched.parts:
        rows = [{ROW: n, **{c: values[j] for c, j in part.columns.items()}} for n, values in lines]
        context = title + tuple(header[j] for c, j in part.columns.items() if c in FIGURES)
        labels = {c: header[j] for c, j in part.columns.items()}
        tables.append(
            SourceTable(
                name,
                source_frame(rows),
                labels,
                context,
                tuple(matched.ignored),
                part.indicator,
                part.said_by,
            )
        )
    skipped = tuple(Skipped(name, None, why) for why in matched.dropped)
    return SourceFile(name, "jobindsats CSV", tuple(tables), skipped=skipped)
