"""The comparison's downloads and its words without JavaScript: contexts from a tiny frame,
and the built small site's HTML where the template is what is tested. (compare.js and
sheets.js, which make "Hent de viste tal", are tested in tests/browser/test_compare_files.py.)"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import canonical_frame, soup

from samtaletjek.build import options
from samtaletjek.domain.dataset import Source
from samtaletjek.domain.metrics import compute
from samtaletjek.pages import compare
from samtaletjek.pages.provenance import Origins, origin
from samtaletjek.pages.series import aligned_series
from samtaletjek.settings import Settings

VARDE, KOEBENHAVN, LAESOE = 573, 101, 825
MONTHS = ["2019-12", "2020-01", "2020-02"]
DEMO = Source(demo=True, source="Eksempeldata fra Samtaletjek – ikke STAR's tal")
REAL = Source(demo=False, source="STAR, jobindsats.dk", tables=("y01a02",), retrieved="2026-08-22")


@pytest.fixture(scope="module")
def data(registry):
    rows = [(p, VARDE, "dagpenge", 87, 39) for p in MONTHS]
    rows += [(p, KOEBENHAVN, "sygedagpenge", 200, 150) for p in MONTHS[1:]]
    rows.append(("2020-02", LAESOE, "sygedagpenge", 3, None))  # suppressed: missing, not 0
    metrics = compute(canonical_frame(rows), registry, 10)
    return metrics, aligned_series(metrics)


def with_origin(source: Source, settings: Settings = Settings()):  # noqa: B008
    return dataclasses.replace(
        options(settings), origins=Origins({"samtaler": origin("Samtaler", source)})
    )


def sick(registry):
    return next(g for g in registry.target_groups if g.id == "sygedagpenge")


def test_the_download_of_all_figures_is_the_groups_and_no_internal_json(data, registry):
    metrics, series = data
    chosen = compare.default_choice(registry)
    page = compare.compare_page(
        sick(registry), chosen, series, metrics, registry, options(Settings())
    )
    [link] = page.chart.data_links  # the chart's own JSON is no download for readers
    assert link.href == "data/maalgruppe/sygedagpenge.xlsx"
    assert link.text == "Hent alle tal for sygedagpengemodtagere (Excel)"


def test_compare_js_gets_every_groups_download_to_follow_the_choice(registry):
    setup = compare.page_setup(registry, options(Settings(base_url="/samtaletjek")))
    assert set(setup["downloads"]) == {g.id for g in registry.target_groups}
    assert setup["downloads"]["kontanthjaelp-aktivitetsparate"] == [
        "/samtaletjek/data/maalgruppe/kontanthjaelp-aktivitetsparate.xlsx",
        "Hent alle tal for aktivitetsparate kontanthjælpsmodtagere (Excel)",
    ]


def test_without_javascript_the_page_says_what_it_shows_instead(data, registry):
    metrics, series = data
    chosen = compare.default_choice(registry)
    page = compare.compare_page(
        sick(registry), chosen, series, metrics, registry, options(Settings())
    )
    names = [m.name for m in chosen]
    assert page.intro.startswith(
        "Uden JavaScript viser siden de fem største kommuner efter indbyggertal: "
        f"{', '.join(names[:-1])} og {names[-1]} – også når linket til siden nævner andre kommuner."
    )
    assert "At vælge kommuner kræver JavaScript." in page.intro


def test_the_files_of_the_figures_shown_have_the_workbooks_danish_headers(registry):
    sheet = compare.shown_sheet(registry, with_origin(DEMO))
    assert [header for _, header in sheet["columns"]] == [
        "Måned",
        "Kommune",
        "Målgruppe",
        "Indikator",  # a group's name alone does not say what is measured
        "Antal personer",
        "Personer, andelen tæller",
        "Andel (%)",
        "Kilde",
    ]
    assert [key for key, _ in sheet["columns"]][-1] == "source"
    assert sheet["indicator"] == "Samtaler" and sheet["file"] == "samtaler"


def test_om_tallene_names_the_source_and_says_demo_figures_are_examples(registry):
    demo = dict(compare.shown_sheet(registry, with_origin(DEMO))["about"])
    assert demo["Kilde"] == "Eksempeldata – ikke STAR's tal: syntetiske eksempeltal."
    assert demo["Eksempeldata"] == "Ja – eksempeltal, ikke officielle tal"
    assert demo["Tomme celler"].endswith("tom er ikke 0.")
    assert "CC BY 4.0" in demo["Licens"]
    real = dict(compare.shown_sheet(registry, with_origin(REAL))["about"])
    assert real["Kilde"] == "Kilde: STAR, jobindsats.dk (tabel y01a02), hentet 22. august 2026."
    assert real["Eksempeldata"] == "Nej"
    unknown = dict(compare.shown_sheet(registry, options(Settings()))["about"])
    assert "Kilde" not in unknown  # no manifest, no claim


def test_compare_data_carries_the_counted_persons_and_each_rows_source(data, registry):
    metrics, series = data
    meeting = compare.meeting_counts(metrics)
    g = sick(registry)
    found = compare.compare_data(g, series, metrics, registry, meeting, "eksempeldata")
    assert found["source"] == "eksempeldata"  # as the site's CSVs' `source` column says it
    assert found["months"] == MONTHS
    kbh = found["municipalities"]["koebenhavn"]
    assert kbh["meeting"] == [None, 150, 150] and kbh["persons"] == [None, 200, 200]
    assert found["municipalities"]["laesoe"]["meeting"] == [None, None, None]  # not 0
    # the footnote on the breaks is the group's own, for compare.js to put under the tables
    assert found["break_note"].startswith("Sammenligningen krydser regelændringen i januar 2020.")
    real = with_origin(REAL)
    part = compare.section(series, metrics, registry, real)
    written = {o.path: json.loads(o.content) for o in part.outputs}
    assert written["sammenlign/sygedagpenge.json"]["source"] == (
        "STAR, jobindsats.dk, y01a02, hentet 2026-08-22"
    )


def test_the_no_javascript_html_links_the_default_groups_file(site: Path):
    html = soup(site / "sammenlign/sygedagpenge/index.html")
    main = html.find("main")
    said = main.find(id="sammenlign-standard")
    assert said.find_next("figure")["id"] == "sammenlign-sygedagpenge"  # said before the chart
    figure = html.select_one("figure.compare-chart")
    every = figure.find("a", id="sammenlign-hent-alle")
    assert every["href"] == "/data/maalgruppe/sygedagpenge.xlsx"
    assert every.get_text(strip=True) == "Hent alle tal for sygedagpengemodtagere (Excel)"
    assert every.has_attr("download")
    assert not figure.find("a", href=lambda h: h and h.endswith(".json"))
    shown = figure.find(id="sammenlign-hent-viste")
    assert shown.has_attr("hidden")  # made by compare.js: without it there is nothing to make
    assert [a.get_text(strip=True) for a in shown.find_all("a")] == [
        "Hent de viste tal (CSV til dansk Excel)",
        "Hent de viste tal (Excel-fil, .xlsx)",
    ]
    assert figure.find("p", class_="origin").get_text(strip=True).startswith("Kilde:")
    scripts = [s["src"] for s in html.find_all("script", src=True)]
    assert scripts.index("/assets/sheets.js") < scripts.index("/assets/compare.js")
