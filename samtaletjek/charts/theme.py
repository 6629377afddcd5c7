"""The one theme every chart uses, its colours, and the axes and marks charts share."""

from __future__ import annotations

import json

import altair as alt

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


def time_axis(title: str | None = None) -> alt.X:
    return alt.X(
        "t:T",
        title=title,
        scale=alt.Scale(type="utc"),
        # A UTC scale formats its labels in UTC by itself.
        axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0),
    )


def share_axis(title: str = "Andel (%)") -> alt.Y:
    return alt.Y("share:Q", title=title, scale=alt.Scale(domain=[0, 100]))


def rule_change_marks(base: alt.Chart, where: str, label: str, x: alt.X) -> list[alt.Chart]:
    """A dashed vertical rule and its label at the month the rules changed.

    `where` is a Vega expression that picks one row of that month (so each panel gets one
    rule, drawn only when the data span that month).
    """
    marker = base.transform_filter(where)
    rule = marker.mark_rule(color=MUTED, strokeDash=[3, 3]).encode(x=x)
    text = marker.mark_text(
        align="left", baseline="top", dx=3, dy=2, fontSize=10, color=MUTED, text=label
    ).encode(x=x, y=alt.value(0))
    return [rule, text]


def is_series(name: str) -> str:
    """A Vega expression true for rows of the series `name`."""
    return f"datum.series == {json.dumps(name)}"
