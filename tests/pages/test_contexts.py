"""Page contexts built from a tiny in-memory frame: what each page says, before any template."""

from __future__ import annotations

import pandas as pd
import pytest

from samtaletjek.domain.dataset import Manifest, Release
from samtaletjek.domain.metrics import compute
from samtaletjek.pages.indexes import municipality_index
from samtaletjek.pages.municipality import municipality_page
from samtaletjek.pages.news import news_page
from samtaletjek.pages.overview import overview_page
from samtaletjek.pages.site import site_model
from samtaletjek.pages.target_group import target_group_page
from samtaletjek.settings import Settings

VARDE, KOEBENHAVN, LAESOE = 573, 101, 825
MONTHS = ["2017-12", "2018-01", "2019-12", "2020-01"]
SETTINGS = Settings()


def frame(rows: list[tuple]) -> pd.DataFrame:
    """A canonical frame from (period, code, group, persons, meeting) tuples."""
    out = pd.DataFrame(
        rows, columns=["period", "municipality_code", "target_group", "persons", "persons_meeting"]
    )
    out["municipality"] = out["municipality_code"].astype(str)
    out["persons"] = out["persons"].astype("Int64")
    out["persons_meeting"] = out["persons_meeting"].astype("Int64")
    share = out["persons_meeting"] / out["persons"].where(out["persons"] > 0) * 100
    out["share_pct"] = share.astype("Float64").round(1)
    out["mean_conversations"] = pd.array([None] * len(out), dtype="Float64")
    return out


@pytest.fixture(scope="module")
def data(registry):
    rows = []
    for period in MONTHS:
        rows += [
            (period, VARDE, "dagpenge", 87, 39),  # 44.8 %
            (period, KOEBENHAVN, "dagpenge", 1000, 700),  # 70.0 %
            (period, LAESOE, "dagpenge", 3, None),  # suppressed
        ]
    rows.append(("2020-01", KOEBENHAVN, "sygedagpenge", 200, 150))
    canonical = frame(rows)
    metrics = compute(canonical, registry, "2018-01", 80.0, 6, 10)
    return canonical, metrics


def test_municipality_page_states_figures_ranks_and_reasons(data, registry):
    _, metrics = data
    page = municipality_page(registry.municipality(VARDE), metrics, registry, SETTINGS, True)
    assert page.template == "kommune.html" and page.path == "kommune/varde/"
    dagpenge = next(r for r in page.rows if r.name == "Dagpengemodtagere")
    assert dagpenge.share == "44,8 %" and dagpenge.persons == "87"
    assert dagpenge.national == "68,0 %"  # (39 + 700) / (87 + 1000), not the mean of shares
    assert dagpenge.rank == "nr. 2 af 2"  # Læsø's suppressed figure is not ranked
    assert dagpenge.change_ref == "0,0 pct.-point" and dagpenge.month == "januar 2020"
    sick = next(r for r in page.rows if r.name == "Sygedagpengemodtagere")
    assert sick.share == "–" and sick.missing_reason == "Ingen tal for kommunen i denne måned."
    assert page.since.month == "januar 2018" and page.since.crosses
    assert page.share_image.path == "kommune/varde/deling.png"
    assert "44,8 % af 87 dagpengemodtagere i Varde" in page.chart.summary


def test_a_suppressed_figure_is_explained_not_zero(data, registry):
    _, metrics = data
    page = municipality_page(registry.municipality(LAESOE), metrics, registry, SETTINGS)
    dagpenge = next(r for r in page.rows if r.name == "Dagpengemodtagere")
    assert dagpenge.share == "–" and dagpenge.persons == "3"
    assert "diskretioneret" in dagpenge.missing_reason
    assert dagpenge.small


def test_overview_ranks_the_headline_group_with_missing_last(data, registry):
    _, metrics = data
    page = overview_page(metrics, registry, SETTINGS, demo=True)
    assert page.template == "index.html"
    assert [r.name for r in page.rows[:2]] == ["København", "Varde"]
    assert page.rows[0].rank == "1" and page.rows[2].rank == "–"
    assert len(page.rows) == 98
    dagpenge = page.groups[0]
    assert dagpenge.national_share == "68,0 %" and dagpenge.flagged == "0 af 2"


def test_target_group_page_spread_and_rules(data, registry):
    _, metrics = data
    page = target_group_page(registry.target_group("dagpenge"), metrics, registry, SETTINGS)
    assert page.template == "maalgruppe.html" and page.path == "maalgruppe/dagpenge/"
    assert page.spread.startswith("Fra 44,8 % til 70,0 %")
    assert page.flagged == "0 af 2"
    assert [r.period for r in page.rules] == ["Til og med 31. december 2019", "Fra 1. januar 2020"]


def test_news_page_lists_releases_newest_first(data, registry):
    _, metrics = data
    releases = (
        Release("2018-02-02-1", "2018-02-02", "Test", ("2017-12", "2018-01"), 6, 0),
        Release("2020-02-02-1", "2020-02-02", "Test", ("2020-01",), 4, 0),
    )
    page = news_page(releases, metrics, registry, SETTINGS)
    assert [e.title for e in page.entries] == ["Tal for januar 2020", "Tal for januar 2018"]
    assert page.entries[0].summary.startswith("Tal for januar 2020: 0 af 2 kommuner markant under")


def test_municipality_index_groups_by_region_in_danish_order(registry):
    page = municipality_index(registry)
    assert page.template == "kommuner.html"
    capital = next(s for s in page.sections if s.heading == "Region Hovedstaden")
    names = [e.name for e in capital.entries]
    assert names[0] == "Albertslund" and names[-1] == "Vallensbæk"
    assert names.index("Hørsholm") < names.index("Ishøj")  # ø after o, not as o


def test_site_model_binds_every_page_to_an_existing_template(data, registry):
    canonical, metrics = data
    manifest = Manifest("Test", "2020-02-02", demo=True)
    topology = {"type": "Topology", "objects": {"kommuner": {"geometries": []}}, "arcs": []}
    model = site_model(canonical, metrics, registry, SETTINGS, manifest, (), (), topology)
    paths = [p.path for p in model.pages]
    assert len(paths) == len(set(paths))
    for page in model.pages:
        assert (SETTINGS.templates_dir / page.template).is_file(), page.template
    assert "kommune/varde/" in paths and "sitemap.xml" in paths and "404.html" in paths
    sitemap = next(p for p in model.pages if p.template == "sitemap.xml")
    assert "" in sitemap.paths and not any(p.startswith("embed/") for p in sitemap.paths)
    assert len(model.share_images) == 99
