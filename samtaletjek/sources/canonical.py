"""Reader and writer of the project's canonical table and manifest (FORMATS.md §4).

Format: `samtaler.csv`, UTF-8, comma-separated, header row, one row per
month × municipality × target group, columns `period` (YYYY-MM), `municipality_code`
(integer), `municipality`, `target_group` (stable id), `persons`, `persons_meeting`,
`share_pct` (0–100, dot decimal), `mean_conversations` (optional). An empty cell is
missing or suppressed, never zero. `manifest.json` says where the figures come from.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, DataErrors

DATA_FILE = "samtaler.csv"
MANIFEST_FILE = "manifest.json"
COLUMNS = (
    "period",
    "municipality_code",
    "municipality",
    "target_group",
    "persons",
    "persons_meeting",
    "share_pct",
    "mean_conversations",
)
REQUIRED = COLUMNS[:-1]
# What each column means and what Excel users see as its header: the public contract.
COLUMN_DOCS = {
    "period": ("Måned", "string", "Målemåned, skrevet ÅÅÅÅ-MM."),
    "municipality_code": ("Kommunekode", "integer", "Kommunekode, 101–860."),
    "municipality": ("Kommune", "string", "Kommunens officielle navn."),
    "target_group": (
        "Målgruppe",
        "string",
        "Målgruppens faste id, fx dagpenge eller kontanthjaelp-aktivitetsparate.",
    ),
    "persons": ("Antal personer", "integer", "Personer i målgruppen i måneden."),
    "persons_meeting": (
        "Personer med de krævede samtaler",
        "integer",
        "Personer, der havde fået det antal samtaler, reglerne kræver.",
    ),
    "share_pct": (
        "Andel med de krævede samtaler (%)",
        "number",
        "persons_meeting ÷ persons × 100, med én decimal (0–100).",
    ),
    "mean_conversations": (
        "Gns. antal samtaler",
        "number",
        "Gennemsnitligt antal samtaler pr. person, hvor kilden oplyser det.",
    ),
}
INTEGER_COLUMNS = ("municipality_code", "persons", "persons_meeting")
FLOAT_COLUMNS = ("share_pct", "mean_conversations")
# The line in the file a frame row came from; kept so later checks can name it.
ROW = "row"


@dataclass(frozen=True)
class Manifest:
    source: str
    release_date: str  # YYYY-MM-DD: the day the figures were published or generated
    demo: bool
    description: str = ""
    licence: str = ""


def read_manifest(data_dir: Path) -> Manifest:
    """Return the manifest of a data directory."""
    path = data_dir / MANIFEST_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "manifest is missing")]) from None
    except json.JSONDecodeError as exc:
        raise DataErrors(
            [DataError(str(path), exc.lineno, None, f"not valid JSON: {exc.msg}")]
        ) from None
    errors = []
    for key, kind in (("source", str), ("release_date", str), ("demo", bool)):
        if not isinstance(raw.get(key), kind):
            errors.append(DataError(str(path), None, key, f"must be a {kind.__name__}"))
    if errors:
        raise DataErrors(errors)
    known = {k: raw[k] for k in Manifest.__dataclass_fields__ if k in raw}
    return Manifest(**known)


def read_canonical(data_dir: Path) -> tuple[pd.DataFrame, list[DataError]]:
    """Return the canonical frame (typed, nullable) and the cells that could not be parsed.

    Unparseable cells become missing in the frame and are reported, so every problem in a
    file is found in one pass.
    """
    path = data_dir / DATA_FILE
    name = str(path)
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
    if "mean_conversations" not in raw.columns:
        raw["mean_conversations"] = ""
    raw = raw[list(COLUMNS)].apply(lambda s: s.str.strip())
    rows = pd.RangeIndex(2, len(raw) + 2)  # line 1 is the header

    errors: list[DataError] = []
    frame = pd.DataFrame({ROW: rows})
    for column in COLUMNS:
        text = raw[column]
        if column in INTEGER_COLUMNS or column in FLOAT_COLUMNS:
            number = pd.to_numeric(text.where(text != ""), errors="coerce")
            bad = (text != "") & number.isna()
            if column in INTEGER_COLUMNS:
                fractional = number.notna() & (number != number.round())
                bad |= fractional
                number = number.where(~fractional)
                number = number.astype("Int64")
            else:
                number = number.astype("Float64")
            for i in bad[bad].index:
                kind = "a whole number" if column in INTEGER_COLUMNS else "a number"
                errors.append(DataError(name, int(rows[i]), column, f"{text[i]!r} is not {kind}"))
            frame[column] = number.array
        else:
            frame[column] = text.astype("string").array
    return frame, errors


def write_canonical(frame: pd.DataFrame, data_dir: Path) -> None:
    """Write the canonical table atomically (temp file, then rename), sorted for stable diffs."""
    ordered = frame.sort_values(["period", "target_group", "municipality_code"])[list(COLUMNS)]
    text = ordered.to_csv(index=False, lineterminator="\n", float_format="%.1f")
    atomic_write(data_dir / DATA_FILE, text)


def write_manifest(manifest: Manifest, data_dir: Path) -> None:
    atomic_write(
        data_dir / MANIFEST_FILE,
        json.dumps(asdict(manifest), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so readers see the old file or the new one, never half of one."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
