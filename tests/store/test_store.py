"""The data directory is written as one unit: an import changes samtaler.csv, manifest.json
and releases.json together or not at all, also when the writer is killed half-way."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import SMALL

from samtaletjek import store
from samtaletjek.store.atomic import PENDING, STAGING_PREFIX, current, finish, write_together

NAMES = (store.DATA_FILE, store.MANIFEST_FILE, store.RELEASES_FILE)


def contents(directory: Path) -> dict[str, bytes]:
    """What a reader sees of the three files (through an unfinished unit, as readers do)."""
    return {name: current(directory, name).read_bytes() for name in NAMES}


def old_and_new(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    (data / store.RELEASES_FILE).write_text("[]\n", encoding="utf-8")
    old = contents(data)
    new = {
        name: value + b"\n" if name != store.RELEASES_FILE else b"[ ]\n"
        for name, value in old.items()
    }
    return data, old, new


def killed_writer(data: Path, new: dict[str, bytes], where: str) -> int:
    """Run `write_together` in a child process that SIGKILLs itself at `where`:
    "after-first-file" (the unit is committed, one file is in place) or "before-commit"
    (everything is staged, nothing committed). Returns the child's exit status."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from pathlib import Path
        from samtaletjek.store import atomic

        where = {where!r}
        real_replace, real_rename = os.replace, os.rename
        def replace(src, dst):
            real_replace(src, dst)
            if where == "after-first-file":
                os.kill(os.getpid(), signal.SIGKILL)
        def rename(src, dst):
            if where == "before-commit" and str(dst).endswith(atomic.PENDING):
                os.kill(os.getpid(), signal.SIGKILL)
            real_rename(src, dst)
        os.replace, os.rename = replace, rename
        atomic.write_together(Path(sys.argv[1]), {new!r})
        """
    )
    return subprocess.run([sys.executable, "-c", script, str(data)], check=False).returncode


def test_write_together_replaces_every_file(tmp_path: Path):
    data, _, new = old_and_new(tmp_path)
    write_together(data, new)
    assert contents(data) == new
    assert not (data / PENDING).exists() and not list(data.glob(f"{STAGING_PREFIX}*"))


def test_a_writer_killed_after_the_commit_leaves_all_new_files(tmp_path: Path):
    data, old, new = old_and_new(tmp_path)
    assert killed_writer(data, new, "after-first-file") == -9
    # One file is in place, two wait in .pending: a reader sees all three new ones …
    assert (data / PENDING).is_dir()
    assert sum((data / n).read_bytes() == new[n] for n in NAMES) == 1
    assert contents(data) == new
    assert store.read_manifest(data).source == store.read_manifest(SMALL).source
    # … and the next writer (or `finish`) moves them into place.
    finish(data)
    assert not (data / PENDING).exists()
    assert {n: (data / n).read_bytes() for n in NAMES} == new
    assert old != new


def test_a_writer_killed_before_the_commit_leaves_all_old_files(tmp_path: Path):
    data, old, new = old_and_new(tmp_path)
    assert killed_writer(data, new, "before-commit") == -9
    assert list(data.glob(f"{STAGING_PREFIX}*")), "the staged files are left behind"
    assert contents(data) == old
    finish(data)
    assert contents(data) == old
    assert not list(data.glob(f"{STAGING_PREFIX}*"))


def test_a_failed_write_of_the_second_file_changes_nothing(tmp_path: Path):
    data, old, new = old_and_new(tmp_path)
    # A file name the file system refuses (too long) makes the second write fail.
    bad = dict(new)
    bad["x" * 300] = b"never written"
    with pytest.raises(OSError):
        write_together(data, bad)
    assert contents(data) == old
    assert not (data / PENDING).exists() and not list(data.glob(f"{STAGING_PREFIX}*"))


def test_an_import_killed_half_way_leaves_a_consistent_data_directory(tmp_path: Path):
    """The real import, killed between its files: all three files are the import's."""
    data = tmp_path / "data"
    statement = Path(__file__).resolve().parents[1] / "fixtures/import/statement-2018-06.xlsx"
    script = textwrap.dedent(
        """
        import os, signal, sys
        real_replace = os.replace
        def replace(src, dst):
            real_replace(src, dst)
            if str(src).count(".pending"):
                os.kill(os.getpid(), signal.SIGKILL)
        os.replace = replace
        from samtaletjek.cli import cli
        cli(["import", sys.argv[1], "--data", sys.argv[2], "--date", "2026-11-02"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(statement), str(data)], check=False, capture_output=True
    )
    assert done.returncode == -9
    frame, errors = store.read_canonical(data)
    assert errors == [] and len(frame) > 0
    releases = store.read_releases(data)
    assert len(releases) == 1 and releases[0].added == len(frame)
    assert store.read_manifest(data).demo is False
