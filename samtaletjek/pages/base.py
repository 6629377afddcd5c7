"""The page model every page family shares: links, tables, charts, the site-wide context, the
parts a build is made of, and the small helpers the families use.

Templates receive only what is here: strings already formatted in Danish, numbers already
rounded, links already resolved. No pandas and no arithmetic reach Jinja. Each page context
names its template (`template`), so the page and the template it fills are bound in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from ..charts.share_card import Card
from ..charts.theme import LineStyle
from ..domain import danish as fmt
from ..domain.dataset import Manifest
from ..domain.metrics import Metrics, MunicipalRow, NationalRow, RegionalRow
from ..domain.registry import (
    DEFAULT_INDICATOR,
    POPULATION_SOURCE,
    Indicator,
    Registry,
    TargetGroup,
)
from . import addresses
from .addresses import Urls
from .provenance import LICENCE, Licence, Origin, Origins

NATIONAL = "Hele landet"


@dataclass(frozen=True)
class Options:
    """The few settings pages use (the build makes it from `Settings`)."""

    title: str = "Samtaletjek"
    urls: Urls = Urls()
    min_persons: int = 10  # below this many persons a figure is not ranked
    headline_group: str = "dagpenge"  # the target group ranked on the overview
    peer_bands: tuple[int, ...] = (20_000, 40_000, 60_000, 100_000)  # "similar municipalities"
    origins: Origins = field(default_factory=Origins)  # where each indicator's figures come from


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


def line_entry(label: str, style: LineStyle, kind: str = "line") -> LegendEntry:
    """The legend's line of a chart style (`theme.STYLES`, `theme.REFERENCE`, …)."""
    dash = "" if style.dash == (1, 0) else " ".join(map(str, style.dash))
    return LegendEntry(label, style.colour, dash, style.width, kind)


@dataclass(frozen=True)
class Browser:
    """What the browser draws of a chart: its Vega-Lite spec, written to `spec_path`; where
    many charts share one spec as a template, this chart's named datasets too, written to
    `data_path`, which the page's script fills in (as `charts.specs.fill` does)."""

    spec_path: str  # relative to the site root
    spec: dict = field(repr=False, compare=False)
    data_path: str = ""
    data: dict | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Panel:
    """One panel of a chart's small multiples: its own inline SVG, under its title in a cell
    of the chart's grid, so the panels take as many columns as the screen has room for."""

    id: str  # unique in the site: the chart's id and the panel's number
    title: str  # the target group's short name
    number: int  # its rows in the browser's data are those with this `pi`
    static_spec: dict | None = field(repr=False, compare=False)  # None: no figure to draw


@dataclass(frozen=True)
class Variant:
    """A chart drawn again for a wider screen, shown there instead of its phone picture:
    `screen` "medium" (40–70rem) or "wide" (70rem and more; assets/style.css `.only-…`)."""

    id: str
    screen: str
    static_spec: dict = field(repr=False, compare=False)


@dataclass(frozen=True)
class Chart:
    """A chart: rendered to inline SVG at build time, upgraded by vega-embed in the browser.

    Its picture is `static_spec` drawn (at a phone's width where it has `variants` for wider
    screens), or, for small multiples, its `panels` drawn one by one (`static_spec` None).
    """

    id: str
    title: str
    caption: str  # what the chart shows, in a line, visible under the title
    summary: str  # factual sentences generated from the data: the SVG's text alternative
    static_spec: dict | None = field(repr=False, compare=False)
    browser: Browser
    data_links: tuple[Link, ...]  # "Hent data": the CSV files behind the chart
    table: Table | None = None
    legend: tuple[LegendEntry, ...] = ()  # drawn by the page (the chart has none of its own)
    origin: Origin | None = None  # where its figures come from (provenance.py)
    panels: tuple[Panel, ...] = ()
    variants: tuple[Variant, ...] = ()

    @property
    def pictures(self) -> tuple[tuple[str, dict], ...]:
        """(id, Vega-Lite spec) of every inline SVG the chart is drawn as."""
        own = () if self.static_spec is None else ((self.id, self.static_spec),)
        return (
            *own,
            *((p.id, p.static_spec) for p in self.panels if p.static_spec is not None),
            *((v.id, v.static_spec) for v in self.variants),
        )


