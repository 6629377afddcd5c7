"""Charts are tested through their Vega-Lite dicts, as Altair tests its own charts, and where
it matters through what vl-convert draws."""

import json
import re

import pandas as pd
import vl_convert as vlc

from samtaletjek.charts.ranking import ranking
from samtaletjek.charts.theme import (
    BREAK,
    CHOSEN,
    DOT,
    FLAG_COLOUR,
    LIMIT,
    LIMIT_NAME,
    MUTED,
    NATIONAL,
    STYLES,
)
from samtaletjek.charts.trends import lines_over_time, trend_panels

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


def test_trend_panels_facet_by_group_with_breaks_and_the_threshold():
    spec = trend_panels(pd.DataFrame(panel_rows())).to_dict()
    assert spec["facet"] == {
        "field": "panel",
        "sort": {"field": "pi", "op": "min"},
        "title": None,
        "type": "nominal",
    }
    # the months come out of the arrays once, for every layer (Vega-Lite cannot flatten in
    # more than one layer of a facet)
    assert [t["flatten"] for t in spec["spec"]["transform"] if "flatten" in t] == [
        ["i", "share", "persons"]
    ]
    layers = layers_by_mark(spec["spec"])
    limit, line = layers["line"]
    assert limit["mark"]["color"] == FLAG_COLOUR and "grænse" in limit["transform"][0]["filter"]
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
    # each break's label is written along its own rule: the same rows, the same x
    (label,) = layers["text"]
    assert label["encoding"]["text"]["field"] == "label"
    assert label["encoding"]["x"] == rule["encoding"]["x"]
    assert label["transform"] == rule["transform"]
    assert label["mark"]["angle"] == 270 and "dx" in label["mark"]
    assert spec["config"]["aria"] is False  # the page supplies the text alternative


def test_trend_panels_draw_breaks_and_the_threshold_and_leave_the_legend_to_the_page():
    svg = vlc.vegalite_to_svg(trend_panels(pd.DataFrame(panel_rows())).to_dict())
    assert "Region Syddanmark" not in svg  # the page draws the legend, spaced, in HTML
    assert "Regler 2020" in svg
    assert svg.count(f'stroke="{FLAG_COLOUR}"') >= 1
    # each series' arrays become a line through its two known months
    for style in STYLES[:3]:
        (path,) = re.findall(rf'<path [^>]*d="(M[^"]*)"[^>]*stroke="{style.colour}"', svg)
        assert path.count("L") == 1


def test_only_the_interactive_trend_has_tooltips():
    static = json.dumps(trend_panels(pd.DataFrame(panel_rows())).to_dict())
    live = json.dumps(
        trend_panels(pd.DataFrame(panel_rows()), interactive=True).to_dict(),
        ensure_ascii=False,
    )
    assert "tooltip" not in static
    assert "tooltip" in live and "Måned" in live


def test_lines_over_time_take_breaks_and_threshold_from_their_own_data():
    lines, marks = pd.DataFrame(long_rows()), pd.DataFrame(mark_rows())
    spec = lines_over_time(lines, marks).to_dict()
    layers = layers_by_mark(spec)
    # the break's label along its rule; the threshold's name on it, on a white halo
    assert len(layers["rule"]) == 1 and len(layers["text"]) == 5
    assert layers["rule"][0]["data"] != layers["line"][1]["data"]
    names = layers["text"][1:]
    assert {json.dumps(t["encoding"]["text"]) for t in names} == {json.dumps({"value": LIMIT_NAME})}
    assert [t["mark"]["color"] for t in names] == ["#ffffff", FLAG_COLOUR] * 2
    svg = vlc.vegalite_to_svg(spec)
    assert "Regler 2020" in svg


def name_and_line(months: int) -> tuple[float, tuple[str, str], str]:
    """Where a threshold of `months` months has its name: the name's x and anchor, and the
    line's first and last x."""
    rows = [
        {"t": t, "part": LIMIT, "share": 80.0, "seg": "a"}
        for t in (JAN_2020 - months * MONTH, JAN_2020)
    ]
    svg = vlc.vegalite_to_svg(
        lines_over_time(pd.DataFrame(long_rows()), pd.DataFrame(rows)).to_dict()
    )
    found = re.findall(
        rf'<text text-anchor="(start|end)" [^>]*translate\(([0-9.]+),[^"]*"[^>]*>{LIMIT_NAME}<',
        svg,
    )
    assert len(found) == 2 and len(set(found)) == 1  # the halo and the name, in one place
    (line,) = re.findall(
        rf'<path [^>]*d="M([0-9.]+),[0-9.]+L([0-9.]+),[^"]*"[^>]*stroke="{FLAG_COLOUR}"', svg
    )
    return float(found[0][1]), line, found[0][0]


def test_the_threshold_is_named_where_its_name_fits_and_meets_no_breaks_label():
    x, (first, last), anchor = name_and_line(24)  # long: just after its start
    assert anchor == "start" and x == float(first) + 4
    x, (first, last), anchor = name_and_line(2)  # short: ending at its end, inside the chart
    assert anchor == "end" and x == float(last) - 2


def test_no_compared_series_looks_like_a_reference_line():
    """The breaks are thin grey short dashes and the threshold a thin red line: no chosen
    municipality's line is dotted, grey or red, so none can be taken for them."""
    for style in (STYLES[i] for i in CHOSEN):
        assert style.colour not in {FLAG_COLOUR, MUTED, STYLES[NATIONAL].colour}
        assert style.dash == (1, 0) or max(style.dash) >= 6, (
            style
        )  # not dotted: solid, or long dashes
        assert style.width >= 2


def test_ranking_colours_each_bar_by_its_status_and_draws_the_rule():
    statuses = (("På listen", "#b3261e"), ("Under reglen", "#c99700"), ("Over reglen", "#0b5394"))
    data = pd.DataFrame(
        {
            "municipality": ["A", "B", "C"],
            "share": [90.0, 72.0, 40.0],
            "persons": [10, 20, 30],
            "status": ["Over reglen", "Under reglen", "På listen"],
        }
    )
    refs = pd.DataFrame({"value": [75.0, 61.2], "label": ["Lovens krav på 75 %", "Hele landet"]})
    spec = ranking(data, refs, statuses, "Lovens krav på 75 %").to_dict()
    bars, rules = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == "-x"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["color"]["field"] == "status"
    assert bars["encoding"]["color"]["scale"]["domain"] == [w for w, _ in statuses]
    assert rules["encoding"]["strokeDash"]["scale"]["domain"] == [
        "Hele landet",
        "Lovens krav på 75 %",
    ]
    svg = vlc.vegalite_to_svg(spec)
    assert "På listen" not in svg  # the page draws the legend
    assert svg.count('fill="#b3261e"') == 1  # one red bar: the municipality on the list
    assert svg.count('fill="#c99700"') == 1
