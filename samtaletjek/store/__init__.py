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
    DATA_FILE,
    MANIFEST_FILE,
    canonical_csv,
    manifest_json,
    read_canonical,
    read_manifest,
)
from .releases import RELEASES_FILE, read_releases, releases_json

__all__ = [
    "LOCK_TIMEOUT",
    "Busy",
    "DATA_FILE",
    "MANIFEST_FILE",
    "RELEASES_FILE",
    "read_canonical",
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
) -> None:
    """Write the canonical table, the manifest and the release log of `data_dir` as one unit."""
    write_together(
        data_dir,
        {
            DATA_FILE: canonical_csv(frame).encode("utf-8"),
            MANIFEST_FILE: manifest_json(manifest).encode("utf-8"),
            RELEASES_FILE: releases_json(releases).encode("utf-8"),
        },
    )
