"""Reader and writer of the release log `releases.json`: what each import or fetch added or
revised.

Format: a JSON list, oldest first, of objects with `id` (unique, e.g. "2026-11-02-1"),
`date` (YYYY-MM-DD, the day the figures were imported), `source` (free text), `files`
(names of the imported files), `periods` (sorted YYYY-MM months the release touched),
`added` and `revised` (row counts) and `revisions`: a list of {`period`, `municipality_code`,
`target_group`, `column`, `old`, `new`} with old and new as text ("" = missing).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ..domain.dataset import Release, Revision
from ..errors import DataError, DataErrors
from .atomic import current

RELEASES_FILE = "releases.json"


def read_releases(data_dir: Path) -> tuple[Release, ...]:
    """Return the releases of a data directory, oldest first (none if there is no log)."""
    path = current(data_dir, RELEASES_FILE)
    name = str(data_dir / RELEASES_FILE)
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
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}")]
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise DataErrors([DataError(name, None, None, f"not a release log: {exc}")]) from None


def releases_json(releases: tuple[Release, ...] | list[Release]) -> str:
    """Return the release log as `releases.json` text."""
    return json.dumps([asdict(r) for r in releases], ensure_ascii=False, indent=2) + "\n"
