"""Share over time: small multiples, one panel per target group (`trend_panel`), and one line
per chosen series (`lines_over_time`), each with its compiled-once spec function.

Each chart function takes `interactive`: the static variant is rendered to SVG for readers
without JavaScript; the interactive one adds tooltips and is what vega-embed draws in the
browser.
"""

from __future__ import annotations

import json

import pandas as pd

from ..domain import danish
from .lazy import alt
from .specs import compiled, fill, ms, placeholder, shape
from .theme import (
    DOT,
    break_marks,
    limit_line,
    limit_name,
    share_axis,
    style_channels,
    style_fill,
    time_axis,
)

# Danish numbers and months for the charts vega-embed draws, carried in the spec itself so the
# page scripts need no locale of their own (vl-convert gets da-DK when it draws the SVG).
LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "time": {
        "dateTime": "%A den %d. %B %Y %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": list(danish.MONTHS),
        "shortMonths": [m[:3] for m in danish.MONTHS],
    },
}


def _hover_points(base: alt.Chart, serie_rows: bool = False) -> alt.Chart:
    """Points that appear nearest the pointer, with a tooltip in Danish."""
    nearest = alt.selection_point(
        on="pointerover", nearest=True, fields=["t"], empty=False, clear="pointerout"
    )
    rows = base.transform_filter("!isValid(datum.part)") if serie_rows else base
    return (
        rows.mark_point(filled=True, size=45)
        .encode(
            x=time_axis(),
            y=share_axis(),
            fill=style_fill(),
            opacity=alt.condition(nearest, alt.value(1), alt.value(0)),
            tooltip=[
                # format="" makes Vega-Lite read the field off the datum, not the voronoi item.
                alt.Tooltip("series:N", title="Serie", format=""),
                alt.Tooltip("utcyearmonth(t):T", title="Måned", format="%B %Y"),
                alt.Tooltip("share:Q", title="Andel (%)", format=".1f"),
                alt.Tooltip("persons:Q", title="Personer", format=",d"),
            ],
        )
        .add_params(nearest)
        .transform_filter("isValid(datum.share)")
    )


def _monthly(layers: alt.LayerChart) -> alt.LayerChart:
    """One row per month from the arrays of the series rows: `i` (months after `y0`-`m0`),
    `share` and `persons`. Rows that are not figures keep their `t` and scalars (wrapped in
    one-element arrays first, since Vega's flatten needs an array in every row). The flatten
    is done once, on the whole layer: Vega-Lite cannot flatten in more than one layer of a
    facet."""
    for f in ("i", "share", "persons"):
        layers = layers.transform_calculate(**{f: f"isArray(datum.{f}) ? datum.{f} : [datum.{f}]"})
    return layers.transform_flatten(["i", "share", "persons"]).transform_calculate(
        t="isValid(datum.i) ? utc(datum.y0, datum.m0 + datum.i, 1) : datum.t"
    )


def _alone_points(base: alt.Chart, x: alt.X, y: alt.Y, groupby: list[str]) -> alt.Chart:
    """A dot for every figure without a neighbouring one: a month between two unknown months
    has no line to be part of, but it is a figure all the same. (For rows the browser makes,
    found by window transforms; the small multiples get theirs from Python, `DOT` rows.)

    Each series' first figure stays in, unseen, so the layer is never empty (an empty layer
    makes Vega-Lite warn about an infinite extent).
    """
    return _dots(
        base.transform_window(
            before="lag(share)", after="lead(share)", groupby=groupby, sort=[{"field": "t"}]
        )
        .transform_filter("isValid(datum.share)")
        .transform_window(nth="row_number()", groupby=groupby, sort=[{"field": "t"}])
        .transform_calculate(alone="!isValid(datum.before) && !isValid(datum.after)")
        .transform_filter("datum.alone || datum.nth == 1"),
        x,
        y,
        "datum.alone",
    )


DOT_SIZE = 16  # a dot's area in square pixels


def _dots(rows: alt.Chart, x: alt.X, y: alt.Y, shown: str) -> alt.Chart:
    """Small dots in each row's style, seen where the expression `shown` holds (the others
    only keep the layer from being empty)."""
    return rows.mark_point(filled=True, size=DOT_SIZE).encode(
        x=x, y=y, fill=style_fill(), opacity=alt.condition(shown, alt.value(1), alt.value(0))
    )


# A panel of small multiples is drawn this wide, axes and labels included: the narrowest cell
# of the page's grid (assets/style.css, `.chart-panels`), so its static SVG is only ever
# scaled up to fit a cell and its text never drawn smaller than the theme's sizes. The static
# picture gets that width from its plot's (its axes are always the same: 0–100 %, years):
# fitting it to the width (autosize "fit-x") would cost each picture a second layout. The
# browser's fits the cell it is drawn in.
PANEL_WIDTH = 288
PLOT_WIDTH = 233  # and its axes: PANEL_WIDTH
PANEL_HEIGHT = 130
# The static panel with a fixed span says so: its frame (axes, threshold, breaks) is then the
# same whatever its series, so publish/panels.py draws the frame once and writes each panel's
# series and dots into it.
FRAMED = {"picture": "panel"}


