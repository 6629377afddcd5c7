"""The whole site as data: every page context, the charts to draw, the share images and the
files the pages load. Pure: what the build read goes in, nothing is written."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from ..charts.specs import spec_json
from ..domain.dataset import Manifest, Release
from ..domain.metrics import Metrics
from ..domain.registry import Registry
from ..settings import Settings
from . import compare, embeds, indicators, maps, news
from .base import (
    Available,
    Chart,
    Link,
    Output,
    Page,
    ShareImage,
    Site,
    indicator_link,
    indicator_switch,
    site_context,
)
from .indexes import NotFoundPage, Robots, TextPage, group_index, municipality_index, sitemap
from .indicators import indicator_page
from .municipality import municipality_page
from .overview import overview_page
from .series import aligned_series
from .target_group import target_group_page
from .watch import watch_csv, watch_feed, watch_list, watch_page


@dataclass(frozen=True)
class SiteModel:
    site: Site  # what every page shows
    pages: tuple[Page, ...]  # each rendered with the template it names
    charts: tuple[Chart, ...]  # drawn as inline SVG
    share_images: tuple[ShareImage, ...]  # drawn as PNG
    outputs: tuple[Output, ...]  # data files, chart specs and downloads


def _ready(ready: Callable[[Chart | ShareImage], None], *items: Chart | ShareImage) -> None:
    for item in items:
        ready(item)


def navigation(
    content: tuple[TextPage, ...], others: tuple[Registry, ...] = ()
) -> tuple[Link, ...]:
    return (
        Link("", "Overblik"),
        Link("maalgruppe/", "Målgrupper"),
        *(indicator_link(r.indicator) for r in others),
        Link("kort/", "Kort"),
        Link("sammenlign/", "Sammenlign"),
        Link("nyt/", "Nyt"),
        *(Link(p.path, p.title) for p in content),
    )


def site_model(
    metrics: Metrics,
    registry: Registry,
    settings: Settings,
    manifest: Manifest,
    releases: tuple[Release, ...],
    content: tuple[TextPage, ...],
    topology: dict,
    ready: Callable[[Chart | ShareImage], None] = lambda _: None,
    others: dict[str, Metrics] | None = None,
) -> SiteModel:
    """Return every page, chart and data file of the site but the downloads: samtaler's
    (`metrics`) and those of the other indicators with figures (`others`, by indicator id).

    `ready` gets each chart and share image as soon as its page is made, so that drawing
    can start while the rest of the site is worked out.
    """
    views = [
        (registry.for_indicator(i.id), others[i.id])
        for i in registry.indicators
        if others and i.id in others
    ]
    measured = [(registry, metrics), *views]  # samtaler first, then the other indicators
    available: Available = tuple((view.indicator, view.target_groups) for view, _ in measured)
    site = site_context(
        settings, manifest, metrics, registry, navigation(content, tuple(v for v, _ in views))
    )
    watch = watch_list(measured, _watch_months(registry))
    overview_map = maps.overview_map(metrics, registry, settings, topology)
    overview = overview_page(metrics, registry, settings, manifest.demo, overview_map, watch)
    _ready(ready, overview.chart, overview.map_chart, overview.share_image)
    municipalities = []
    for m in registry.municipalities:
        page = municipality_page(m, metrics, registry, settings, manifest.demo, tuple(views))
        municipalities.append(page)
        _ready(ready, page.chart, page.share_image)
    group_pages = [
        target_group_page(g, om, view, settings)
        for view, om in measured
        for g in view.target_groups
    ]
    groups = group_pages[: len(registry.target_groups)]  # samtaler's: the target groups' index
    _ready(ready, *(c for g in group_pages for c in (g.ranking_chart, g.trend_chart)))
    switch_maps = functools.partial(indicator_switch, available=available, path_of=maps.map_path)
    switch_compare = functools.partial(
        indicator_switch,
        available=available,
        path_of=functools.partial(compare.compare_path, settings=settings),
    )
    registries = [view for view, _ in measured]
    indicator_pages = [
        indicator_page(
            om,
            view,
            indicators.indicator_switch(view.indicator_id, registries),
            maps.map_path(view.target_groups[0]),
            compare.compare_path(view.target_groups[0], settings),
            manifest.demo,
        )
        for view, om in views
    ]
    _ready(ready, *(c for p in indicator_pages for c in (p.chart, p.share_image)))
    parts = []
    for view, om in measured:
        series = aligned_series(om)
        parts += [
            maps.section(om, view, settings, topology, switch_maps),
            compare.section(series, om, view, settings, switch_compare),
            embeds.section(series, om, view),
        ]
    _ready(ready, *(c for part in parts for c in part.charts))
    pages: list[Page] = [
        overview,
        *municipalities,
        *group_pages,
        group_index(groups, indicators.indicator_switch(registry.indicator_id, registries)),
        *indicator_pages,
        municipality_index(registry),
        *content,
    ]
    news_page = news.news_page(releases, metrics, registry, settings)
    release_shares = metrics.shares_at(max(r.periods) for r in releases if r.periods)
    pages += [*(p for part in parts for p in part.pages), news_page]
    pages += [
        sitemap([p.path for p in pages if p.template.endswith(".html")], manifest.release_date),
        Robots(),
        NotFoundPage(),
        news.site_feed(news_page, manifest, settings),
        watch_page(watch),
        watch_feed(watch, manifest, settings.title),
        *(
            news.municipality_feed(m, releases, metrics, registry, manifest, release_shares)
            for m in registry.municipalities
        ),
    ]
    charts = [overview.chart, overview.map_chart, *(p.chart for p in municipalities)]
    charts += [c for g in group_pages for c in (g.ranking_chart, g.trend_chart)]
    charts += [p.chart for p in indicator_pages]
    charts += [c for part in parts for c in part.charts]
    outputs = [o for part in parts for o in part.outputs]
    outputs.append(watch_csv(watch))
    # Each browser spec once (many charts share a template), and the data of those that do.
    specs = {c.spec_path: c.interactive_spec for c in charts}
    outputs += [Output(path, spec_json(spec)) for path, spec in specs.items()]
    outputs += [Output(c.data_path, spec_json(c.data)) for c in charts if c.data_path]
    return SiteModel(
        site=site,
        pages=tuple(pages),
        charts=tuple(charts),
        share_images=tuple(p.share_image for p in (overview, *municipalities, *indicator_pages)),
        outputs=tuple(outputs),
    )


def _watch_months(registry: Registry) -> int:
    """How many months running below the line put a municipality on STAR's list: the length
    of STAR's own follow-up rule."""
    runs = [f.months for f in registry.flag_rules if f.id == "star"]
    return runs[0] if runs else 6
