"""Reader and writer of the release log `releases.json`: what each import or fetch added or
revised.

Format: a JSON list, oldest first, of objects with `id` (unique, e.g. "2026-11-02-1"),
`date` (YYYY-MM-DD, the day the figures were imported), `source` (free text), `files`
(names of the imported files), `periods` (sorted YYYY-MM months the release touched),
`added` and `revised` (row counts), `revisions`: a list of {`period`, `municipality_code`,
`target_group`, `column`, `old`, `new`} with old and new as text ("" = missing), and `demo`
(optional, true for a release of synthetic figures; written only when true).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path

from ..domain.dataset import Release, Revision
from ..domain.periods import is_period
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
    except json.JSONDecodeError as exc:
        raise DataErrors(
            [DataError(name, exc.lineno, None, f"not valid JSON: {exc.msg}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise DataErrors([DataError(name, None, None, f"not UTF-8 text: {exc.reason}")]) from None
    problems = _problems(raw)
    if problems:
        raise DataErrors([DataError(name, None, column, message) for column, message in problems])
    return tuple(
        Release(
            id=r["id"],
            date=r["date"],
            source=r["source"],
            periods=tuple(r["periods"]),
            added=r["added"],
            revised=r["revised"],
            files=tuple(r.get("files", ())),
            revisions=tuple(Revision(**v) for v in r.get("revisions", ())),
            demo=r.get("demo", False),
        )
        for r in raw
    )


_RELEASE = {"id", "date", "source", "periods", "added", "revised", "files", "revisions", "demo"}
_REVISION = {f.name for f in fields(Revision)}


def _problems(raw: object) -> list[tuple[str | None, str]]:
    """(key, problem) for everything in a release log that is not as its format says."""
    if not isinstance(raw, list):
        return [(None, "not a release log: a JSON list of releases is expected")]
    out: list[tuple[str | None, str]] = []
    seen: set[str] = set()
    for n, r in enumerate(raw, start=1):
        where = f"release {n}"
        if not isinstance(r, dict):
            out.append((None, f"{where}: not a JSON object"))
            continue
        where = f"release {n} ({r['id']})" if isinstance(r.get("id"), str) else where
        for key in sorted({"id", "date", "source", "periods", "added", "revised"} - set(r)):
            out.append((key, f"{where}: is missing"))
        for key in sorted(set(r) - _RELEASE):
            out.append((key, f"{where}: unknown key"))
        if "id" in r and (not isinstance(r["id"], str) or not r["id"]):
            out.append(("id", f"{where}: {r['id']!r} is not a text"))
        elif r.get("id") in seen:
            out.append(("id", f"{where}: the id is used twice"))
        seen.add(str(r.get("id")))
        if "source" in r and not isinstance(r["source"], str):
            out.append(("source", f"{where}: {r['source']!r} is not a text"))
        if "date" in r and not _is_date(r["date"]):
            out.append(("date", f"{where}: {r['date']!r} is not a date written YYYY-MM-DD"))
        for key in ("added", "revised"):
            value = r.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                out.append((key, f"{where}: {value!r} is not a count (a whole number ≥ 0)"))
        periods = r.get("periods", [])
        if not isinstance(periods, list) or not all(is_period(p) for p in periods):
            out.append(("periods", f"{where}: not a list of months written YYYY-MM"))
        if not isinstance(r.get("demo", False), bool):
            out.append(("demo", f"{where}: {r['demo']!r} is not true or false"))
        files = r.get("files", [])
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            out.append(("files", f"{where}: not a list of file names"))
        revisions = r.get("revisions", [])
        if not isinstance(revisions, list):
            out.append(("revisions", f"{where}: not a list"))
            continue
        for m, v in enumerate(revisions, start=1):
            if not isinstance(v, dict) or not _is_revision(v):
                out.append(("revisions", f"{where}, revision {m}: not as the format says"))
    return out


def _is_date(value: object) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _is_revision(v: dict) -> bool:
    required = _REVISION - {"indicator"}
    if not required <= set(v) or not set(v) <= _REVISION:
        return False
    texts = ("period", "target_group", "column", "old", "new", "indicator")
    code = v["municipality_code"]
    return (
        all(isinstance(v[k], str) for k in texts if k in v)
        and is_period(v["period"])
        and isinstance(code, int)
        and not isinstance(code, bool)
    )


def releases_json(releases: tuple[Release, ...] | list[Release]) -> str:
    """Return the release log as `releases.json` text."""
    # `demo` only where true: logs of real figures read as they did before the key existed.
    raw = [{k: v for k, v in asdict(r).items() if k != "demo" or v} for r in releases]
    return json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
