"""The 1200×630 share image (Open Graph) of a page."""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd

from .specs import compiled, fill
from .theme import INK, MUNICIPALITY, MUNICIPALITY_COLOUR, MUTED, NATIONAL, STYLES


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
    # The page's series and the country, styled as on every chart.
    styles = [STYLES[MUNICIPALITY], STYLES[NATIONAL]][-len(series_order) :]
    colours = [s.colour for s in styles]

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
                scale=alt.Scale(domain=series_order, range=[list(s.dash) for s in styles]),
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


@functools.lru_cache(maxsize=4)
def _card_template(n_series: int, validate: bool = False) -> str:
    names = [f"__series{i}__" for i in range(n_series)]
    return compiled(
        share_card(
            alt.NamedData("trend"), names, "__title__", "__headline__", "__subline__", "__footer__"
        ),
        validate,
    )


def share_card_spec(
    title: str, headline: str, subline: str, footer: str, values: list[dict], names: list[str]
) -> dict:
    """The Vega-Lite spec of `share_card` for rows `values` (t, series, share) of `names`."""
    texts = {"title": title, "headline": headline, "subline": subline, "footer": footer}
    return fill(_card_template(len(names)), {"trend": values}, names, texts)
