"""The one theme every chart uses, its colours, and the axes and marks charts share."""

from __future__ import annotations

import json
from dataclasses import dataclass

import altair as alt

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#57606a"
FLAG_COLOUR = "#b3261e"  # the threshold, and municipalities on the list
BELOW_COLOUR = "#c99700"  # under the line this month, not (yet) on the list
OK_COLOUR = "#17662f"  # over the line (a card's status; assets/style.css says them again)


@dataclass(frozen=True)
class LineStyle:
    """How one kind of series is drawn, on every page: its meaning fixes its look."""

    label: str  # what it means, for the page's legend
    colour: str
    dash: tuple[int, ...]
    width: float


# One style per meaning, by the id a chart's rows carry in `style`. Colour-blind safe
# (Okabe–Ito hues, darkened to at least 4.5:1 against white); every series also has its own
# dash pattern, so colour is never the only signal. The country is always a thin grey line.
# No series is dotted, thin and grey, or red: those are the reference lines' (the breaks'
# short dashes, the threshold's thin red line, `break_marks` and `limit_line`).
STYLES = (
    LineStyle("kommunen", "#0063a6", (1, 0), 2.5),  # 0: the municipality (the first chosen)
    LineStyle("regionen", "#b35900", (6, 3), 1.75),  # 1: its region
    LineStyle("hele landet", "#6e7781", (1, 0), 1.25),  # 2: the country
    LineStyle("kommune 2", "#007a5a", (6, 3), 2.25),  # 3–6: the other chosen municipalities
    LineStyle("kommune 3", "#a6497e", (14, 4), 2.25),
    LineStyle("kommune 4", "#7a5c00", (8, 3, 2, 3), 2.25),
    LineStyle("kommune 5", "#5b3f99", (12, 3, 2, 3, 2, 3), 2.25),
)
MUNICIPALITY, REGION, NATIONAL = 0, 1, 2
CHOSEN = (0, 3, 4, 5, 6)  # the styles of the comparison's first to fifth municipality
MUNICIPALITY_COLOUR = STYLES[MUNICIPALITY].colour
NATIONAL_COLOUR = STYLES[NATIONAL].colour


def style_channels() -> dict[str, alt.Color | alt.StrokeDash | alt.StrokeWidth]:
    """The colour, dash and width of a line from its row's `style` id (`STYLES`). The page
    draws the legend (an SVG legend of fixed ids would name styles a chart does not show)."""
    ids = list(range(len(STYLES)))
    return {
        "color": alt.Color(
            "style:O",
            scale=alt.Scale(domain=ids, range=[s.colour for s in STYLES]),
            legend=None,
        ),
        "strokeDash": alt.StrokeDash(
            "style:O",
            scale=alt.Scale(domain=ids, range=[list(s.dash) for s in STYLES]),
            legend=None,
        ),
        "strokeWidth": alt.StrokeWidth(
            "style:O", scale=alt.Scale(domain=ids, range=[s.width for s in STYLES]), legend=None
        ),
    }


def style_fill() -> alt.Fill:
    ids = list(range(len(STYLES)))
    return alt.Fill(
        "style:O", scale=alt.Scale(domain=ids, range=[s.colour for s in STYLES]), legend=None
    )


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
                # Entries well apart, so "Region Hovedstaden" and "Hele landet" never run together.
                "columnPadding": 24,
                "rowPadding": 6,
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


# Rows of a chart's data that are not figures: a series break ("brud") or a step of the
# threshold line ("grænse"); `rule_rows` in pages/figures.py makes them.
BREAK, LIMIT, DOT = "brud", "grænse", "punkt"


def break_marks(base: alt.Chart, x: alt.X) -> list[alt.Chart]:
    """A dashed vertical rule at every series break and, where a row has a `label`, its label,
    written up along its own rule from the top of the chart, so no label can be read as
    another rule's.

    Break rows: `t`, `part` = BREAK, `label` (empty where the break is labelled elsewhere,
    e.g. in an earlier panel) and `ghost` (a row that only keeps the layers from being empty,
    in a chart without breaks: drawn invisible).
    """
    rows = base.transform_filter(f"datum.part == {json.dumps(BREAK, ensure_ascii=False)}")
    rule = rows.mark_rule(color=MUTED, strokeDash=[3, 3]).encode(
        x=x, opacity=alt.condition("datum.ghost", alt.value(0), alt.value(1))
    )
    label = rows.mark_text(
        angle=270, align="right", baseline="bottom", dx=-3, dy=-2, fontSize=11, color=MUTED
    ).encode(x=x, y=alt.value(0), text=alt.Text("label:N"))
    return [rule, label]


LIMIT_NAME = "Reglen"  # the threshold's name, written on the chart (`limit_name`)
# A segment of the threshold at least this long (ms: 18 months) has room for its name after
# its start on a phone's chart of the whole series.
ROOM_FOR_NAME = 18 * 2_629_800_000


def limit_name(base: alt.Chart, x: alt.X, y: alt.Y) -> list[alt.Chart]:
    """The threshold's name on its longest segment, just under the line, on a white halo so
    that a series crossing it cannot hide it: right of the segment's start (a break's label
    is left of its rule, so the two never meet), or, where the segment is too short for
    that, ending at the segment's end, inside the chart. Limit rows as in `limit_line`."""
    longest = (
        base.transform_filter(f"datum.part == {json.dumps(LIMIT, ensure_ascii=False)}")
        .transform_aggregate(start="min(t)", end="max(t)", share="max(share)", groupby=["seg"])
        .transform_calculate(span="datum.end - datum.start")
        .transform_window(n="row_number()", sort=[{"field": "span", "order": "descending"}])
        .transform_filter("datum.n == 1")
    )
    layers = []
    for room, at, align, dx in ((True, "start", "left", 4), (False, "end", "right", -2)):
        rows = longest.transform_filter(
            f"{'' if room else '!'}(datum.span >= {ROOM_FOR_NAME})"
        ).transform_calculate(t=f"datum.{at}")
        words = {"align": align, "baseline": "top", "dx": dx, "dy": 3, "fontSize": 11}
        layers += [
            rows.mark_text(**words, color="#ffffff", stroke="#ffffff", strokeWidth=3),
            rows.mark_text(**words, color=FLAG_COLOUR),
        ]
    return [layer.encode(x=x, y=y, text=alt.value(LIMIT_NAME)) for layer in layers]


def limit_line(base: alt.Chart, x: alt.X, y: alt.Y) -> alt.Chart:
    """The threshold in force as a step line: one segment per rule period.

    Limit rows: `t`, `part` = LIMIT, `share` (the threshold, %) and `seg` (the segment).
    """
    return (
        base.transform_filter(f"datum.part == {json.dumps(LIMIT, ensure_ascii=False)}")
        .mark_line(color=FLAG_COLOUR, strokeWidth=1.25)
        .encode(x=x, y=y, detail="seg:N")
    )
