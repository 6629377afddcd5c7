"""The data rows behind the trend charts and the share images, shared by the page families:
the figures, the series breaks and the threshold in force, month by month."""

from __future__ import annotations

import functools
import json

from ..charts.share_card import share_card_spec as card_spec
from ..charts.specs import ms
from ..charts.theme import BREAK, DOT, FLAG_COLOUR, LIMIT, MUTED, STYLES
from ..charts.trends import trend_spec, trend_template
from ..domain.metrics import MunicipalRow, NationalRow, RegionalRow
from ..domain.registry import TargetGroup
from . import addresses
from .base import Browser, LegendEntry, line_entry
from .provenance import Origin

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
    """Return the figure rows `charts.trends.trend_panels` draws: one row per panel and series
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
        for series, style, by_group in aligned:
            found = by_group.get(g.id)
            if not found:
                continue
            span = range(min(found), max(found) + 1)
            shares = [_share(found, i) for i in span]
            where = {"panel": g.short, "pi": pi, "series": series, "style": style}
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
    if not dots and out:
        # No lone figure: one invisible dot keeps the dots' layer from being empty.
        first = out[0]
        dots.append(
            {
                **{k: first[k] for k in ("panel", "pi", "series", "style")},
                "part": DOT,
                "t": ms(months[0]),
                "share": 0,
                "ghost": True,
            }
        )
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
        for b in g.breaks:
            if not first < b.month <= last:
                continue
            label = "" if b.month in labelled else b.label
            labelled.add(b.month)
            rows.append({"t": ms(b.month), **where, "part": BREAK, "label": label})
        for n, (start, end, flag) in enumerate(_segments(g, first, last)):
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
    if not any(r["part"] == BREAK for r in rows):
        # No break in the span: one invisible row keeps the break layers from being empty.
        where = {"panel": groups[0].short, "pi": 0} if panels and groups else {}
        rows.append({"t": ms(first), **where, "part": BREAK, "label": "", "ghost": True})
    return rows


def trend_specs(
    parts: list[Part], groups: list[TargetGroup], months: tuple[str, ...], data_path: str
) -> tuple[dict, Browser]:
    """Return the static Vega-Lite spec of `trend_panels` and what the browser draws: the
    template every page's small multiples share, and this chart's data at `data_path`.

    The static picture has one panel a row, so that it reads on a phone as it is; in the
    browser the same data are drawn with as many panels a row as fit.
    """
    values = series_rows(parts, groups, months) + rule_rows(groups, months, True)
    browser = Browser(addresses.TREND_TEMPLATE, _browser_template(), data_path, {"trend": values})
    return trend_spec(values, False), browser


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
        entries.append(LegendEntry("Reglen, tallene holdes op mod", FLAG_COLOUR, "", 1.25, "limit"))
    if any(first < b.month <= last for g in groups for b in g.breaks):
        entries.append(LegendEntry("Regelændring (databrud)", MUTED, "3 3", 1, "break"))
    return tuple(entries)


def share_card_spec(
    title: str,
    headline: str,
    subline: str,
    parts: list[Part],
    group: TargetGroup,
    months: tuple[str, ...],
    origin: Origin | None,
) -> dict:
    """The Open Graph image of a page: its headline figure and the trend for one group, and
    where the figures come from (demo figures say so)."""
    values = [
        {"t": v["t"], "series": v["series"], "share": v["share"]}
        for v in trend_values(parts, group, months)
    ]
    if origin is None:
        footer = "Samtaletjek"
    elif origin.demo:
        footer = "Samtaletjek · Eksempeldata – ikke officielle tal"
    else:
        footer = f"Samtaletjek · {origin.credit}"
    return card_spec(title, headline, subline, footer, values, [s for s, _, _ in parts])
