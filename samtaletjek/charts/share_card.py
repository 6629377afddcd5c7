"""The 1200×630 share image (Open Graph) of a page: what it shows, placed in pixels (`Card`),
and its Vega-Lite spec (`share_card_spec`).

The build draws a card with Pillow (publish/share_png.py); the Vega-Lite spec is the drawing
that one is held to (tests/publish/test_share_png.py draws both and compares their pixels).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .lazy import alt
from .specs import compiled
from .theme import BACKGROUND, INK, MUNICIPALITY_COLOUR, MUTED, LineStyle


@dataclass(frozen=True)
class CardText:
    """A line of text, its left edge at the card's `left`; `y` is the top of its box."""

    text: str
    y: int
    size: int
    colour: str
    bold: bool = False


@dataclass(frozen=True)
class CardSeries:
    """A line of the card's trend, styled as on every chart, and its legend entry."""

    name: str
    colour: str
    dash: tuple[float, ...]
    points: tuple[tuple[int, float | None], ...]  # (month as ms UTC, share %); None: unknown


@dataclass(frozen=True)
class Card:
    """Everything a share image shows, in pixels: both drawings draw exactly this."""

    texts: tuple[CardText, ...]
    series: tuple[CardSeries, ...]
    width: int = 1200
    height: int = 630
    left: int = 60  # the texts, the trend and the legend start here
    right: int = 1140  # the trend ends here
    zero: int = 560  # the y of 0 %
    hundred: int = 330  # the y of 100 %
    grid: tuple[int, ...] = (0, 50, 100)  # a thin rule at each of these shares
    grid_colour: str = "#e6e8eb"
    grid_width: float = 2
    line_width: float = 5
    legend_y: int = 280
    legend_size: int = 24  # the legend's text
    legend_symbol: float = 600  # the area of a legend line's symbol (Vega's symbolSize)
    legend_stroke: float = 2
    legend_gap: float = 24  # between a label and the next entry
    legend_colour: str = INK
    background: str = BACKGROUND

    def as_dict(self) -> dict:
        """The card as JSON values: what its picture is drawn and cached from (as
        `dataclasses.asdict` gives it, without copying every point: a five-hundredth of the
        time)."""
        return {
            **vars(self),
            "texts": [dict(vars(t)) for t in self.texts],
            "series": [dict(vars(s)) for s in self.series],
        }


def share_card(
    title: str,
    headline: str,
    subline: str,
    footer: str,
    series: list[tuple[str, LineStyle, list[tuple[int, float | None]]]],
) -> Card:
    """A page's share image: a title, the headline figure, a line saying more, a small trend
    of each series (name, style, points) and a footer saying where the figures come from."""
    return Card(
        texts=(
            CardText(title, 40, 64, INK, bold=True),
            CardText(headline, 125, 40, MUNICIPALITY_COLOUR, bold=True),
            CardText(subline, 185, 28, MUTED),
            CardText(footer, 585, 24, MUTED),
        ),
        series=tuple(
            CardSeries(name, style.colour, style.dash, tuple(points))
            for name, style, points in series
        ),
    )


def vega_lite(card: Card) -> alt.LayerChart:
    """The card as a Vega-Lite chart: texts placed in pixels, the trend drawn through fixed
    scale ranges, so the picture is exactly `card.width` × `card.height`."""
    names = [s.name for s in card.series]
    y_scale = alt.Scale(domain=[0, 100], range=[card.zero, card.hundred])
    data = [
        {"t": t, "series": s.name, "share": share} for s in card.series for t, share in s.points
    ]

    def text(line: CardText) -> alt.Chart:
        return (
            alt.Chart(alt.Data(values=[{}]))
            .mark_text(
                align="left",
                baseline="top",
                fontSize=line.size,
                fontWeight="bold" if line.bold else "normal",
                color=line.colour,
            )
            .encode(x=alt.value(card.left), y=alt.value(line.y), text=alt.value(line.text))
        )

    line = (
        alt.Chart(alt.Data(values=data))
        .mark_line(strokeWidth=card.line_width)
        .encode(
            x=alt.X("t:T", scale=alt.Scale(type="utc", range=[card.left, card.right]), axis=None),
            y=alt.Y("share:Q", scale=y_scale, axis=None),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=names, range=[s.colour for s in card.series]),
                legend=alt.Legend(
                    orient="none",
                    legendX=card.left,
                    legendY=card.legend_y,
                    direction="horizontal",
                    labelFontSize=card.legend_size,
                    labelColor=card.legend_colour,
                    labelLimit=0,  # a long municipality name in full, never "Ringkøbing-…"
                    symbolSize=card.legend_symbol,
                    symbolStrokeWidth=card.legend_stroke,
                    columnPadding=card.legend_gap,
                    title=None,
                ),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=names, range=[list(s.dash) for s in card.series]),
                legend=None,
            ),
        )
    )
    grid = (
        alt.Chart(alt.Data(values=[{"y": y} for y in card.grid]))
        .mark_rule(color=card.grid_colour, strokeWidth=card.grid_width)
        .encode(
            x=alt.value(card.left),
            x2=alt.value(card.right),
            y=alt.Y("y:Q", scale=y_scale, axis=None),
        )
    )
    return (
        alt.layer(grid, line, *(text(t) for t in card.texts))
        .resolve_scale(y="independent")
        .properties(width=card.width, height=card.height, autosize=alt.AutoSizeParams(type="none"))
        .configure(padding=0, background=card.background)
        .configure_view(stroke=None)
    )


def share_card_spec(card: Card, validate: bool = False) -> dict:
    """The Vega-Lite spec of a card (`vega_lite`)."""
    return json.loads(compiled(vega_lite(card), validate))
