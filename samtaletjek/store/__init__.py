"""`site_data/`, where the two pipelines meet: the canonical table, its manifest, the release
log and the reference data, read by the build and written by import, fetch and demo-data.

The three data files are written as one unit (`write_data`): an import changes all of them or
none, also when the process is killed half-way. Writers hold the directory's lock across their
read, plan and write (`writing`); readers hold it while they read (`reading`), and both first
finish what a killed writer left.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..domain.dataset import Manifest, Release
from .atomic import LOCK_TIMEOUT, Busy, reading, write_together, writing
from .canonical import (
    CONTEXT_FILE,
    DATA_FILE,
    MANIFEST_FILE,
    canonical_csv,
    context_csv,
    manifest_json,
    read_canonical,
    read_context,
    read_manifest,
)
from .releases import RELEASES_FILE, read_releases, releases_json

__all__ = [
    "LOCK_TIMEOUT",
    "Busy",
    "CONTEXT_FILE",
    "DATA_FILE",
    "MANIFEST_FILE",
    "RELEASES_FILE",
    "read_canonical",
    "read_context",
    "read_manifest",
    "read_releases",
    "reading",
    "write_data",
    "writing",
]


def write_data(
    data_dir: Path,
    frame: pd.DataFrame,
    manifest: Manifest,
    releases: tuple[Release, ...] | list[Release],
    context: pd.DataFrame | None = None,
) -> None:
    """Write the canonical table, the manifest, the release log and, where given, the
    context table (`ledighed.csv`) of `data_dir` as one unit."""
    files = {
        DATA_FILE: canonical_csv(frame).encode("utf-8"),
        MANIFEST_FILE: manifest_json(manifest).encode("utf-8"),
        RELEASES_FILE: releases_json(releases).encode("utf-8"),
    }
    if context is not None:
        files[CONTEXT_FILE] = context_csv(context).encode("utf-8")
    write_together(data_dir, files)
