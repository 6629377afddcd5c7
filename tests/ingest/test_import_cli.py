"""`python build.py import` as a user meets it: real files in, a summary out, the data
directory changed only by a good import, and a site built from what was imported."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from stand_in import STAND_IN

from samtaletjek.build import build
from samtaletjek.cli import cli
from samtaletjek.settings import Settings

IMPORT = FIXTURES / "import"
BAD = IMPORT / "bad"
SMALL = FIXTURES / "small"
STATEMENT = IMPORT / "statement-2018-06.xlsx"
EXPECTED = IMPORT / "statement-2018-06.expected.csv"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_import_into_an_empty_directory_then_build(tmp_path: Path):
    data = tmp_path / "new"
    code, output = run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02")
    assert code == 0, output
    assert "read 24 rows: 20 added, 0 revised, 0 unchanged, 4 skipped" in output
    assert (data / "samtaler.csv").read_text(encoding="utf-8") == EXPECTED.read_text("utf-8")
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["demo"] is False and manifest["source"] == "STAR / jobindsats.dk"
    (release,) = json.loads((data / "releases.json").read_text(encoding="utf-8"))
    assert release["id"] == "2026-11-02-1"
    assert release["files"] == ["statement-2018-06.xlsx"]

    out = tmp_path / "site"
    settings = Settings(data_dir=data, out_dir=out, cache_dir=tmp_path / "cache")
    build(settings, renderer=STAND_IN)  # what is built, not what is drawn
    published = (out / "data" / "samtaler.csv").read_text("utf-8").splitlines()
    expected = EXPECTED.read_text("utf-8").splitlines()
    # the download is the stored table with the source of every row: STAR's, fetched on the
    # day of the import (the statement names no table)
    assert published[0] == expected[0] + ",source"
    tag = ',"STAR, jobindsats.dk, hentet 2026-11-02"'
    assert published[1:] == [row + tag for row in expected[1:]]


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path):
    data = tmp_path / "data"
    assert run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02")[0] == 0
    before = digest(data)
    code, output = run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-03")
    assert code == 0
    assert output.startswith("No new data: read 24 rows: 0 added, 0 revised, 20 unchanged")
    assert digest(data) == before


def test_every_format_in_one_import(tmp_path: Path):
    data = tmp_path / "data"
    files = [IMPORT / "jobindsats-dagpenge.json", IMPORT / "jobindsats-kontanthjaelp.csv"]
    code, output = run("import", *map(str, files), "--data", str(data), "--date", "2026-11-02")
    assert code == 0, output
    assert "read 221 rows: 214 added" in output
    assert "Hele landet 2018-04 dagpenge: the row says 42978 persons" in output
    assert "(matches)" in output
    code, output = run("check", "--data", str(data))
    assert code == 0 and "2018-04 to 2018-07" in output


def rows_of(data: Path) -> list[str]:
    """The table's rows without their last columns, `derived` (tested on its own) and
    `activation_degree` (empty: only aktivering has it)."""
    lines = (data / "samtaler.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",indicator,derived,activation_degree")
    assert all(line.endswith(",") for line in lines[1:])
    return [line.rsplit(",", 2)[0] for line in lines[1:]]


def derived_of(data: Path) -> set[str]:
    """The values of `derived` in the table."""
    return {
        line.rsplit(",", 2)[1]
        for line in (data / "samtaler.csv").read_text("utf-8").splitlines()[1:]
    }


def test_an_offer_statement_imports_as_tilbud(tmp_path: Path):
    data = tmp_path / "data"
    file = IMPORT / "tilbud-2024-06.xlsx"
    # Alone, it would leave a directory the site cannot be built from: refused, nothing written.
    code, output = run("import", str(file), "--data", str(data), "--date", "2026-11-02")
    assert code == 1
    assert (
        "samtaler.csv (after the import): column indicator: would hold no samtaler rows" in output
    )
    assert not data.exists()
    assert run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02")[0] == 0
    code, output = run("import", str(file), "--data", str(data), "--date", "2026-11-03")
    assert code == 0, output
    # The group from the title, the indicator from "Andel med aktivt tilbud (pct.)"; Århus is
    # Aarhus, "Odense *" a frikommune; 311 of 420 is 74.05 %, stored 74.0 from the counts.
    assert rows_of(data)[20:] == [
        "2024-06,0,Hele landet,kontanthjaelp-jobparate,6120,4407,72.0,,tilbud",  # STAR's own
        "2024-06,101,København,kontanthjaelp-jobparate,640,410,64.1,,tilbud",
        "2024-06,461,Odense,kontanthjaelp-jobparate,355,266,74.9,,tilbud",
        "2024-06,573,Varde,kontanthjaelp-jobparate,35,28,80.0,,tilbud",
        "2024-06,751,Aarhus,kontanthjaelp-jobparate,420,311,74.0,,tilbud",
        "2024-06,825,Læsø,kontanthjaelp-jobparate,2,,,,tilbud",
    ]
    assert "    tilbud: target groups kontanthjaelp-jobparate; 6 added" in output
    assert "Hele landet 2024-06 tilbud/kontanthjaelp-jobparate: not comparable" in output
    assert run("check", "--data", str(data))[0] == 0


def test_samtaler_and_tilbud_side_by_side_import_as_both(tmp_path: Path):
    data = tmp_path / "data"
    code, output = run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02")
    assert code == 0, output
    file = IMPORT / "tidlig-indsats-2024-06.xlsx"
    code, output = run("import", str(file), "--data", str(data), "--date", "2026-11-03")
    assert code == 0, output
    assert "read 10 rows: 10 added, 0 revised, 0 unchanged, 0 skipped" in output
    assert "    samtaler: target groups dagpenge, kontanthjaelp-aktivitetsparate; 5 added" in output
    assert "    tilbud: target groups dagpenge, kontanthjaelp-aktivitetsparate; 5 added" in output
    # One sheet row read by both tables: the national row, stored once for each indicator.
    rows = [r for r in rows_of(data) if r.startswith("2024-06")]
    assert rows == [
        "2024-06,0,Hele landet,dagpenge,9800,7644,78.0,,samtaler",
        "2024-06,101,København,dagpenge,1500,1230,82.0,,samtaler",
        "2024-06,573,Varde,dagpenge,87,70,80.5,,samtaler",
        "2024-06,101,København,kontanthjaelp-aktivitetsparate,900,612,68.0,,samtaler",
        "2024-06,573,Varde,kontanthjaelp-aktivitetsparate,60,39,65.0,,samtaler",
        "2024-06,0,Hele landet,dagpenge,9800,7350,75.0,,tilbud",
        "2024-06,101,København,dagpenge,1500,1110,74.0,,tilbud",
        "2024-06,573,Varde,dagpenge,87,61,70.1,,tilbud",
        "2024-06,101,København,kontanthjaelp-aktivitetsparate,900,540,60.0,,tilbud",
        "2024-06,573,Varde,kontanthjaelp-aktivitetsparate,60,33,55.0,,tilbud",
    ]
    assert len(rows_of(data)) == 20 + 10  # the samtale statement's rows are kept
    assert derived_of(data) == {"", "persons_meeting"}  # counts given here; derived in June 2018
    assert run("check", "--data", str(data))[0] == 0


def test_passivity_imports_from_a_csv_export_and_a_v2_answer(tmp_path: Path):
    data = tmp_path / "data"
    files = [IMPORT / "jobindsats-passivandel.csv", IMPORT / "jobindsats-passivandel.json"]
    files.append(STATEMENT)  # in the same import as samtale figures
    code, output = run("import", *map(str, files), "--data", str(data), "--date", "2026-11-02")
    assert code == 0, output
    assert "read 50 rows: 44 added" in output
    assert "    samtaler: target groups dagpenge, kontanthjaelp-aktivitetsparate, " in output
    assert (
        "    passivandel: target groups kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate, "
        "uddannelseshjaelp-aktivitetsparate; 24 added" in output
    )
    rows = [r for r in rows_of(data) if not r.endswith(",samtaler")]
    assert all(r.endswith(",passivandel") for r in rows) and len(rows) == 16 + 8  # 8 national
    # The minister's figures for Guldborgsund: 50 % (475) in March 2017, 43 % (386) in December.
    assert (
        "2017-03,376,Guldborgsund,kontanthjaelp-aktivitetsparate,950,475,50.0,,passivandel" in rows
    )
    assert (
        "2017-12,376,Guldborgsund,kontanthjaelp-aktivitetsparate,898,386,43.0,,passivandel" in rows
    )
    assert "2017-12,727,Odder,kontanthjaelp-aktivitetsparate,150,,,,passivandel" in rows
    # From the export: the passive share, not the activation rate beside it; ".." is missing.
    assert "2024-06,573,Varde,kontanthjaelp-jobparate,40,8,20.0,,passivandel" in rows
    assert "2024-06,573,Varde,uddannelseshjaelp-aktivitetsparate,55,,,,passivandel" in rows
    # two months, three groups, two municipalities and STAR's national figure
    assert len([r for r in rows if r.startswith("2024-")]) == 2 * 3 * (2 + 1)
    assert "2024-06,0,Hele landet,kontanthjaelp-jobparate,8400,2016,24.0,,passivandel" in rows
    assert run("check", "--data", str(data))[0] == 0


def test_month_and_group_from_the_options(tmp_path: Path):
    data = tmp_path / "data"
    file = str(IMPORT / "no-month-no-group.csv")
    code, output = run("import", file, "--data", str(data))
    assert code == 1
    assert "does not say which month it holds; give --period YYYY-MM" in output
    code, output = run(
        "import", file, "--data", str(data), "--period", "2018-06", "--target-group", "dagpenge"
    )
    assert code == 0, output
    assert "2018-06,573,Varde,dagpenge,120,75,62.5," in (data / "samtaler.csv").read_text("utf-8")


def test_a_revision_is_recorded_with_old_and_new(small_data: Path):
    # Læsø's dagpenge persons were published (2) and are now suppressed: refused unless allowed.
    before = digest(small_data)
    code, output = run("import", str(STATEMENT), "--data", str(small_data), "--date", "2026-11-02")
    assert code == 1
    assert output.splitlines()[0] == (
        f"error: {STATEMENT}[Dagpenge 6-9 mdr]:13: column persons: would make the published "
        "figure 2 missing (2018-06 825 dagpenge); import with --allow-missing to accept"
    )
    assert digest(small_data) == before
    code, output = run(
        "import", str(STATEMENT), "--data", str(small_data), "--date", "2026-11-02",
        "--allow-missing",
    )  # fmt: skip
    assert code == 0, output
    release = json.loads((small_data / "releases.json").read_text(encoding="utf-8"))[-1]
    varde = [
        (r["column"], r["old"], r["new"])
        for r in release["revisions"]
        if (r["period"], r["municipality_code"], r["target_group"]) == ("2018-06", 573, "dagpenge")
    ]
    assert varde == [
        ("persons_meeting", "42", "39"),
        ("share_pct", "48.3", "45.0"),  # as STAR published it; the 39 is derived from it
        ("mean_conversations", "2.9", "2.7"),
    ]
    assert "  revised 2018-06 573 dagpenge persons_meeting: 42 → 39" in output.splitlines()
    # København and Varde in two groups, and Læsø's dagpenge persons, now suppressed (2 → –).
    assert release["revised"] == 5
    assert "  1 published figure(s) now missing (--allow-missing):" in output.splitlines()
    assert "    2018-06 825 dagpenge persons: 2 → –" in output.splitlines()
    assert run("check", "--data", str(small_data))[0] == 0


def test_real_data_replace_demo_data_and_say_so(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    (data / "manifest.json").write_text(json.dumps({**manifest, "demo": True}), encoding="utf-8")
    code, output = run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02")
    assert code == 0, output
    assert "replaced the demo data of samtaler (224 rows) with real figures" in output
    assert "the directory now holds real figures only" in output
    assert (data / "samtaler.csv").read_text("utf-8") == EXPECTED.read_text("utf-8")
    assert json.loads((data / "manifest.json").read_text(encoding="utf-8"))["demo"] is False


def test_the_import_date_comes_from_the_option_or_source_date_epoch(tmp_path: Path):
    data = tmp_path / "data"
    env = {"SOURCE_DATE_EPOCH": "1790000000"}  # 2026-09-21
    assert run("import", str(STATEMENT), "--data", str(data), env=env)[0] == 0
    (release,) = json.loads((data / "releases.json").read_text(encoding="utf-8"))
    assert release["date"] == "2026-09-21"
    code, output = run("import", str(STATEMENT), "--data", str(data), "--date", "2.11.2026")
    assert (code, output.strip()) == (
        1,
        "Error: --date '2.11.2026' is not a date written YYYY-MM-DD",
    )


def test_an_unknown_target_group_option(tmp_path: Path):
    code, output = run("import", str(STATEMENT), "--data", str(tmp_path), "--target-group", "dp")
    assert code == 1
    assert "--target-group 'dp' is not one of: dagpenge, kontanthjaelp-jobparate" in output


BAD_CASES = [
    ("empty.csv", "empty.csv: the file is empty"),
    ("header-only.xlsx", "header-only.xlsx[Dagpenge juni 2018]:1: has a header but no rows below"),
    ("no-header.xlsx", "no-header.xlsx: no table found: no sheet has a header row starting with"),
    ("not-really.xlsx", "not-really.xlsx: is named .xlsx but is not an Excel workbook"),
    ("image.png", "image.png: is a PNG image, not a data file"),
    ("truncated.json", "not valid JSON: Unterminated string starting at (the file ends too early"),
    ("wrong-token.json", "wrong-token.json: this is jobindsats.dk's answer to a wrong or expired"),
    (
        "unknown-municipality.csv",
        "unknown-municipality.csv:4: column Område: 'Hjørringg' is not a known municipality; "
        "did you mean 'Hjørring'?",
    ),
    ("bad-number.xlsx", "bad-number.xlsx[Dagpenge]:3: column B (Antal personer): '4x5' is not a"),
    (
        "share-over-100.csv",
        "share-over-100.csv:3: column Andel med mindst 6 samtaler (pct.): 104.5 is outside 0–100",
    ),
    (
        "negative-persons.json",
        "negative-persons.json[Data]:1: column ant (Sygedagpengemodtagere: Antal personer): -12 "
        "is negative",
    ),
    (
        "impossible-period.csv",
        "impossible-period.csv:3: column Periode: '2018M13' is not a possible",
    ),
    ("duplicate-rows.csv", "duplicate-rows.csv:5: duplicate of row 3: Varde 2018-06 dagpenge"),
    (
        "mixed-periods.xlsx",
        "mixed-periods.xlsx[Akt. kontanthjælp]: does not name its month, and the file mixes "
        "2018-05, 2018-06; say which with --period YYYY-MM",
    ),
    ("latin1.csv", "latin1.csv:2: not UTF-8 text: byte 0xE5 ('å' in Latin-1: save the file as"),
    (
        "two-indicators-column.csv",
        "two-indicators-column.csv:2: column Andel med samtaler og tilbud (pct.) speaks of "
        "samtaler and tilbud; give each its own column",
    ),
    (
        "two-indicators-title.xlsx",
        "two-indicators-title.xlsx[Dagpenge juni 2024]:2: the sheet or title speaks of samtaler "
        "and tilbud, and no column says which it measures; name it in the headers (e.g. "
        "'Andel med mindst 6 samtaler (pct.)' or 'Andel med aktivt tilbud (pct.)')",
    ),
    (
        "tilbud-sygedagpenge.xlsx",
        "tilbud-sygedagpenge.xlsx[Sygedagpenge]: sygedagpenge (named by the sheet, title or "
        "--target-group) is not a target group of tilbud (dagpenge, "
        "kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate)",
    ),
    (
        "passivandel-dagpenge.csv",
        "passivandel-dagpenge.csv:3: column Ydelsesgruppe: 'A-dagpenge' is dagpenge, not a "
        "target group of passivandel (kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate, "
        "uddannelseshjaelp-aktivitetsparate)",
    ),
    (  # a new target group (as from 2027) stops the import, not the site
        "unknown-group.csv",
        "unknown-group.csv:3: column Ydelsesgruppe: 'Borgere i jobforløb (ny lov)' does not name "
        "one target group; if it is a new one, add it to samtaletjek/reference/maalgrupper.toml",
    ),
]


@pytest.mark.parametrize(("name", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_one_clear_line_and_changes_nothing(tmp_path: Path, name: str, message: str):
    data = tmp_path / "data"
    assert run("import", str(STATEMENT), "--data", str(data), "--date", "2026-11-02")[0] == 0
    before = digest(data)
    code, output = run("import", str(BAD / name), "--data", str(data), "--date", "2026-11-03")
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    assert message in errors[0]
    assert str(BAD / name) in errors[0]
    assert "Traceback" not in output
    assert output.rstrip().endswith("nothing was written.")
    assert digest(data) == before
    assert [p.name for p in data.iterdir()] == [p.name for p in data.iterdir() if p.name[0] != "."]


def test_bad_input_into_an_empty_directory_creates_nothing(tmp_path: Path):
    code, _ = run("import", str(BAD / "image.png"), "--data", str(tmp_path / "new"))
    assert code == 1
    assert not (tmp_path / "new").exists()


def test_a_missing_file_is_a_clear_error(tmp_path: Path):
    code, output = run("import", str(tmp_path / "nowhere.xlsx"), "--data", str(tmp_path / "d"))
    assert code == 1
    assert f"error: {tmp_path / 'nowhere.xlsx'}: no such file" in output
