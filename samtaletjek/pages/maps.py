"""The map pages: a choropleth of Denmark by share, one per target group (`kort/`), the data
files their month slider loads, and the small map on the overview.

Each month's map has colours of its own (`map_key`): around the month's line in the colours of
the cards' statuses, or, without a line, by the month's quantiles. Each municipality says its
share, status, persons and month when pointed at (and, with kort.js, in a card on a tap).

The boundaries (`samtaletjek/reference/kommuner.topojson`, simplified from DAGI by
`tools/simplify_boundaries.py`) are read once by the build and passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from ..charts.maps import Bins, line_bins, map_spec, quantile_bins
from ..charts.specs import spec_json
from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.registry import DEFAULT_INDICATOR, Municipality, Registry, TargetGroup
from ..domain.rows import NO_MAP_ROW, MapRow, rows
from . import addresses
from .base import (
    Browser,
    Chart,
    Choice,
    LegendEntry,
    Options,
    Output,
    SitePart,
    Table,
)
from .rules import judges
from .spreadsheets import workbook_links
from .status import BELOW, COLOURS, OK, counts, line_of, status, unruled_words

CREDIT = "Kommunegrænser: DAGI, Geodatastyrelsen og Danske Kommuner (forenklet)."
MAP_WIDTH = 480
SMALL_WIDTH = 260


@dataclass(frozen=True)
class GroupLink:
    href: str
    text: str
    current: bool


@dataclass(frozen=True)
class MapPage:
    template: ClassVar[str] = "kort.html"
    path: str
    title: str
    description: str
    name: str  # the target group
    group_href: str
    month: str  # "oktober 2026"
    summary: str
    chart: Chart
    groups: tuple[GroupLink, ...]
    months: tuple[str, ...]  # YYYY-MM the month slider steps through; empty: no slider
    last_month_index: int
    values_href: str  # the shares of every month, for the slider (kort/<id>/andele.json)
    rule: str  # "Reglen i oktober 2026: lovens krav på 75 %."
    credit: str
    indicators: tuple[Choice, ...]  # the same map of every indicator with figures
    got: str  # what the share counts: "fik de krævede samtaler"
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def _judged(g: TargetGroup, month: str) -> bool:
    return judges(g.rule_for(month))


def rule_sentence(g: TargetGroup, month: str) -> str:
    rule = g.rule_for(month)
    if rule and not _judged(g, month):
        return f"{fmt.month(month).capitalize()}: {rule.flag.explanation}"
    return f"Reglen i {fmt.month(month)}: {rule.flag.line}." if rule else ""


def summary_sentence(
    g: TargetGroup,
    month: str,
    named_shares: list[tuple[str, float | None]],
    month_counts: str,
    got: str = "fik de krævede samtaler",
) -> str:
    """One factual sentence about the map: the lowest and highest share and how many are under
    the rule and on the list (`month_counts`, `status.Counts.sentence`; empty where nothing is
    judged). `got`: what the share counts (the indicator's words).

    `named_shares`: (municipality, share or None) for every municipality, in any order.
    """
    known = sorted((s, fmt.sort_key(n), n) for n, s in named_shares if s is not None)
    when = fmt.month(month)
    if not known:
        return f"Der er ingen tal for {g.noun} i {when}."
    low, high = known[0], min(known, key=lambda k: (-k[0], k[1]))
    if len(known) == 1:
        spread = f"var andelen af {g.noun}, der {got}, {fmt.pct(low[0])} i {low[2]}"
    elif low[0] == high[0]:
        spread = f"var andelen af {g.noun}, der {got}, {fmt.pct(low[0])} i alle kommuner med tal"
    else:
        spread = (
            f"lå andelen af {g.noun}, der {got}, mellem {fmt.pct(low[0])} i "
            f"{low[2]} og {fmt.pct(high[0])} i {high[2]}"
        )
    counted = f"I {when} {spread}. {len(known)} af {len(named_shares)} kommuner har tal"
    return f"{counted}; {month_counts}." if month_counts else f"{counted}."


_WORDS = {2: "to", 3: "tre", 4: "fire", 5: "fem"}


@dataclass(frozen=True)
class MapKey:
    """How one month's map is coloured, and what its colours mean."""

    bins: Bins
    note: str  # "Farverne viser andelen i forhold til lovens krav på 75 %."


def map_key(
    g: TargetGroup, month: str, shares: list[float | None], higher_is_better: bool
) -> MapKey:
    """The classes of `g`'s map in `month`: around the month's line, in the colours of the
    cards' statuses; without a line, the month's quantiles of `shares`, darker towards the
    better end."""
    rule = g.rule_for(month)
    line = line_of(rule)
    if line is not None:
        bins = line_bins(line.pct, COLOURS[BELOW], COLOURS[OK])
        words = f"den forventede grænse på {fmt.pct(line.pct, 0)}" if rule.expected else line.line
        return MapKey(bins, f"Farverne viser andelen i forhold til {words}.")
    bins = quantile_bins(shares, higher_is_better)
    if not bins.labels:
        return MapKey(bins, "")
    if len(bins.labels) == 1:
        return MapKey(bins, "Alle kommuner med tal har samme farve.")
    better = "Højere" if higher_is_better else "Lavere"
    groups = _WORDS.get(len(bins.labels), str(len(bins.labels)))
    return MapKey(
        bins,
        f"Farverne deler kommunerne med tal i {groups} grupper med omtrent lige mange i hver. "
        f"{better} er bedre: jo mørkere, jo {better.lower()} andel.",
    )


def caption(g: TargetGroup, month: str, got: str, key: MapKey) -> str:
    """What the map shows and what its colours mean, under its title."""
    unruled = g.rule_for(month) is None
    return " ".join(
        part
        for part in (
            f"Andel af {g.noun}, der {got}, i hver kommune.",
            key.note,
            f"{unruled_words(month)}, så tallene vurderes ikke." if unruled else "",
        )
        if part
    )


def legend_entries(key: MapKey) -> tuple[LegendEntry, ...]:
    """The legend the page draws for the map: a swatch per class, and "Ingen tal"."""
    return tuple(LegendEntry(label, colour, "", 0, "bar") for label, colour in key.bins.legend)


def _statuses(g: TargetGroup, month: str, month_rows: list[MapRow]) -> list[tuple[str, str, str]]:
    """Each row's share, status (in the cards' words) and persons, as the map says them."""
    rule = g.rule_for(month)
    return [
        (fmt.pct(r.share), status(g, month, r, rule).text, fmt.number(r.persons))
        for r in month_rows
    ]


def tooltip_text(name: str, month: str, share: float | None, said: str, persons: int | None) -> str:
    """What a municipality's shape says when pointed at without JavaScript (its <title>):
    "Varde, oktober 2026 / 78,3 % · Over lovens krav på 75 % / 412 personer"."""
    lines = [f"{name}, {fmt.month(month)}", said if share is None else f"{fmt.pct(share)} · {said}"]
    if persons is not None:
        lines.append(fmt.count(persons, "person", "personer"))
    return "\n".join(lines)


@dataclass(frozen=True)
class _GroupMap:
    group: TargetGroup
    month: str
    rows: list[dict]  # a municipality's row of the map (charts.maps.choropleth), Danish order
    key: MapKey
    summary: str
    table: Table
    months: tuple[str, ...]
    values: dict  # andele.json
    got: str  # what the share counts: the indicator's words


def _map_chart(
    chart_id: str,
    spec_path: str,
    gm: _GroupMap,
    topology: dict,
    options: Options,
    width: int,
    table: Table | None,
    links: bool = False,
) -> Chart:
    g, url = gm.group, options.urls.url(addresses.TOPOLOGY)
    return Chart(
        id=chart_id,
        title=f"{g.name}, {fmt.month(gm.month)}",
        caption=caption(g, gm.month, gm.got, gm.key),
        summary=gm.summary,
        static_spec=map_spec(topology, gm.rows, width, False, True),
        browser=Browser(spec_path, map_spec(url, gm.rows, width, True, True, links)),
        data_links=workbook_links(addresses.group_workbook(g), f"alle tal for {g.noun}"),
        table=table,
        legend=legend_entries(gm.key),
        origin=options.origins.of(g.indicator),
    )


def _rounded(share: float | None) -> float | None:
    """A share as the map's data give it: to one decimal."""
    return None if share is None else round(share, 1)


def _month_rows(
    metrics: Metrics, g: TargetGroup, months: tuple[str, ...], codes: list[int]
) -> dict[int, list[MapRow]]:
    """Municipality code → its row in each of `months` (`NO_MAP_ROW` where it has none)."""
    m = metrics.group_frame(g.id)
    at = {p: i for i, p in enumerate(months)}
    found = {code: [NO_MAP_ROW] * len(months) for code in codes}
    for r in rows(m.loc[m["period"].isin(months), list(MapRow._fields)], MapRow):
        line = found.get(r.municipality_code)
        if line is not None:
            line[at[r.period]] = r
    return found


def _values(
    g: TargetGroup,
    months: tuple[str, ...],
    municipalities: list[Municipality],
    by_code: dict[int, list[MapRow]],
    metrics: Metrics,
    got: str,
    higher_is_better: bool,
) -> dict:
    """andele.json: what the month slider draws the map, its legend and its card from."""
    legends: list[dict] = []
    legend: list[int] = []
    statuses: dict[str, int] = {}  # every status said in any month, and its index
    captions: dict[str, int] = {}  # likewise every caption
    said: dict[int, list[int]] = {m.code: [] for m in municipalities}
    classes: dict[int, list[int | None]] = {m.code: [] for m in municipalities}
    for i, p in enumerate(months):
        month_rows = [by_code[m.code][i] for m in municipalities]
        key = map_key(g, p, [r.share for r in month_rows], higher_is_better)
        said_caption = captions.setdefault(caption(g, p, got, key), len(captions))
        entry = {"caption": said_caption, "items": [list(e) for e in key.bins.legend]}
        if entry not in legends:
            legends.append(entry)
        legend.append(legends.index(entry))
        rule = g.rule_for(p)
        for m, r in zip(municipalities, month_rows, strict=True):
            text = status(g, p, r, rule).text
            said[m.code].append(statuses.setdefault(text, len(statuses)))
            classes[m.code].append(key.bins.index(r.share))
    return {
        "name": g.name,
        "noun": g.noun,
        "got": got,
        "months": list(months),
        "labels": [fmt.month(p) for p in months],
        # How many were under the rule and on the list, and the rule in each month, as the
        # page says them for the latest month.
        "counts": [counts(metrics.national_row(g.id, p), g.rule_for(p)).sentence for p in months],
        "rules": [rule_sentence(g, p) for p in months],
        # The map's colours: the legend of each month (an index into `legends`, each with
        # its caption, an index into `captions`), each municipality's class in it (None:
        # "Ingen tal", the legend's last item) and its status (an index into `statuses`).
        "captions": list(captions),
        "legends": legends,
        "legend": legend,
        "statuses": list(statuses),
        "kommuner": [
            {
                "kode": m.code,
                "navn": m.name,
                "andele": [_rounded(r.share) for r in by_code[m.code]],
                "personer": [r.persons for r in by_code[m.code]],
                "status": said[m.code],
                "klasse": classes[m.code],
            }
            for m in municipalities
        ],
    }


def _group_map(g: TargetGroup, metrics: Metrics, registry: Registry, options: Options) -> _GroupMap:
    month = metrics.latest.get(g.id, metrics.periods[-1])
    municipalities = sorted(registry.municipalities, key=lambda m: fmt.sort_key(m.name))
    codes = [m.code for m in municipalities]
    months = metrics.months_until(g.id, month)
    by_code = _month_rows(metrics, g, months or (month,), codes)
    latest = [by_code[code][-1] for code in codes]
    ind = registry.indicator
    key = map_key(g, month, [r.share for r in latest], ind.higher_is_better)
    map_rows = [
        {
            "kode": m.code,
            "navn": m.name,
            "farve": key.bins.colour(r.share),
            "andel": share,
            "status": said,
            "personer": persons,
            "maaned": fmt.month(month),
            "href": options.urls.url(addresses.municipality(m)),
            "tekst": tooltip_text(m.name, month, r.share, said, r.persons),
        }
        for m, r, (share, said, persons) in zip(
            municipalities, latest, _statuses(g, month, latest), strict=True
        )
    ]
    values = _values(g, months, municipalities, by_code, metrics, ind.got, ind.higher_is_better)
    summary = summary_sentence(
        g,
        month,
        [(m.name, _rounded(r.share)) for m, r in zip(municipalities, latest, strict=True)],
        counts(metrics.national_row(g.id, month), g.rule_for(month)).sentence,
        ind.got,
    )
    table = Table(
        caption=f"{g.name}, {fmt.month(month)}: andel der {ind.got}",
        headers=("Kommune", "Andel"),
        rows=tuple((row["navn"], row["andel"]) for row in map_rows),
    )
    return _GroupMap(g, month, map_rows, key, summary, table, months, values, ind.got)


def _page(
    path: str,
    title: str,
    gm: _GroupMap,
    chart: Chart,
    registry: Registry,
    switch: tuple[Choice, ...],
) -> MapPage:
    g = gm.group
    return MapPage(
        shows=(g.indicator,),
        path=path,
        title=title,
        description=f"Kort over Danmarks {len(registry.municipalities)} kommuner: hvor stor en "
        f"andel af {g.noun} {gm.got} "
        f"i {fmt.month(gm.month)}?",
        name=g.name,
        group_href=addresses.group(g),
        month=fmt.month(gm.month),
        summary=gm.summary,
        chart=chart,
        groups=tuple(
            GroupLink(addresses.map_page(other), other.name, other.id == g.id)
            for other in registry.target_groups
        ),
        months=gm.months if len(gm.months) > 1 else (),
        last_month_index=max(len(gm.months) - 1, 0),
        values_href=addresses.map_values(g),
        rule=rule_sentence(g, gm.month),
        credit=CREDIT,
        indicators=switch,
        got=gm.got,
    )


def section(
    metrics: Metrics,
    registry: Registry,
    options: Options,
    topology: dict,
    switch: Callable[[TargetGroup], tuple[Choice, ...]] = lambda _: (),
) -> SitePart:
    """The map pages of the registry's indicator: for samtaler `kort/` shows the headline
    group and `kort/<group>/` each target group; another indicator's maps are
    `kort/<folder>/<group>/`. With them the boundaries `topology` as the file the interactive
    maps load, and on each page the `switch` to the other indicators' map of the group."""
    ind = registry.indicator
    samtaler = ind.id == DEFAULT_INDICATOR
    site_pages: list[MapPage] = []
    outputs = [Output(addresses.TOPOLOGY, spec_json(topology))] if samtaler else []
    for g in registry.target_groups:
        gm = _group_map(g, metrics, registry, options)
        named = g.name if samtaler else f"{g.name} ({ind.short.lower()})"
        targets = [(addresses.map_page(g), f"kort-{g.key}", f"Kort: {named}")]
        if samtaler and g.id == options.headline_group:
            # kort/ shows the same map: the same spec, so one entry in the chart cache.
            targets.insert(0, (addresses.MAPS, "kort", "Kort over kommunerne"))
        for path, chart_id, title in targets:
            spec_path = addresses.map_spec(path)
            chart = _map_chart(chart_id, spec_path, gm, topology, options, MAP_WIDTH, gm.table)
            site_pages.append(_page(path, title, gm, chart, registry, switch(g)))
        outputs.append(Output(addresses.map_values(g), spec_json(gm.values)))
    return SitePart(tuple(site_pages), tuple(outputs))


def overview_map(metrics: Metrics, registry: Registry, options: Options, topology: dict) -> Chart:
    """A small map of the headline group for the overview page (no table: the page's ranking
    table holds the same figures). Its boundaries are the file `section` publishes."""
    gm = _group_map(registry.target_group(options.headline_group), metrics, registry, options)
    return _map_chart(
        "kort-overblik", addresses.OVERVIEW_MAP_SPEC, gm, topology, options, SMALL_WIDTH, None, True
    )
