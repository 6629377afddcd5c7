"""Machine faults end a command with one line and exit 1, and leave the last good site and
the data as they were: a full disk and a read-only folder, for build and import (real file
systems: a tiny tmpfs, remounted read-only; skipped where mounting is not allowed)."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SMALL

from samtaletjek.publish.site import MARK, MARK_TEXT
from tools.filesystems import read_only, small_disk

STATEMENT = ROOT / "tests/fixtures/import/single-months/statement-2018-01.xlsx"


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "build.py", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def fill(disk: Path) -> None:
    """Write a file until the disk is full."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def one_line(done: subprocess.CompletedProcess, says: str) -> None:
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], done.stderr


def earlier_site(out: Path) -> None:
    out.mkdir(parents=True)
    (out / MARK).write_text(MARK_TEXT, encoding="utf-8")
    (out / "index.html").write_text("<p>the last good site</p>", encoding="utf-8")


def test_a_build_onto_a_full_disk_is_one_line_and_keeps_the_last_site(tmp_path: Path):
    with small_disk(tmp_path / "disk") as disk:
        earlier_site(disk / "site")
        before = digest(disk / "site")
        fill(disk)
        done = run("build", "--data", str(SMALL), "--out", str(disk / "site"), "--jobs", "2")
        one_line(done, "No space left on device")
        assert digest(disk / "site") == before
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "site"]


def test_a_build_into_a_read_only_folder_is_one_line_and_keeps_the_last_site(tmp_path: Path):
    folder = tmp_path / "ro"
    earlier_site(folder / "site")
    before = digest(folder / "site")
    with read_only(folder):
        done = run("build", "--data", str(SMALL), "--out", str(folder / "site"), "--jobs", "2")
        one_line(done, "cannot write")
        assert digest(folder / "site") == before


def test_an_import_onto_a_full_disk_is_one_line_and_changes_nothing(tmp_path: Path):
    with small_disk(tmp_path / "disk", "2m") as disk:
        data = disk / "data"
        shutil.copytree(SMALL, data)
        fill(disk)
        before = digest(data)
        done = run(
            "import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02", "--allow-missing"
        )
        one_line(done, "No space left on device")
        assert digest(data) == before
        assert sorted(digest(data)) == sorted(before)  # no file added or left behind


def test_an_import_into_a_read_only_folder_is_one_line_and_changes_nothing(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    before = digest(data)
    with read_only(data):
        done = run(
            "import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02", "--allow-missing"
        )
        one_line(done, "cannot write")
    assert digest(data) == before
