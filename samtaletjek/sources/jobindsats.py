"""Readers of jobindsats.dk's API v2 JSON and CSV export (FORMATS.md §2–3), and the shapes
every source reader returns.

STAR's statement workbooks (`star_xlsx.py`) are built from the same jobindsats figures and use
the same column wording, so they share `SourceTable`, `SourceFile` and `header_meaning` from
here. A reader only finds the table and its columns; the values stay as the source wrote them
(text with decimal comma, numbers, markers such as `..`). Turning them into canonical figures,
codes and months is the importer's pure work.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import DataError, DataErrors
from ..registry import slugify
from .canonical import ROW

FIGURES = ("persons", "persons_meeting", "share_pct", "mean_conversations")
# The columns of a source frame: canonical names, values as the source wrote them.
SOURCE_COLUMNS = (ROW, "municipality", "period", "target_group", *FIGURES)
# What a wrong or expired token gets instead of data (FORMATS.md §2).
WRONG_TOKEN_MARK = "nøgle"


@dataclass(frozen=True)
class Skipped:
    """A row or sheet the import did not use, and why."""

    file: str
    row: int | None
    reason: str


@dataclass(frozen=True, eq=False)
class SourceTable:
    """One table found in a source file, in canonical column names but not yet interpreted.

    `frame` has SOURCE_COLUMNS: `row` (where in the file), `municipality` (the area name as
    written), `period` and `target_group` (the source's text, None where the file has no such
    column), and the figures as written (numbers, Danish text or missing markers).
    """

    file: str  # where messages point: "statement.xlsx[Dagpenge]", "data.csv"
    frame: pd.DataFrame
    labels: Mapping[str, str]  # canonical column → how the source names it, for messages
    context: tuple[str, ...] = ()  # sheet name, title rows, headers: may name month and group
    ignored: tuple[str, ...] = ()  # source columns the import does not use


@dataclass(frozen=True, eq=False)
class SourceFile:
    name: str
    format: str
    tables: tuple[SourceTable, ...]
    context: tuple[str, ...] = ()  # text outside the tables (e.g. a front sheet)
    skipped: tuple[Skipped, ...] = ()


def words(text: str) -> str:
    """Return `text` folded to plain lower-case words: `Andel (pct.)` → `andel pct`."""
    return slugify(str(text)).replace("-", " ")


_AREA_HEADERS = {"kommune", "kommuner", "kommunenavn", "omraade", "area", "jobcenter"}
_GROUP_HEADERS = {"maalgruppe", "maalgrupper", "ydelsesgruppe", "ydelsesgrupper", "ydelse"}


def header_meaning(label: str) -> str | None:
    """Return the canonical column a source header means, "change", or None if not understood.

    Matched by keywords with case and accents folded, in an order that keeps "Andel med mindst
    6 samtaler" (a share) apart from "Antal personer med mindst 6 samtaler" (a count).
    """
    w = words(label)
    tokens = set(w.split())
    folded = w.replace(" ", "")
    if not folded:
        return None
    if any(k in folded for k in ("aendring", "procentpoint", "pctpoint", "forskel")):
        return "change"
    if folded in _AREA_HEADERS:
        return "municipality"
    if folded in {"periode", "period", "maaned", "tid", "tidspunkt"}:
        return "period"
    if folded in _GROUP_HEADERS:
        return "target_group"
    if "andel" in tokens or "pct" in tokens or "procent" in tokens or "%" in str(label):
        return "share_pct"
    if "samtaler" in folded and ({"gns", "gennemsnit", "gennemsnitligt"} & tokens):
        return "mean_conversations"
    if "samtale" in folded and "personer" in tokens and ("mindst" in tokens or "med" in tokens):
        return "persons_meeting"
    if "personer" in tokens or folded in {"antal", "antalialt", "personerialt"}:
        return "persons"
    return None


def match_columns(
    labels: Sequence[str], names: Sequence[str] | None = None
) -> tuple[dict[str, int], list[str], list[str]]:
    """Return (canonical column → index, ignored labels, problems) for a header row.

    `names` are shown in messages instead of the labels where given (e.g. "C (Antal personer)").
    """
    shown = list(names) if names is not None else list(labels)
    found: dict[str, list[int]] = {}
    ignored = []
    for i, label in enumerate(labels):
        meaning = header_meaning(label) if label is not None else None
        if meaning is None or meaning == "change":
            if label not in (None, ""):
                ignored.append(shown[i])
            continue
        found.setdefault(meaning, []).append(i)
    problems = [
        f"columns {', '.join(shown[i] for i in idx)} all look like {column}; keep one"
        for column, idx in found.items()
        if len(idx) > 1
    ]
    return {c: idx[0] for c, idx in found.items()}, ignored, problems


def missing_columns(columns: Mapping[str, object]) -> list[str]:
    """Return what a table lacks to be imported (empty = it has what it needs)."""
    lacks = []
    if "municipality" not in columns:
        lacks.append("no column of municipalities (a header 'Kommune' or 'Område')")
    if "persons" not in columns:
        lacks.append("no column with the number of persons (e.g. 'Antal personer')")
    if "persons_meeting" not in columns and "share_pct" not in columns:
        lacks.append(
            "no column with the share or number who had the samtaler "
            "(e.g. 'Andel med mindst 6 samtaler (pct.)')"
        )
    return lacks


def source_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Return a source frame (SOURCE_COLUMNS, values untouched) from row dicts."""
    return pd.DataFrame(
        [[r.get(c) for c in SOURCE_COLUMNS] for r in rows],
        columns=list(SOURCE_COLUMNS),
        dtype=object,
    )


