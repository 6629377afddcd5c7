"""STAR's real figures in the tidy CSV layout (`readers/tidy_csv`): activation rows of
indicator aktivering, registered unemployment into `ledighed.csv`, the national figure as a
row of code 0, provenance per indicator in the manifest, and demo rows replaced only for the
indicators an import brings. Tiny files written here, in the layout of `site_data/star/`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_import_merge import canonical

from samtaletjek import store
from samtaletjek.cli import cli
from samtaletjek.domain.dataset import Manifest, Release, Source
from samtaletjek.errors import DataErrors
from samtaletjek.ingest import demo
from samtaletjek.ingest.plan import Existing, plan_import
from samtaletjek.ingest.readers import read_source
from samtaletjek.store.releases import read_releases, releases_json

TODAY = "2026-08-22"
ACTIVATION = (
    "period,area,persons_y60a02,fulltime_persons_y60a02,aktiveringsgrad_y60c07,"
    "andel_aktiveringsberoerte_pct_y60c07\n"
)
UNEMPLOYED = (
    "period,area,ledige_y25i01,ledighedspct_y25i01,ledige_dagpenge,ledige_kontanthjaelp_jobparate\n"
)
DEMO = Manifest(source="Eksempeldata", release_date="2026-01-01", demo=True, licence="CC0 1.0")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def activation(tmp_path: Path, rows: str, name: str = "kontanthjaelp_aktivering.csv") -> Path:
    return write(tmp_path, name, ACTIVATION + rows)


def plan(paths, existing=None, registry=None, **options):  # noqa: ANN001
    return plan_import(
        [read_source(p) for p in paths],
        existing or Existing(canonical([]), None),
        registry,
        today=TODAY,
        source="test",
        data_dir="data",
        **options,
    )


def samtaler_demo() -> pd.DataFrame:
    return canonical([("2026-07", 573, "Varde", "dagpenge", 100, 60, 60.0, 3.0)])


def errors_of(exc: pytest.ExceptionInfo[DataErrors]) -> list[str]:
    return [str(e) for e in exc.value.errors]


def test_activation_rows_become_aktivering_with_the_national_row_as_code_0(tmp_path, registry):
    path = activation(
        tmp_path,
        "2026-07,Varde,651,600,11.6,42.4\n"
        "2026-07,Vesthimmerlands,520,500,14.0,50.0\n"
        "2026-07,Hele landet,85491,80000,15.6,42.6\n",
    )
    result = plan([path], Existing(samtaler_demo(), None), registry)
    rows = result.frame[result.frame["indicator"] == "aktivering"]
    got = rows[
        [
            "municipality_code",
            "municipality",
            "target_group",
            "persons",
            "persons_meeting",
            "share_pct",
            "derived",
            "activation_degree",
        ]
    ].astype(object)
    assert got.values.tolist() == [
        # STAR's own national figure, as published; 85491 × 42.6 % = 36419.2 → 36419
        [0, "Hele landet", "kontanthjaelp", 85491, 36419, 42.6, "persons_meeting", 15.6],
        # the share and degree as published; 651 × 42.4 % = 276.0 persons, derived
        [573, "Varde", "kontanthjaelp", 651, 276, 42.4, "persons_meeting", 11.6],
        [820, "Vesthimmerland", "kontanthjaelp", 520, 260, 50.0, "persons_meeting", 14.0],
    ]
    notes = result.summary.notes
    assert any("column fulltime_persons_y60a02: full-time persons" in n for n in notes)
    # The national row still serves the cross-check (two municipalities do not add up to it).
    assert any(n.startswith("cross-check") and "Hele landet 2026-07" in n for n in notes)
    source = result.manifest.sources["aktivering"]
    assert source == Source(False, "STAR, jobindsats.dk", ("y60c07", "y60a02"), TODAY, TODAY)


def test_table_ids_and_the_benefit_come_from_the_file_not_from_the_code(tmp_path, registry):
    header = ACTIVATION.replace("y60a02", "y01a02").replace("y60c07", "y01c07")
    path = write(
        tmp_path, "dagpenge_aktivering_2026.csv", header + "2026-07,Varde,40,38,20.0,50.0\n"
    )
    result = plan([path], Existing(samtaler_demo(), None), registry, retrieved="2026-08-20")
    rows = result.frame[result.frame["indicator"] == "aktivering"]
    assert list(rows["target_group"]) == ["dagpenge"]
    source = result.manifest.sources["aktivering"]
    assert (source.tables, source.retrieved, source.release_date) == (
        ("y01c07", "y01a02"),
        "2026-08-20",
        TODAY,
    )


def test_a_file_that_does_not_name_its_benefit_needs_the_option(tmp_path, registry):
    path = activation(tmp_path, "2026-07,Varde,651,600,11.6,42.4\n", name="aktivering.csv")
    with pytest.raises(DataErrors) as exc:
        plan([path], Existing(samtaler_demo(), None), registry)
    assert errors_of(exc) == [
        f"{path}: does not say which target group it holds; give --target-group ID"
    ]
    result = plan([path], Existing(samtaler_demo(), None), registry, target_group="kontanthjaelp")
    assert "kontanthjaelp" in set(result.frame["target_group"])


def test_an_unknown_area_is_one_line_naming_file_row_and_column(tmp_path, registry):
    path = activation(tmp_path, "2026-07,Varde,651,600,11.6,42.4\n2026-07,Vardee,10,9,1.0,40.0\n")
    with pytest.raises(DataErrors) as exc:
        plan([path], Existing(samtaler_demo(), None), registry)
    assert errors_of(exc) == [
        f"{path}:3: column area: 'Vardee' is not a known municipality; did you mean 'Varde'?"
    ]


def test_a_share_or_degree_outside_0_to_100_is_an_error_also_in_the_national_row(
    tmp_path, registry
):
    path = activation(
        tmp_path, "2026-07,Varde,651,600,11.6,42.4\n2026-07,Hele landet,9,9,1.0,142.6\n"
    )
    with pytest.raises(DataErrors) as exc:
        plan([path], Existing(samtaler_demo(), None), registry)
    assert errors_of(exc) == [
        f"{path}:3: column andel_aktiveringsberoerte_pct_y60c07: 142.6 is outside 0–100 %"
    ]


def test_registered_unemployment_goes_to_ledighed_csv_missing_stays_missing(tmp_path, registry):
    path = write(
        tmp_path,
        "ledige.csv",
        UNEMPLOYED
        + "2026-07,Varde,431,1.8,300,50\n"
        + "2026-07,Læsø,,,,\n"  # suppressed (diskretioneret): missing, never 0
        + "2026-07,Hele landet,91583,3.0,70000,9000\n",
    )
    result = plan([path], Existing(samtaler_demo(), None), registry)
    assert result.context.astype(object).where(result.context.notna(), None).values.tolist() == [
        ["2026-07", 0, "Hele landet", 91583, 3.0],
        ["2026-07", 573, "Varde", 431, 1.8],
        ["2026-07", 825, "Læsø", None, None],
    ]
    assert result.manifest.sources["ledighed"].tables == ("y25i01",)
    assert "  wrote ledighed.csv (3 rows)" in result.summary.lines()
    assert any("ledige_dagpenge: the unemployed on one benefit" in n for n in result.summary.notes)
    # A later release that revises a value lists the revision, like any other.
    again = write(tmp_path, "ledige2.csv", UNEMPLOYED + "2026-07,Varde,433,1.8,300,50\n")
    before = Existing(result.frame, result.manifest, result.releases, result.context)
    second = plan([again], before, registry, tables=("ignored",))
    assert second.summary.revised == 1
    assert "  revised 2026-07 573 ledighed unemployed: 431 → 433" in second.summary.lines()
    assert len(second.context) == 3


def test_ledighed_figures_are_checked_one_line_each(tmp_path, registry):
    path = write(
        tmp_path,
        "ledige.csv",
        UNEMPLOYED + "2026-07,Varde,43.5,1.8,,\n2026-07,Billund,10,101.0,,\n2026-07,Vardee,1,1,,\n",
    )
    with pytest.raises(DataErrors) as exc:
        plan([path], Existing(samtaler_demo(), None), registry)
    assert errors_of(exc) == [
        f"{path}:2: column ledige_y25i01: 43.5 is not a whole number of persons ≥ 0",
        f"{path}:3: column ledighedspct_y25i01: 101 is outside 0–100 %",
        f"{path}:4: column area: 'Vardee' is not a known municipality; did you mean 'Varde'?",
    ]


def test_an_import_replaces_only_the_demo_rows_of_what_it_brings(tmp_path, registry):
    existing = pd.concat(
        [
            samtaler_demo(),
            canonical(
                [("2026-07", 573, "Varde", "kontanthjaelp", 600, 300, 50.0, None, "aktivering")]
            ),
        ],
        ignore_index=True,
    )
    old_release = Release("2026-01-02-1", "2026-01-02", "demo", ("2026-07",), 2, 0)
    path = activation(tmp_path, "2026-07,Varde,651,600,11.6,42.4\n")
    result = plan([path], Existing(existing, DEMO, (old_release,)), registry)
    assert sorted(zip(result.frame["indicator"], result.frame["persons"], strict=True)) == [
        ("aktivering", 651),  # the real row; the demo row of 600 persons is gone
        ("samtaler", 100),  # demo samtaler stay: samtaler rows remain, as the build needs
    ]
    lines = result.summary.lines()
    assert "  replaced the demo data of aktivering (1 rows) with real figures" in lines
    assert "  demo figures remain for samtaler" in lines
    sources = result.manifest.sources
    assert sources["samtaler"].demo is True and sources["samtaler"].licence == "CC0 1.0"
    assert sources["aktivering"].demo is False
    assert result.manifest.demo is False  # the top level: the newest real import
    # The demo release stays, marked demo, while some indicator still shows demo figures.
    assert [(r.id, r.demo) for r in result.releases] == [
        ("2026-01-02-1", True),
        ("2026-08-22-1", False),
    ]

    # Real samtaler later: they replace the demo samtaler, and aktivering stays as it was.
    statement = write(
        tmp_path,
        "dagpenge.csv",
        "Område;Periode;Målgruppe;Antal personer;Andel med mindst 6 samtaler (pct.)\n"
        "Varde;2026M07;Dagpengemodtagere;90;50,0\n",
    )
    after = Existing(result.frame, result.manifest, result.releases)
    second = plan([statement], after, registry, retrieved="2026-08-21")
    assert sorted(zip(second.frame["indicator"], second.frame["persons"], strict=True)) == [
        ("aktivering", 651),
        ("samtaler", 90),
    ]
    assert second.manifest.sources["aktivering"] == sources["aktivering"]
    assert second.manifest.sources["samtaler"].demo is False
    assert "  the directory now holds real figures only" in second.summary.lines()
    assert [r.demo for r in second.releases] == [False, False]  # the demo log is dropped


def test_demo_data_keeps_the_real_indicators_and_generates_the_others(site_registry):
    real = canonical([("2020-03", 573, "Varde", "dagpenge", 40, 30, 75.0, None, "tilbud")])
    source = Source(False, "STAR, jobindsats.dk", ("y30a01",), "2026-08-20", "2026-08-22")
    manifest = Manifest("STAR / jobindsats.dk", "2026-08-22", False, sources={"tilbud": source})
    release = Release("2026-11-02-1", "2026-11-02", "import", ("2020-03",), 1, 0)
    out = demo.regenerate(site_registry, real, manifest, (release,), has_context=True)
    tilbud = out.frame[out.frame["indicator"] == "tilbud"]
    assert tilbud["persons"].tolist() == [40]  # the real row, and no demo tilbud beside it
    assert {"samtaler", "passivandel"} <= set(out.frame["indicator"])
    # ledighed.csv has no entry of its own: its source is the (real) top level, kept explicit.
    assert out.kept == ("tilbud", "ledighed")
    assert out.manifest.sources["ledighed"] == manifest.default
    assert out.manifest.sources["tilbud"] == source
    assert out.manifest.sources["samtaler"].demo is True
    assert out.manifest.demo is False
    # The real release stays; a demo release of the same day gets the next number.
    ids = [(r.id, r.demo) for r in out.releases]
    assert ("2026-11-02-1", False) in ids and ("2026-11-02-2", True) in ids
    assert len({i for i, _ in ids}) == len(ids)
    # --force replaces everything with demo figures.
    forced = demo.regenerate(site_registry, real, manifest, (release,), force=True)
    assert forced.kept == () and forced.manifest == demo.demo_manifest()
    assert all(r.demo for r in forced.releases)


def test_a_release_says_demo_only_when_it_is(tmp_path):
    real = Release("2026-08-22-1", "2026-08-22", "STAR", ("2026-07",), 1, 0)
    fake = Release("2026-09-02-1", "2026-09-02", "demo", ("2026-08",), 1, 0, demo=True)
    text = releases_json([real, fake])
    raw = json.loads(text)
    assert "demo" not in raw[0] and raw[1]["demo"] is True
    (tmp_path / "releases.json").write_text(text, encoding="utf-8")
    assert read_releases(tmp_path) == (real, fake)
    raw[1]["demo"] = "yes"
    (tmp_path / "releases.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataErrors) as exc:
        read_releases(tmp_path)
    assert errors_of(exc) == [
        f"{tmp_path / 'releases.json'}: column demo: release 2 (2026-09-02-1): 'yes' is not "
        "true or false"
    ]


def digest(root: Path) -> dict[str, str]:
    files = sorted(p for p in root.iterdir() if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_the_command_writes_ledighed_csv_and_refuses_a_bad_retrieved_date(tmp_path, small_data):
    path = write(tmp_path, "ledige.csv", UNEMPLOYED + "2018-06,Varde,431,1.8,,\n")
    runner = CliRunner()
    args = ["import", str(path), "--data", str(small_data), "--date", "2026-11-02"]
    before = digest(small_data)
    bad = runner.invoke(cli, [*args, "--retrieved", "22.8.2026"])
    assert (bad.exit_code, bad.output.strip()) == (
        1,
        "Error: --retrieved '22.8.2026' is not a date written YYYY-MM-DD",
    )
    assert digest(small_data) == before
    done = runner.invoke(cli, [*args, "--retrieved", "2026-08-22"])
    assert done.exit_code == 0, done.output
    assert "  wrote ledighed.csv (1 rows)" in done.output.splitlines()
    context, errors = store.read_context(small_data)
    assert errors == [] and context["unemployed"].tolist() == [431]
    manifest = store.read_manifest(small_data)
    assert manifest.sources["ledighed"].retrieved == "2026-08-22"
    # The small data's own samtaler keep their source: the old top level, now explicit.
    assert manifest.sources["samtaler"].source == "Testdata til Samtaletjeks tests"


def test_every_reader_stores_hele_landet_as_code_0_and_checks_it_like_any_row(tmp_path, registry):
    header = "Område;Periode;Målgruppe;Antal personer;Andel med mindst 6 samtaler (pct.)\n"
    good = write(
        tmp_path,
        "ok.csv",
        header + "Hele landet;2026M07;Dagpengemodtagere;42978;54,8\n"
        "Varde;2026M07;Dagpengemodtagere;87;45,0\n",
    )
    result = plan([good], registry=registry)
    national = result.frame[result.frame["municipality_code"] == 0]
    assert national[["municipality", "persons", "persons_meeting", "share_pct"]].astype(
        object
    ).values.tolist() == [["Hele landet", 42978, 23552, 54.8]]  # 42978 × 54.8 % = 23551.9
    assert not any("national figure" in s.reason for s in result.summary.skipped)
    bad = write(tmp_path, "bad.csv", header + "Hele landet;2026M07;Dagpengemodtagere;-5;104,5\n")
    with pytest.raises(DataErrors) as exc:
        plan([bad], registry=registry)
    assert errors_of(exc) == [
        f"{bad}:2: column Andel med mindst 6 samtaler (pct.): 104.5 is outside 0–100 %",
        f"{bad}:2: column Antal personer: -5 is negative; a number of persons cannot be",
    ]


def test_demo_data_leaves_real_figures_and_ledighed_alone_unless_forced(tmp_path, small_data):
    from conftest import SMALL_REFERENCE

    config = write(tmp_path, "site.toml", f'reference_dir = "{SMALL_REFERENCE}"\n')
    ledige = write(tmp_path, "ledige.csv", UNEMPLOYED + "2018-06,Varde,431,1.8,,\n")
    runner = CliRunner()
    options = ["--data", str(small_data), "--config", str(config)]
    done = runner.invoke(cli, ["import", str(ledige), *options, "--date", "2026-11-02"])
    assert done.exit_code == 0, done.output
    real = (small_data / store.DATA_FILE).read_text(encoding="utf-8")
    context = (small_data / store.CONTEXT_FILE).read_bytes()

    done = runner.invoke(cli, ["demo-data", *options])
    assert done.exit_code == 0, done.output
    assert "Kept the real figures of samtaler, ledighed." in done.output
    frame, _ = store.read_canonical(small_data)
    kept = frame[frame["indicator"] == "samtaler"].drop(columns="row")
    assert store.canonical_csv(kept) == real  # the small data's samtaler, as they were
    assert {"tilbud", "passivandel"} <= set(frame["indicator"])  # demo beside them
    assert (small_data / store.CONTEXT_FILE).read_bytes() == context
    manifest = store.read_manifest(small_data)
    assert manifest.demo_of(["samtaler", "tilbud", "passivandel", "ledighed"]) == (
        "tilbud",
        "passivandel",
    )

    done = runner.invoke(cli, ["demo-data", *options, "--force"])
    assert done.exit_code == 0, done.output
    assert "Kept" not in done.output
    assert store.read_manifest(small_data) == demo.demo_manifest()
    context_after, _ = store.read_context(small_data)
    assert context_after.empty  # no real figure left beside the demo ones


def test_a_published_unemployment_figure_is_not_made_missing_unless_allowed(tmp_path, registry):
    first = write(tmp_path, "ledige.csv", UNEMPLOYED + "2026-07,Varde,431,1.8,,\n")
    result = plan([first], Existing(samtaler_demo(), None), registry)
    before = Existing(result.frame, result.manifest, result.releases, result.context)
    later = write(tmp_path, "ledige2.csv", UNEMPLOYED + "2026-07,Varde,,1.8,,\n")
    with pytest.raises(DataErrors) as exc:
        plan([later], before, registry)
    assert errors_of(exc) == [
        f"{later}:2: column unemployed: would make the published figure 431 missing "
        "(2026-07 573 ledighed); import with --allow-missing to accept"
    ]
    allowed = plan([later], before, registry, allow_missing=True)
    assert "    2026-07 573 ledighed unemployed: 431 → –" in allowed.summary.lines()
    assert allowed.context["unemployed"].isna().all()


def test_a_damaged_tidy_file_is_one_line_per_problem(tmp_path):
    path = activation(
        tmp_path,
        "2026-07,Varde,651,600,11,6,42.4\n"  # a decimal comma splits a field
        "2026-07,Billund,1 234,600,11.6,42.4\n"
        '2026-07,"Læsø,3,3,1.0,40.0\n',
    )
    with pytest.raises(DataErrors) as exc:
        read_source(path)
    assert errors_of(exc) == [
        f"{path}:4: not readable CSV: unexpected end of data (a stray quote?)"
    ]
    path.write_text(
        ACTIVATION + "2026-07,Varde,651,600,11,6,42.4\n2026-07,Billund,1 234,600,11.6,42.4\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as exc:
        read_source(path)
    assert errors_of(exc) == [
        f"{path}:2: has 7 fields; the header has 6",
        f"{path}:3: column persons_y60a02: '1 234' is not a number written as this layout "
        "writes them (a decimal point, no thousands separator: 1234.5)",
    ]
    both = write(
        tmp_path, "x.csv", "period,area,persons_y60a02,persons_y01a02\n2026-07,Varde,1,2\n"
    )
    with pytest.raises(DataErrors) as exc:
        read_source(both)
    assert errors_of(exc) == [
        f"{both}:1: activation figures need persons_<table> and "
        "andel_aktiveringsberoerte_pct_<table>; the header has persons_y60a02",
        f"{both}:1: columns persons_y60a02, persons_y01a02 both hold persons; keep one",
    ]
