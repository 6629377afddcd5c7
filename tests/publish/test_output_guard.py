"""`build --out DIR` never replaces what is not a build: a checkout, the data, the content, a
folder of someone else's; and no page is written outside the output folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from samtaletjek.errors import UserError
from samtaletjek.pages.base import Output
from samtaletjek.publish.site import MARK, MARK_TEXT, Staging, check_output
from samtaletjek.settings import PACKAGE, Settings

ROOT = PACKAGE.parent  # the checkout
SETTINGS = Settings()
SOURCES = (
    SETTINGS.data_dir,
    SETTINGS.content_dir,
    SETTINGS.templates_dir,
    SETTINGS.assets_dir,
    SETTINGS.reference_dir,
)


def refused(out: Path, projects: tuple[Path, ...] = (ROOT,)) -> str:
    with pytest.raises(UserError) as caught:
        check_output(out, SOURCES, projects)
    message = caught.value.format_message()
    assert "\n" not in message
    return message


def test_the_project_the_data_and_the_content_are_never_replaced():
    assert "project folder" in refused(ROOT)
    assert "project folder" in refused(ROOT.parent)  # it holds the project
    for folder in SOURCES:
        assert "which the build reads" in refused(folder), folder
    assert "is inside" in refused(SETTINGS.data_dir / "site")


def test_a_folder_that_is_not_a_build_is_never_replaced(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("mine", encoding="utf-8")
    assert "was not made by a build" in refused(docs, ())
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    assert "is a file" in refused(afile, ())
    assert (docs / "notes.md").read_text(encoding="utf-8") == "mine"


def test_a_working_directory_that_is_a_checkout_is_never_replaced(tmp_path: Path):
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    assert "project folder" in refused(checkout, (checkout,))
    check_output(checkout / "output", SOURCES, (checkout,))  # but output/ inside it is fine


def test_new_empty_and_earlier_builds_may_be_replaced(tmp_path: Path):
    check_output(tmp_path / "new", SOURCES, ())
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty", SOURCES, ())
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / MARK).write_text(MARK_TEXT, encoding="utf-8")
    (marked / "index.html").write_text("", encoding="utf-8")
    check_output(marked, SOURCES, ())
    earlier = tmp_path / "earlier"  # built before the mark existed
    (earlier / "assets").mkdir(parents=True)
    (earlier / ".nojekyll").write_text("", encoding="utf-8")
    (earlier / "assets/samtaletjek.js").write_text("", encoding="utf-8")
    check_output(earlier, SOURCES, ())


@pytest.mark.parametrize("out", [".", "site_data", "samtaletjek/content"])
def test_the_command_refuses_in_one_line_and_changes_nothing(tmp_path: Path, out: str):
    before = sorted(p.name for p in ROOT.iterdir())
    done = subprocess.run(
        [sys.executable, "build.py", "build", "--out", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in ROOT.iterdir()) == before


@pytest.mark.parametrize("path", ["../x/index.html", "/index.html", "a/../../b", "", "a\\b"])
def test_the_staging_writer_refuses_paths_outside_the_site(tmp_path: Path, path: str):
    with Staging(tmp_path / "output") as site, pytest.raises(UserError):
        site.write([Output(path, "x")])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_build_leaves_its_mark(tmp_path: Path):
    with Staging(tmp_path / "output") as site:
        site.write([Output("index.html", "<p>")])
        site.publish()
    assert (tmp_path / "output" / MARK).read_text(encoding="utf-8") == MARK_TEXT
