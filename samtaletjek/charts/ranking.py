"""Every municipality's share in one month as ranked bars, with the threshold and the country."""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd

from .specs import compiled, fill
from .theme import FLAG_COLOUR, NATIONAL_COLOUR

NATIONAL = "Hele landet"
SMALL_COLOUR = "#aab1b9"


def ranking(
    data: pd.DataFrame | alt.Data,
    references: pd.DataFrame | alt.Data,
    statuses: tuple[tuple[str, str], ...],
    limit_label: str,
    interactive: bool = False,
    lowest_first: bool = False,
) -> alt.LayerChart:
    """Horizontal bars of every municipality's share in one month, highest first (lowest
    first with `lowest_first`, where a lower share is better: rank 1 on top).

    `data` columns: `municipality`, `share`, `persons` and `status` (its words, one of the
    `statuses`: (words, colour) pairs, e.g. ("På listen", red)), ideally sorted by share, then
    name (ties keep that order); each bar has its status's colour. `references` columns:
    `value`, `label`: the threshold in force (labelled `limit_label`, e.g. "Lovens krav:
    75 %") and "Hele landet", drawn as rules.
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
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.75})
        .encode(
            y=alt.Y(
                "municipality:N",
                sort="x" if lowest_first else "-x",
                title=None,
                axis=alt.Axis(labelFontSize=11),
            ),
            x=alt.X("share:Q", title="Andel (%)", scale=alt.Scale(domain=[0, 100])),
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
    )
    lines = (
        alt.Chart(references)
        .mark_rule(strokeWidth=1.5)
        .encode(
            x="value:Q",
            color=alt.Color(
                "label:N",
                scale=alt.Scale(
                    domain=[NATIONAL, limit_label], range=[NATIONAL_COLOUR, FLAG_COLOUR]
                ),
                legend=None,
            ),
            strokeDash=alt.StrokeDash(
                "label:N",
                scale=alt.Scale(domain=[NATIONAL, limit_label], range=[[1, 0], [4, 3]]),
                legend=None,
            ),
        )
    )
    return (
        alt.layer(bars, lines)
        .properties(width=210, height=alt.Step(13))
        .resolve_scale(color="independent", strokeDash="independent")
    )


@functools.lru_cache(maxsize=8)
def _ranking_template(
    statuses: tuple[tuple[str, str], ...],
    limit_label: str,
    interactive: bool,
    validate: bool = False,
    lowest_first: bool = False,
) -> str:
    return compiled(
        ranking(
            alt.NamedData("ranking"),
            alt.NamedData("references"),
            statuses,
            limit_label,
            interactive,
            lowest_first,
        ),
        validate,
    )


def ranking_spec(
    rows: list[dict],
    references: list[dict],
    statuses: tuple[tuple[str, str], ...],
    limit_label: str,
    interactive: bool,
    lowest_first: bool = False,
) -> dict:
    """The Vega-Lite spec of `ranking` for `rows` and the reference lines `references`."""
    template = _ranking_template(statuses, limit_label, interactive, lowest_first=lowest_first)
    return fill(template, {"ranking": rows, "references": references})
