"""The one theme every chart uses, its colours, and the axes and marks charts share."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import ModuleType

from .lazy import alt

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#57606a"
FLAG_COLOUR = "#b3261e"  # municipalities on the list
BELOW_COLOUR = "#c99700"  # under the line this month, not (yet) on the list
OK_COLOUR = "#17662f"  # over the line (a card's status; assets/style.css says them again)
BACKGROUND = "#ffffff"
LABEL_SIZE = 11  # the least text size of a chart as drawn (axis labels, marks' labels)


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
# Widths are whole tenths of a pixel, as the drawings keep them (draw.tenths), so a line is
# drawn as wide as the page's legend shows it.
# No series is dotted, thin and grey, or red: those are the reference lines' (the breaks'
# short dashes, the threshold's thin red line, `break_marks` and `limit_line`).
STYLES = (
    LineStyle("kommunen", "#0063a6", (1, 0), 2.5),  # 0: the municipality (the first chosen)
    LineStyle("regionen", "#b35900", (6, 3), 1.8),  # 1: its region
    LineStyle("hele landet", "#6e7781", (1, 0), 1.2),  # 2: the country
    LineStyle("kommune 2", "#007a5a", (6, 3), 2.2),  # 3–6: the other chosen municipalities
    LineStyle("kommune 3", "#a6497e", (14, 4), 2.2),
    LineStyle("kommune 4", "#7a5c00", (8, 3, 2, 3), 2.2),
    LineStyle("kommune 5", "#5b3f99", (12, 3, 2, 3, 2, 3), 2.2),
)
MUNICIPALITY, REGION, NATIONAL = 0, 1, 2
CHOSEN = (0, 3, 4, 5, 6)  # the styles of the comparison's first to fifth municipality
MUNICIPALITY_COLOUR = STYLES[MUNICIPALITY].colour
NATIONAL_COLOUR = STYLES[NATIONAL].colour
# The rule's line (the threshold a share is held against) is not a figure: thin, dark grey and
# dashed in a pattern no series has, and named in words at its end. A series break (a vertical
# rule) has a pattern of its own too.
REFERENCE = LineStyle("reglen", "#3d444d", (8, 4), 1.2)
BREAK_STYLE = LineStyle("regelændring", MUTED, (3, 3), 1)


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
        # An ordinal scale: Vega-Lite's default for a width is a point scale, which spreads
        # the widths evenly between the first and the last instead of taking each style's.
        "strokeWidth": alt.StrokeWidth(
            "style:O",
            scale=alt.Scale(type="ordinal", domain=ids, range=[s.width for s in STYLES]),
            legend=None,
        ),
    }


def style_fill() -> alt.Fill:
    ids = list(range(len(STYLES)))
    return alt.Fill(
        "style:O", scale=alt.Scale(domain=ids, range=[s.colour for s in STYLES]), legend=None
    )


def theme() -> alt.theme.ThemeConfig:
    """The one theme every chart uses."""
    return {
        "config": {
            "font": FONT,
            # The page gives every chart one text alternative; per-mark ARIA labels would only
            # repeat raw field values to screen readers and triple the SVG's size.
            "aria": False,
            "background": BACKGROUND,
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
        }
    }


def register(altair: ModuleType) -> None:
    """Register the theme with Altair and enable it (`lazy` does, as it imports Altair)."""
    altair.theme.register("samtaletjek", enable=True)(theme)


def time_axis(title: str | None = None, domain: list | None = None) -> alt.X:
    """The months along x; from the first to the last month of `domain` where given (else the
    data's), so a chart's frame is the same whatever its series."""
    return alt.X(
        "t:T",
        title=title,
        scale=alt.Scale(type="utc", **({"domain": domain} if domain else {})),
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
    written up along its own rule from the bottom of the chart, so no label can be read as
    another rule's, and none meets the threshold's label near the top.

    Break rows: `t`, `part` = BREAK, `label` (empty where the break is labelled elsewhere,
    e.g. in an earlier panel) and `ghost` (a row that only keeps the layers from being empty,
    in a chart without breaks: drawn invisible).
    """
    rows = base.transform_filter(f"datum.part == {json.dumps(BREAK, ensure_ascii=False)}")
    rule = rows.mark_rule(
        color=BREAK_STYLE.colour,
        strokeDash=list(BREAK_STYLE.dash),
        strokeWidth=BREAK_STYLE.width,
    ).encode(x=x, opacity=alt.condition("datum.ghost", alt.value(0), alt.value(1)))
    # y at 0 % on the chart's own scale: the bottom of the plot at any height.
    bottom = alt.YDatum(0)
    label = rows.mark_text(
        angle=270,
        align="left",
        baseline="bottom",
        dx=3,
        dy=-2,
        fontSize=LABEL_SIZE,
        color=MUTED,
    ).encode(x=x, y=bottom, text=alt.Text("label:N"))
    return [rule, label]


def limit_line(base: alt.Chart, x: alt.X, y: alt.Y) -> alt.Chart:
    """The threshold in force as a step line in the reference style: one segment per rule
    period. Drawn under the series; its name (`limit_name`) over them.

    Limit rows: `t`, `part` = LIMIT, `share` (the threshold, %), `seg` (the segment) and, on
    the current segment's last row only, `label` (the rule's words).
    """
    return (
        _limit_rows(base)
        .mark_line(
            color=REFERENCE.colour,
            strokeDash=list(REFERENCE.dash),
            strokeWidth=REFERENCE.width,
            interpolate="linear",
        )
        .encode(x=x, y=y, detail="seg:N")
    )


def limit_name(base: alt.Chart, x: alt.X, y: alt.Y) -> list[alt.Chart]:
    """The rule's words at the end of the threshold's current segment (the limit row with a
    `label`), right-aligned just above the line, or just below it where the row says `below`
    (a higher segment before it would run through the words)."""
    return halo_text(
        _limit_rows(base).transform_filter("isValid(datum.label)"),
        x,
        y,
        baseline=alt.expr("datum.below ? 'top' : 'bottom'"),
        dy=alt.expr("datum.below ? 3 : -3"),
    )


def _limit_rows(base: alt.Chart) -> alt.Chart:
    return base.transform_filter(f"datum.part == {json.dumps(LIMIT, ensure_ascii=False)}")


def halo_text(rows: alt.Chart, x: alt.X, y: alt.Y | dict, **mark: object) -> list[alt.Chart]:
    """A reference line's `label` in the line's colour on a white halo (the same text stroked
    white, drawn first), so a series or bar under it does not make it unreadable."""
    text = {"fontSize": LABEL_SIZE, "align": "right", **mark}
    encoding = {"x": x, "y": y, "text": alt.Text("label:N")}
    return [
        rows.mark_text(
            color=BACKGROUND, stroke=BACKGROUND, strokeWidth=4, strokeJoin="round", **text
        ).encode(**encoding),
        rows.mark_text(color=REFERENCE.colour, **text).encode(**encoding),
    ]
