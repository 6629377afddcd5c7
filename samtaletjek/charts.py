"""One function per chart: tidy frame in, `alt.Chart` out. Pure; rendering lives in render.py.

Each function takes `interactive`: the static variant is rendered to SVG for readers without
JavaScript; the interactive one adds tooltips and is what vega-embed draws in the browser.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#57606a"
# Colour-blind safe (Okabe–Ito); every series also differs in dash pattern, so colour is never
# the only signal.
MUNICIPALITY_COLOUR = "#0063a6"
REGION_COLOUR = "#b35900"
NATIONAL_COLOUR = "#3d3d3d"
FLAG_COLOUR = "#b3261e"
DASHES = ([1, 0], [6, 3], [2, 2])


@alt.theme.register("samtaletjek", enable=True)
def theme() -> alt.theme.ThemeConfig:
    """The one theme every chart uses."""
    return {
        "config": {
            "font": FONT,
            # The page gives every chart one text alternative; per-mark ARIA labels would only
            # repeat raw field values to screen readers and triple the SVG's size.
            "aria": False,
            "background": "#ffffff",
            "view": {"stroke": None},
            "axis": {
                "labelColor": MUTED,
                "titleColor": INK,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": "#e6e8eb",
                "domainColor": "#8c959f",
                "tickColor": "#8c959f",
            },
            "legend": {
                "labelColor": INK,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "top",
                "title": None,
                "symbolStrokeWidth": 2.5,
                "symbolSize": 300,
            },
            "header": {"labelFontSize": 12, "labelColor": INK, "labelFontWeight": "bold"},
            "title": {"color": INK, "fontSize": 14, "anchor": "start"},
            "line": {"strokeWidth": 2},
        }
    }


def _time_axis(title: str | None = None) -> alt.X:
    return alt.X(
        "t:T",
        title=title,
        scale=alt.Scale(type="utc"),
        # A UTC scale formats its labels in UTC by itself.
        axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0),
    )


def _share_axis(title: str = "Andel (%)") -> alt.Y:
    return alt.Y("share:Q", title=title, scale=alt.Scale(domain=[0, 100]))


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
        x=_time_axis(),
        y=_share_axis(),
        color=alt.Color(
            "series:N", sort=series_order, scale=alt.Scale(domain=series_order, range=colours)
        ),
        strokeDash=alt.StrokeDash(
            "series:N", sort=series_order, scale=alt.Scale(domain=series_order, range=dashes)
        ),
    )
    marker = base.transform_filter(
        f"datum.t == {int(rule_change_ms)} && datum.series == {json.dumps(series_order[-1])}"
    )
    rule = marker.mark_rule(color=MUTED, strokeDash=[3, 3]).encode(x=_time_axis())
    label = marker.mark_text(
        align="left", baseline="top", dx=3, dy=2, fontSize=10, color=MUTED, text=rule_change_label
    ).encode(x=_time_axis(), y=alt.value(0))
    layers: list[alt.Chart] = [line, rule, label]
    if interactive:
        layers.append(_hover_points(base))
    layered = alt.layer(*layers, data=data).properties(width=260, height=130)
    return layered.facet(
        facet=alt.Facet("panel:N", sort=panel_order, title=None),
        columns=columns,
        spacing={"row": 24, "column": 28},
    )


def _hover_points(base: alt.Chart) -> alt.Chart:
    """Points that appear nearest the pointer, with a tooltip in Danish."""
    nearest = alt.selection_point(
        on="pointerover", nearest=True, fields=["t"], empty=False, clear="pointerout"
    )
    return (
        base.mark_point(filled=True, size=45)
        .encode(
            x=_time_axis(),
            y=_share_axis(),
            color=alt.Color("series:N", legend=None),
            opacity=alt.condition(nearest, alt.value(1), alt.value(0)),
            tooltip=[
                # format="" makes Vega-Lite read the field off the datum, not the voronoi item.
                alt.Tooltip("series:N", title="Serie", format=""),
                alt.Tooltip("t:T", timeUnit="utcyearmonth", title="Måned", format="%B %Y"),
                alt.Tooltip("share:Q", title="Andel (%)", format=".1f"),
                alt.Tooltip("persons:Q", title="Personer", format=",d"),
            ],
        )
        .add_params(nearest)
        .transform_filter("isValid(datum.share)")
    )


def threshold_label(threshold_pct: float) -> str:
    return f"Tærskel {threshold_pct:g} %".replace(".", ",")


def ranking(
    data: pd.DataFrame | alt.Data,
    references: pd.DataFrame | alt.Data,
    threshold_pct: float,
    interactive: bool = False,
) -> alt.LayerChart:
    """Horizontal bars of every municipality's share in one month, highest first.

    `data` columns: `municipality`, `share`, `persons`, `flagged` (bool), ideally sorted by
    share, then name (ties keep that order). `references` columns: `value`, `label`: the flag
    threshold (labelled `threshold_label(threshold_pct)`) and "Hele landet", drawn as rules.
    """
    tooltip = (
        [
            alt.Tooltip("municipality:N", title="Kommune"),
            alt.Tooltip("share:Q", title="Andel (%)", format=".1f"),
            alt.Tooltip("persons:Q", title="Personer", format=",d"),
        ]
        if interactive
        else alt.Undefined
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.75})
        .encode(
            y=alt.Y("municipality:N", sort="-x", title=None, axis=alt.Axis(labelFontSize=10)),
            x=alt.X("share:Q", title="Andel (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(
                    domain=["Markant under", "Øvrige"], range=[FLAG_COLOUR, MUNICIPALITY_COLOUR]
                ),
                title=None,
            ),
            tooltip=tooltip,
        )
        .transform_calculate(status="datum.flagged ? 'Markant under' : 'Øvrige'")
    )
    lines = (
        alt.Chart(references)
        .mark_rule(strokeWidth=1.5)
        .encode(
            x="value:Q",
            strokeDash=alt.StrokeDash(
                "label:N",
                scale=alt.Scale(
                    domain=["Hele landet", threshold_label(threshold_pct)], range=[[1, 0], [4, 3]]
                ),
                title=None,
            ),
            color=alt.value(INK),
        )
    )
    return (
        alt.layer(bars, lines)
        .properties(width=420, height=alt.Step(12))
        .resolve_scale(color="independent", strokeDash="independent")
    )


def share_card(
    data: pd.DataFrame | alt.Data,
    series_order: list[str],
    title: str,
    headline: str,
    subline: str,
    footer: str,
) -> alt.LayerChart:
    """A 1200×630 share image (Open Graph): a title, the headline figure and a small trend.

    `data` columns: `t` (ms, UTC), `series`, `share`. Text is placed in pixels and the trend
    drawn in the lower part through fixed scale ranges, so the picture is exactly 1200×630.
    """
    width, height, left, right = 1200, 630, 60, 1140
    colours = [MUNICIPALITY_COLOUR, NATIONAL_COLOUR][: len(series_order)]

    def text(value: str, y: int, size: int, colour: str, weight: str = "normal") -> alt.Chart:
        return (
            alt.Chart(alt.Data(values=[{}]))
            .mark_text(align="left", baseline="top", fontSize=size, fontWeight=weight, color=colour)
            .encode(x=alt.value(left), y=alt.value(y), text=alt.value(value))
        )

    line = (
        alt.Chart(data)
        .mark_line(strokeWidth=5)
        .encode(
            x=alt.X("t:T", scale=alt.Scale(type="utc", range=[left, right]), axis=None),
            y=alt.Y("share:Q", scale=alt.Scale(domain=[0, 100], range=[560, 330]), axis=None),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=series_order, range=colours),
                legend=alt.Legend(
                    orient="none",
                    legendX=left,
                    legendY=280,
                    direction="horizontal",
                    labelFontSize=24,
                    symbolSize=600,
                    symbolStrokeWidth=5,
                    title=None,
                ),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=series_order, range=list(DASHES)[: len(series_order)]),
                legend=None,
            ),
        )
    )
    baseline = (
        alt.Chart(alt.Data(values=[{"y": 0}, {"y": 50}, {"y": 100}]))
        .mark_rule(color="#e6e8eb", strokeWidth=2)
        .encode(
            x=alt.value(left),
            x2=alt.value(right),
            y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 100], range=[560, 330]), axis=None),
        )
    )
    return (
        alt.layer(
            baseline,
            line,
            text(title, 40, 64, INK, "bold"),
            text(headline, 125, 40, MUNICIPALITY_COLOUR, "bold"),
            text(subline, 185, 28, MUTED),
            text(footer, 585, 24, MUTED),
        )
        .resolve_scale(y="independent")
        .properties(width=width, height=height, autosize=alt.AutoSizeParams(type="none"))
        .configure(padding=0, background="#ffffff")
        .configure_view(stroke=None)
    )
