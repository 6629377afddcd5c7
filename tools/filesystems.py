"""Real file-system faults for tests: a folder made read-only, and a tiny disk that fills up.

As root (CI and this machine), permissions do not stop writes, so a small tmpfs is mounted
and remounted read-only; elsewhere `chmod` does it. Where neither is allowed, the caller's
test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, timeout=30, check=False)
    return done.returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30, check=False)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """Make `folder` (and what it holds) read-only for the block, then writable again."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    copy = Path(tempfile.mkdtemp()) / "copy"
    shutil.copytree(folder, copy, symlinks=True)
    if not _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs to make a folder read-only here")
    try:
        shutil.copytree(copy, folder, dirs_exist_ok=True, symlinks=True)
        if not _mount("-o", "remount,ro", str(folder)):
            pytest.skip("cannot remount a tmpfs read-only here")
        yield folder
    finally:
        _umount(folder)
        shutil.rmtree(copy.parent, ignore_errors=True)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "256k") -> Iterator[Path]:
    """Mount a tmpfs of `size` on `folder` (made if missing) for the block: a disk that fills
    up. Skips the test where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        _umount(folder)
