"""Share over time: small multiples per target group (`trend_panels`) and one line per chosen
series (`lines_over_time`), each with its compiled-once spec function.

Each chart function takes `interactive`: the static variant is rendered to SVG for readers
without JavaScript; the interactive one adds tooltips and is what vega-embed draws in the
browser.
"""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd

from ..domain import danish
from .specs import compiled, fill, ms
from .theme import (
    DASHES,
    MUNICIPALITY_COLOUR,
    NATIONAL_COLOUR,
    REGION_COLOUR,
    is_series,
    rule_change_marks,
    share_axis,
    time_axis,
)

# Okabe–Ito hues, darkened to at least 4.5:1 against white. Each series also has its own dash
# pattern, so colour is never the only signal. The first three are the municipality charts'
# municipality, region and country, so the embed charts use the same compiled spec.
PALETTE = (MUNICIPALITY_COLOUR, REGION_COLOUR, NATIONAL_COLOUR, "#007a5a", "#a6497e")
LINE_DASHES = (*DASHES, [8, 3, 2, 3], [12, 3, 2, 3, 2, 3])
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


def _hover_points(
    base: alt.Chart, colour: alt.Color | alt.Fill, series_title: str, month: alt.Tooltip
) -> alt.Chart:
    """Points that appear nearest the pointer, with a tooltip in Danish."""
    nearest = alt.selection_point(
        on="pointerover", nearest=True, fields=["t"], empty=False, clear="pointerout"
    )
    return (
        base.mark_point(filled=True, size=45)
        .encode(
            x=time_axis(),
            y=share_axis(),
            **{"color" if isinstance(colour, alt.Color) else "fill": colour},
            opacity=alt.condition(nearest, alt.value(1), alt.value(0)),
            tooltip=[
                # format="" makes Vega-Lite read the field off the datum, not the voronoi item.
                alt.Tooltip("series:N", title=series_title, format=""),
                month,
                alt.Tooltip("share:Q", title="Andel (%)", format=".1f"),
                alt.Tooltip("persons:Q", title="Personer", format=",d"),
            ],
        )
        .add_params(nearest)
        .transform_filter("isValid(datum.share)")
    )


def trend_panels(
    data: pd.DataFrame | alt.Data,
    series_order: list[str],
    panel_order: list[str],
    rule_change_ms: int,
    rule_change_label: str,
    columns: int = 2,
    interactive: bool = False,
) -> alt.FacetChart:
    """Small multiples of share over time, one panel per target group.

    `data` columns: `t` (first day of the month, milliseconds since 1970 UTC), `panel` (target
    group name), `series` (e.g. the municipality, its region, "Hele landet"), `share` (may be
    missing) and `persons`. A dashed rule marks `rule_change_ms`, the month the rules changed;
    it is drawn from the last series' row of that month, so each panel gets one rule.
    """
    base = alt.Chart()
    colours = [MUNICIPALITY_COLOUR, REGION_COLOUR, NATIONAL_COLOUR][-len(series_order) :]
    dashes = list(DASHES)[: len(series_order)]
    line = base.mark_line(interpolate="linear").encode(
        x=time_axis(),
        y=share_axis(),
        color=alt.Color(
            "series:N", sort=series_order, scale=alt.Scale(domain=series_order, range=colours)
        ),
        strokeDash=alt.StrokeDash(
            "series:N", sort=series_order, scale=alt.Scale(domain=series_order, range=dashes)
        ),
    )
    where = f"datum.t == {int(rule_change_ms)} && {is_series(series_order[-1])}"
    layers: list[alt.Chart] = [
        line,
        *rule_change_marks(base, where, rule_change_label, time_axis()),
    ]
    if interactive:
        month = alt.Tooltip("t:T", timeUnit="utcyearmonth", title="Måned", format="%B %Y")
        layers.append(_hover_points(base, alt.Color("series:N", legend=None), "Serie", month))
    layered = alt.layer(*layers, data=data).properties(width=260, height=130)
    return layered.facet(
        facet=alt.Facet("panel:N", sort=panel_order, title=None),
        columns=columns,
        spacing={"row": 24, "column": 28},
    )


@functools.lru_cache(maxsize=32)
def _trend_template(
    n_series: int,
    panels: tuple[str, ...],
    rule_change: str,
    label: str,
    columns: int,
    interactive: bool,
) -> str:
    names = [f"__series{i}__" for i in range(n_series)]
    return compiled(
        trend_panels(
            alt.NamedData("trend"),
            names,
            list(panels),
            ms(rule_change),
            label,
            columns,
            interactive,
        )
    )


