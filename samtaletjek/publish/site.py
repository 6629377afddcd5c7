"""The only code that writes `output/`: every file into a fresh staging directory beside it,
swapped in only when the whole site is complete, so a failing or stopped build never leaves
half a site and never destroys the last good one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..pages.base import Output


def copy_assets(assets_dir: Path) -> list[Output]:
    """Return every file under `assets_dir` as an output under `assets/`."""
    return [
        Output(f"assets/{p.relative_to(assets_dir).as_posix()}", p.read_bytes())
        for p in sorted(assets_dir.rglob("*"))
        if p.is_file()
    ]


class Staging:
    """A site being written: each file goes into a fresh staging directory beside `out_dir`
    as soon as it is made (so the build need not hold the site in memory), and the directory
    is swapped in for `out_dir` by `publish` only when the whole site is there. Leaving the
    `with` block any other way removes it, and `out_dir` stays as it was.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.path = self.out_dir.with_name(f".{self.out_dir.name}.staging-{os.getpid()}")
        self.files = 0
        self.bytes = 0
        self.published = False

    def __enter__(self) -> Staging:
        clean_leftovers(self.out_dir)
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        return self

    def write(self, outputs: Iterable[Output]) -> None:
        for output in outputs:
            target = self.path / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = output.content
            data = data.encode("utf-8") if isinstance(data, str) else data
            target.write_bytes(data)
            self.files += 1
            self.bytes += len(data)

    def publish(self) -> None:
        """Swap the staging directory in for `out_dir`."""
        _swap(self.path, self.out_dir)
        self.published = True

    def __exit__(self, *exc: object) -> None:
        if not self.published:
            shutil.rmtree(self.path, ignore_errors=True)


def clean_leftovers(out_dir: Path) -> None:
    """Remove what builds killed outright (SIGKILL, a power cut) left beside `out_dir`: their
    staging directories, and the old site of a build killed during its swap, which is put
    back if it is all there is."""
    for leftover in sorted(out_dir.parent.glob(f".{out_dir.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if kind.endswith(".old") and not out_dir.exists():
            leftover.rename(out_dir)
        elif kind.endswith((".old", ".staging")):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a directory of an earlier build of this very process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap(staging: Path, out_dir: Path) -> None:
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        if old.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
