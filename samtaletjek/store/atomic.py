"""Writing files so that a reader never sees half of one, and several files as one unit.

`atomic_write` replaces one file through a temporary file and a rename. `write_together`
replaces several files of a directory as one unit: it writes them into a staging folder, and
renaming that folder to `.pending` is the moment the unit is committed; the files are then
moved into place. A process killed before the commit leaves the old files and a staging
folder; one killed after it leaves `.pending`. Readers read through `.pending` (`current`),
and whoever next opens the directory (`heal`: every build, check, import and fetch does, first)
finishes the commit or drops the uncommitted staging folder, so the files in place are always
one consistent state: all old or all new.

One writer at a time: `writing` holds the directory's lock (a lock file, portable through
`filelock`) across the whole read → plan → write of an import, so two imports never
interleave; a second writer waits a bounded time, then is refused in one line.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import UserError

PENDING = ".pending"
STAGING_PREFIX = ".write-"
LOCK_TIMEOUT = 60.0  # seconds a second writer waits for the first before it gives up


class Busy(UserError):
    """Another writer holds the data directory for longer than we may wait."""


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
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            exc.filename = exc.filename or str(path)  # a full disk names no file
        raise


def current(directory: Path, name: str) -> Path:
    """Return where to read `name` of `directory`: the committed copy of a unit write that was
    cut short before it was moved into place, else the file itself."""
    pending = directory / PENDING / name
    return pending if pending.is_file() else directory / name


def _lock(directory: Path) -> FileLock:
    """The writer lock of `directory`: a lock file in the system's temporary folder, named by
    the directory's path, so locking never adds a file to the data directory (which stays
    byte-identical after a failed import, and may be read-only). One object per path, so a
    holder may call a function that takes it again."""
    digest = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:20]
    path = Path(tempfile.gettempdir()) / f"samtaletjek-{digest}.lock"
    return FileLock(path, is_singleton=True, mode=0o666)


@contextlib.contextmanager
def _held(directory: Path, timeout: float) -> Iterator[None]:
    lock = _lock(directory)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise Busy(
            f"{directory}: another import, fetch or demo-data is writing to it "
            f"(waited {timeout:g} s); try again when it has finished"
        ) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def writing(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold `directory`'s writer lock for the block (an import's read, plan and write), after
    finishing any unit write a killed writer left. Re-entrant in one process; another process
    waits up to `timeout` seconds, then gets `Busy`."""
    with _held(directory, timeout):
        if directory.is_dir():
            _finish(directory)
        yield


@contextlib.contextmanager
def reading(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock while the block reads `directory`, so no writer commits between two of
    its files; first finish what a killed writer left, where the directory may be written."""
    if not directory.is_dir():
        yield
        return
    with _held(directory, timeout):
        try:
            _finish(directory)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise  # a read-only checkout: readers read through `.pending` (`current`)
        yield


def unfinished(directory: Path) -> bool:
    """True when a writer was stopped half-way: a committed `.pending` or an uncommitted
    staging folder is left in `directory`."""
    return (directory / PENDING).exists() or any(directory.glob(f"{STAGING_PREFIX}*"))


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


def write_together(directory: Path, files: Mapping[str, bytes]) -> None:
    """Replace the `files` (name → bytes) of `directory` as one unit: all or none."""
    with writing(directory):
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=directory, prefix=STAGING_PREFIX))
        try:
            for name, data in files.items():
                target = staging / name
                try:
                    with target.open("wb") as fh:
                        fh.write(data)
                        fh.flush()
                        os.fsync(fh.fileno())
                except OSError as exc:
                    exc.filename = exc.filename or str(directory / name)  # a full disk names none
                    raise
                os.chmod(target, 0o644)
            _fsync(staging)
            os.rename(staging, directory / PENDING)  # the commit point
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _fsync(directory)
        _finish(directory)
