"""Reader and writer of the canonical table `samtaler.csv` and its `manifest.json`.

Format: `samtaler.csv`, UTF-8, comma-separated, header row, one row per
month × municipality × indicator × target group, columns `period` (YYYY-MM),
`municipality_code` (integer), `municipality`, `target_group` (stable id), `persons`,
`persons_meeting`, `share_pct` (0–100, dot decimal), `mean_conversations` (optional) and
`indicator` (optional: samtaler, tilbud or passivandel; a file without it is samtaler). An
empty cell is missing or suppressed, never zero. `manifest.json` is a JSON object saying
where the figures come from: `source`, `release_date` (YYYY-MM-DD), `demo` (true for
synthetic figures), `description`, `licence`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from ..domain.dataset import (
    COLUMNS,
    FLOAT_COLUMNS,
    INTEGER_COLUMNS,
    OPTIONAL,
    REQUIRED,
    ROW,
    Manifest,
)
from ..errors import DataError, DataErrors
from .atomic import current

DATA_FILE = "samtaler.csv"
# No count or share of the table comes near this; larger numbers are typing slips, and whole
# numbers beyond it would not survive the round trip through a float.
LIMIT = 1e12
MANIFEST_FILE = "manifest.json"


def read_manifest(data_dir: Path) -> Manifest:
    """Return the manifest of a data directory."""
    path = current(data_dir, MANIFEST_FILE)
    name = str(data_dir / MANIFEST_FILE)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataErrors([DataError(name, None, None, "manifest is missing")]) from None
    except json.JSONDecodeError as exc:
        raise DataErrors(
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}")]
        ) from None
    errors = []
    for key, kind in (("source", str), ("release_date", str), ("demo", bool)):
        if not isinstance(raw.get(key), kind):
            errors.append(DataError(name, None, key, f"must be a {kind.__name__}"))
    if errors:
        raise DataErrors(errors)
    known = {k: raw[k] for k in Manifest.__dataclass_fields__ if k in raw}
    return Manifest(**known)


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
    """Return the manifest as `manifest.json` text."""
    return json.dumps(asdict(manifest), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
