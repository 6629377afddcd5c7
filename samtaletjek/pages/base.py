"""The page model every page family shares: links, tables, charts, the site-wide context, the
parts a build is made of, and the small helpers the families use.

Templates receive only what is here: strings already formatted in Danish, numbers already
rounded, links already resolved. No pandas and no arithmetic reach Jinja. Each page context
names its template (`template`), so the page and the template it fills are bound in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from ..charts.theme import LineStyle
from ..domain import danish as fmt
from ..domain.dataset import Manifest
from ..domain.metrics import Metrics
from ..domain.registry import DEFAULT_INDICATOR, Indicator, Municipality, Registry, TargetGroup
from ..settings import Settings

NATIONAL = "Hele landet"


class Page(Protocol):
    """What every page context has: where it goes and which template renders it."""

    path: str
    template: ClassVar[str]


@dataclass(frozen=True)
class Output:
    """A file of the site: its path relative to the site root and its text or bytes."""

    path: str
    content: str | bytes


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class Table:
    """A data table behind a chart, so no figure is shown only as a picture."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class LegendEntry:
    """One line of a chart's legend, drawn by the page as a short line in the same style."""

    label: str
    colour: str
    dash: str  # an SVG stroke-dasharray, "" for a solid line
    width: float
    kind: str = "line"  # "line", "limit" (the threshold) or "break" (a vertical rule)


def line_entry(label: str, style: LineStyle) -> LegendEntry:
    dash = "" if style.dash == (1, 0) else " ".join(map(str, style.dash))
    return LegendEntry(label, style.colour, dash, style.width)


@dataclass(frozen=True)
class Chart:
    """A chart: rendered to inline SVG at build time, upgraded by vega-embed in the browser."""

    id: str
    title: str
    caption: str  # what the chart shows, in a line, visible under the title
    summary: str  # factual sentences generated from the data: the SVG's text alternative
    static_spec: dict = field(repr=False, compare=False)
    # The spec the browser draws: the chart's own, or a template many charts share (then
    # `data` holds this chart's named datasets, written to `data_path`, and the page's script
    # fills them in, as `charts.specs.fill` does).
    interactive_spec: dict = field(repr=False, compare=False)
    spec_path: str  # where the interactive spec is written, relative to the site root
    data_links: tuple[Link, ...]  # "Hent data": the CSV files behind the chart
    table: Table | None = None
    legend: tuple[LegendEntry, ...] = ()  # drawn by the page (the chart has none of its own)
    columns: int = 0  # small multiples: at most this many panels a row where they fit
    data: dict | None = field(default=None, repr=False, compare=False)
    data_path: str = ""


@dataclass(frozen=True)
class ShareImage:
    """A page's 1200×630 picture for links shared on social media (Open Graph), drawn as PNG."""

    path: str  # where the PNG goes, relative to the site root
    spec: dict = field(repr=False, compare=False)


@dataclass(frozen=True)
class SearchEntry:
    name: str
    href: str
    aliases: str  # other spellings a reader may type, "|"-separated: "Århus|Aarhus Kommune"


@dataclass(frozen=True)
class Site:
    """What every page shows: navigation, source, demo banner."""

    title: str
    base_url: str
    site_url: str
    demo: bool
    source: str
    release_date: str  # "2. november 2026"
    latest_month: str  # "oktober 2026"
    nav: tuple[Link, ...]
    municipalities: tuple[SearchEntry, ...]  # for the search field on every page
    min_persons: int


@dataclass(frozen=True)
class SitePart:
    """A part of the site: its pages (each naming its template), the charts to draw, and any
    further files its pages load."""

    pages: tuple[Page, ...] = ()
    charts: tuple[Chart, ...] = ()
    outputs: tuple[Output, ...] = ()


@dataclass(frozen=True)
class Choice:
    """One of a row of links, the page's own marked: the indicators of a comparison or map."""

    href: str
    text: str
    current: bool


Available = tuple[tuple[Indicator, tuple[TargetGroup, ...]], ...]  # indicators with figures


