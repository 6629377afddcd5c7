"""The data rows behind the trend charts and the share images, shared by the page families:
the figures, the series breaks and the threshold in force, month by month."""

from __future__ import annotations

import functools
import json

from ..charts.share_card import Card
from ..charts.share_card import share_card as card
from ..charts.specs import ms
from ..charts.theme import BREAK, BREAK_STYLE, DOT, LIMIT, REFERENCE, STYLES
from ..charts.trends import trend_spec, trend_template
from ..domain.metrics import MunicipalRow, NationalRow, RegionalRow
from ..domain.registry import TargetGroup
from . import addresses
from .base import Browser, LegendEntry, Panel, line_entry
from .provenance import Origin
from .rules import limit_label

Row = MunicipalRow | RegionalRow | NationalRow
Part = tuple[str, int, list]  # a series: its name, its style id, its metric rows (`Row`)


def _aligned(rows: list[Row], index: dict[str, int]) -> dict[str, dict[int, Row]]:
    """Target group → month number → the row of that group and month."""
    out: dict[str, dict[int, Row]] = {}
    for r in rows:
        if r.period in index:
            out.setdefault(r.target_group, {})[index[r.period]] = r
    return out


def _share(found: dict[int, Row], i: int) -> float | None:
    row = found.get(i)
    return None if row is None or row.share is None else round(row.share, 1)


def _persons(found: dict[int, Row], i: int) -> int | None:
    row = found.get(i)
    return None if row is None else row.persons


def series_rows(
    parts: list[Part], groups: list[TargetGroup], months: tuple[str, ...]
) -> list[dict]:
    """Return the figure rows `charts.trends.trend_panel` draws: one row per panel and series
    with its shares and persons as arrays over the months from its first figure to its last
    (null in a month without a figure: unknown, so the line breaks there), and a `DOT` row for
    every figure between two unknown months, which no line can show."""
    if not months:
        return []
    index = {p: i for i, p in enumerate(months)}
    y0, m0 = int(months[0][:4]), int(months[0][5:7]) - 1
    out: list[dict] = []
    dots: list[dict] = []
    aligned = [(series, style, _aligned(rows, index)) for series, style, rows in parts]
    for pi, g in enumerate(groups):
        alone = len(dots)
        first: dict | None = None
        for series, style, by_group in aligned:
            found = by_group.get(g.id)
            if not found:
                continue
            span = range(min(found), max(found) + 1)
            shares = [_share(found, i) for i in span]
            where = {"panel": g.short, "pi": pi, "series": series, "style": style}
            first = first or where
            out.append(
                {
                    **where,
                    "y0": y0,
                    "m0": m0,
                    "i": list(span),
                    "share": shares,
                    "persons": [_persons(found, i) for i in span],
                }
            )
            for k, share in enumerate(shares):
                before = shares[k - 1] if k else None
                after = shares[k + 1] if k + 1 < len(shares) else None
                if share is not None and before is None and after is None:
                    dots.append({**where, "part": DOT, "t": ms(months[span[k]]), "share": share})
        if first and len(dots) == alone:
            # No lone figure: an invisible dot keeps the panel's dots' layer from being empty.
            dots.append({**first, "part": DOT, "t": ms(months[0]), "share": 0, "ghost": True})
    return out + dots


def trend_values(parts: list[Part], group: TargetGroup, months: tuple[str, ...]) -> list[dict]:
    """Return one row per month and series of one group: t (ms, UTC), series, style, share
    (missing in a month without a figure, so a line breaks there), persons."""
    index = {p: i for i, p in enumerate(months)}
    out = []
    for series, style, rows in parts:
        found = _aligned(rows, index).get(group.id)
        if found:
            out += [
                {
                    "t": ms(months[i]),
                    "series": series,
                    "style": style,
                    "share": _share(found, i),
                    "persons": _persons(found, i),
                }
                for i in range(min(found), max(found) + 1)
            ]
    return out


def _segments(g: TargetGroup, first: str, last: str) -> list[tuple[str, str, object]]:
    """(start, end, flag rule) of each stretch of months from `first` to `last` held against
    the same rule; `end` is where the next stretch starts (so the steps join), or `last`."""
    stretches: list[tuple[str, object]] = []
    for r in g.rules:
        start = max(r.first_month or first, first)
        end = min(r.valid_to[:7] or last, last)
        if start > end:
            continue
        if stretches and stretches[-1][1].id == r.flag.id:
            continue  # the same line goes on
        stretches.append((start, r.flag))
    return [
        (start, stretches[k + 1][0] if k + 1 < len(stretches) else last, flag)
        for k, (start, flag) in enumerate(stretches)
        if flag.sets_line  # a rule that sets no line (passivity, before 2020) draws none
    ]


