"""Charts are tested through their Vega-Lite dicts, as Altair tests its own charts."""

import json

import pandas as pd

from samtaletjek.charts.ranking import ranking, threshold_label
from samtaletjek.charts.trends import trend_panels

SERIES = ["Varde", "Region Syddanmark", "Hele landet"]
JAN_2020 = 1577836800000


def trend_data():
    rows = []
    for series in SERIES:
        for t, share in (
            (JAN_2020 - 2678400000, 50.0),
            (JAN_2020, 55.5),
            (JAN_2020 + 2678400000, None),
        ):
            rows.append(
                {"t": t, "panel": "Dagpenge", "series": series, "share": share, "persons": 87}
            )
    return pd.DataFrame(rows)


def test_trend_panels_facets_by_group_and_marks_the_rule_change():
    spec = trend_panels(trend_data(), SERIES, ["Dagpenge"], JAN_2020, "Nye regler").to_dict()
    assert spec["facet"]["field"] == "panel"
    line, rule, label = spec["spec"]["layer"]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["color"]["scale"]["domain"] == SERIES
    # colour is never the only signal: each series also has its own dash pattern
    dashes = line["encoding"]["strokeDash"]["scale"]["range"]
    assert len({json.dumps(d) for d in dashes}) == 3
    assert rule["mark"]["type"] == "rule"
    assert f"datum.t == {JAN_2020}" in rule["transform"][0]["filter"]
    assert label["mark"]["text"] == "Nye regler"
    assert spec["config"]["aria"] is False  # the page supplies the text alternative


def test_only_the_interactive_trend_has_tooltips():
    static = json.dumps(
        trend_panels(trend_data(), SERIES, ["Dagpenge"], JAN_2020, "x").to_dict(),
        ensure_ascii=False,
    )
    live = json.dumps(
        trend_panels(trend_data(), SERIES, ["Dagpenge"], JAN_2020, "x", interactive=True).to_dict(),
        ensure_ascii=False,
    )
    assert "tooltip" not in static
    assert "tooltip" in live and "Måned" in live


def test_ranking_sorts_by_share_and_draws_threshold_and_national_rules():
    data = pd.DataFrame(
        {
            "municipality": ["A", "B"],
            "share": [90.0, 40.0],
            "persons": [10, 20],
            "flagged": [False, True],
        }
    )
    refs = pd.DataFrame({"value": [80.0, 61.2], "label": [threshold_label(80.0), "Hele landet"]})
    spec = ranking(data, refs, 80.0).to_dict()
    bars, rules = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == "-x"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert rules["encoding"]["strokeDash"]["scale"]["domain"] == ["Hele landet", "Tærskel 80 %"]
