"""The data rows behind the trend charts and the share images, shared by the page families:
the figures, the series breaks and the threshold in force, month by month."""

from __future__ import annotations

from collections.abc import Callable

from ..charts.share_card import share_card_spec as card_spec
from ..charts.specs import ms
from ..charts.theme import BREAK, FLAG_COLOUR, LIMIT, MUTED, STYLES
from ..charts.trends import trend_spec
from ..domain.registry import TargetGroup
from .base import LegendEntry, line_entry

Part = tuple[str, int, list[dict]]  # a series: its name, its style id, its metric rows


def trend_values(
    parts: list[Part], group_names: dict[str, str], months: tuple[str, ...]
) -> list[dict]:
    """Return the rows `charts.trends.trend_panels` draws: t (ms, UTC), panel, series, style,
    share, persons.

    A month inside a series without a figure (unknown: no source holds it) gets a row without
    a share, so the line breaks there instead of being drawn through it.
    """
    out = []
    index = {p: i for i, p in enumerate(months)}
    for series, style, rows in parts:
        present: dict[str, set[int]] = {}
        for r in rows:
            if r["target_group"] not in group_names:
                continue
            present.setdefault(r["target_group"], set()).add(index.get(r["period"], -1))
            out.append(
                {
                    "t": ms(r["period"]),
                    "panel": group_names[r["target_group"]],
                    "series": series,
                    "style": style,
                    "share": None if r["share"] is None else round(r["share"], 1),
                    "persons": r["persons"],
                }
            )
        for group, seen in present.items():
            seen.discard(-1)
            out += [
                {"t": ms(months[i]), "panel": group_names[group], "series": series, "style": style}
                for i in range(min(seen), max(seen) + 1)
                if i not in seen
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
    ]


def rule_rows(
    groups: list[TargetGroup], months: tuple[str, ...], panels: dict[str, str] | None = None
) -> list[dict]:
    """Return the rows of the groups' series breaks and thresholds in force over `months`.

    With `panels` (group id → panel name) the rows carry their panel, and each break is
    labelled once, in the first panel that has it; the labels of one panel are stacked so
    that close breaks do not overlap.
    """
    if not months:
        return []
    first, last = months[0], months[-1]
    # Labels of breaks in the last quarter of the span go left of their rule.
    late = months[(3 * len(months)) // 4]
    rows: list[dict] = []
    labelled: set[str] = set()
    for g in groups:
        where = {"panel": panels[g.id]} if panels else {}
        stacked = 0
        for b in g.breaks:
            if not first < b.month <= last:
                continue
            label = "" if b.month in labelled else b.label
            labelled.add(b.month)
            rows.append(
                {
                    "t": ms(b.month),
                    **where,
                    "part": BREAK,
                    "label": label,
                    "ly": 2 + 9 * stacked,
                    "right": b.month >= late,
                }
            )
            stacked += bool(label)
        for n, (start, end, flag) in enumerate(_segments(g, first, last)):
            for month in dict.fromkeys((start, end)):
                rows.append(
                    {
                        "t": ms(month),
                        **where,
                        "part": LIMIT,
                        "share": float(flag.pct),
                        "seg": f"{g.id}-{n}",
                        "retro": flag.retroactive,
                    }
                )
    if not any(r["part"] == BREAK for r in rows):
        # No break in the span: one invisible row keeps the break layers from being empty.
        where = {"panel": panels[groups[0].id]} if panels and groups else {}
        rows.append(
            {
                "t": ms(first),
                **where,
                "part": BREAK,
                "label": "",
                "ly": 0,
                "right": False,
                "ghost": True,
            }
        )
    return rows


def trend_specs(
    parts: list[Part], groups: list[TargetGroup], months: tuple[str, ...], columns: int
) -> Callable[[bool], dict]:
    """Return interactive → the Vega-Lite spec of `trend_panels` for these series.

    The static picture has one panel per row, so that it reads on a phone as it is; the
    interactive one has up to `columns` (the browser sets as many as fit). Both variants
    share one list of data rows: with 98 municipality pages that is the difference between
    holding the data once and twice.
    """
    panels = {g.id: g.short for g in groups}
    values = trend_values(parts, panels, months) + rule_rows(groups, months, panels)
    shorts = tuple(g.short for g in groups)

    def spec(interactive: bool) -> dict:
        return trend_spec(values, shorts, columns if interactive else 1, interactive)

    return spec


def legend(
    parts: list[tuple[str, int]], groups: list[TargetGroup], months: tuple[str, ...]
) -> tuple[LegendEntry, ...]:
    """The legend a page draws under a chart: its series, the threshold and the breaks."""
    entries = [line_entry(name, STYLES[style]) for name, style in parts]
    first, last = (months[0], months[-1]) if months else ("", "")
    flags = [r.flag for g in groups for r in g.rules if r.applies_to(last)]
    retro = any(r.flag.retroactive and r.first_month <= last for g in groups for r in g.rules)
    if flags:
        entries.append(
            LegendEntry("Grænsen, tallene holdes op mod", FLAG_COLOUR, "", 1.25, "limit")
        )
    if retro and first < "2020-01":
        entries.append(
            LegendEntry(
                "Grænsen brugt bagud (før 2020 var der ingen)", FLAG_COLOUR, "2 3", 1.25, "limit"
            )
        )
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
    demo: bool,
) -> dict:
    """The Open Graph image of a page: its headline figure and the trend for one group."""
    values = [
        {"t": v["t"], "series": v["series"], "share": v.get("share")}
        for v in trend_values(parts, {group.id: group.short}, months)
    ]
    footer = "Samtaletjek" + (" · Eksempeldata – ikke officielle tal" if demo else "")
    return card_spec(title, headline, subline, footer, values, [s for s, _, _ in parts])