def rule_rows(
    groups: list[TargetGroup], months: tuple[str, ...], panels: bool = False
) -> list[dict]:
    """Return the rows of the groups' series breaks and thresholds in force over `months`.

    With `panels` the rows carry their panel (the group's short name) and its place `pi`, and
    each break is labelled once, in the first panel that has it. A label is drawn along its
    own rule, so its row's month is the rule's.
    """
    if not months:
        return []
    first, last = months[0], months[-1]
    rows: list[dict] = []
    labelled: set[str] = set()
    for pi, g in enumerate(groups):
        where = {"panel": g.short, "pi": pi} if panels else {}
        crossed = [b for b in g.breaks if first < b.month <= last]
        for b in crossed:
            label = "" if b.month in labelled else b.label
            labelled.add(b.month)
            rows.append({"t": ms(b.month), **where, "part": BREAK, "label": label})
        if panels and not crossed:
            # No break in the span: an invisible row keeps the panel's break layers from
            # being empty.
            rows.append({"t": ms(first), **where, "part": BREAK, "label": "", "ghost": True})
        segments = _segments(g, first, last)
        for n, (start, end, flag) in enumerate(segments):
            for month in dict.fromkeys((start, end)):
                rows.append(
                    {
                        "t": ms(month),
                        **where,
                        "part": LIMIT,
                        "share": float(flag.pct),
                        "seg": f"{g.id}-{n}",
                    }
                )
        if segments:
            # The line is named once, at the end of its last (current) segment: under it where
            # a higher line before it would run through the words.
            flag = segments[-1][2]
            before = segments[-2][2].pct if len(segments) > 1 else None
            rows[-1] |= {
                "label": limit_label(flag),
                "below": before is not None and before > flag.pct,
            }
        elif panels:
            rows.append(_no_line(first, where))
    if not any(r["part"] == BREAK for r in rows):
        # No break in the span: one invisible row keeps the break layers from being empty.
        rows.append({"t": ms(first), "part": BREAK, "label": "", "ghost": True})
    if not any(r["part"] == LIMIT for r in rows):
        rows.append(_no_line(first, {}))
    return rows


def _no_line(month: str, where: dict) -> dict:
    """A limit row that draws nothing (one point, no words): it keeps the threshold's layers
    of a chart without a line from being empty, which Vega warns of."""
    return {"t": ms(month), **where, "part": LIMIT, "share": 0.0, "seg": "", "label": ""}


def trend_specs(
    chart_id: str,
    parts: list[Part],
    groups: list[TargetGroup],
    months: tuple[str, ...],
    data_path: str,
) -> tuple[tuple[Panel, ...], Browser]:
    """Return the panels of the small multiples, one per target group with rows, each with
    the static Vega-Lite spec of its picture, and what the browser draws: the template every
    panel shares, and the rows of all the chart's panels at `data_path` (each panel draws
    those with its `pi`)."""
    values = series_rows(parts, groups, months) + rule_rows(groups, months, True)
    by_panel: dict[int, list[dict]] = {}
    for row in values:
        by_panel.setdefault(row["pi"], []).append(row)
    # A group without a figure has a panel that says so, not an empty chart.
    panels = tuple(
        Panel(
            f"{chart_id}-felt-{pi}",
            groups[pi].short,
            pi,
            trend_spec(rows, ms(months[0]), ms(months[-1]))
            if any(_has_figure(r) for r in rows)
            else None,
        )
        for pi, rows in sorted(by_panel.items())
    )
    browser = Browser(addresses.TREND_TEMPLATE, _browser_template(), data_path, {"trend": values})
    return panels, browser


def _has_figure(row: dict) -> bool:
    return "part" not in row and any(share is not None for share in row["share"])


@functools.cache
def _browser_template() -> dict:
    return json.loads(trend_template(True))


def legend(
    parts: list[tuple[str, int]], groups: list[TargetGroup], months: tuple[str, ...]
) -> tuple[LegendEntry, ...]:
    """The legend a page draws under a chart: its series, the threshold and the breaks."""
    entries = [line_entry(name, STYLES[style]) for name, style in parts]
    first, last = (months[0], months[-1]) if months else ("", "")
    flags = [r.flag for g in groups for r in g.rules if r.applies_to(last) and r.flag.sets_line]
    if flags:
        entries.append(line_entry("Reglen, tallene holdes op mod", REFERENCE, "limit"))
    if any(first < b.month <= last for g in groups for b in g.breaks):
        entries.append(line_entry("Regelændring (databrud)", BREAK_STYLE, "break"))
    return tuple(entries)


def share_card(
    title: str,
    headline: str,
    subline: str,
    parts: list[Part],
    group: TargetGroup,
    months: tuple[str, ...],
    origin: Origin | None,
) -> Card:
    """The Open Graph image of a page: its headline figure and the trend for one group, and
    where the figures come from (demo figures say so)."""
    points: dict[str, list[tuple[int, float | None]]] = {name: [] for name, _, _ in parts}
    for v in trend_values(parts, group, months):
        points[v["series"]].append((v["t"], v["share"]))
    if origin is None:
        footer = "Samtaletjek"
    elif origin.demo:
        footer = "Samtaletjek · Eksempeldata – ikke officielle tal"
    else:
        footer = f"Samtaletjek · {origin.credit}"
    series = [(name, STYLES[style], points[name]) for name, style, _ in parts]
    return card(title, headline, subline, footer, series)
