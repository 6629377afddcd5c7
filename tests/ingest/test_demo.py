from pandas.testing import assert_frame_equal

from samtaletjek.domain.validate import validate
from samtaletjek.ingest import demo
from samtaletjek.store import read_canonical
from samtaletjek.store.canonical import canonical_csv


def test_demo_data_is_deterministic_complete_and_valid(tmp_path, registry):
    first = demo.generate(registry)
    assert_frame_equal(first, demo.generate(registry))
    counts = first["indicator"].value_counts().to_dict()
    # 2017-01 … 2026-10, every municipality and group; the offer is measured from 2020-01
    assert counts == {
        "samtaler": 118 * 98 * 8,
        "tilbud": 82 * 98 * 3,
        "passivandel": 118 * 98 * 3,
        "aktivering": 118 * 98 * 5,
    }
    (tmp_path / "samtaler.csv").write_text(canonical_csv(first), encoding="utf-8")
    frame, errors = read_canonical(tmp_path)
    assert errors == []
    assert validate(frame, registry, "demo") == []


def test_demo_scales_with_population_and_suppresses_small_cells(registry):
    data = demo.generate(registry)
    samtaler = data[data["indicator"] == "samtaler"]
    latest = samtaler[
        (samtaler["period"] == "2026-10") & (samtaler["target_group"] == "sygedagpenge")
    ]
    persons = latest.set_index("municipality")["persons"]
    assert persons["København"] > 50 * persons["Læsø"]
    suppressed = data[data["persons_meeting"].isna() & data["persons"].notna()]
    assert len(suppressed) > 0
    assert (suppressed["persons"] < demo.SUPPRESS_BELOW).all()
    assert data["share_pct"].isna().sum() > 0  # missing, never 0 in place of missing
    dip = samtaler[samtaler["period"] == "2020-04"]["share_pct"].mean()
    before = samtaler[samtaler["period"] == "2020-01"]["share_pct"].mean()
    assert dip < before - 10


def national(data, indicator: str, group: str, period: str) -> float:
    rows = data[
        (data["indicator"] == indicator)
        & (data["target_group"] == group)
        & (data["period"] == period)
    ]
    return rows["persons_meeting"].sum() / rows["persons"].sum() * 100


def test_demo_offer_and_passivity_have_their_breaks_and_direction(registry):
    data = demo.generate(registry)
    assert data[data["indicator"] == "tilbud"]["period"].min() == "2020-01"
    assert data[data["indicator"] != "samtaler"]["mean_conversations"].isna().all()
    # the reform of July 2026 lifts the offer to those close to the labour market
    jump = national(data, "tilbud", "dagpenge", "2026-07") - national(
        data, "tilbud", "dagpenge", "2026-06"
    )
    assert jump > 3
    # passivity falls with the rules of 2020 and rises when offers stopped in spring 2020
    group = "kontanthjaelp-aktivitetsparate"
    assert national(data, "passivandel", group, "2020-01") < national(
        data, "passivandel", group, "2019-12"
    )
    assert national(data, "passivandel", group, "2020-04") > national(
        data, "passivandel", group, "2020-02"
    )


def test_demo_manifest_says_demo():
    assert demo.demo_manifest().demo is True


ANOTHER = """
[[indicator]]
id = "fjerde"
order = 5
name = "Fjerde"
short = "Fjerde"
slug = "fjerde"
got = "var i et aktivt tilbud i måneden"
counted = "Aktiverede personer"
question = "Er borgerne i gang?"
description = "Andelen i et aktivt tilbud mindst én dag i måneden."
source = "STAR / jobindsats.dk"

[[target_group]]
indicator = "fjerde"
id = "kontanthjaelp"
name = "Kontanthjælpsmodtagere"
short = "Kontanthjælp"
noun = "kontanthjælpsmodtagere"
description = "Alle kontanthjælpsmodtagere."

[[rule]]
indicator = "fjerde"
target_group = "kontanthjaelp"
flag = "ingen"
requirement = "Ingen talgrænse."
legal_source = "LAB"
"""


def test_demo_data_works_with_any_indicator_the_reference_data_declare(tmp_path):
    """Another [[indicator]] is an edit of the reference TOML: `demo-data` makes figures for
    it (it crashed with a KeyError), and they pass the checks a build makes."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    from samtaletjek.settings import Settings

    reference = tmp_path / "reference"
    shutil.copytree(Settings().reference_dir, reference)
    with (reference / "indikatorer.toml").open("a", encoding="utf-8") as fh:
        fh.write(ANOTHER)
    config = tmp_path / "site.toml"
    config.write_text(f'reference_dir = "{reference}"\n', encoding="utf-8")
    data = tmp_path / "data"
    for command in ("demo-data", "check"):
        done = subprocess.run(
            [sys.executable, "build.py", command, "--data", str(data), "--config", str(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    assert "fjerde: 11564 rows, 1 target group" in done.stdout  # 118 months × 98
