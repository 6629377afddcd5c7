"""Reader of jobindsats.dk's CSV export.

Format: `;`-separated, decimal comma, UTF-8 with or without a BOM, CRLF or LF line endings;
title lines, then a header row of Danish labels starting with `Område` or `Kommune`
(`Område;Periode;Antal personer;…`), then one row per area and month. The figures may be of
samtaler, of the active offer (`Andel med aktivt tilbud (pct.)`) or of passivity
(`Passivandel i perioden i pct.`), or of several side by side; their labels (else the title
lines) say which.

Also read as they are: the same file saved as UTF-16 (Excel's "Unicode text"), and with tabs
between the columns. A file with `,` between its columns is refused, saying so: there a
decimal comma cannot be told from a column break. Shares are rescaled from fractions only
when their label says they are a share and not a percentage and every one is ≤ 1, never when
it says "pct." or "%" (`values.shares_are_fractions`). A quote that opens a field and is not
closed on the same line is an error naming that line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice

from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from ..values import shown
from .shapes import (
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_ROWS,
    MAX_VALUES,
    Skipped,
    SourceFile,
    SourceTable,
    decode_text,
    header_meaning,
    match_columns,
    source_frame,
    text_encoding,
)

# The header is looked for among the first lines only; below that a file is not an export.
HEADER_SEARCH_LINES = 60
_LONGEST_HEADER = 65_536  # characters of a line read while looking for the header


def read_jobindsats_csv(data: bytes, name: str) -> SourceFile:
    """Read a jobindsats.dk CSV export: `;`-separated (or tab-separated), decimal comma, UTF-8
    with or without BOM (or UTF-16), CRLF or LF, a header row of Danish labels starting with
    `Område` or `Kommune`; title lines above it are kept as context (they may name month and
    group)."""
    try:
        delimiter = _delimiter(data, name)
        records = _records(data, name, delimiter)
    except UnicodeDecodeError:
        decode_text(data, name)  # raises, naming the line and byte
        raise
    if not any(values for _, values in records):
        raise DataErrors([DataError(name, None, None, "the file is empty")])

    header_at = next(
        (
            k
            for k, (_, values) in enumerate(records[:HEADER_SEARCH_LINES])
            if any(values) and header_meaning(next(v for v in values if v)) == "municipality"
        ),
        None,
    )
    if header_at is None:
        line, first = next(((n, v) for n, v in records if any(v)), (None, [""]))
        found = shown(delimiter.join(first), 60)
        message = (
            f"no header row: no line starts with 'Område' or 'Kommune' (the first reads {found})"
        )
        raise DataErrors([DataError(name, line, None, message)])
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
            if len(errors) >= MAX_ERRORS:
                raise DataErrors(errors, stopped=True)
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
                national_rows=True,  # `Hele landet` is STAR's own national figure
            )
        )
    skipped = tuple(Skipped(name, None, why) for why in matched.dropped)
    return SourceFile(name, "jobindsats CSV", tuple(tables), skipped=skipped)


def _lines(data: bytes, longest: int = -1) -> Iterator[str]:
    """Yield the lines of a text file as they are decoded, each with its line break: the
    whole text is never held at once."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=text_encoding(data), newline="")
    while line := stream.readline(longest):
        yield line


def _delimiter(data: bytes, name: str) -> str:
    """Return what separates the columns, from the header line: ';' or a tab. A header
    separated by ',' is refused: with ',' between columns a decimal comma is a column break."""
    for number, line in enumerate(islice(_lines(data, _LONGEST_HEADER), HEADER_SEARCH_LINES), 1):
        for delimiter in (";", "\t", ","):
            fields = [f.strip().strip('"').strip() for f in line.split(delimiter)]
            first = next((f for f in fields if f), "")
            if len(fields) < 2 or header_meaning(first) != "municipality":
                continue
            if delimiter != ",":
                return delimiter
            raise DataErrors(
                [
                    DataError(
                        name,
                        number,
                        None,
                        f"the header {shown(line.rstrip(), 60)} has ',' between its columns; "
                        "jobindsats' CSV has ';' and a decimal comma, and with ',' between "
                        "columns a number such as 12,5 cannot be read: save the file with ';' "
                        "between the columns",
                    )
                ]
            )
    return ";"


def _records(data: bytes, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Return (line, fields) for each line of the file, within MAX_ROWS and MAX_COLUMNS."""
    reader = csv.reader(_lines(data), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    values_left = MAX_VALUES

    def fail(message: str) -> DataErrors:
        return DataErrors([DataError(name, start, None, message)])

    try:
        for values in reader:
            if reader.line_num != start:
                # A field ran over a line break: jobindsats writes none, so a quote opened on
                # line `start` was not closed.
                raise _unclosed(name, start, data)
            if len(records) >= MAX_ROWS:
                raise fail(
                    f"the file goes on beyond {MAX_ROWS:,} lines, the most the import reads "
                    "from one file; import it in parts"
                )
            if len(values) > MAX_COLUMNS:
                raise fail(f"has {len(values):,} fields; the import reads at most {MAX_COLUMNS}")
            values_left -= len(values)
            if values_left < 0:
                raise fail(
                    f"the file goes on beyond {MAX_VALUES:,} fields, the most the import reads "
                    "from one file; import it in parts"
                )
            if any("\x00" in v for v in values):
                raise fail("holds a NUL character: not a text file")
            records.append((start, [v.strip() for v in values]))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc) or "field larger than" in str(exc):
            raise _unclosed(name, start, data) from None
        raise fail(f"not readable CSV: {exc} (a stray quote?)") from None
    return records


def _unclosed(name: str, line: int, data: bytes) -> DataErrors:
    opened = next(islice(_lines(data, _LONGEST_HEADER), line - 1, None), "").rstrip()
    said = f": {shown(opened, 60)}" if opened else ""
    return DataErrors(
        [
            DataError(
                name,
                line,
                None,
                f'a quote (") opens a field on this line and is not closed on it{said}',
            )
        ]
    )
