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
from samtaletjek.store.atomic import PENDING, STAGING_PREFIX, current, reading, write_together
from tools.filesystems import read_only

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
    # … and the next reader or writer moves them into place.
    with reading(data):
        pass
    assert not (data / PENDING).exists()
    assert {n: (data / n).read_bytes() for n in NAMES} == new
    assert old != new


def test_a_writer_killed_before_the_commit_leaves_all_old_files(tmp_path: Path):
    data, old, new = old_and_new(tmp_path)
    assert killed_writer(data, new, "before-commit") == -9
    assert list(data.glob(f"{STAGING_PREFIX}*")), "the staged files are left behind"
    assert contents(data) == old
    with reading(data):
        pass
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


# Killed at every step of a unit write, the next command to open the directory (here `check`,
# as the workflow's build would) leaves the files in place as one consistent state.

STEPS = {
    "while staging": ("open", 2),  # the second staged file is being written
    "before the commit": ("rename", 1),
    "after the first move": ("replace", 1),
    "after the second move": ("replace", 2),
    "after the last move": ("replace", 3),
}


def killed_at(data: Path, new: dict[str, bytes], call: str, count: int) -> int:
    """Run `write_together` in a child that SIGKILLs itself at the `count`-th call of
    `call` (os.replace, os.rename, or opening a staged file)."""
    script = textwrap.dedent(
        f"""
        import builtins, io, os, signal, sys
        from pathlib import Path
        from samtaletjek.store import atomic

        call, count, calls = {call!r}, {count}, [0]
        def kill_at(name):
            if name == call:
                calls[0] += 1
                if calls[0] == count:
                    os.kill(os.getpid(), signal.SIGKILL)
        real_replace, real_rename, real_open = os.replace, os.rename, Path.open
        def replace(src, dst):
            real_replace(src, dst)
            kill_at("replace")
        def rename(src, dst):
            kill_at("rename")
            real_rename(src, dst)
        def opened(self, *args, **kwargs):
            if atomic.STAGING_PREFIX in str(self):
                kill_at("open")
            return real_open(self, *args, **kwargs)
        os.replace, os.rename, Path.open = replace, rename, opened
        atomic.write_together(Path(sys.argv[1]), {new!r})
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(data)], check=False, timeout=60
    ).returncode


def in_place(data: Path) -> dict[str, bytes]:
    return {n: (data / n).read_bytes() for n in NAMES}


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_any_step_the_next_check_leaves_one_consistent_state(tmp_path: Path, step):
    data, old, new = old_and_new(tmp_path)
    assert killed_at(data, new, *STEPS[step]) == -9
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--data", str(data)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert in_place(data) in (old, new)  # what `git add site_data` would commit
    committed = step.startswith("after")
    assert in_place(data) == (new if committed else old)
    assert not (data / PENDING).exists() and not list(data.glob(f"{STAGING_PREFIX}*"))


def test_a_read_only_copy_with_an_unfinished_commit_is_read_through_it(tmp_path: Path):
    data, _, new = old_and_new(tmp_path)
    assert killed_at(data, new, "replace", 1) == -9
    with read_only(data):
        with pytest.raises(OSError):
            (data / "probe").write_bytes(b"")  # it really is read-only
        with reading(data):  # cannot move the files: reads through .pending instead
            assert contents(data) == new


ROOT = Path(__file__).resolve().parents[2]
MONTHS = ROOT / "tests/fixtures/import/single-months"


def run_import(data: Path, statement: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "build.py", "import", str(statement), "--data", str(data)]
        + ["--date", "2026-11-02", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_imports_at_once_keep_both(tmp_path: Path):
    """The lock covers read, plan and write: the second import plans on the first's rows."""
    data = tmp_path / "data"
    first = run_import(data, MONTHS / "statement-2018-01.xlsx")
    second = run_import(data, MONTHS / "statement-2018-06.xlsx")
    for process in (first, second):
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    frame, errors = store.read_canonical(data)
    assert not errors
    assert {"2018-01", "2018-06"} <= set(frame["period"])
    releases = store.read_releases(data)
    assert len(releases) == 2
    assert sum(r.added for r in releases) == len(frame)


def test_a_writer_that_waits_too_long_is_refused_in_one_line(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    before = sorted((str(p), p.read_bytes()) for p in data.rglob("*") if p.is_file())
    config = tmp_path / "site.toml"
    config.write_text("lock_timeout = 0.5\n", encoding="utf-8")
    with store.writing(data):  # another writer holds the directory
        process = run_import(data, MONTHS / "statement-2018-01.xlsx", "--config", str(config))
        _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "another import, fetch or demo-data is writing" in lines[0], err
    assert sorted((str(p), p.read_bytes()) for p in data.rglob("*") if p.is_file()) == before


@pytest.mark.parametrize(
    "cell", [" Varde", "Varde ", '" Varde "', "Varde\u00a0", '"Varde\n"', "Varde"]
)
def test_cells_are_read_stripped_whatever_pads_them(tmp_path: Path, cell: str):
    """A padded cell is read stripped, whatever pads it; an unpadded one as it is."""
    (tmp_path / store.DATA_FILE).write_text(
        "period,municipality_code,municipality,target_group,persons,persons_meeting,share_pct\n"
        f"2018-06,573,{cell},dagpenge,80,40,50.0\n",
        encoding="utf-8",
    )
    frame, errors = store.read_canonical(tmp_path)
    assert errors == []
    assert frame["municipality"].tolist() == ["Varde"]
    assert frame["persons"].tolist() == [80]
