"""Writing files so that a reader never sees half of one, and several files as one unit.

`atomic_write` replaces one file through a temporary file and a rename. `write_together`
replaces several files of a directory as one unit: it writes them into a staging folder, and
renaming that folder to `.pending` is the moment the unit is committed; the files are then
moved into place. A process killed before the commit leaves the old files; one killed after it
leaves `.pending`, which every reader reads through (`current`) and the next writer finishes
(`finish`). Either way a reader sees all old files or all new ones.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

PENDING = ".pending"
STAGING_PREFIX = ".write-"


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


def current(directory: Path, name: str) -> Path:
    """Return where to read `name` of `directory`: the committed copy of a unit write that was
    cut short before it was moved into place, else the file itself."""
    pending = directory / PENDING / name
    return pending if pending.is_file() else directory / name


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on `directory` so two writers never interleave."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _finish(directory: Path) -> None:
    pending = directory / PENDING
    if pending.is_dir():
        for path in sorted(pending.iterdir()):
            os.replace(path, directory / path.name)
        _fsync(directory)
        pending.rmdir()
    for stale in directory.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)  # never committed: the old files stand


def finish(directory: Path) -> None:
    """Complete a unit write that was committed but cut short; drop uncommitted leftovers."""
    if directory.is_dir():
        with _locked(directory):
            _finish(directory)


def write_together(directory: Path, files: Mapping[str, bytes]) -> None:
    """Replace the `files` (name → bytes) of `directory` as one unit: all or none."""
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        _finish(directory)
        staging = Path(tempfile.mkdtemp(dir=directory, prefix=STAGING_PREFIX))
        try:
            for name, data in files.items():
                target = staging / name
                with target.open("wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(target, 0o644)
            _fsync(staging)
            os.rename(staging, directory / PENDING)  # the commit point
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _fsync(directory)
        _finish(directory)
