"""The package installs as a wheel, not only as a checkout: the `samtaletjek` command and
`python -m samtaletjek` build a site from any folder, with the templates, assets, content and
reference data that travel inside the package.

The wheel is built from a copy of what an sdist holds (no `build/` of the checkout can leak in)
without build isolation, and installed without dependencies into a new virtual environment
that borrows this one's libraries, so nothing is downloaded. One small build: about 20 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SMALL, SMALL_REFERENCE

TIMEOUT = 300  # seconds for any one command; a build of the small site takes about 15


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # No PYTHONPATH: the program must come from the installed wheel, not from the checkout.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "samtaletjek", source / "samtaletjek", ignore=ignore)
    wheels = tmp_path_factory.mktemp("wheels")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), "."], source)
    (built,) = wheels.glob("samtaletjek-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a new virtual environment with the wheel installed."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(run([str(python), "-c", purelib], home).stdout.strip())
    # pandas, Altair and the rest from this environment; a .pth file in a borrowed folder is
    # not run, so the checkout's editable install does not come along.
    borrowed = dict.fromkeys((sysconfig.get_path("purelib"), sysconfig.get_path("platlib")))
    (site_packages / "borrowed.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], home)
    return home / "bin"


def test_the_wheel_carries_the_program_s_own_files_and_its_licences(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "samtaletjek/__main__.py",
        "samtaletjek/templates/base.html",
        "samtaletjek/assets/style.css",
        "samtaletjek/assets/vendor/vega-embed.bundle.js",
        "samtaletjek/content/om.md",
        "samtaletjek/reference/population.csv",
        "samtaletjek/reference/maalgrupper.toml",
        "samtaletjek/publish/fonts/LiberationSans-Regular.ttf",
        "samtaletjek/publish/fonts/LiberationSans-Bold.ttf",
        "samtaletjek/charts/compiled.json",  # the stored chart shapes
    ):
        assert path in names, path
    assert not [n for n in names if n.startswith(("site_data/", "tests/", "samtaletjek/tests"))]
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    assert "License-Expression: MIT AND BSD-3-Clause AND ISC AND OFL-1.1" in text
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith(".dist-info/licenses/samtaletjek/publish/fonts/OFL.txt") for n in names)
    entry_points = zipfile.ZipFile(wheel).read(metadata.replace("METADATA", "entry_points.txt"))
    assert b"samtaletjek = samtaletjek.__main__:main" in entry_points


def test_the_installed_command_builds_a_site_from_any_folder(installed: Path, tmp_path: Path):
    python = str(installed / "python")
    where = run([python, "-c", "import samtaletjek; print(samtaletjek.__file__)"], tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)  # not the checkout
    helped = run([python, "-m", "samtaletjek", "--help"], tmp_path)
    assert "Usage: python -m samtaletjek" in helped.stdout and "demo-data" in helped.stdout
    # A project folder found from a folder inside it: its site.toml, its data.
    project = tmp_path / "project"
    shutil.copytree(SMALL, project / "data", ignore=shutil.ignore_patterns("reference", "*.py"))
    (project / "site.toml").write_text(
        f'data_dir = "data"\nreference_dir = "{SMALL_REFERENCE}"\n', encoding="utf-8"
    )
    (project / "notes").mkdir()
    built = run([str(installed / "samtaletjek"), "build", "--jobs", "1"], project / "notes")
    assert f"into {project / 'output'}" in built.stdout
    assert (project / "output" / "index.html").is_file()
    assert (project / "output" / "kommune" / "varde" / "index.html").is_file()
    assert (project / "output" / "assets" / "style.css").is_file()  # from the package
    assert (project / "output" / "om" / "index.html").is_file()  # content from the package
    # --project from anywhere else.
    checked = run([python, "-m", "samtaletjek", "check", "--project", str(project)], tmp_path)
    assert checked.stdout.startswith("OK: ")
