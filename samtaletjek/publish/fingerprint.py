"""Fingerprints of a build's inputs and output, so a rebuild with nothing changed is skipped.

The build is deterministic, so the same inputs always give the same site: when every input
(data, reference data, content, templates, assets, settings, this package's code and the
versions of the libraries that draw and format) hashes as it did at the last build, and the
output directory is as that build left it, there is nothing to do.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from ..settings import PACKAGE, Settings
from ..store.atomic import atomic_write

LIBRARIES = ("altair", "vl-convert-python", "pandas", "jinja2", "markdown", "openpyxl")
RECORD = "last-build.json"


def roots(settings: Settings) -> list[Path]:
    """Every folder a build reads: data, reference data, content, templates, assets, code;
    those inside the package (the program's own, by default) are read with it."""
    folders = [
        settings.data_dir,
        settings.reference_dir,
        settings.content_dir,
        settings.templates_dir,
        settings.assets_dir,
    ]
    return [f for f in folders if not f.resolve().is_relative_to(PACKAGE)] + [PACKAGE]


def inputs(roots: list[Path], settings_text: str) -> str:
    """Return one hash over every file under `roots` (path and bytes), the settings and the
    library versions."""
    digest = hashlib.sha256(settings_text.encode("utf-8"))
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none\n".encode())
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root.parent)).encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def output(out_dir: Path) -> str:
    """Return a cheap hash of the output directory: every file's path, size and mtime."""
    digest = hashlib.sha256()
    if not out_dir.is_dir():
        return ""
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(out_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def unchanged(cache_dir: Path, out_dir: Path, input_hash: str) -> bool:
    """True when the last build from these inputs made `out_dir` and nobody has touched it."""
    record = cache_dir / RECORD
    if not record.is_file():
        return False
    try:
        builds = json.loads(record.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return False
    last = builds.get(str(out_dir.resolve()))
    return last == {"inputs": input_hash, "output": output(out_dir)} and bool(last["output"])


def remember(cache_dir: Path, out_dir: Path, input_hash: str) -> None:
    """Record that `out_dir` now holds the build of `input_hash`."""
    record = cache_dir / RECORD
    try:
        builds = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    except json.JSONDecodeError:
        builds = {}
    builds[str(out_dir.resolve())] = {"inputs": input_hash, "output": output(out_dir)}
    atomic_write(record, json.dumps(builds, indent=2, sort_keys=True) + "\n")