def trend_panel(
    data: pd.DataFrame | alt.Data,
    interactive: bool = False,
    span: tuple[object, object] | None = None,
) -> alt.LayerChart:
    """Share over time in one target group: one panel of the small multiples, each drawn as
    its own picture in a cell of the page's grid (its title is the page's, in HTML).

    `data` holds one row per series: `series` (e.g. the municipality, its region, "Hele
    landet"), `style` (its look, an id of `theme.STYLES`), `y0` and `m0` (the year and
    0-based month of the first figure) and the arrays `i` (months after the first), `share`
    (null in a month without a figure: the line breaks there) and `persons`. That is a third
    of the bytes one row per month would take. Rows with a `part` are not figures: "dot" (a
    figure between two unknown months, drawn as a dot: `t`, `share`, `style`), the group's
    series breaks (dashed rules) and its threshold in force (a step line in the reference
    style, named at its end); see `theme.break_marks` and `theme.limit_line`. The page draws
    the legend. The static picture is about PANEL_WIDTH wide; the interactive one fits the
    width the browser gives it, axes included. `span`: the first and last month of the static
    picture's x axis (ms, or placeholders), else the data's.
    """
    base = alt.Chart()
    static_span = list(span) if span and not interactive else None
    x, y = time_axis(domain=static_span), share_axis()
    line = (
        base.transform_filter("!isValid(datum.part)")
        .mark_line(interpolate="linear")
        .encode(x=x, y=y, detail="series:N", **style_channels())
    )
    dots = _dots(base.transform_filter(f"datum.part == {json.dumps(DOT)}"), x, y, "!datum.ghost")
    layers: list[alt.Chart] = [
        limit_line(base, x, y),
        line,
        dots,
        *break_marks(base, x),
        *limit_name(base, x, y),
    ]
    if interactive:
        layers.append(_hover_points(base, serie_rows=True))
    chart = _monthly(alt.layer(*layers, data=data)).properties(height=PANEL_HEIGHT)
    if not interactive:
        chart = chart.properties(width=PLOT_WIDTH)
        return chart.properties(usermeta=FRAMED) if static_span else chart
    return chart.properties(
        width=PANEL_WIDTH, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )


@shape
def trend_template(interactive: bool, validate: bool = False) -> str:
    """A panel of the small multiples compiled once; its data are the named dataset `trend`
    (in the browser, the page's rows of every panel, of which it draws those of its own). The
    static one spans the months `trend_spec` puts in."""
    span = (placeholder("first"), placeholder("last"))
    return compiled(trend_panel(alt.NamedData("trend"), interactive, span), validate)


def trend_spec(values: list[dict], first: int, last: int) -> dict:
    """The Vega-Lite spec of the static `trend_panel` for the rows `values` of one panel, from
    the month `first` to `last` (ms)."""
    return fill(trend_template(False), {"trend": values}, values={"first": first, "last": last})


def lines_over_time(
    data: pd.DataFrame | alt.Data,
    marks: pd.DataFrame | alt.Data,
    interactive: bool = False,
    width: int = 300,
    height: int = 240,
) -> alt.LayerChart:
    """Share over time, one line per series, with the group's breaks and threshold.

    `data` columns: `t` (first day of the month, milliseconds since 1970 UTC), `series` (its
    name), `style` (its look, an id of `theme.STYLES`), `share` (may be missing: the line
    breaks there, and a figure alone between two gaps is a dot) and `persons`. The series
    come from the data, so one compiled spec serves every choice of series. `marks`: the
    break and threshold rows of the group (`theme.break_marks`, `theme.limit_line` and its name,
    `theme.limit_name`). The page draws the legend. The width suits a phone; the browser may
    widen it (`"container"`).
    """
    x, y = time_axis(), share_axis()
    base = alt.Chart(data)
    rules = alt.Chart(marks)
    line = base.mark_line(interpolate="linear").encode(
        x=x, y=y, detail="series:N", **style_channels()
    )
    layers: list[alt.Chart] = [
        limit_line(rules, x, y),
        line,
        _alone_points(base, x, y, ["series"]),
        *break_marks(rules, x),
        *limit_name(rules, x, y),
    ]
    if interactive:
        layers.append(_hover_points(base))
    return alt.layer(*layers).properties(width=width, height=height)


@shape
def _lines_template(interactive: bool, validate: bool = False) -> str:
    """The chart compiled once; its data are the named datasets `lines` and `marks`."""
    return compiled(
        lines_over_time(alt.NamedData("lines"), alt.NamedData("marks"), interactive), validate
    )


def lines_spec(rows: list[dict], marks: list[dict], interactive: bool) -> dict:
    """The Vega-Lite spec of `lines_over_time` for `rows` and the group's `marks`; interactive
    ones speak Danish."""
    spec = fill(_lines_template(interactive), {"lines": rows, "marks": marks})
    if interactive:
        spec.setdefault("config", {})["locale"] = LOCALE
    return spec


def line_rows(months: tuple[str, ...], series: list[tuple[str, int, list, list]]) -> list[dict]:
    """Return the rows `lines_over_time` draws from (name, style, shares, persons) aligned to
    `months`."""
    return [
        {"t": ms(p), "series": name, "style": style, "share": shares[i], "persons": persons[i]}
        for name, style, shares, persons in series
        for i, p in enumerate(months)
    ]
