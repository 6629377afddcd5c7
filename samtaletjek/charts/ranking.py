"""Every municipality's share in one month as ranked bars, with the threshold and the country."""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd

from .specs import compiled, fill
from .theme import FLAG_COLOUR, INK, MUNICIPALITY_COLOUR


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


@functools.lru_cache(maxsize=8)
def _ranking_template(threshold_pct: float, interactive: bool) -> str:
    return compiled(
        ranking(alt.NamedData("ranking"), alt.NamedData("references"), threshold_pct, interactive)
    )


def ranking_spec(
    rows: list[dict], references: list[dict], threshold_pct: float, interactive: bool
) -> dict:
    """The Vega-Lite spec of `ranking` for `rows` and the reference lines `references`."""
    template = _ranking_template(threshold_pct, interactive)
    return fill(template, {"ranking": rows, "references": references})
