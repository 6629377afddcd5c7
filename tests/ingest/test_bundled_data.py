"""The real figures bundled in `site_data/` are what the project's own import path makes of
the files in `site_data/star/`, and a later import of real samtaler leaves them alone."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from samtaletjek import store
from samtaletjek.ingest import demo
from samtaletjek.ingest.importer import read_existing
from samtaletjek.ingest.plan import Existing, plan_import
from samtaletjek.ingest.readers import read_source
from samtaletjek.settings import Settings
from samtaletjek.store.canonical import canonical_csv, context_csv

DATA = Settings().data_dir
STAR = DATA / "star"
FILES = sorted(STAR.glob("*.csv"))


def aktivering_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if ",aktivering," in line]


def test_the_bundled_real_figures_are_what_importing_site_data_star_gives(registry):
    assert [p.name for p in FILES] == [
        "kontanthjaelp_aktivering_2021-08_2026-07.csv",
        "ledige_2021-08_2026-07.csv",
    ]
    fresh = demo.generate(registry)  # a fresh demo directory, as `demo-data --force` writes
    plan = plan_import(
        [read_source(p) for p in FILES],
        Existing(fresh, demo.demo_manifest(), ()),
        registry,
        today="2026-12-02",
        source="test",
        data_dir=str(DATA),
        retrieved="2026-08-22",
    )
    committed = (DATA / store.DATA_FILE).read_text(encoding="utf-8")
    made = aktivering_lines(canonical_csv(plan.frame))
    assert len(made) == 60 * 99  # 60 months × (98 municipalities + Hele landet)
    assert made == aktivering_lines(committed)
    assert context_csv(plan.context) == (DATA / store.CONTEXT_FILE).read_text(encoding="utf-8")
    manifest = store.read_manifest(DATA)
    for key in ("aktivering", "ledighed"):
        said, made_source = manifest.sources[key], plan.manifest.sources[key]
        assert (said.demo, said.source, said.tables, said.retrieved) == (
            made_source.demo,
            made_source.source,
            made_source.tables,
            "2026-08-22",
        )
    assert manifest.sources["aktivering"].tables == ("y60c07", "y60a02")
    assert manifest.demo_of(["samtaler", "tilbud", "passivandel", "aktivering"]) == (
        "samtaler",
        "tilbud",
        "passivandel",
    )


def test_real_samtaler_later_replace_the_demo_samtaler_and_leave_aktivering_alone(registry):
    existing = read_existing(DATA)
    statement = FIXTURES / "import" / "statement-2018-06.xlsx"
    plan = plan_import(
        [read_source(statement)],
        existing,
        registry,
        today="2026-12-03",
        source="test",
        data_dir=str(DATA),
    )
    frame = plan.frame
    samtaler = frame[frame["indicator"] == "samtaler"]
    assert len(samtaler) == 20  # only the statement's rows: every demo samtaler row is gone
    replaced = [line for line in plan.summary.lines() if "replaced the demo data" in line]
    assert replaced == ["  replaced the demo data of samtaler (92512 rows) with real figures"]
    committed = (DATA / store.DATA_FILE).read_text(encoding="utf-8")
    assert aktivering_lines(canonical_csv(frame)) == aktivering_lines(committed)
    before = store.read_manifest(DATA)
    for key in ("aktivering", "ledighed"):
        assert plan.manifest.sources[key] == before.sources[key]
    assert plan.manifest.sources["samtaler"].demo is False
    assert plan.context is None  # ledighed.csv is not written again
    assert Path(DATA / store.CONTEXT_FILE).exists()
