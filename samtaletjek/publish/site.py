"""The only code that writes `output/`: every file into a fresh staging directory beside it,
swapped in only when the whole site is complete, so a failing build never leaves half a site
and never destroys the last good one."""

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


def write_site(outputs: Iterable[Output], out_dir: Path) -> int:
    """Write all outputs into a staging directory, then swap it in for `out_dir`.

    Returns the number of bytes written.
    """
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    total = 0
    try:
        for output in outputs:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = (
                output.content.encode("utf-8")
                if isinstance(output.content, str)
                else output.content
            )
            target.write_bytes(data)
            total += len(data)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return total


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