def trend_spec(
    values: list[dict],
    names: list[str],
    panels: tuple[str, ...],
    rule_change: str,
    label: str,
    columns: int,
    interactive: bool,
) -> dict:
    """The Vega-Lite spec of `trend_panels` for rows `values` of the series `names`."""
    template = _trend_template(len(names), panels, rule_change, label, columns, interactive)
    return fill(template, {"trend": values}, names)


def lines_over_time(
    data: pd.DataFrame | alt.Data,
    colours: list[str],
    dashes: list[list[int]],
    rule_change_ms: int,
    rule_change_label: str,
    interactive: bool = False,
    width: int = 680,
    height: int = 280,
) -> alt.LayerChart:
    """Share over time, one line per series, with the month the rules changed marked.

    `data` columns: `t` (first day of the month, milliseconds since 1970 UTC), `series` (its
    name), `order` (0, 1, … : the legend's order and the index into `colours` and `dashes`),
    `share` (may be missing: the line breaks there, and a figure alone between two gaps is
    a dot) and `persons`. The series come from the data, so one compiled spec serves every
    choice of series. The rule is drawn from the first series' row of `rule_change_ms`, so it
    appears only when the data span that month.
    """
    order = alt.EncodingSortField("order", op="min")
    x, y = time_axis(), share_axis()
    base = alt.Chart()
    line = base.mark_line(interpolate="linear").encode(
        x=x,
        y=y,
        color=alt.Color("series:N", sort=order, scale=alt.Scale(range=colours)),
        strokeDash=alt.StrokeDash("series:N", sort=order, scale=alt.Scale(range=dashes)),
    )
    marks = rule_change_marks(
        base, f"datum.t == {int(rule_change_ms)} && datum.order == 0", rule_change_label, x
    )
    # Dots take `fill`, not `color`: a `legend=None` on the shared colour scale would take the
    # colours out of the lines' legend.
    fill_ = alt.Fill("series:N", sort=order, scale=alt.Scale(range=colours), legend=None)
    # A month with a figure between two without one has no line to be part of: draw a dot.
    # Each series' first figure stays in, unseen, so the layer is never empty (an empty layer
    # makes Vega-Lite warn about an infinite extent).
    alone = (
        base.transform_window(
            before="lag(share)", after="lead(share)", groupby=["series"], sort=[{"field": "t"}]
        )
        .transform_filter("isValid(datum.share)")
        .transform_window(nth="row_number()", groupby=["series"], sort=[{"field": "t"}])
        .transform_calculate(alone="!isValid(datum.before) && !isValid(datum.after)")
        .transform_filter("datum.alone || datum.nth == 1")
        .mark_point(filled=True, size=16)
        .encode(
            x=x, y=y, fill=fill_, opacity=alt.condition("datum.alone", alt.value(1), alt.value(0))
        )
    )
    layers: list[alt.Chart] = [line, alone, *marks]
    if interactive:
        # `format=""` on the text field: without a format Vega-Lite reads it off the Voronoi
        # item, not the data ("Område: undefined").
        month = alt.Tooltip("utcyearmonth(t):T", title="Måned", format="%B %Y")
        layers.append(_hover_points(base, fill_, "Område", month))
    return alt.layer(*layers, data=data).properties(width=width, height=height)


@functools.lru_cache(maxsize=8)
def _lines_template(rule_change: str, label: str, interactive: bool) -> str:
    """The chart compiled once, its data a named dataset `lines` to fill in."""
    return compiled(
        lines_over_time(
            alt.NamedData("lines"),
            list(PALETTE),
            list(LINE_DASHES),
            ms(rule_change),
            label,
            interactive,
        )
    )


def lines_spec(rows: list[dict], rule_change: str, label: str, interactive: bool) -> dict:
    """The Vega-Lite spec of `lines_over_time` for `rows`; interactive ones speak Danish."""
    spec = fill(_lines_template(rule_change, label, interactive), {"lines": rows})
    if interactive:
        spec.setdefault("config", {})["locale"] = LOCALE
    return spec


def line_rows(months: tuple[str, ...], series: list[tuple[str, list, list]]) -> list[dict]:
    """Return the rows `lines_over_time` draws from (name, shares, persons) aligned to `months`."""
    return [
        {"t": ms(p), "series": name, "order": o, "share": shares[i], "persons": persons[i]}
        for o, (name, shares, persons) in enumerate(series)
        for i, p in enumerate(months)
    ]
