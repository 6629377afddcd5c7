"""Every file a build reads gets one line per problem, never a traceback: site.toml, the
reference TOML, the canonical table, the release log and the content pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from samtaletjek.build import check_settings
from samtaletjek.errors import DataErrors, UserError
from samtaletjek.settings import PACKAGE, Settings, find_project, load_settings, project_settings
from samtaletjek.store.canonical import read_canonical
from samtaletjek.store.content import read_content
from samtaletjek.store.reference import load_registry
from samtaletjek.store.releases import read_releases

REFERENCE = Settings().reference_dir


def one_line_each(error: UserError | DataErrors) -> list[str]:
    lines = error.format_lines() if isinstance(error, DataErrors) else [error.format_message()]
    assert all("\n" not in line for line in lines)
    return lines


# ---- site.toml -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("base_url = 5", "setting base_url: 5 is not a text"),
        ('peer_bands = "abc"', "setting peer_bands: 'abc' is not a list of rising"),
        ("peer_bands = [40000, 20000]", "setting peer_bands"),
        ('min_persons = "10"', "setting min_persons: '10' is not a whole number"),
        ("min_persons = 0", "setting min_persons: must be at least 1"),
        ("fetch_timeout = nan", "setting fetch_timeout: nan is not a number"),
        ('reference_month = "2018-01"', "setting reference_month is no longer used"),
        ("lock_timeout = -1", "setting lock_timeout"),
        ("nonsense = 1", "unknown setting(s): nonsense"),
        ("title = ", "not valid TOML"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path, toml: str, expected: str):
    path = tmp_path / "site.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises((UserError, DataErrors)) as caught:
        load_settings(path)
    lines = one_line_each(caught.value)
    assert any(expected in line and str(path) in line for line in lines), lines


def test_site_toml_that_is_not_utf8_is_one_line(tmp_path: Path):
    path = tmp_path / "site.toml"
    path.write_bytes('title = "Samtaletjek, Ærø"\n'.encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        load_settings(path)


def test_the_project_folder_is_the_nearest_with_site_toml(tmp_path: Path, monkeypatch):
    project = tmp_path / "project"
    deeper = project / "notes" / "2026"
    deeper.mkdir(parents=True)
    assert find_project(deeper) == deeper  # no site.toml: where the command is run
    (project / "site.toml").write_text('data_dir = "data"\n', encoding="utf-8")
    assert find_project(deeper) == project
    assert find_project(project) == project
    monkeypatch.chdir(deeper)
    found = project_settings(None, None)
    assert found.data_dir == project / "data"  # from site.toml, in the project folder
    assert found.out_dir == project / "output"  # a default, in the project folder
    assert found.templates_dir == PACKAGE / "templates"  # the program's own
    given = project_settings(None, None, data_dir=Path("elsewhere"), out_dir=Path("site"))
    assert (given.data_dir, given.out_dir) == (Path("elsewhere"), Path("site"))  # as typed
    monkeypatch.chdir(project)  # run in the project folder, paths stay short
    assert project_settings(None, None).data_dir == Path("data")
    assert project_settings(deeper, None).data_dir == deeper / "site_data"  # --project


def test_the_program_s_own_files_are_inside_the_package():
    settings = Settings()
    for folder in ("templates_dir", "assets_dir", "content_dir", "reference_dir"):
        assert getattr(settings, folder).is_relative_to(PACKAGE), folder
        assert any(getattr(settings, folder).iterdir()), folder


def test_an_unknown_headline_group_is_one_line(registry):
    with pytest.raises(UserError, match="headline_group: 'bogus' is not a target group"):
        check_settings(Settings(headline_group="bogus"), registry)


# ---- the reference TOML ------------------------------------------------------------------


def reference_with(tmp_path: Path, old: str, new: str, file: str = "maalgrupper.toml") -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, old
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('id = "star"\nkind = "run"\npct = 80', 'id = "star"\nkind = "run"\npct = 150', "pct"),
        ('id = "star"\nkind = "run"', 'id = "star"\nkind = "bogus"', "'bogus' is not one of"),
        (
            'id = "star"\nkind = "run"\npct = 80\nmonths = 6',
            'id = "star"\nkind = "run"\npct = 80\nmonths = -3',
            "-3 is not at least 1",
        ),
        (
            'id = "lov"\nkind = "share"\npct = 75',
            'id = "lov"\nkind = "share"\npct = "75"',
            "'75' is not a number",
        ),
        ('valid_to = "2019-12-31"', 'valid_to = "2019-13-31"', "is not a date"),
        ('valid_to = "2019-12-31"', 'valid_to = "2019-12-31"\ncolour = "red"', "unknown key"),
        (
            'valid_to = "2019-12-31"\nmeasured = 6',
            'valid_to = "2019-12-31"\nmeasured = 0',
            "measured",
        ),
        (
            'valid_from = "2020-01-01"\nvalid_to = "2023-12-31"',
            'valid_from = "2020-01-01"\nvalid_to = "2019-12-31"',
            "is before valid_from",
        ),
        (
            'valid_from = "2024-01-01"\nvalid_to = "2026-06-30"',
            'valid_from = "2023-06-01"\nvalid_to = "2026-06-30"',
            "overlaps",
        ),
    ],
)
def test_a_bad_reference_value_is_one_line_naming_it(tmp_path: Path, old, new, expected):
    folder = reference_with(tmp_path, old, new)
    with pytest.raises(DataErrors) as caught:
        load_registry(folder)
    lines = one_line_each(caught.value)
    assert any(expected in line and "maalgrupper.toml" in line for line in lines), lines


def test_a_broken_reference_csv_is_one_line(tmp_path: Path):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    with (folder / "population.csv").open("a", encoding="utf-8") as fh:
        fh.write("abc,def\n")
    with pytest.raises(DataErrors) as caught:
        load_registry(folder)
    assert len(one_line_each(caught.value)) == 2  # the problem and the summary line


# ---- the canonical table -----------------------------------------------------------------

HEADER = "period,municipality_code,municipality,target_group,persons,persons_meeting,share_pct\n"


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("2018-01,573,Varde,dagpenge,inf,10,50.0", "persons"),
        ("2018-01,573,Varde,dagpenge,100000000000000000000,10,10.0", "persons"),
        ("2018-01,573,Varde,dagpenge,100,10,nan", "share_pct"),
        ("2018-01,573,Varde,dagpenge,100,10,1e999", "share_pct"),
        ("2018-01,573,Varde,dagpenge,100,10,-Infinity", "share_pct"),
        ("2018-01,573,Varde,dagpenge,10.5,10,10.0", "persons"),
    ],
)
def test_numbers_that_are_no_figure_are_errors(tmp_path: Path, cell: str, column: str):
    (tmp_path / "samtaler.csv").write_text(HEADER + cell + "\n", encoding="utf-8")
    frame, errors = read_canonical(tmp_path)
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert frame[column].isna().all()


def test_a_month_must_be_exactly_yyyy_mm(tmp_path: Path, registry):
    from samtaletjek.domain.validate import validate

    (tmp_path / "samtaler.csv").write_text(
        HEADER + "2018-06xyz,573,Varde,dagpenge,100,10,10.0\n", encoding="utf-8"
    )
    frame, errors = read_canonical(tmp_path)
    problems = validate(frame, registry, "samtaler.csv")
    assert [(e.row, e.column) for e in problems] == [(2, "period")]


# ---- the release log and `check` ----------------------------------------------------------


@pytest.mark.parametrize(
    ("release", "expected"),
    [
        (
            '{"id": "a", "date": "2026-13-01", "source": "x", "periods": [], "added": 0, '
            '"revised": 0}',
            "is not a date",
        ),
        (
            '{"id": "a", "date": "2026-11-01", "source": "x", "periods": ["2018-06xyz"], '
            '"added": 0, "revised": 0}',
            "not a list of months",
        ),
        (
            '{"id": "a", "date": "2026-11-01", "source": 5, "periods": [], "added": 0, '
            '"revised": 0}',
            "is not a text",
        ),
        (
            '{"id": "a", "date": "2026-11-01", "source": "x", "periods": [], "added": -1, '
            '"revised": 0}',
            "is not a count",
        ),
        (
            '{"id": "a", "date": "2026-11-01", "source": "x", "periods": [], "added": 0, '
            '"revised": 0, "revisions": [{"period": "2018-01"}]}',
            "not as the format says",
        ),
        (
            '{"date": "2026-11-01", "source": "x", "periods": [], "added": 0, "revised": 0}',
            "is missing",
        ),
    ],
)
def test_check_refuses_a_release_log_the_build_would_refuse(
    tmp_path: Path, small_data: Path, release: str, expected: str
):
    (small_data / "releases.json").write_text(f"[{release}]\n", encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        read_releases(small_data)
    assert any(expected in line for line in one_line_each(caught.value))
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--data", str(small_data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and expected in done.stderr
    assert "Traceback" not in done.stderr


# ---- content pages -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["/", "../x", "..", "Om Os", "a//b", "", "om/../.."])
def test_a_slug_that_is_no_page_address_is_one_line(tmp_path: Path, slug: str):
    (tmp_path / "x.md").write_text(f"title: X\nslug: {slug}\norder: 1\n\nTekst.\n", "utf-8")
    with pytest.raises(DataErrors) as caught:
        read_content(tmp_path, {})
    lines = one_line_each(caught.value)
    assert str(tmp_path / "x.md") in lines[0]


def test_two_pages_with_one_slug_is_an_error(tmp_path: Path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("title: X\nslug: om\norder: 1\n\nTekst.\n", "utf-8")
    with pytest.raises(DataErrors, match="problem"):
        read_content(tmp_path, {})


def test_a_slug_that_is_the_address_of_another_page_is_an_error(tmp_path: Path):
    from samtaletjek.build import _check_content_paths
    from samtaletjek.pages.indexes import NotFoundPage

    (tmp_path / "k.md").write_text("title: K\nslug: kommune\norder: 1\n\nTekst.\n", "utf-8")
    content = read_content(tmp_path, {})
    other = type("P", (), {"path": "kommune/"})()
    with pytest.raises(DataErrors) as caught:
        _check_content_paths(content, (other, NotFoundPage(), *content))
    assert "k.md" in one_line_each(caught.value)[0]
