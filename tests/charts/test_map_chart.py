"""The map's colour classes (charts.maps: around a line, or the month's quantiles) and its
Vega-Lite spec, through `to_dict()`."""

from __future__ import annotations

import pandas as pd
import pytest

from samtaletjek.charts import maps
from samtaletjek.charts.maps import NO_DATA, NO_DATA_COLOUR, SEQUENTIAL, line_bins, quantile_bins

UNDER, OVER = "#c99700", "#17662f"


# ---- around a line ------------------------------------------------------------------------------


def test_line_bins_cut_at_the_line_and_five_points_over_it():
    bins = line_bins(75.0, UNDER, OVER)
    assert bins.breaks == (75.0, 80.0)
    assert bins.labels == ("Under 75 %", "75,0–79,9 %", "80,0 % og derover")
    assert bins.colours == (UNDER, maps.tint(OVER, maps.NEAR_TINT), OVER)
    assert bins.legend[-1] == (NO_DATA, NO_DATA_COLOUR)  # missing is its own class, last
    # the line itself is over it (the judgement: under is `share < line`)
    shares = [74.9, 75.0, 79.9, 80.0, 100.0, None]
    assert [bins.index(s) for s in shares] == [0, 1, 1, 2, 2, None]
    assert [bins.colour(s) for s in (74.9, None)] == [UNDER, NO_DATA_COLOUR]


def test_a_line_near_100_has_no_class_beyond_100():
    bins = line_bins(95.0, UNDER, OVER)  # a class from 100 % would hold 100 % alone
    assert bins.labels == ("Under 95 %", "95,0 % og derover")
    assert bins.colours == (UNDER, OVER) and bins.index(100.0) == 1


def test_the_lighter_shade_is_the_colour_mixed_with_white():
    assert maps.tint("#000000", 0.5) == "#808080"
    assert maps.tint(OVER, 0.0) == OVER and maps.tint(OVER, 1.0) == "#ffffff"


# ---- quantiles ----------------------------------------------------------------------------------


def test_quantile_bins_put_about_as_many_in_each_class_light_to_dark():
    shares = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    bins = quantile_bins([*shares, None])  # a missing share is in no class
    assert bins.breaks == (28.0, 46.0, 64.0, 82.0)
    assert bins.labels == (
        "10,0–20,0 %",
        "30,0–40,0 %",
        "50,0–60,0 %",
        "70,0–80,0 %",
        "90,0–100,0 %",
    )
    assert bins.colours == SEQUENTIAL  # higher is better: the highest shares darkest
    assert [bins.index(s) for s in shares] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert bins.index(None) is None and bins.colour(None) == NO_DATA_COLOUR


def test_quantile_bins_are_reversed_where_lower_is_better():
    shares = [8.0, 15.0, 22.0, 40.0, 70.0]
    higher, lower = quantile_bins(shares), quantile_bins(shares, higher_is_better=False)
    assert lower.breaks == higher.breaks and lower.labels == higher.labels
    assert lower.colours == higher.colours[::-1]
    assert lower.colour(8.0) == SEQUENTIAL[-1]  # the lowest passivity is the darkest


def test_quantile_cuts_are_given_to_one_decimal_and_a_share_on_a_cut_goes_up():
    bins = quantile_bins([10.0, 10.1, 10.2, 10.3, 10.4, 10.5])
    assert all(round(b, 1) == b for b in bins.breaks)
    for cut in bins.breaks:
        assert bins.index(cut) == bins.breaks.index(cut) + 1


@pytest.mark.parametrize(
    ("shares", "labels", "colours"),
    [
        ([50.0, 50.0, 50.0, 50.0], ("50,0 %",), (SEQUENTIAL[2],)),  # ties: one class
        ([10.0, 20.0], ("10,0 %", "20,0 %"), (SEQUENTIAL[0], SEQUENTIAL[-1])),  # two figures
        ([40.0], ("40,0 %",), (SEQUENTIAL[2],)),
        ([None, None], (), ()),  # no figures: only "Ingen tal"
        ([], (), ()),
    ],
)
def test_few_or_equal_figures_give_fewer_classes_never_an_empty_one(shares, labels, colours):
    bins = quantile_bins(shares)
    assert bins.labels == labels and bins.colours == colours
    assert len(bins.breaks) == max(len(labels) - 1, 0)
    assert bins.legend[-1] == (NO_DATA, NO_DATA_COLOUR)
    assert {bins.index(s) for s in shares if s is not None} == set(range(len(labels)))


