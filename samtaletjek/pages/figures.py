"""The data rows behind the trend charts and the share images, shared by the page families."""

from __future__ import annotations

from collections.abc import Callable

from ..charts.share_card import share_card_spec as card_spec
from ..charts.specs import ms
from ..charts.trends import trend_spec
from ..domain.registry import Registry, TargetGroup


def trend_values(parts: list[tuple[str, list[dict]]], group_names: dict[str, str]) -> list[dict]:
    """Return the rows `charts.trends.trend_panels` draws: t (ms, UTC), panel, series, share,
    persons."""
    return [
        {
            "t": ms(r["period"]),
            "panel": group_names[r["target_group"]],
            "series": series,
            "share": None if r["share"] is None else round(r["share"], 1),
            "persons": r["persons"],
        }
        for series, rows in parts
        for r in rows
        if r["target_group"] in group_names
    ]


def trend_specs(
    parts: list[tuple[str, list[dict]]],
    groups: list[TargetGroup],
    registry: Registry,
    columns: int,
) -> Callable[[bool], dict]:
    """Return interactive → the Vega-Lite spec of `trend_panels` for these series.

    Both variants share one list of data rows: with 98 municipality pages that is the
    difference between holding the data once and twice.
    """
    values = trend_values(parts, {g.id: g.short for g in groups})
    names = [series for series, _ in parts]
    shorts = tuple(g.short for g in groups)

    def spec(interactive: bool) -> dict:
        return trend_spec(
            values,
            names,
            shorts,
            registry.rule_change,
            registry.rule_change_label,
            columns,
            interactive,
        )

    return spec


def share_card_spec(
    title: str,
    headline: str,
    subline: str,
    parts: list[tuple[str, list[dict]]],
    group: TargetGroup,
    demo: bool,
) -> dict:
    """The Open Graph image of a page: its headline figure and the trend for one group."""
    values = [
        {"t": v["t"], "series": v["series"], "share": v["share"]}
        for v in trend_values(parts, {group.id: group.short})
    ]
    footer = "Samtaletjek" + (" · Eksempeldata – ikke officielle tal" if demo else "")
    return card_spec(title, headline, subline, footer, values, [s for s, _ in parts])
