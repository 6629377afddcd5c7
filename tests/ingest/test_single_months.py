"""STAR's statements are single months: November 2017, January, April and June 2018 import
together or one at a time, in any order, to the same table; the months between them stay
unknown (no row, nothing zero) and the summary says which they are."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from samtaletjek.cli import cli

MONTHS = FIXTURES / "import" / "single-months"
FILES = sorted(MONTHS.glob("statement-*.xlsx"))
UNKNOWN = "unknown months (no source holds them; nothing is filled in): "


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def import_(data: Path, *files: Path) -> str:
    code, output = run("import", *map(str, files), "--data", str(data), "--date", "2026-11-02")
    assert code == 0, output
    return output


def table(data: Path) -> pd.DataFrame:
    return pd.read_csv(data / "samtaler.csv", dtype={"period": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def together(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("together") / "data"
    return data, import_(data, *FILES)


def test_the_four_months_import_together(together):
    data, output = together
    assert [f.name for f in FILES] == [
        "statement-2017-11.xlsx",
        "statement-2018-01.xlsx",
        "statement-2018-04.xlsx",
        "statement-2018-06.xlsx",
    ]
    assert "read 798 rows: 786 added" in output
    assert f"  {UNKNOWN}2017-12, 2018-02, 2018-03, 2018-05" in output.splitlines()
    frame = table(data)
    assert sorted(set(frame["period"])) == ["2017-11", "2018-01", "2018-04", "2018-06"]
    # Nothing invented for the months between; STAR's national figure where a sheet has it.
    national = frame[frame["municipality_code"] == 0]
    assert list(national["period"]) == ["2018-01", "2018-01"]
    assert len(frame) == 4 * 2 * 98 + len(national)
    varde = frame[
        (frame["municipality"] == "Varde")
        & (frame["period"] == "2018-01")
        & (frame["target_group"] == "dagpenge")
    ]
    # The minister's figure as STAR published it: 45,0 % of 87; the 39 is worked out from it.
    assert varde[["persons", "persons_meeting", "share_pct", "derived"]].values.tolist() == [
        ["87", "39", "45.0", "persons_meeting"]
    ]
    laesoe = frame[frame["municipality"] == "Læsø"]  # suppressed: a row with empty cells
    assert len(laesoe) == 8 and (laesoe[["persons", "share_pct"]] == "").all().all()
    code, checked = run("check", "--data", str(data))
    assert code == 0, checked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_at_a_time_in_any_order_gives_the_same_table(together, tmp_path: Path, seed: int):
    order = random.Random(seed).sample(FILES, len(FILES))
    data = tmp_path / "data"
    outputs = [import_(data, file) for file in order]
    expected = table(together[0])
    got = table(data)
    # Cell by cell, in the order the file is written.
    assert list(got.columns) == list(expected.columns)
    assert got.shape == expected.shape
    for column in expected.columns:
        different = (got[column] != expected[column]).to_numpy().nonzero()[0]
        assert not len(different), (column, got.iloc[different[:3]], expected.iloc[different[:3]])
    assert (data / "samtaler.csv").read_bytes() == (together[0] / "samtaler.csv").read_bytes()
    # The last import's summary names the months no source holds.
    assert f"  {UNKNOWN}2017-12, 2018-02, 2018-03, 2018-05" in outputs[-1].splitlines()


def test_a_statement_then_a_later_extract_leaves_the_years_between_unknown(tmp_path: Path):
    data = tmp_path / "data"
    import_(data, MONTHS / "statement-2018-06.xlsx")
    output = import_(data, FIXTURES / "v3" / "data-y14ti01-saved.json")
    line = next(x for x in output.splitlines() if x.startswith("  unknown months of dagpenge"))
    assert "2018-07, 2018-08" in line and "(96 in all)" in line
    assert "unknown months of kontanthjaelp-aktivitetsparate" in output
    assert run("check", "--data", str(data))[0] == 0
