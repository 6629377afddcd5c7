"""What every source reader returns, and the header matching they share.

A reader only finds the table and its columns; the values stay as the source wrote them
(text with decimal comma, numbers, markers such as `..`). Turning them into canonical figures,
codes and months is the pure work of `ingest.interpret`. STAR's statement workbooks are built
from the same jobindsats figures and use the same column wording, so all readers match their
headers by meaning here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ...domain.danish import slugify
from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors

# The columns of a source frame: canonical names, values as the source wrote them.
SOURCE_COLUMNS = (ROW, "municipality", "period", "target_group", *FIGURES)


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


def load_json(data: bytes, name: str) -> object:
    """Return the JSON value a file holds; empty, not UTF-8 or not JSON is a clear error."""
    text = decode_text(data, name)
    if not text.strip():
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        ends = text.rstrip()[-1:]
        cut = "" if ends in ("]", "}") else " (the file ends too early: truncated?)"
        raise DataErrors(
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}{cut}")]
        ) from None
