"""What every source reader returns, and the header matching they share.

A reader only finds the table and its columns; the values stay as the source wrote them
(text with decimal comma, numbers, markers such as `..`). Turning them into canonical figures,
codes and months is the pure work of `ingest.interpret`. STAR's statement workbooks are built
from the same jobindsats figures and use the same column wording, so all readers match their
headers by meaning here, and tell by the same keywords (`ingest.indicators`) which indicator
each figure is of: a table holding samtaler and tilbud side by side becomes one table each.

Every reader's work is bounded, so a small hostile file cannot take minutes or gigabytes: no
file over MAX_FILE_BYTES is read, no table over MAX_ROWS rows or MAX_COLUMNS columns, and a
reader stops after MAX_ERRORS problems.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ...domain.danish import slugify
from ...domain.dataset import FIGURES, ROW
from ...errors import DataError, DataErrors
from ..indicators import DEFAULT, INDICATORS, read_label
from ..indicators import named as named_in
from ..values import BadNumber

# The columns of a source frame: canonical names, values as the source wrote them.
SOURCE_COLUMNS = (ROW, "municipality", "period", "target_group", *FIGURES)

# Limits on what a reader takes on, so that an import ends within seconds and a few hundred
# MB whatever a file holds. STAR's statements hold a few hundred rows a sheet, and a year of
# jobindsats' figures for every municipality and group some 12,000; a larger export is
# imported in parts.
MAX_FILE_BYTES = 100 * 2**20
MAX_ROWS = 100_000  # rows of one table (a CSV file, a JSON answer)
MAX_COLUMNS = 500
MAX_ERRORS = DataErrors.max_shown  # problems a reader collects before it stops looking
# Values in one text file (a CSV file's fields, a JSON answer's values, counted before it is
# parsed): Python holds each in some 50-100 bytes.
MAX_VALUES = 2_000_000
MAX_JSON_DEPTH = 100  # where a message places nesting too deep to parse; answers nest 3 deep


@dataclass(frozen=True)
class Skipped:
    """A row or sheet the import did not use, and why."""

    file: str
    row: int | None
    reason: str
    indicator: str = ""  # the indicator of the table it was skipped from ("" = none)


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
    indicator: str = DEFAULT  # what the share measures: samtaler, tilbud, passivandel
    indicator_from: str = "columns"  # what said so (see `Part.said_by`; "" = nothing did)
    # Rows of a target group the indicator does not measure are skipped (and listed), not
    # errors: jobindsats' tables list every benefit group.
    skip_other_groups: bool = False
    # The reader has read the shares as the percentages the source shows (a spreadsheet cell
    # formatted as a percentage): never rescaled (see `values.shares_are_fractions`).
    shares_as_shown: bool = False
    # The source's table ids the figures come from, where the file names them ("y60c07",
    # "y60a02"): the provenance the manifest records per indicator.
    table_ids: tuple[str, ...] = ()
    # `Hele landet` rows become canonical rows of code 0 (STAR's own national figure) besides
    # serving the cross-check; a reader sets this where its format has been checked for it.
    national_rows: bool = False


# The columns of a context frame (registered unemployment): canonical names, values as the
# source wrote them.
CONTEXT_SOURCE_COLUMNS = (ROW, "municipality", "period", "unemployed", "unemployment_pct")


@dataclass(frozen=True, eq=False)
class ContextTable:
    """Registered unemployment per area and month found in a source file, for the context
    table `ledighed.csv`; `frame` has CONTEXT_SOURCE_COLUMNS, values as the source wrote them."""

    file: str
    frame: pd.DataFrame
    labels: Mapping[str, str]  # canonical column → how the source names it, for messages
    table_ids: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class SourceFile:
    name: str
    format: str
    tables: tuple[SourceTable, ...]
    context: tuple[str, ...] = ()  # text outside the tables (e.g. a front sheet)
    skipped: tuple[Skipped, ...] = ()
    context_tables: tuple[ContextTable, ...] = ()  # registered unemployment (`ledighed.csv`)
    notes: tuple[str, ...] = ()  # what the reader left out on purpose, for the summary


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


_DIMENSIONS = ("municipality", "period", "target_group")


@dataclass(frozen=True)
class Part:
    """The columns of one indicator in a header row. A table may hold several indicators side
    by side (the share with 4 jobsamtaler next to the share with an offer): each is a part,
    and they share the area, month and group columns and a label of persons that names none.
    `said_by`: what named the indicator ("columns", "title", "configured"; "" = nothing did,
    so it is samtaler, the statement's own measure)."""

    indicator: str
    said_by: str
    columns: dict[str, int]  # canonical column → index


@dataclass
class Matched:
    parts: list[Part]
    ignored: list[str]  # labels the import does not use
    problems: list[str]
    dropped: list[str]  # why an indicator's columns are not imported (too few of them)
    dims: dict[str, int] = field(default_factory=dict)  # the area, month and group columns


def match_columns(
    labels: Sequence[str],
    names: Sequence[str] | None = None,
    context: Sequence[str] = (),
    fixed: Mapping[str, int] | None = None,
) -> Matched:
    """Match a header row by meaning: its dimension columns, and per indicator its figures.

    The indicators are those the figure labels speak of (`indicators.read_label`), else the
    one the `context` (sheet name, title) names, else samtaler. `names` are shown in messages
    instead of the labels where given (e.g. "C (Antal personer)"); `fixed` columns (canonical
    column → index) are taken as given.
    """
    shown = list(names) if names is not None else [str(x) for x in labels]
    dims: dict[str, list[int]] = {}
    figures: list[tuple[int, frozenset[str], str]] = []  # (index, indicators, column)
    out = Matched([], [], [], [])
    ambiguous = False
    for i, label in enumerate(labels):
        if label in (None, "") or i in (fixed or {}).values():
            continue
        meaning = header_meaning(label)
        read = read_label(label)
        if meaning in _DIMENSIONS:
            dims.setdefault(meaning, []).append(i)
        elif meaning == "change" or read.foreign:
            out.ignored.append(shown[i])
        elif len(read.indicators) > 1:
            said = " and ".join(sorted(read.indicators))
            out.problems.append(f"column {shown[i]} speaks of {said}; give each its own column")
            ambiguous = True
        elif read.column or (not read.indicators and meaning in FIGURES):
            figures.append((i, read.indicators, read.column or str(meaning)))
        else:
            out.ignored.append(shown[i])
    dims.update({column: [index] for column, index in (fixed or {}).items()})
    out.problems += _twice(dims, shown)
    out.dims = {c: idx[0] for c, idx in dims.items()}
    if "municipality" not in dims:
        out.problems.append("no column of municipalities (a header 'Kommune' or 'Område')")
    if ambiguous:
        return out  # what the table lacks follows from the ambiguous column: said once
    spoken = [i for i in INDICATORS if any(i in named for _, named, _ in figures)]
    said_by = "columns"
    if not spoken:
        in_title = sorted(set().union(*(named_in(t) for t in context)))
        if len(in_title) > 1:
            out.problems.append(
                f"the sheet or title speaks of {' and '.join(in_title)}, and no column says "
                "which it measures; name it in the headers (e.g. "
                f"{' or '.join(repr(INDICATORS[i].example) for i in in_title)})"
            )
            return out
        spoken, said_by = (in_title, "title") if in_title else ([DEFAULT], "")
    _parts(out, spoken, said_by, figures, dims, shown)
    return out


def _twice(columns: Mapping[str, list[int]], shown: Sequence[str], of: str = "") -> list[str]:
    return [
        f"columns {', '.join(shown[i] for i in idx)} all look like {column}{of}; keep one"
        for column, idx in columns.items()
        if len(idx) > 1
    ]


def _parts(
    out: Matched,
    spoken: Sequence[str],
    said_by: str,
    figures: Sequence[tuple[int, frozenset[str], str]],
    dims: Mapping[str, list[int]],
    shown: Sequence[str],
) -> None:
    """Fill `out.parts` with one part per indicator spoken of; one with too few columns is
    dropped (and said) when another is complete, else what it lacks is a problem."""
    complete, lacking = [], []
    for indicator in spoken:
        own: dict[str, list[int]] = {}
        for i, named, column in figures:
            if named == {indicator} or (not named and len(spoken) == 1):
                own.setdefault(column, []).append(i)
        if "persons" not in own:  # the persons of a label naming no indicator are shared
            for i, named, column in figures:
                if not named and column == "persons":
                    own.setdefault(column, []).append(i)
        several = len(spoken) > 1
        shared = {i for i, named, _ in figures if not named}
        for column, idx in own.items():  # a column shared by the indicators is said once
            of = f" ({indicator})" if several and not set(idx) <= shared else ""
            said = _twice({column: idx}, shown, of)
            out.problems += [x for x in said if x not in out.problems]
        lacks = [f"{indicator}: {x}" if several else x for x in missing_columns(own, indicator)]
        part = Part(indicator, said_by, {c: i[0] for c, i in {**dims, **own}.items()})
        (lacking if lacks else complete).append((part, lacks, own))
    for i, named, column in figures:
        if not named and column != "persons" and len(spoken) > 1:
            out.problems.append(
                f"column {shown[i]} does not say whether it is of {' or '.join(spoken)}"
            )
    out.parts += [part for part, _, _ in complete]
    for part, lacks, own in lacking:
        if not complete:
            out.problems += lacks
            continue
        shared = {i for i, named, _ in figures if not named}
        mine = [shown[i] for idx in own.values() for i in idx if i not in shared]
        out.dropped.append(
            f"column {', '.join(mine)}: {part.indicator} without the share or number "
            f"{INDICATORS[part.indicator].counted}; not imported"
        )


def missing_columns(columns: Mapping[str, object], indicator: str = DEFAULT) -> list[str]:
    """Return what a table of `indicator` lacks to be imported (empty = it has what it needs)."""
    lacks = []
    if "persons" not in columns:
        lacks.append("no column with the number of persons (e.g. 'Antal personer')")
    if "persons_meeting" not in columns and "share_pct" not in columns:
        spec = INDICATORS[indicator]
        lacks.append(f"no column with the share or number {spec.counted} (e.g. {spec.example!r})")
    return lacks


def is_scalar(value: object) -> bool:
    """True for a JSON value a cell can hold: text, a number, true/false or null."""
    return value is None or isinstance(value, str | int | float | bool)


def source_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Return a source frame (SOURCE_COLUMNS, values untouched) from row dicts."""
    return pd.DataFrame(
        [[r.get(c) for c in SOURCE_COLUMNS] for r in rows],
        columns=list(SOURCE_COLUMNS),
        dtype=object,
    )


def text_encoding(data: bytes) -> str:
    """Return the encoding a text file is in, by its byte order mark (UTF-8, UTF-16 or UTF-32)
    or, without one, by the zero bytes UTF-16 puts beside each ASCII character; else UTF-8."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return encoding
    head = data[:1000]
    if len(head) >= 4 and len(head) % 2 == 0:
        if head[1::2].count(0) > len(head) // 4 and not head[0::2].count(0):
            return "utf-16-le"
        if head[0::2].count(0) > len(head) // 4 and not head[1::2].count(0):
            return "utf-16-be"
    return "utf-8-sig"


def decode_text(data: bytes, name: str) -> str:
    """Return `data` as text: UTF-8 with or without BOM, or UTF-16/32 (with a BOM, or UTF-16
    told by its zero bytes); anything else, and a NUL character, is a clear error."""
    encoding = text_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8-sig":
            line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
            message = f"not valid {encoding.upper()} text (byte {exc.start}); save it as UTF-8"
            raise DataErrors([DataError(name, line, None, message)]) from None
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        hint = "save the file as UTF-8"
        if byte in b"\xe6\xf8\xe5\xc6\xd8\xc5":
            hint = f"{bytes([byte]).decode('latin-1')!r} in Latin-1: {hint}"
        raise DataErrors(
            [DataError(name, line, None, f"not UTF-8 text: byte 0x{byte:02X} ({hint})")]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataErrors([DataError(name, line, None, "holds a NUL character: not a text file")])
    return text


def load_json(data: bytes, name: str) -> object:
    """Return the JSON value a file holds; empty, not UTF-8, not JSON, too big or too deep is
    a clear error. A number no figure can be (NaN, Infinity, 1e999, an integer beyond 64 bits)
    is kept as a `BadNumber`, so that the row and column holding it are named."""
    text = decode_text(data, name)
    if not text.strip():
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    _check_json_size(text, name)
    try:
        return json.loads(
            text, parse_constant=BadNumber, parse_float=_json_float, parse_int=_json_int
        )
    except json.JSONDecodeError as exc:
        ends = text.rstrip()[-1:]
        cut = "" if ends in ("]", "}") else " (the file ends too early: truncated?)"
        raise DataErrors(
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}{cut}")]
        ) from None
    except RecursionError:  # Python's parser recurses per level; no answer nests this deep
        raise _too_deep(text, name) from None


def _json_float(text: str) -> float | BadNumber:
    number = float(text)
    return number if math.isfinite(number) else BadNumber(text)


def _json_int(text: str) -> int | BadNumber:
    # int() of thousands of digits is itself refused (and slow): 64 bits have 19 digits.
    if len(text.lstrip("-")) > 19 or not -(2**63) <= (number := int(text)) < 2**63:
        return BadNumber(text)
    return number


def _check_json_size(text: str, name: str) -> None:
    """Refuse JSON that would take too much memory to parse, before parsing. Counts commas
    (those inside strings too, so it errs on the safe side): Python holds each JSON value in
    far more bytes than the text does."""
    values = text.count(",") + 1
    if values > MAX_VALUES:
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    f"holds some {values:,} values; the import reads at most "
                    f"{MAX_VALUES:,} (ask for fewer months or areas at a time)",
                )
            ]
        )


def _depth_at(text: str) -> int | None:
    """Return where (an index) nesting passes MAX_JSON_DEPTH outside strings, or None."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        token = match[0]
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
            if depth <= 0:
                return None  # the outer value closed: the rest is not ours to scan
    return None


def _too_deep(text: str, name: str) -> DataErrors:
    at = _depth_at(text)
    line = None if at is None else text[:at].count("\n") + 1
    where = "" if at is None else f" (from character {at - text.rfind(chr(10), 0, at)})"
    message = "not a jobindsats answer: arrays or objects nested too deep to read"
    return DataErrors([DataError(name, line, None, message + where)])
