"""The release log: what each import or fetch added or revised, kept in `releases.json`.

Format: a JSON list, oldest first, of objects with `id` (unique, e.g. "2026-11-02-1"),
`date` (YYYY-MM-DD, the day the figures were imported), `source` (free text), `files`
(names of the imported files), `periods` (sorted YYYY-MM months the release touched),
`added` and `revised` (row counts) and `revisions`: a list of {`period`, `municipality_code`,
`target_group`, `column`, `old`, `new`} with old and new as text ("" = missing).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import DataError, DataErrors
from .sources.canonical import atomic_write

RELEASES_FILE = "releases.json"


@dataclass(frozen=True)
class Revision:
    period: str
    municipality_code: int
    target_group: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class Release:
    id: str
    date: str
    source: str
    periods: tuple[str, ...]
    added: int
    revised: int
    files: tuple[str, ...] = ()
    revisions: tuple[Revision, ...] = field(default_factory=tuple)


def read_releases(data_dir: Path) -> tuple[Release, ...]:
    """Return the releases of a data directory, oldest first (none if there is no log)."""
    path = data_dir / RELEASES_FILE
    if not path.exists():
        return ()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Release(
                id=r["id"],
                date=r["date"],
                source=r["source"],
                periods=tuple(r["periods"]),
                added=int(r["added"]),
                revised=int(r["revised"]),
                files=tuple(r.get("files", ())),
                revisions=tuple(Revision(**v) for v in r.get("revisions", ())),
            )
            for r in raw
        )
    except json.JSONDecodeError as exc:
        raise DataErrors(
            [DataError(str(path), exc.lineno, None, f"not valid JSON: {exc.msg}")]
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise DataErrors([DataError(str(path), None, None, f"not a release log: {exc}")]) from None


def write_releases(releases: tuple[Release, ...] | list[Release], data_dir: Path) -> None:
    """Write the release log atomically."""
    text = json.dumps([asdict(r) for r in releases], ensure_ascii=False, indent=2) + "\n"
    atomic_write(data_dir / RELEASES_FILE, text)


def next_release_id(releases: tuple[Release, ...] | list[Release], date: str) -> str:
    """Return a new id for a release made on `date`: the date and a running number."""
    same_day = sum(1 for r in releases if r.date == date)
    return f"{date}-{same_day + 1}"
