"""Charts are tested through their Vega-Lite dicts, as Altair tests its own charts, and where
it matters through what vl-convert draws."""

import json
import re

import pandas as pd
import vl_convert as vlc

from samtaletjek.charts.ranking import COUNTRY, ranking
from samtaletjek.charts.theme import (
    BREAK,
    BREAK_STYLE,
    CHOSEN,
    DOT,
    LIMIT,
    MUTED,
    NATIONAL,
    REFERENCE,
    STYLES,
)
from samtaletjek.charts.trends import PANEL_WIDTH, PLOT_WIDTH, lines_over_time, trend_panel

SERIES = ["Varde", "Region Syddanmark", "Hele landet"]
JAN_2020 = 1577836800000
MONTH = 2678400000


def long_rows() -> list[dict]:
    """One row per month and series, as `lines_over_time` takes them."""
    return [
        {"t": t, "series": series, "style": k, "share": share, "persons": 87}
        for k, series in enumerate(SERIES)
        for t, share in ((JAN_2020 - MONTH, 50.0), (JAN_2020, 55.5), (JAN_2020 + MONTH, None))
    ]


def mark_rows(panel: dict | None = None) -> list[dict]:
    """A series break in January 2020 and a threshold of 80 % applied to the months before."""
    where = panel or {}
    return [
        {"t": JAN_2020, **where, "part": BREAK, "label": "Regler 2020", "ly": 2, "right": False},
        *(
            {"t": t, **where, "part": LIMIT, "share": 80.0, "seg": "a", "retro": True}
            for t in (JAN_2020 - MONTH, JAN_2020)
        ),
    ]


def panel_rows() -> list[dict]:
    """The compact rows of `trend_panels`: one per panel and series, its months as arrays
    from December 2019 (year 2019, month 11 counted from 0)."""
    panel = {"panel": "Dagpenge", "pi": 0}
    series = [
        {
            **panel,
            "series": name,
            "style": k,
            "y0": 2019,
            "m0": 11,
            "i": [0, 1, 2],
            "share": [50.0, 55.5, None],
            "persons": [87, 87, 87],
        }
        for k, name in enumerate(SERIES)
    ]
    dot = {
        **panel,
        "series": SERIES[0],
        "style": 0,
        "part": DOT,
        "t": JAN_2020,
        "share": 0,
        "ghost": True,
    }
    return [*series, dot, *mark_rows(panel)]