def indicator_switch(
    g: TargetGroup, available: Available, path_of: Callable[[TargetGroup], str]
) -> tuple[Choice, ...]:
    """Links to the same kind of page (`path_of`) for every indicator with figures: its group
    with `g`'s id, or else its first; none when only one indicator has figures."""
    if len(available) < 2:
        return ()
    choices = []
    for ind, groups in available:
        same = next((o for o in groups if o.id == g.id), groups[0])
        choices.append(Choice(path_of(same), ind.short, ind.id == g.indicator))
    return tuple(choices)


def municipality_path(m: Municipality) -> str:
    return f"kommune/{m.slug}/"


def group_path(g: TargetGroup) -> str:
    """maalgruppe/<id>/ for samtaler's groups, <indicator's folder>/<id>/ for the others'."""
    return f"{g.folder}/{g.id}/"


def indicator_link(ind: Indicator) -> Link:
    """The page of an indicator: the target groups' index for samtaler, <slug>/ for the
    others."""
    if ind.id == DEFAULT_INDICATOR:
        return Link("maalgruppe/", "Målgrupper")
    return Link(f"{ind.slug}/", ind.short)


def group_csv(g: TargetGroup) -> str:
    """The group's download: data/maalgruppe/<id>.csv, data/tilbud/<id>.csv, …"""
    return f"data/{g.folder}/{g.id}.csv"


def sort_value(value: object) -> str:
    return "" if fmt.number(value, 1) == fmt.MISSING else f"{float(value):.1f}"


def persons_text(value: object) -> str:
    return fmt.number(value, 0)


def yearly_table(
    caption: str, rows: list[dict], groups: tuple[TargetGroup, ...], periods: tuple[str, ...]
) -> Table:
    """A table of the share in January of each year and the latest month, one column per group."""
    share = {(r["target_group"], r["period"]): r["share"] for r in rows}
    shown = [p for p in periods if p.endswith("-01")]
    if periods and periods[-1] not in shown:
        shown.append(periods[-1])
    return Table(
        caption=caption,
        headers=("Måned", *(g.short for g in groups)),
        rows=tuple((fmt.month(p), *(fmt.pct(share.get((g.id, p))) for g in groups)) for p in shown),
    )


def rank_text(rank: object, ranked: object) -> str:
    if rank is None or ranked is None:
        return fmt.MISSING
    return f"nr. {fmt.number(rank)} af {fmt.number(ranked)}"


def span(metrics: Metrics) -> str:
    return f"{fmt.month(metrics.periods[0])} – {fmt.month(metrics.periods[-1])}"


def make_chart(
    id: str,
    title: str,
    caption: str,
    summary: str,
    specs: Callable[[bool], dict],
    spec_path: str,
    data_links: tuple[Link, ...],
    table: Table | None,
    legend: tuple[LegendEntry, ...] = (),
    columns: int = 0,
    shared: tuple[str, dict, str, dict] | None = None,
) -> Chart:
    """A Chart whose static and interactive specs `specs(interactive)` makes, or, with
    `shared` = (template path, template, data path, datasets), whose browser spec is a
    template many charts share and whose data go in a file of their own."""
    if shared is None:
        interactive, data, data_path = specs(True), None, ""
    else:
        spec_path, interactive, data_path, data = shared
    return Chart(
        id=id,
        title=title,
        caption=caption,
        summary=summary,
        static_spec=specs(False),
        interactive_spec=interactive,
        spec_path=spec_path,
        data_links=data_links,
        table=table,
        legend=legend,
        columns=columns,
        data=data,
        data_path=data_path,
    )


def site_context(
    settings: Settings,
    manifest: Manifest,
    metrics: Metrics,
    registry: Registry,
    nav: tuple[Link, ...],
) -> Site:
    return Site(
        title=settings.title,
        base_url=settings.base_url,
        site_url=settings.site_url,
        demo=manifest.demo,
        source=manifest.source,
        release_date=fmt.date(manifest.release_date),
        latest_month=fmt.month(metrics.periods[-1]) if metrics.periods else fmt.MISSING,
        nav=nav,
        municipalities=tuple(
            SearchEntry(
                m.name,
                municipality_path(m),
                "|".join(a for a in (*m.aliases, m.official_name) if a != m.name),
            )
            for m in sorted(registry.municipalities, key=lambda m: fmt.sort_key(m.name))
        ),
        min_persons=settings.min_persons,
    )
