"""The only code that writes `output/`: every file into a fresh staging directory beside it,
swapped in only when the whole site is complete, so a failing or stopped build never leaves
half a site and never destroys the last good one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..errors import UserError
from ..pages import addresses
from ..pages.base import Output
from ..store.atomic import atomic_write_bytes

# Every build leaves this file in its output folder. `build --out DIR` replaces DIR only when
# it is empty or carries this mark (or is a site built before the mark existed), so a slip
# such as `--out .` or `--out site_data` can never delete a checkout or the data.
MARK = ".samtaletjek-site"
MARK_TEXT = "Bygget af Samtaletjek. Hele mappen erstattes ved hvert byg.\n"
# What every build made before the mark existed had.
_EARLIER_BUILD = (addresses.NOJEKYLL, addresses.asset("samtaletjek.js"))


def check_output(out_dir: Path, sources: Iterable[Path], projects: Iterable[Path]) -> None:
    """Raise UserError unless `out_dir` may be replaced by a build: it is new, empty or an
    earlier build; it is not and does not contain a project folder (`projects`: the checkout,
    inside which it may live); and it is not, does not contain and is not inside a folder the
    build reads (`sources`: the data, content, templates, assets, reference data)."""
    out = out_dir.resolve()
    where = f"output folder {out_dir}"
    if out.exists() and not out.is_dir():
        raise UserError(f"{where}: is a file, not a folder; give a folder for the site")
    for folder in (f.resolve() for f in projects):
        if out == folder or out in folder.parents:
            raise UserError(
                f"{where}: would replace the project folder {folder}; "
                "give a folder of its own, such as output/"
            )
    for folder in (f.resolve() for f in sources):
        if out == folder or out in folder.parents:
            raise UserError(
                f"{where}: would replace {folder}, which the build reads; "
                "give a folder of its own, such as output/"
            )
        if folder in out.parents:
            raise UserError(
                f"{where}: is inside {folder}, which the build reads; "
                "give a folder outside it, such as output/"
            )
    if out.is_dir() and any(out.iterdir()) and not is_site(out):
        raise UserError(
            f"{where}: is not empty and was not made by a build (it has no {MARK}); a build "
            "replaces its folder whole, so give a new or empty folder, or empty this one yourself"
        )


def is_site(folder: Path) -> bool:
    """True for a folder a build made: it carries the mark, or the files every earlier build
    left."""
    return (folder / MARK).is_file() or all((folder / name).is_file() for name in _EARLIER_BUILD)


def _inside(path: str) -> PurePosixPath:
    """`path` as a relative path that stays inside the site, or UserError."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path:
        raise UserError(f"refusing to write {path!r}: it would land outside the output folder")
    return pure


def _bytes(output: Output) -> bytes:
    content = output.content
    return content.encode("utf-8") if isinstance(content, str) else content


def copy_assets(assets_dir: Path) -> list[Output]:
    """Return every file under `assets_dir` as an output under `assets/`."""
    return [
        Output(addresses.asset(p.relative_to(assets_dir).as_posix()), p.read_bytes())
        for p in sorted(assets_dir.rglob("*"))
        if p.is_file()
    ]


def replace_files(out_dir: Path, outputs: Iterable[Output]) -> list[str]:
    """Put each output whose bytes differ from its file in the site `out_dir` in its place, by
    an atomic rename each (a reader of the served site sees the old file or the new one);
    return their paths."""
    written = []
    for output in outputs:
        target = out_dir.joinpath(*_inside(output.path).parts)
        data = _bytes(output)
        if target.is_file() and target.read_bytes() == data:
            continue
        atomic_write_bytes(target, data)
        written.append(output.path)
    return written


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
        self.folders: set[Path] = set()  # made already: a mkdir per file cost a second

    def __enter__(self) -> Staging:
        clean_leftovers(self.out_dir)
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        try:
            self.write([Output(MARK, MARK_TEXT)])
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)  # __exit__ is not called for us
            raise
        return self

    def write(self, outputs: Iterable[Output]) -> None:
        for output in outputs:
            target = self.path.joinpath(*_inside(output.path).parts)
            data = _bytes(output)
            try:
                if target.parent not in self.folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    self.folders.add(target.parent)
                target.write_bytes(data)
            except OSError as exc:
                exc.filename = exc.filename or str(target)  # a full disk names no file
                raise
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
