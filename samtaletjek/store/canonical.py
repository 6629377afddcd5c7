"""Reader and writer of the canonical table `samtaler.csv` and its `manifest.json`.

Format: `samtaler.csv`, UTF-8, comma-separated, header row, one row per
month × municipality × indicator × target group, columns `period` (YYYY-MM),
`municipality_code` (integer), `municipality`, `target_group` (stable id), `persons`,
`persons_meeting`, `share_pct` (0–100, dot decimal), `mean_conversations` (optional) and
`indicator` (optional: samtaler, tilbud, passivandel or aktivering; a file without it is
samtaler), `derived` and `activation_degree` (optional). An empty cell is missing or
suppressed, never zero. Municipality code 0, "Hele landet", is the national figure as the
source published it.

`manifest.json` is a JSON object saying where the figures come from: `source`,
`release_date` (YYYY-MM-DD), `demo` (true for synthetic figures), `description`, `licence`,
and `sources` (optional): by indicator id (or "ledighed"), an object with `demo`, `source`,
`tables` (the source's table ids), `retrieved` and `release_date` (YYYY-MM-DD),
`description` and `licence`, for the indicators whose figures come from elsewhere than the
top-level source.

`ledighed.csv` (optional): registered unemployment per municipality and month, columns
`period`, `municipality_code`, `municipality`, `unemployed`, `unemployment_pct`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from ..domain.dataset import (
    COLUMNS,
    CONTEXT_COLUMNS,
    CONTEXT_FLOAT,
    CONTEXT_INTEGER,
    FLOAT_COLUMNS,
    INTEGER_COLUMNS,
    OPTIONAL,
    REQUIRED,
    ROW,
    Manifest,
    Source,
)
from ..errors import DataError, DataErrors
from .atomic import current

DATA_FILE = "samtaler.csv"
# No count or share of the table comes near this; larger numbers are typing slips, and whole
# numbers beyond it would not survive the round trip through a float.
LIMIT = 1e12
MANIFEST_FILE = "manifest.json"
CONTEXT_FILE = "ledighed.csv"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_manifest(data_dir: Path) -> Manifest:
    """Return the manifest of a data directory."""
    path = current(data_dir, MANIFEST_FILE)
    name = str(data_dir / MANIFEST_FILE)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = "manifest is missing"
        if not data_dir.is_dir():  # a first run, or the wrong folder
            problem += (
                f": there is no folder {data_dir}; `demo-data` writes the demo data there, "
                "`import` and `fetch` real figures (or give --project or --data)"
            )
        raise DataErrors([DataError(name, None, None, problem)]) from None
    except json.JSONDecodeError as exc:
        raise DataErrors(
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}")]
        ) from None
    if not isinstance(raw, dict):
        raise DataErrors([DataError(name, None, None, "must be a JSON object")])
    errors = []
    for key, kind in (("source", str), ("release_date", str), ("demo", bool)):
        if not isinstance(raw.get(key), kind):
            errors.append(DataError(name, None, key, f"must be a {kind.__name__}"))
    sources = {}
    given = raw.get("sources", {})
    if not isinstance(given, dict):
        errors.append(DataError(name, None, "sources", "must be an object (indicator → source)"))
        given = {}
    for key, entry in sorted(given.items()):
        source, problems = _source(entry, f"sources.{key}")
        errors += [DataError(name, None, column, why) for column, why in problems]
        if source is not None:
            sources[key] = source
    if errors:
        raise DataErrors(errors)
    known = {k: raw[k] for k in Manifest.__dataclass_fields__ if k in raw and k != "sources"}
    return Manifest(**known, sources=sources)


def _source(entry: object, where: str) -> tuple[Source | None, list[tuple[str, str]]]:
    """One entry of the manifest's `sources`, and its problems as (column, why)."""
    if not isinstance(entry, dict):
        return None, [(where, "must be an object")]
    problems = []
    for key, kind in (("demo", bool), ("source", str)):
        if not isinstance(entry.get(key), kind):
            problems.append((f"{where}.{key}", f"must be a {kind.__name__}"))
    for key in ("description", "licence"):
        if not isinstance(entry.get(key, ""), str):
            problems.append((f"{where}.{key}", "must be a str"))
    for key in ("retrieved", "release_date"):
        value = entry.get(key, "")
        if not isinstance(value, str) or (value and not _DATE.fullmatch(value)):
            problems.append((f"{where}.{key}", f"{value!r} is not a date written YYYY-MM-DD"))
    tables = entry.get("tables", [])
    if not isinstance(tables, list) or not all(isinstance(t, str) and t for t in tables):
        problems.append((f"{where}.tables", "must be a list of table ids"))
    unknown = sorted(set(entry) - set(Source.__dataclass_fields__))
    if unknown:
        problems.append((where, f"unknown keys: {', '.join(unknown)}"))
    if problems:
        return None, problems
    fields = {k: entry[k] for k in Source.__dataclass_fields__ if k in entry}
    return Source(**{**fields, "tables": tuple(fields.get("tables", ()))}), []