def is_wrong_token_answer(raw: object) -> bool:
    """True for jobindsats' answer to a wrong or expired token: `{"Forkert nøgle …": ""}`."""
    return (
        isinstance(raw, dict)
        and len(raw) == 1
        and WRONG_TOKEN_MARK in next(iter(raw)).lower()
        and "Data" not in raw
    )


def decode_text(data: bytes, name: str) -> str:
    """Return `data` as text; UTF-8 with or without BOM, anything else is a clear error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        hint = ""
        if byte in b"\xe6\xf8\xe5\xc6\xd8\xc5":
            hint = f" ({bytes([byte]).decode('latin-1')!r} in Latin-1: save the file as UTF-8)"
        raise DataErrors(
            [DataError(name, line, None, f"not UTF-8 text: byte 0x{byte:02X}{hint}")]
        ) from None


# ---- API v2 JSON ------------------------------------------------------------------------------


def read_jobindsats_json(
    data: bytes, name: str, measures: Mapping[str, str] | None = None
) -> SourceFile:
    """Read a jobindsats.dk API v2 data answer (JSON, FORMATS.md §2).

    The answer is a list of objects `{"Variables": [{"Name", "Label"}, …], "Data": [[…], …]}`.
    Columns are found by `Name` (`area`, `period`, and the measure ids in `measures`, a map from
    canonical column to measure Name, as configured for fetch) or else by the meaning of `Label`.
    """
    text = decode_text(data, name)
    if not text.strip():
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        ends = text.rstrip()[-1:]
        cut = "" if ends in ("]", "}") else " (the file ends too early: truncated?)"
        raise DataErrors(
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}{cut}")]
        ) from None
    if is_wrong_token_answer(raw):
        message = next(iter(raw))
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    f"this is jobindsats.dk's answer to a wrong or expired API key ({message!r}), "
                    "not data",
                )
            ]
        )
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(
        isinstance(part, dict) and "Variables" in part and "Data" in part for part in raw
    ):
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    "not a jobindsats v2 data answer "
                    '(expected [{"Variables": [...], "Data": [...]}])',
                )
            ]
        )
    if not raw:
        raise DataErrors([DataError(name, None, None, "the answer holds no table")])
    tables = []
    errors: list[DataError] = []
    for n, part in enumerate(raw):
        file = f"{name}[Data]" if len(raw) == 1 else f"{name}[{n}].Data"
        try:
            tables.append(_json_table(part, file, measures))
        except DataErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise DataErrors(errors)
    return SourceFile(name, "jobindsats API v2 JSON", tuple(tables))


def _json_table(part: dict, file: str, measures: Mapping[str, str] | None) -> SourceTable:
    variables = part["Variables"]
    if not isinstance(variables, list) or not all(
        isinstance(v, dict) and "Name" in v for v in variables
    ):
        raise DataErrors([DataError(file, None, None, "Variables must be a list of {Name, Label}")])
    names = [str(v["Name"]) for v in variables]
    labels = [str(v.get("Label") or v["Name"]) for v in variables]
    shown = [
        labels[i] if labels[i] == names[i] else f"{names[i]} ({labels[i]})"
        for i in range(len(names))
    ]
    by_name = {n.lower(): i for i, n in enumerate(names)}

    columns, ignored, problems = match_columns(labels, shown)
    for fixed in ("area", "period"):
        if fixed in by_name:
            columns["municipality" if fixed == "area" else "period"] = by_name[fixed]
    if measures:
        # Configured measure ids win over meaning; a configured id that is absent is an error.
        for column in FIGURES:
            columns.pop(column, None)
        for column, measure in measures.items():
            if not measure:
                continue
            if measure.lower() not in by_name:
                problems.append(
                    f"measure {measure!r} (configured for {column}) is not in the answer; "
                    f"it has {', '.join(names)}"
                )
            else:
                columns[column] = by_name[measure.lower()]
        used = set(columns.values())
        ignored = [shown[i] for i in range(len(names)) if i not in used]
    problems += missing_columns(columns)
    if problems:
        raise DataErrors([DataError(file, None, "Variables", p) for p in problems])

    data = part["Data"]
    if not isinstance(data, list):
        raise DataErrors([DataError(file, None, None, "Data must be a list of rows")])
    errors = []
    rows = []
    for i, values in enumerate(data, start=1):
        if not isinstance(values, list) or len(values) != len(names):
            count = len(values) if isinstance(values, list) else "no"
            errors.append(
                DataError(file, i, None, f"has {count} values; Variables names {len(names)}")
            )
            continue
        row: dict[str, object] = {ROW: i}
        row.update({c: values[j] for c, j in columns.items()})
        rows.append(row)
    if errors:
        raise DataErrors(errors)
    if not rows:
        raise DataErrors([DataError(file, None, None, "Data holds no rows")])
    used_labels = {c: shown[j] for c, j in columns.items()}
    context = tuple(labels[j] for c, j in columns.items() if c in FIGURES)
    return SourceTable(file, source_frame(rows), used_labels, context, tuple(ignored))


# ---- CSV export -------------------------------------------------------------------------------


def read_jobindsats_csv(data: bytes, name: str) -> SourceFile:
    """Read a jobindsats.dk CSV export (FORMATS.md §3): `;`-separated, decimal comma, UTF-8
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
