"""The map pages: a choropleth of Denmark by share, one per target group (`kort/`), the data
files their month slider loads, and the small map on the overview.

The boundaries (`site_data/reference/kommuner.topojson`, simplified from DAGI by
`tools/simplify_boundaries.py`) are read once by the build and passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from ..charts.maps import CLASSES, COLOURS, NO_DATA, NO_DATA_COLOUR, map_spec
from ..charts.specs import spec_json
from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.registry import DEFAULT_INDICATOR, Registry, TargetGroup
from . import addresses
from .base import (
    Browser,
    Chart,
    Choice,
    Options,
    Output,
    SitePart,
    Table,
)
from .rules import judges
from .spreadsheets import download_links
from .status import counts, unruled_words

CREDIT = "Kommunegrænser: DAGI, Geodatastyrelsen og Danske Kommuner (forenklet)."
MAP_WIDTH = 720
SMALL_WIDTH = 260


@dataclass(frozen=True)
class GroupLink:
    href: str
    text: str
    current: bool


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str


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
    legend: tuple[LegendItem, ...]  # the map's legend again, readable on a phone
    rule: str  # "Reglen i oktober 2026: lovens krav på 75 %."
    credit: str
    indicators: tuple[Choice, ...]  # the same map of every indicator with figures
    got: str  # what the share counts: "fik de krævede samtaler"
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def _judged(g: TargetGroup, month: str) -> bool:
    return judges(g.rule_for(month))


def legend_title(g: TargetGroup, month: str) -> str:
    """The map legend's title, with the rule of the month: "Andel (%) · reglen 75 %"."""
    rule = g.rule_for(month)
    if not _judged(g, month):
        return "Andel (%) · ingen talgrænse" if rule else "Andel (%)"
    return f"Andel (%) · reglen {fmt.number(rule.flag.pct)} %"


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


@dataclass(frozen=True)
class _GroupMap:
    group: TargetGroup
    month: str
    rows: list[dict]  # kode, share, href for every municipality, Danish alphabetical order
    summary: str
    table: Table
    months: tuple[str, ...]
    values: dict  # andele.json
    got: str  # what the share counts: the indicator's words
    higher_is_better: bool


def _map_chart(
    chart_id: str,
    spec_path: str,
    gm: _GroupMap,
    topology: dict,
    options: Options,
    width: int,
    table: Table | None,
) -> Chart:
    g, url = gm.group, options.urls.url(addresses.TOPOLOGY)
    return Chart(
        id=chart_id,
        title=f"{g.name}, {fmt.month(gm.month)}",
        caption=f"Andel af {g.noun}, der {gm.got}, i hver kommune. Grå: ingen tal for måneden."
        + (" Jo lavere, jo bedre." if not gm.higher_is_better else "")
        + (
            f" {unruled_words(gm.month)}, så tallene vurderes ikke."
            if gm.month and g.rule_for(gm.month) is None
            else ""
        ),
        summary=gm.summary,
        static_spec=map_spec(topology, gm.rows, width, False, True, legend_title(g, gm.month)),
        browser=Browser(
            spec_path, map_spec(url, gm.rows, width, True, True, legend_title(g, gm.month))
        ),
        data_links=download_links(addresses.group_csv(g), f"alle tal for {g.noun}"),
        table=table,
        origin=options.origins.of(g.indicator),
    )


def _group_map(g: TargetGroup, metrics: Metrics, registry: Registry, options: Options) -> _GroupMap:
    month = metrics.latest.get(g.id, metrics.periods[-1])
    municipalities = sorted(registry.municipalities, key=lambda m: fmt.sort_key(m.name))
    codes = [m.code for m in municipalities]
    months = metrics.months_until(g.id, month)
    shares = metrics.shares_by_month(g.id, months or (month,), codes)
    latest = {code: values[-1] for code, values in shares.items()}
    month_counts = [counts(metrics.national_row(g.id, p), g.rule_for(p)).sentence for p in months]
    rows = [
        {
            "kode": m.code,
            "share": latest[m.code],
            "href": options.urls.url(addresses.municipality(m)),
        }
        for m in municipalities
    ]
    ind = registry.indicator
    summary = summary_sentence(
        g,
        month,
        [(m.name, latest[m.code]) for m in municipalities],
        counts(metrics.national_row(g.id, month), g.rule_for(month)).sentence,
        ind.got,
    )
    table = Table(
        caption=f"{g.name}, {fmt.month(month)}: andel der {ind.got}",
        headers=("Kommune", "Andel"),
        rows=tuple((m.name, fmt.pct(latest[m.code])) for m in municipalities),
    )
    values = {
        "name": g.name,
        "noun": g.noun,
        "got": ind.got,
        "months": list(months),
        "labels": [fmt.month(p) for p in months],
        # How many were under the rule and on the list, the map legend's title and the rule
        # in each month, as the page says them for the latest month.
        "counts": month_counts,
        "legend_titles": [legend_title(g, p) for p in months],
        "rules": [rule_sentence(g, p) for p in months],
        "kommuner": [
            {"kode": m.code, "navn": m.name, "andele": shares[m.code]} for m in municipalities
        ],
    }
    return _GroupMap(g, month, rows, summary, table, months, values, ind.got, ind.higher_is_better)


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
        legend=tuple(
            LegendItem(label, colour)
            for label, colour in zip((*CLASSES, NO_DATA), (*COLOURS, NO_DATA_COLOUR), strict=True)
        ),
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
            chart = _map_chart(
                chart_id, addresses.map_spec(path), gm, topology, options, MAP_WIDTH, gm.table
            )
            site_pages.append(_page(path, title, gm, chart, registry, switch(g)))
        outputs.append(Output(addresses.map_values(g), spec_json(gm.values)))
    return SitePart(tuple(site_pages), tuple(outputs))


def overview_map(metrics: Metrics, registry: Registry, options: Options, topology: dict) -> Chart:
    """A small map of the headline group for the overview page (no table: the page's ranking
    table holds the same figures). Its boundaries are the file `section` publishes."""
    gm = _group_map(registry.target_group(options.headline_group), metrics, registry, options)
    return _map_chart(
        "kort-overblik", addresses.OVERVIEW_MAP_SPEC, gm, topology, options, SMALL_WIDTH, None
    )