def read_canonical(data_dir: Path) -> tuple[pd.DataFrame, list[DataError]]:
    """Return the canonical frame (typed, nullable) and the cells that could not be parsed.

    Unparseable cells become missing in the frame and are reported, so every problem in a
    file is found in one pass.
    """
    path = current(data_dir, DATA_FILE)
    name = str(data_dir / DATA_FILE)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataErrors([DataError(name, None, None, "data file is missing")]) from None
    except UnicodeDecodeError as exc:
        raise DataErrors([DataError(name, None, None, f"not UTF-8 text: {exc.reason}")]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataErrors([DataError(name, None, None, f"not a readable CSV file: {exc}")]) from None

    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataErrors([DataError(name, 1, c, "column is missing") for c in missing])
    for column, value in OPTIONAL.items():
        if column not in raw.columns:
            raw[column] = value
    raw = raw[list(COLUMNS)].apply(lambda s: s.str.strip())
    rows = pd.RangeIndex(2, len(raw) + 2)  # line 1 is the header

    errors: list[DataError] = []
    frame = pd.DataFrame({ROW: rows})
    for column in COLUMNS:
        text = raw[column]
        if column in INTEGER_COLUMNS or column in FLOAT_COLUMNS:
            number = pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")
            # Only plain decimal numbers: "inf", "nan" and "1e999" parse, but are no figure.
            bad = (text != "") & (number.isna() | ~np.isfinite(number) | (number.abs() > LIMIT))
            if column in INTEGER_COLUMNS:
                bad |= number.notna() & (number != number.round())
                kind = "a whole number"
            else:
                kind = "a number"
            number = number.where(~bad)
            for i in bad[bad].index:
                errors.append(DataError(name, int(rows[i]), column, f"{text[i]!r} is not {kind}"))
            dtype = "Int64" if column in INTEGER_COLUMNS else "Float64"
            frame[column] = number.astype(dtype).array
        else:
            frame[column] = text.astype("string").array
    return frame, errors


def canonical_csv(frame: pd.DataFrame) -> str:
    """Return the canonical table as `samtaler.csv` text, sorted for stable diffs."""
    order = ["period", "indicator", "target_group", "municipality_code"]
    ordered = frame.sort_values(order)[list(COLUMNS)]
    return ordered.to_csv(index=False, lineterminator="\n", float_format="%.1f")


def manifest_json(manifest: Manifest) -> str:
    """Return the manifest as `manifest.json` text (no `sources` key where it has none, as
    manifests written before it)."""
    raw = asdict(manifest)
    if not raw["sources"]:
        del raw["sources"]
    return json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_context(data_dir: Path) -> tuple[pd.DataFrame, list[DataError]]:
    """Return the context table `ledighed.csv` (typed; empty where the directory has none)
    and the cells that could not be parsed."""
    path = current(data_dir, CONTEXT_FILE)
    name = str(data_dir / CONTEXT_FILE)
    empty = pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in (ROW, *CONTEXT_COLUMNS)})
    if not path.exists():
        return empty, []
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataErrors([DataError(name, None, None, f"not UTF-8 text: {exc.reason}")]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataErrors([DataError(name, None, None, f"not a readable CSV file: {exc}")]) from None
    missing = [c for c in CONTEXT_COLUMNS if c not in raw.columns]
    if missing:
        raise DataErrors([DataError(name, 1, c, "column is missing") for c in missing])
    raw = raw[list(CONTEXT_COLUMNS)].apply(lambda s: s.str.strip())
    rows = pd.RangeIndex(2, len(raw) + 2)
    frame = pd.DataFrame({ROW: rows})
    errors: list[DataError] = []
    for column in CONTEXT_COLUMNS:
        text = raw[column]
        if column in CONTEXT_INTEGER or column in CONTEXT_FLOAT:
            number, bad = _numbers(text, whole=column in CONTEXT_INTEGER)
            kind = "a whole number" if column in CONTEXT_INTEGER else "a number"
            for i in bad[bad].index:
                errors.append(DataError(name, int(rows[i]), column, f"{text[i]!r} is not {kind}"))
            frame[column] = number.astype(_dtype(column)).array
        else:
            frame[column] = text.astype("string").array
    return frame, errors


def _dtype(column: str) -> str:
    if column in CONTEXT_INTEGER or column == ROW:
        return "Int64"
    return "Float64" if column in CONTEXT_FLOAT else "string"


def _numbers(text: pd.Series, whole: bool) -> tuple[pd.Series, pd.Series]:
    """Cells as numbers, and which non-empty cells are no plain number (or no whole one)."""
    number = pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")
    bad = (text != "") & (number.isna() | ~np.isfinite(number) | (number.abs() > LIMIT))
    if whole:
        bad |= number.notna() & (number != number.round())
    return number.where(~bad), bad


def context_csv(frame: pd.DataFrame) -> str:
    """Return the context table as `ledighed.csv` text, sorted for stable diffs."""
    ordered = frame.sort_values(["period", "municipality_code"])[list(CONTEXT_COLUMNS)]
    return ordered.to_csv(index=False, lineterminator="\n", float_format="%.1f")
