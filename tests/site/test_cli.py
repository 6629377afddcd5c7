"""The command line as a user meets it: exit codes, one line per problem, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_site import digest

from samtaletjek.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "command", ["build", "check", "demo-data", "serve", "vendor", "import", "fetch"]
)
def test_every_command_has_help_with_an_example(command):
    code, output = run(command, "--help")
    assert code == 0
    assert "Example:" in output and "python build.py" in output


def test_check_accepts_good_data(small_data: Path):
    code, output = run("check", "--data", str(small_data))
    assert code == 0
    assert output.startswith("OK: 224 rows")


def corrupt(data: Path) -> None:
    csv = data / "samtaler.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",1440,", ",99999,")  # more meeting than persons
    lines[5] = lines[5].replace("2017-12", "2017-13")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_check_rejects_bad_data_one_line_per_problem(small_data: Path):
    corrupt(small_data)
    code, output = run("check", "--data", str(small_data))
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    file = small_data / "samtaler.csv"
    expected = f"error: {file}:3: column persons_meeting: 99999 is greater than persons (1800)"
    assert expected in lines
    assert any(":6: column period: '2017-13' is not a month" in line for line in lines)
    assert "Traceback" not in output


def test_a_failed_build_leaves_the_previous_site_and_the_data_untouched(
    small_data: Path, tmp_path: Path, site: Path
):
    out = tmp_path / "output"
    import shutil

    shutil.copytree(site, out)
    before_site = digest(out)
    corrupt(small_data)
    before_data = digest(small_data)
    code, output = run("build", "--data", str(small_data), "--out", str(out), "--jobs", "1")
    assert code == 1
    assert "problem(s) found; nothing was written." in output
    assert digest(out) == before_site
    assert digest(small_data) == before_data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_missing_data_directory_is_a_clear_error(tmp_path: Path):
    code, output = run("check", "--data", str(tmp_path / "nowhere"))
    assert code == 1
    assert "manifest is missing: there is no folder" in output
    assert "`demo-data` writes the demo data there" in output
    assert "Traceback" not in output


def test_bad_setting_is_a_clear_error(tmp_path: Path, small_data: Path):
    config = tmp_path / "site.toml"
    config.write_text('min_persons = "ten"\n', encoding="utf-8")
    code, output = run("check", "--data", str(small_data), "--config", str(config))
    assert code == 1
    assert "min_persons" in output and "not a whole number" in output


def test_demo_data_leaves_real_figures_alone(small_data: Path):
    real = (small_data / "samtaler.csv").read_text(encoding="utf-8").splitlines()[1:]
    code, output = run("demo-data", "--data", str(small_data))
    assert code == 0, output
    rows = (small_data / "samtaler.csv").read_text(encoding="utf-8").splitlines()
    samtaler = [r for r in rows[1:] if ",samtaler," in r]
    assert len(samtaler) == len(real)  # the real samtaler rows are kept, none made up
    assert {r.split(",")[0] for r in samtaler} == {r.split(",")[0] for r in real}
    sources = json.loads((small_data / "manifest.json").read_text(encoding="utf-8"))["sources"]
    assert sources["samtaler"]["demo"] is False and sources["tilbud"]["demo"] is True


def test_demo_data_into_an_empty_directory_then_check(tmp_path: Path):
    target = tmp_path / "fresh"
    code, output = run("demo-data", "--data", str(target))
    assert code == 0, output
    assert json.loads((target / "manifest.json").read_text(encoding="utf-8"))["demo"] is True
    code, output = run("check", "--data", str(target))
    assert code == 0
    assert (
        "OK: 209132 rows, 2017-01 to 2026-10, 98 municipalities (samtaler: 92512 rows, "
        "8 target groups, demo data; tilbud: 24108 rows, 3 target groups, demo data; "
        "passivandel: 34692 rows, 3 target groups, demo data; aktivering: 57820 rows, "
        "5 target groups, demo data)" in output
    )


def test_a_data_file_with_only_a_header_is_a_clear_error(small_data: Path):
    csv = small_data / "samtaler.csv"
    csv.write_text(csv.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, output = run("check", "--data", str(small_data))
    assert code == 1
    assert f"error: {csv}: has a header but no rows" in output
