"""The whole site as data: every page context, the charts to draw, the share images and the
files the pages load. Pure: what the build read goes in, nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..charts.specs import spec_json
from ..domain.dataset import Manifest, Release
from ..domain.metrics import Metrics
from ..domain.registry import Registry
from ..settings import Settings
from . import compare, embeds, maps, news
from .base import Chart, Link, Output, Page, ShareImage, Site, site_context
from .indexes import NotFoundPage, Robots, TextPage, group_index, municipality_index, sitemap
from .municipality import municipality_page
from .overview import overview_page
from .series import aligned_series
from .target_group import target_group_page


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


def navigation(content: tuple[TextPage, ...]) -> tuple[Link, ...]:
    return (
        Link("", "Overblik"),
        Link("maalgruppe/", "Målgrupper"),
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
) -> SiteModel:
    """Return every page, chart and data file of the site but the downloads.

    `ready` gets each chart and share image as soon as its page is made, so that drawing
    can start while the rest of the site is worked out.
    """
    site = site_context(settings, manifest, metrics, registry, navigation(content))
    overview_map = maps.overview_map(metrics, registry, settings, topology)
    overview = overview_page(metrics, registry, settings, manifest.demo, overview_map)
    _ready(ready, overview.chart, overview.map_chart, overview.share_image)
    municipalities = []
    for m in registry.municipalities:
        municipalities.append(municipality_page(m, metrics, registry, settings, manifest.demo))
        _ready(ready, municipalities[-1].chart, municipalities[-1].share_image)
    groups = [target_group_page(g, metrics, registry, settings) for g in registry.target_groups]
    _ready(ready, *(c for g in groups for c in (g.ranking_chart, g.trend_chart)))
    series = aligned_series(metrics)
    parts = [
        maps.section(metrics, registry, settings, topology),
        compare.section(series, metrics, registry, settings),
        embeds.section(series, metrics, registry),
    ]
    _ready(ready, *(c for part in parts for c in part.charts))
    pages: list[Page] = [
        overview,
        *municipalities,
        *groups,
        group_index(groups),
        municipality_index(registry),
        *content,
    ]
    news_page = news.news_page(releases, metrics, registry, settings)
    pages += [*(p for part in parts for p in part.pages), news_page]
    pages += [
        sitemap([p.path for p in pages if p.template.endswith(".html")], manifest.release_date),
        Robots(),
        NotFoundPage(),
        news.site_feed(news_page, manifest, settings),
        *(
            news.municipality_feed(m, releases, metrics, registry, manifest)
            for m in registry.municipalities
        ),
    ]
    charts = [overview.chart, overview.map_chart, *(p.chart for p in municipalities)]
    charts += [c for g in groups for c in (g.ranking_chart, g.trend_chart)]
    charts += [c for part in parts for c in part.charts]
    outputs = [o for part in parts for o in part.outputs]
    # Each browser spec once (many charts share a template), and the data of those that do.
    specs = {c.spec_path: c.interactive_spec for c in charts}
    outputs += [Output(path, spec_json(spec)) for path, spec in specs.items()]
    outputs += [Output(c.data_path, spec_json(c.data)) for c in charts if c.data_path]
    return SiteModel(
        site=site,
        pages=tuple(pages),
        charts=tuple(charts),
        share_images=tuple(p.share_image for p in (overview, *municipalities)),
        outputs=tuple(outputs),
    )
