"""Page contexts built from a tiny in-memory frame: what each page says, before any template."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import canonical_frame as frame

from samtaletjek.build import options
from samtaletjek.domain.dataset import Manifest, Release
from samtaletjek.domain.metrics import compute
from samtaletjek.pages.addresses import Urls
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
OPTIONS = options(SETTINGS)


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
    metrics = compute(canonical, registry, 10)
    return canonical, metrics


def samtaler_card(page, group: str):  # noqa: ANN001, ANN201
    """A municipality page's samtale card of `group` (each family's first card)."""
    return next(f.cards[0] for f in page.families if f.cards[0].group_id == group)


def test_municipality_page_states_figures_ranks_and_reasons(data, registry):
    _, metrics = data
    page = municipality_page(registry.municipality(VARDE), metrics, registry, OPTIONS)
    assert page.template == "kommune.html" and page.path == "kommune/varde/"
    dagpenge = samtaler_card(page, "dagpenge")
    assert dagpenge.share == "44,8 %" and dagpenge.of == "af 87 personer"
    assert dagpenge.measure == "fik mindst 4 samtaler"
    assert dagpenge.status.kind == "below" and dagpenge.status.symbol == "!"
    # 2020-01 is the first month held against a line: its run starts there
    assert dagpenge.status.text == "Under STAR's grænse på 80 % denne måned"
    assert dagpenge.national == "68,0 %"  # (39 + 700) / (87 + 1000), not the mean of shares
    assert dagpenge.rank == "nr. 2 af 2"  # Læsø's suppressed figure is not ranked
    assert dagpenge.month == "januar 2020"
    # The rules of 2020 began this month: no month to compare with yet, and it says why.
    assert dagpenge.change.figure == "–"
    assert dagpenge.change.note.startswith("Regnet fra regelændringen i januar 2020")

    sick = samtaler_card(page, "sygedagpenge")
    assert sick.share == "–" and sick.missing_reason == "Ingen tal for kommunen i denne måned."
    assert [r.name for r in page.rules] == ["STAR's grænse"]
    assert page.share_image.path == "kommune/varde/deling.png"
    assert "44,8 % af de 87 dagpengemodtagere i Varde" in page.chart.summary


def test_a_suppressed_figure_is_explained_not_zero(data, registry):
    _, metrics = data
    page = municipality_page(registry.municipality(LAESOE), metrics, registry, OPTIONS)
    dagpenge = samtaler_card(page, "dagpenge")
    assert dagpenge.share == "–" and dagpenge.of == "af 3 personer"
    assert dagpenge.missing_reason == (
        "Tallet er skjult af STAR, fordi der er for få personer til at offentliggøre det."
    )
    assert dagpenge.rank == "–" and dagpenge.status.kind == "missing"


def test_overview_ranks_the_headline_group_with_missing_last(data, registry):
    _, metrics = data
    page = overview_page(metrics, registry, OPTIONS)
    assert page.template == "index.html"
    assert [r.name for r in page.rows[:2]] == ["København", "Varde"]
    assert page.rows[0].rank == "1" and page.rows[2].rank == "–"
    assert len(page.rows) == 98
    dagpenge = page.groups[0]
    assert dagpenge.national_share == "68,0 %"
    # both under STAR's line in January 2020, neither on the list yet
    assert (dagpenge.counts.below, dagpenge.counts.on_list) == ("2 af 2", "0")


def test_target_group_page_spread_and_rules(data, registry):
    _, metrics = data
    page = target_group_page(registry.target_group("dagpenge"), metrics, registry, OPTIONS)
    assert page.template == "maalgruppe.html" and page.path == "maalgruppe/dagpenge/"
    assert page.spread.startswith("Fra 44,8 % til 70,0 %")
    assert (page.counts.below, page.counts.on_list) == ("2 af 2", "0")
    assert [r.period for r in page.rules] == [
        "Til og med 31. december 2019",
        "Fra 1. januar 2020 til 31. december 2023",
        "Fra 1. januar 2024 til 30. juni 2026",
        "Fra 1. juli 2026 til 31. december 2026",
        "Fra 1. januar 2027",
    ]
    assert page.rules[0].held_against.startswith("Der er ingen fastsat grænse")
    assert page.rules[3].held_against == "Månederne holdes op mod lovens krav på 75 %."
    assert page.rules[4].expected and page.rules[1].series_break
    assert page.breaks == ("januar 2020, januar 2024, juli 2026 og januar 2027 (forventet)")


def test_news_page_lists_releases_newest_first(data, registry):
    _, metrics = data
    releases = (
        Release("2018-02-02-1", "2018-02-02", "Test", ("2017-12", "2018-01"), 6, 0),
        Release("2020-02-02-1", "2020-02-02", "Test", ("2020-01",), 4, 0),
    )
    page = news_page(releases, metrics, registry, OPTIONS)
    assert [e.title for e in page.entries] == ["Tal for januar 2020", "Tal for januar 2018"]
    assert page.entries[0].summary.startswith(
        "Tal for januar 2020: 2 af 2 kommuner under STAR's grænse på 80 % for dagpengemodtagere"
    )
    assert page.entries[0].summary.endswith("; 0 på listen.")


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
    model = site_model(metrics, registry, OPTIONS, manifest, (), (), topology)
    paths = [p.path for p in model.pages]
    assert len(paths) == len(set(paths))
    for page in model.pages:
        assert (SETTINGS.templates_dir / page.template).is_file(), page.template
    assert "kommune/varde/" in paths and "404.html" in paths
    assert "sitemap.xml" not in paths  # no site URL: a sitemap's addresses must be absolute
    assert len(model.share_images) == 99
    published = dataclasses.replace(OPTIONS, urls=Urls("/", "https://x.dk"))
    real = Manifest("Test", "2020-02-02", demo=False)
    model = site_model(metrics, registry, published, real, (), (), topology)
    sitemap = next(p for p in model.pages if p.template == "sitemap.xml")
    assert "" in sitemap.paths and not any(p.startswith("embed/") for p in sitemap.paths)
    demo = site_model(metrics, registry, published, manifest, (), (), topology)
    sitemap = next(p for p in demo.pages if p.template == "sitemap.xml")
    assert "kommune/varde/" not in sitemap.paths  # demo figures are not to be indexed


def test_after_the_reform_a_month_is_held_against_the_law_and_says_so(registry):
    periods = ["2025-10", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    rows = [(p, VARDE, "dagpenge", 100, 70) for p in periods]
    rows += [(p, KOEBENHAVN, "dagpenge", 1000, 900) for p in periods]
    metrics = compute(frame(rows), registry, 10)
    page = municipality_page(registry.municipality(VARDE), metrics, registry, OPTIONS)
    dagpenge = samtaler_card(page, "dagpenge")
    # May and June under STAR's 80 %, July to October under the law's 75 %: one run of six
    assert dagpenge.status.text == "Under 80 % og derefter 75 % i 6 måneder i træk – på listen"
    assert dagpenge.status.kind == "on-list" and dagpenge.status.symbol == "▼"
    assert dagpenge.list_href == "overvaagning/#kommune-varde"
    assert dagpenge.measure == "fik mindst 2 samtaler"
    assert page.verdict[0] == "I oktober 2026 var Varde under reglen i 1 målgruppe med tal."
    assert page.verdict[1] == (
        "Under reglen i 6 måneder i træk eller mere og dermed på listen: "
        "dagpengemodtagere (6 måneder)."
    )
    assert page.list_href == "overvaagning/#kommune-varde"
    # One change: not oktober 2025 → oktober 2026 across the reform, but since July 2026,
    # with the note next to the figure.
    assert dagpenge.change.text == "0,0 procentpoint siden juli 2026"
    assert dagpenge.change.note.startswith("Regnet fra regelændringen i juli 2026")
    assert dagpenge.change.direction == "steady"
    assert [r.name for r in page.rules] == ["Lovens krav"]
    group = target_group_page(registry.target_group("dagpenge"), metrics, registry, OPTIONS)
    assert (group.counts.below, group.counts.on_list) == ("1 af 2", "1")
    assert group.line == "lovens krav på 75 %"
    spec = group.ranking_chart.static_spec
    limit = {"value": 75.0, "part": "grænse", "label": "Lovens krav på 75 %"}
    assert limit in spec["datasets"]["references"]
    ranked = sorted(spec["datasets"]["ranking"], key=lambda r: r["order"])  # top first
    bars = [r["status"] for r in ranked]  # the highest share on top
    assert bars[0] == "Over reglen" and bars[1].startswith("På listen")


def test_news_does_not_compare_counts_under_two_rules(registry):
    rows = [(p, VARDE, "dagpenge", 100, 70) for p in ("2026-06", "2026-07")]
    metrics = compute(frame(rows), registry, 10)
    release = Release("2026-08-02-1", "2026-08-02", "Test", ("2026-07",), 1, 0)
    page = news_page((release,), metrics, registry, OPTIONS)
    assert page.entries[0].summary == (
        "Tal for juli 2026: 1 af 1 kommune under lovens krav på 75 % for dagpengemodtagere "
        "(første måned med den nye regel); 0 på listen."
    )
