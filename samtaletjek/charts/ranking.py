"""Municipalities' shares in one month as ranked bars, each with its figure, and the threshold
and the country as reference lines named at their top."""

from __future__ import annotations

import json

import pandas as pd

from .lazy import alt
from .specs import compiled, fill, shape
from .theme import INK, LABEL_SIZE, LIMIT, NATIONAL, REFERENCE, STYLES, halo_text

SMALL_COLOUR = "#aab1b9"
# The whole picture's width, labels included, on each screen (`pages.base.Variant`): a
# phone's, a tablet's (40–70rem) and a wide screen's content (70rem less the page's margins),
# so the static SVG is never drawn smaller than it was made and a wide screen has its width.
WIDTHS = {"narrow": 320, "medium": 608, "wide": 1088}
BAR_STEP = 17  # px a bar, room for its 11 px labels
COUNTRY = "land"  # the part of the country's reference row (the threshold's is `theme.LIMIT`)


def ranking(
    data: pd.DataFrame | alt.Data,
    references: pd.DataFrame | alt.Data,
    statuses: tuple[tuple[str, str], ...],
    interactive: bool = False,
    width: int = WIDTHS["narrow"],
) -> alt.LayerChart:
    """Horizontal bars of municipalities' shares in one month, in their rank's order, each
    with its figure at its end (in the locale's format: a decimal comma in Danish).

    `data` columns: `municipality`, `order` (its place from the top), `share`, `persons`,
    `status` (its words, one of the `statuses`: (words, colour) pairs, e.g. ("På listen",
    red); each bar has its status's colour) and `note` (on a row without a share that stands
    for the municipalities left out: what it says, written across the chart).
    `references` columns: `value`, `part` (`theme.LIMIT` for the threshold in force, drawn in
    the reference style, or `COUNTRY`, drawn as the country's series) and `label`, written
    above the chart at the line's top (the threshold's above the country's), on the side of
    it towards the middle. `width` is the whole picture's, labels included.
    """
    tooltip = (
        [
            alt.Tooltip("municipality:N", title="Kommune"),
            alt.Tooltip("share:Q", title="Andel (%)", format=".1f"),
            alt.Tooltip("persons:Q", title="Personer", format=",d"),
            alt.Tooltip("status:N", title="Status"),
        ]
        if interactive
        else alt.Undefined
    )
    y = alt.Y(
        "municipality:N",
        sort=alt.EncodingSortField("order", op="min"),
        title=None,
        axis=alt.Axis(labelFontSize=LABEL_SIZE, labelColor=INK, ticks=False, domain=False),
    )
    x = alt.X(
        "share:Q",
        title="Andel (%)",
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(orient="bottom"),
    )
    rows = alt.Chart(data)
    bars = rows.mark_bar(height={"band": 0.75}).encode(
        y=y,
        x=x,
        color=alt.Color(
            "status:N",
            scale=alt.Scale(
                domain=[words for words, _ in statuses],
                range=[colour for _, colour in statuses],
            ),
            legend=None,  # the page draws the legend
        ),
        tooltip=tooltip,
    )
    figures = (
        rows.transform_filter("isValid(datum.share)")
        .mark_text(align="left", baseline="middle", dx=3, fontSize=LABEL_SIZE, color=INK)
        .encode(y=y, x=x, text=alt.Text("share:Q", format=".1f"))
    )
    note = halo_text(
        rows.transform_filter("datum.note").transform_calculate(label="datum.note"),
        alt.datum(0),
        y,
        align="left",
        baseline="middle",
    )
    lines = alt.Chart(references)
    country = STYLES[NATIONAL]
    layers = [
        bars,
        figures,
        *(
            lines.transform_filter(f"datum.part == {json.dumps(part, ensure_ascii=False)}")
            .mark_rule(color=style.colour, strokeDash=list(style.dash), strokeWidth=style.width)
            .encode(x=alt.X("value:Q"))
            for part, style in ((COUNTRY, country), (LIMIT, REFERENCE))
        ),
        *_reference_labels(lines),
        *note,
    ]
    return alt.layer(*layers).properties(
        width=width,
        height=alt.Step(BAR_STEP),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        # Room on the left for names drawn in the page's font, which may be wider than the
        # one their place was measured in.
        padding={"left": 16, "top": 5, "right": 5, "bottom": 5},
    )


def _reference_labels(lines: alt.Chart) -> list[alt.Chart]:
    """Each reference line's label above the chart, the threshold's a line above the
    country's, so the two never meet however close their lines are; towards the middle of
    the chart from its line, so it stays within the chart."""
    limit = f"datum.part == {json.dumps(LIMIT, ensure_ascii=False)}"
    return halo_text(
        lines,
        alt.X("value:Q"),
        alt.value(0),
        align=alt.expr("datum.value >= 50 ? 'right' : 'left'"),
        dx=alt.expr("datum.value >= 50 ? -3 : 3"),
        dy=alt.expr(f"{limit} ? -19 : -5"),
        baseline="bottom",
    )


@shape
def _ranking_template(
    statuses: tuple[tuple[str, str], ...],
    interactive: bool,
    width: int = WIDTHS["narrow"],
    validate: bool = False,
) -> str:
    return compiled(
        ranking(
            alt.NamedData("ranking"), alt.NamedData("references"), statuses, interactive, width
        ),
        validate,
    )


def ranking_spec(
    rows: list[dict],
    references: list[dict],
    statuses: tuple[tuple[str, str], ...],
    interactive: bool,
    width: int = WIDTHS["narrow"],
) -> dict:
    """The Vega-Lite spec of `ranking` for `rows` and the reference lines `references`."""
    return fill(
        _ranking_template(statuses, interactive, width),
        {"ranking": rows, "references": references},
    )