# ---- the spec -----------------------------------------------------------------------------------


def units(spec: dict) -> list[dict]:
    """Every single-view spec (one with a mark) in a possibly concatenated spec."""
    found = [spec] if "mark" in spec else []
    for key in ("hconcat", "vconcat", "layer"):
        for sub in spec.get(key, []):
            found += units(sub)
    return found


TOPOLOGY = {"type": "Topology", "objects": {"kommuner": {"type": "GeometryCollection"}}}
ROW = {
    "kode": 573,
    "navn": "Varde",
    "farve": OVER,
    "andel": "81,0 %",
    "status": "Over lovens krav på 75 %",
    "personer": "1.234",
    "maaned": "oktober 2026",
    "href": "/kommune/varde/",
    "tekst": "Varde, oktober 2026\n81,0 % · Over lovens krav på 75 %\n1.234 personer",
}


def test_the_static_map_colours_each_municipality_by_its_row_and_describes_it():
    spec = maps.map_spec(TOPOLOGY, [ROW], 480, interactive=False, insets=True)
    assert spec["datasets"]["andele"] == [{k: ROW[k] for k in ("kode", "farve", "tekst")}]
    views = units(spec)
    assert len(views) == 3  # the country, the capital area and Bornholm
    for view in views:
        lookup = view["transform"][0]
        assert lookup["lookup"] == "properties.kode" and lookup["from"]["key"] == "kode"
        assert lookup["from"]["fields"] == ["farve", "tekst"]
        # the colour as the row gives it, so no legend: the page draws it
        assert view["encoding"]["color"] == {"field": "farve", "type": "nominal", "scale": None}
        assert view["encoding"]["description"]["field"] == "tekst"  # drawn as its <title>
        assert view["mark"]["aria"] is True
        assert "tooltip" not in view["encoding"] and "href" not in view["encoding"]
        # a municipality without a row is "Ingen tal", never left unpainted
        missing = view["transform"][1]
        assert missing["as"] == "farve" and NO_DATA_COLOUR in missing["calculate"]
    assert spec["data"]["values"] == TOPOLOGY


def test_the_interactive_map_has_a_tooltip_and_no_link_of_its_own():
    spec = maps.map_spec("/kort/kommuner.topojson", [ROW], 480, interactive=True, insets=True)
    assert spec["data"]["url"] == "/kort/kommuner.topojson"
    assert spec["datasets"]["andele"] == [{k: v for k, v in ROW.items() if k != "tekst"}]
    for view in units(spec):
        tooltip = view["encoding"]["tooltip"]
        assert [(t["field"], t["title"]) for t in tooltip] == [
            ("properties.navn", "Kommune"),
            ("andel", "Andel"),
            ("status", "Status"),
            ("personer", "Personer"),
            ("maaned", "Måned"),
        ]
        assert "href" not in view["encoding"]  # kort.js: a click goes there, a tap opens a card
        assert view["mark"]["cursor"] == "pointer"
    linked = maps.map_spec("/k.topojson", [ROW], 260, interactive=True, insets=True, links=True)
    assert all(v["encoding"]["href"]["field"] == "href" for v in units(linked))


@pytest.mark.parametrize("width", [260, 480])
def test_the_insets_sit_under_the_country_with_labels_readable_on_a_phone(width):
    spec = maps.choropleth(maps.geo_data(TOPOLOGY, True), pd.DataFrame([ROW]), width).to_dict()
    main, insets = spec["vconcat"]
    assert main["width"] == width
    capital, bornholm = insets["hconcat"]
    assert capital["title"]["text"] == "Hovedstadsområdet"
    assert bornholm["title"]["text"] == "Bornholm"
    assert capital["width"] + bornholm["width"] + insets["spacing"] == width
    for inset in (capital, bornholm):
        # the map is scaled to the page's width on a 360 px phone, and its labels with it
        shown = inset["title"]["fontSize"] * min(1, maps.PHONE_WIDTH / width)
        assert shown >= 11


def test_the_small_map_can_leave_out_the_insets():
    spec = maps.choropleth(
        maps.geo_data(TOPOLOGY, True), pd.DataFrame([ROW]), width=300, insets=False
    )
    assert spec.to_dict()["mark"]["type"] == "geoshape" and spec.to_dict()["width"] == 300
