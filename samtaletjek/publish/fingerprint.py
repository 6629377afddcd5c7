"""Fingerprints of a build's inputs and output, so a rebuild with nothing changed is skipped.

The build is deterministic, so the same inputs always give the same site: when every input
(data, reference data, content, templates, assets, settings, this package's code and the
versions of the libraries that draw and format) hashes as it did at the last build, and the
output directory is as that build left it, there is nothing to do.

The inputs are hashed by content (a checkout that touches files without changing them still
skips). The output is compared by `stat`, file by file: path, size, mtime and ctime (ns), as
the build left them. That notices any file added, removed, renamed, or written to (by hand,
another program or a half-finished copy), even one whose mtime was set back, since no program
can set a ctime; it does not read the bytes, so it trusts that nothing rewrites a file behind
the file system's back (a disk fault, a file system without ctime). A chmod or a new hard link
changes a ctime too, and costs a rebuild, never a wrong skip.

This module imports only the standard library and the settings: `build.py build` asks it
before it imports the build (pandas, Altair, jinja2), so a skip takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from ..settings import PACKAGE, Settings

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


def of_settings(
    settings: Settings, renderer_version: str, leave_out: frozenset = frozenset()
) -> str:
    """The hash of everything a build of `settings` reads, drawn by a renderer of
    `renderer_version`, but the folders `leave_out`: what the "nothing changed" skip compares."""
    folders = [root for root in roots(settings) if root not in leave_out]
    return inputs(folders, f"{settings!r} {renderer_version}")


def unchanged_build(settings: Settings) -> bool:
    """True when a build of `settings`, drawn as `build.py build` draws (vl-convert), would be
    skipped: asked before the build is imported."""
    from .draw import RENDERER_VERSION  # pictures.VL_CONVERT's, without the chart code

    inputs_hash = of_settings(settings, RENDERER_VERSION)
    return unchanged(settings.cache_dir, settings.out_dir, inputs_hash)


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
    """Return a hash of what `stat` says of every file under `out_dir`: its path, size, mtime
    and ctime; "" where there is no such folder."""
    if not out_dir.is_dir():
        return ""
    lines: list[str] = []
    folders = [(str(out_dir), "")]
    while folders:  # os.scandir: pathlib's rglob and a Path per file cost five times as much
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, name + "/"))
                else:
                    stat = entry.stat()
                    lines.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}")
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


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
    from ..store.atomic import atomic_write  # the store package imports pandas: not for a skip

    record = cache_dir / RECORD
    try:
        builds = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    except json.JSONDecodeError:
        builds = {}
    builds[str(out_dir.resolve())] = {"inputs": input_hash, "output": output(out_dir)}
    atomic_write(record, json.dumps(builds, indent=2, sort_keys=True) + "\n")