def layers_by_mark(spec: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for layer in spec["layer"]:
        out.setdefault(layer["mark"]["type"], []).append(layer)
    return out


def test_a_trend_panel_draws_one_group_with_its_breaks_and_threshold():
    spec = trend_panel(pd.DataFrame(panel_rows())).to_dict()
    assert "facet" not in spec  # each panel is its own picture, in a cell of the page's grid
    # drawn about PANEL_WIDTH wide, axes included (the narrowest cell of the grid), without a
    # second layout to fit it; in the browser, fitted to its cell
    assert spec["width"] == PLOT_WIDTH < PANEL_WIDTH and "autosize" not in spec
    live = trend_panel(pd.DataFrame(panel_rows()), interactive=True).to_dict()
    assert live["width"] == PANEL_WIDTH
    assert live["autosize"] == {"type": "fit-x", "contains": "padding"}
    # the months come out of the arrays once, for every layer
    assert [t["flatten"] for t in spec["transform"] if "flatten" in t] == [
        ["i", "share", "persons"]
    ]
    layers = layers_by_mark(spec)
    limit, line = layers["line"]
    assert "grænse" in limit["transform"][0]["filter"]
    # one style per meaning: the row's style id fixes colour, dash and width on every chart
    assert line["encoding"]["color"]["field"] == "style"
    assert line["encoding"]["color"]["scale"]["range"] == [s.colour for s in STYLES]
    assert line["transform"] == [{"filter": "!isValid(datum.part)"}]  # figures only
    # colour is never the only signal: the municipality, region and country differ in dash
    # or width too
    looks = {(s.dash, s.width) for s in STYLES[:3]}
    assert len(looks) == 3
    assert STYLES[NATIONAL].colour == "#6e7781" and STYLES[NATIONAL].width < 1.5  # thin grey
    (rule,) = layers["rule"]
    assert "brud" in rule["transform"][0]["filter"]
    # each break's label is written along its own rule, up from the bottom of the chart
    label = next(t for t in layers["text"] if t["encoding"]["text"]["field"] == "label")
    assert label["encoding"]["x"] == rule["encoding"]["x"]
    assert label["transform"] == rule["transform"]
    assert label["mark"]["angle"] == 270 and label["mark"]["align"] == "left"
    assert label["encoding"]["y"] == {"datum": 0}
    assert spec["config"]["aria"] is False  # the page supplies the text alternative


def test_a_trend_panel_draws_breaks_and_the_threshold_and_leaves_the_legend_to_the_page():
    svg = vlc.vegalite_to_svg(trend_panel(pd.DataFrame(panel_rows())).to_dict())
    assert "Region Syddanmark" not in svg  # the page draws the legend, spaced, in HTML
    assert "Regler 2020" in svg
    assert svg.count(f'stroke="{REFERENCE.colour}"') >= 1
    width = int(re.search(r'<svg [^>]*width="(\d+)"', svg)[1])  # axes and all
    assert PANEL_WIDTH - 12 <= width <= PANEL_WIDTH
    # each series' arrays become a line through its two known months
    for style in STYLES[:3]:
        (path,) = re.findall(rf'<path [^>]*d="(M[^"]*)"[^>]*stroke="{style.colour}"', svg)
        assert path.count("L") == 1


def test_only_the_interactive_trend_has_tooltips():
    static = json.dumps(trend_panel(pd.DataFrame(panel_rows())).to_dict())
    live = json.dumps(
        trend_panel(pd.DataFrame(panel_rows()), interactive=True).to_dict(),
        ensure_ascii=False,
    )
    assert "tooltip" not in static
    assert "tooltip" in live and "Måned" in live


def test_lines_over_time_take_breaks_and_threshold_from_their_own_data():
    lines, marks = pd.DataFrame(long_rows()), pd.DataFrame(mark_rows())
    spec = lines_over_time(lines, marks).to_dict()
    layers = layers_by_mark(spec)
    assert len(layers["rule"]) == 1  # the breaks' rules, labelled along them
    texts = [t["transform"][-1]["filter"] for t in layers["text"]]
    assert texts == ['datum.part == "brud"', *["isValid(datum.label)"] * 2]  # + the rule's name
    assert layers["rule"][0]["data"] != layers["line"][1]["data"]
    svg = vlc.vegalite_to_svg(spec)
    assert "Regler 2020" in svg


def test_no_compared_series_looks_like_a_reference_line():
    """The breaks are thin grey short dashes and the threshold a thin dark-grey dash of its
    own: no chosen municipality's line is dotted or grey, so none can be taken for them."""
    for style in (STYLES[i] for i in CHOSEN):
        assert style.colour not in {REFERENCE.colour, MUTED, BREAK_STYLE.colour}
        assert style.colour != STYLES[NATIONAL].colour
        assert style.dash not in {REFERENCE.dash, BREAK_STYLE.dash}
        assert style.dash == (1, 0) or max(style.dash) >= 6, (
            style
        )  # not dotted: solid, or long dashes
        assert style.width >= 2


def test_ranking_colours_each_bar_by_its_status_and_draws_the_rule():
    statuses = (("På listen", "#b3261e"), ("Under reglen", "#c99700"), ("Over reglen", "#0b5394"))
    data = pd.DataFrame(
        {
            "municipality": ["A", "B", "C"],
            "order": [0, 1, 2],
            "share": [90.0, 72.0, 40.0],
            "persons": [10, 20, 30],
            "status": ["Over reglen", "Under reglen", "På listen"],
        }
    )
    refs = pd.DataFrame(
        {
            "value": [75.0, 61.2],
            "part": [LIMIT, COUNTRY],
            "label": ["Lovens krav på 75 %", "Hele landet 61,2 %"],
        }
    )
    spec = ranking(data, refs, statuses).to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == {"field": "order", "op": "min"}  # the page's order
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["color"]["field"] == "status"
    assert bars["encoding"]["color"]["scale"]["domain"] == [w for w, _ in statuses]
    assert bars["encoding"]["color"]["scale"]["range"] == [c for _, c in statuses]
    svg = vlc.vegalite_to_svg(spec)
    assert "På listen" not in svg  # the page draws the legend
    assert svg.count('fill="#b3261e"') == 1  # one red bar: the municipality on the list
    assert svg.count('fill="#c99700"') == 1
