"""The whole site as data: every page family's part (its pages, the charts and share images
they hold, the files they load), concatenated. Pure: what the build read goes in, nothing is
written."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..charts.specs import spec_json
from ..domain.content import Content
from ..domain.dataset import CONTEXT_COLUMNS, Manifest, Release
from ..domain.metrics import Metrics, Unruled
from ..domain.registry import Registry
from . import addresses, compare, embeds, indicators, maps, news, provenance
from .base import (
    Available,
    Chart,
    Link,
    Options,
    Output,
    Page,
    ShareImage,
    Site,
    SitePart,
    indicator_link,
    indicator_switch,
    site_context,
)
from .context import context_facts
from .indexes import NotFoundPage, Robots, group_index, municipality_index, sitemap, text_page
from .indicators import indicator_page
from .municipality import municipality_page
from .overview import overview_page
from .series import aligned_series
from .target_group import target_group_page
from .watch import watch_csvs, watch_list, watch_page
from .watch_feed import watch_feed


@dataclass(frozen=True)
class SiteModel:
    site: Site  # what every page shows
    parts: tuple[SitePart, ...]  # every page family's pages and files

    @property
    def pages(self) -> tuple[Page, ...]:  # each rendered with the template it names
        return tuple(p for part in self.parts for p in part.pages)

    @functools.cached_property
    def charts(self) -> tuple[Chart, ...]:  # drawn as inline SVG
        return tuple(c for part in self.parts for c in part.charts)

    @property
    def share_images(self) -> tuple[ShareImage, ...]:  # drawn as PNG
        return tuple(s for part in self.parts for s in part.share_images)

    @property
    def outputs(self) -> tuple[Output, ...]:
        """The parts' files and each browser spec once (many charts share a template), with
        the data of those that do."""
        charts = self.charts
        specs = {c.browser.spec_path: c.browser.spec for c in charts}
        return (
            *(o for part in self.parts for o in part.outputs),
            *(Output(path, spec_json(spec)) for path, spec in specs.items()),
            *(
                Output(c.browser.data_path, spec_json(c.browser.data))
                for c in charts
                if c.browser.data_path
            ),
        )


def navigation(content: tuple[Content, ...], others: tuple[Registry, ...] = ()) -> tuple[Link, ...]:
    return (
        Link(addresses.HOME, "Overblik"),
        Link(addresses.GROUPS, "Målgrupper"),
        *(indicator_link(r.indicator) for r in others),
        Link(addresses.MAPS, "Kort"),
        Link(addresses.COMPARE, "Sammenlign"),
        Link(addresses.WATCH, "Under grænsen"),
        Link(addresses.NEWS, "Nyt"),
        *(Link(c.path, c.title) for c in content),
    )


def site_model(
    metrics: Metrics,
    registry: Registry,
    options: Options,
    manifest: Manifest,
    releases: tuple[Release, ...],
    content: tuple[Content, ...],
    topology: dict,
    ready: Callable[[Chart | ShareImage], None] = lambda _: None,
    others: dict[str, Metrics] | None = None,
    context: pd.DataFrame | None = None,
    unruled: tuple[Unruled, ...] = (),
) -> SiteModel:
    """Return every page, chart and data file of the site but the downloads: samtaler's
    (`metrics`) and those of the other indicators with figures (`others`, by indicator id).

    Each family's part is made in turn, and `ready` gets its charts and share images at once,
    so that drawing can start while the rest of the site is worked out.
    """
    if not options.origins.by_key:  # the build passes the origins it read the data with
        options = dataclasses.replace(options, origins=provenance.origins(manifest, registry))
    views = [
        (registry.for_indicator(i.id), others[i.id])
        for i in registry.indicators
        if others and i.id in others
    ]
    measured = [(registry, metrics), *views]  # samtaler first, then the other indicators
    available: Available = tuple((view.indicator, view.target_groups) for view, _ in measured)
    registries = [view for view, _ in measured]
    parts: list[SitePart] = []

    def add(part: SitePart) -> None:
        for item in (*part.charts, *part.share_images):
            ready(item)
        parts.append(part)

    watch = watch_list(measured)
    facts = context_facts(
        context if context is not None else pd.DataFrame(columns=list(CONTEXT_COLUMNS)),
        others or {},
        options.origins,
    )
    overview_map = maps.overview_map(metrics, registry, options, topology)
    add(SitePart((overview_page(metrics, registry, options, overview_map, watch),)))
    add(
        SitePart(
            tuple(
                municipality_page(
                    m, metrics, registry, options, tuple(views), facts.get(m.code, ())
                )
                for m in registry.municipalities
            )
        )
    )
    group_pages = [
        [target_group_page(g, om, view, options) for g in view.target_groups]
        for view, om in measured
    ]
    add(SitePart(tuple(p for pages in group_pages for p in pages)))
    add(
        SitePart(
            (
                group_index(
                    group_pages[0],  # samtaler's
                    registry,
                    indicators.indicator_switch(registry.indicator_id, registries),
                ),
                municipality_index(registry),
            )
        )
    )
    add(
        SitePart(
            tuple(
                indicator_page(
                    om,
                    view,
                    indicators.indicator_switch(view.indicator_id, registries),
                    addresses.map_page(view.target_groups[0]),
                    addresses.compare(view.target_groups[0], options.headline_group),
                    options,
                )
                for view, om in views
            )
        )
    )
    add(SitePart(tuple(text_page(c) for c in content)))
    switch_maps = functools.partial(
        indicator_switch, available=available, path_of=addresses.map_page
    )
    switch_compare = functools.partial(
        indicator_switch,
        available=available,
        path_of=functools.partial(addresses.compare, headline_group=options.headline_group),
    )
    for view, om in measured:
        series = aligned_series(om)
        add(maps.section(om, view, options, topology, switch_maps))
        add(compare.section(series, om, view, options, switch_compare))
        add(embeds.section(series, om, view))
    news_page = news.news_page(releases, metrics, registry, options, unruled)
    release_rows = metrics.rows_at(max(r.periods) for r in releases if r.periods)
    add(
        SitePart(
            (
                news_page,
                news.site_feed(news_page, manifest, options),
                *(
                    news.municipality_feed(
                        m, releases, metrics, registry, manifest, options, release_rows
                    )
                    for m in registry.municipalities
                ),
            )
        )
    )
    add(
        SitePart(
            (
                watch_page(watch),
                watch_feed(measured, releases, manifest, options.title, options.origins),
            ),
            watch_csvs(watch, registry, options.origins),
        )
    )
    # The sitemap names the pages to index: not those showing demo figures (noindex), and
    # none without a site URL (a sitemap's addresses must be absolute).
    html = [
        p.path
        for part in parts
        for p in part.pages
        if p.template.endswith(".html") and not options.origins.banner(getattr(p, "shows", ()))
    ]
    indexed = (sitemap(html, manifest.release_date),) if options.urls.site_url else ()
    add(SitePart((*indexed, Robots(), NotFoundPage())))
    return SiteModel(site_of(metrics, registry, options, manifest, content, others), tuple(parts))


def site_of(
    metrics: Metrics,
    registry: Registry,
    options: Options,
    manifest: Manifest,
    content: tuple[Content, ...],
    others: dict[str, Metrics] | None = None,
) -> Site:
    """What every page of `site_model`'s site shows: the menu, the banner, the search list."""
    views = tuple(
        registry.for_indicator(i.id) for i in registry.indicators if others and i.id in others
    )
    return site_context(options, manifest, metrics, registry, navigation(content, views))