@dataclass(frozen=True)
class ShareImage:
    """A page's 1200×630 picture for links shared on social media (Open Graph), drawn as PNG."""

    path: str  # where the PNG goes, relative to the site root
    card: Card = field(repr=False, compare=False)


@dataclass(frozen=True)
class SearchEntry:
    name: str
    href: str
    aliases: str  # other spellings a reader may type, "|"-separated: "Århus|Aarhus Kommune"


@dataclass(frozen=True)
class Site:
    """What every page shows: navigation, source, demo banner."""

    title: str
    urls: Urls  # every link and address is made by it
    origins: Origins  # the banner of a page showing demo figures names them (`banner`)
    release_date: str  # "2. november 2026"
    latest_month: str  # "oktober 2026"
    nav: tuple[Link, ...]
    municipalities: tuple[SearchEntry, ...]  # for the search field on every page
    min_persons: int
    population_source: str = POPULATION_SOURCE  # the footer's credit for the population
    licence: Licence = LICENCE  # the terms of reuse, in every footer
    downloads: tuple[Link, ...] = ()  # every row: the whole CSV and each indicator's workbook


def _fields_of(page: object, kind: type) -> Iterator:
    """The values of `page`'s fields that are a `kind`, alone or in a tuple."""
    for value in vars(page).values():  # not getattr: this is not a reader of the fields
        if isinstance(value, kind):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, kind))


@dataclass(frozen=True)
class SitePart:
    """What a page family adds to the site: its pages (each naming its template) and the
    further files they load. The charts to draw and the share images are those the pages
    hold (`charts`, `share_images`): none can be forgotten, none drawn twice."""

    pages: tuple[Page, ...] = ()
    outputs: tuple[Output, ...] = ()

    @property
    def charts(self) -> tuple[Chart, ...]:
        found: dict[str, Chart] = {}
        for page in self.pages:
            for chart in _fields_of(page, Chart):
                if found.setdefault(chart.id, chart) is not chart:
                    raise ValueError(f"two charts have the id {chart.id!r}")
        return tuple(found.values())

    @property
    def share_images(self) -> tuple[ShareImage, ...]:
        return tuple(image for page in self.pages for image in _fields_of(page, ShareImage))


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


def indicator_link(ind: Indicator) -> Link:
    """The page of an indicator: the target groups' index for samtaler, <slug>/ for others."""
    return Link(
        addresses.indicator(ind), "Målgrupper" if ind.id == DEFAULT_INDICATOR else ind.short
    )


def sort_value(value: object) -> str:
    return "" if fmt.number(value, 1) == fmt.MISSING else f"{float(value):.1f}"


def persons_text(value: object) -> str:
    return fmt.number(value, 0)


def yearly_table(
    caption: str,
    rows: list[MunicipalRow] | list[NationalRow] | list[RegionalRow],
    groups: tuple[TargetGroup, ...],
    periods: tuple[str, ...],
) -> Table:
    """A table of the share in January of each year and the latest month, one column per group."""
    share = {(r.target_group, r.period): r.share for r in rows}
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


def site_context(
    options: Options,
    manifest: Manifest,
    metrics: Metrics,
    registry: Registry,
    nav: tuple[Link, ...],
) -> Site:
    return Site(
        title=options.title,
        urls=options.urls,
        origins=options.origins,
        release_date=fmt.date(manifest.release_date),
        latest_month=fmt.month(metrics.periods[-1]) if metrics.periods else fmt.MISSING,
        nav=nav,
        municipalities=tuple(
            SearchEntry(
                m.name,
                addresses.municipality(m),
                "|".join(a for a in (*m.aliases, m.official_name) if a != m.name),
            )
            for m in sorted(registry.municipalities, key=lambda m: fmt.sort_key(m.name))
        ),
        min_persons=options.min_persons,
        downloads=(
            Link(addresses.ALL_CSV, "CSV (maskinlæsbar)"),
            *(
                Link(addresses.indicator_workbook(i), f"{i.short} (Excel)")
                for i in registry.indicators
            ),
        ),
    )
