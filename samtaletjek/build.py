"""The build: load → validate → compute → chart → page contexts → render → publish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import fmt, maps, pages
from .cache import Cache
from .content import read_content
from .downloads import downloads
from .errors import DataErrors
from .metrics import compute
from .registry import Registry, load_registry
from .releases import read_releases
from .render import (
    Output,
    Picture,
    copy_assets,
    environment,
    inline_svgs,
    render_page,
    render_pictures,
    spec_json,
    write_site,
)
from .settings import Settings
from .sources.canonical import DATA_FILE, ROW, Manifest, read_canonical, read_manifest
from .validate import validate

# Sections of the site built by their own modules; each is called as
# section(metrics, registry, settings) and returns a pages.SitePart.
SECTIONS: tuple[Callable[..., pages.SitePart], ...] = (maps.section,)


@dataclass(frozen=True)
class Report:
    pages: int
    charts: int
    rendered: int  # charts rendered in this build; the others came from the cache
    files: int
    bytes: int
    seconds: dict[str, float]


def load_data(settings: Settings, registry: Registry) -> tuple[pd.DataFrame, Manifest]:
    """Return the validated canonical frame and its manifest; raise DataErrors on any problem."""
    manifest = read_manifest(settings.data_dir)
    frame, errors = read_canonical(settings.data_dir)
    errors += validate(frame, registry, str(settings.data_dir / DATA_FILE))
    if errors:
        raise DataErrors(errors)
    if frame.empty:
        raise DataErrors([])  # pragma: no cover - validate reports an empty table
    return frame.drop(columns=[ROW]), manifest


def content_variables(settings: Settings, registry: Registry) -> dict[str, str]:
    """Values content pages may quote, so the text always matches the rule applied."""
    return {
        "flag_threshold": fmt.pct(settings.flag_threshold_pct, 0),
        "flag_months": str(settings.flag_months),
        "min_persons": str(settings.min_persons),
        "reference_month": fmt.month(settings.reference_month),
        "rule_change_month": fmt.month(registry.rule_change),
    }


def build(
    settings: Settings,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
    use_cache: bool = True,
    tick: Callable[[int, int], None] | None = None,
) -> Report:
    """Build the whole site from `settings.data_dir` into `settings.out_dir`.

    `progress` gets one line per stage; `tick(done, total)` is called as charts are rendered.
    """
    clock = _Clock(progress)
    registry = load_registry(settings.reference_dir)
    frame, manifest = load_data(settings, registry)
    releases = read_releases(settings.data_dir)
    content = read_content(settings.content_dir, content_variables(settings, registry))
    clock.lap("load and validate")

    metrics = compute(
        frame,
        registry,
        settings.reference_month,
        settings.flag_threshold_pct,
        settings.flag_months,
        settings.min_persons,
        settings.peer_bands,
    )
    clock.lap("metrics")

    nav = (
        pages.Link("", "Overblik"),
        pages.Link("maalgruppe/", "Målgrupper"),
        pages.Link("nyt/", "Nyt"),
        *(pages.Link(p.path, p.title) for p in content),
    )
    site = pages.site_context(settings, manifest, metrics, registry, nav)
    overview = pages.overview_page(metrics, registry, settings, manifest.demo)
    municipalities = [
        pages.municipality_page(m, metrics, registry, settings, manifest.demo)
        for m in registry.municipalities
    ]
    groups = [
        pages.target_group_page(g, metrics, registry, settings) for g in registry.target_groups
    ]
    parts = [section(metrics, registry, settings) for section in SECTIONS]
    charts = [overview.chart, *(p.chart for p in municipalities)]
    charts += [c for g in groups for c in (g.ranking_chart, g.trend_chart)]
    charts += [c for part in parts for c in part.charts]
    clock.lap("page contexts and chart specs")

    # Rendering the charts is the cost that matters: one SVG per chart, in parallel.
    cache = Cache(settings.cache_dir if use_cache else None)
    pictures = [Picture(c.id, "svg", c.static_spec) for c in charts]
    pictures += [Picture(p.og_image, "png", p.og_spec) for p in (overview, *municipalities)]
    rendered = render_pictures(pictures, jobs, cache, tick)
    clock.lap(f"charts: {rendered.rendered} of {len(pictures)} drawn, the rest cached")

    env = environment(settings.templates_dir, site, inline_svgs(charts, rendered))
    outputs: list[Output] = [render_page(env, "index.html", "", overview)]
    outputs += [render_page(env, "kommune.html", p.path, p) for p in municipalities]
    outputs += [render_page(env, "maalgruppe.html", p.path, p) for p in groups]
    outputs.append(render_page(env, "maalgrupper.html", "maalgruppe/", pages.group_index(groups)))
    outputs.append(
        render_page(env, "kommuner.html", "kommune/", pages.municipality_index(registry))
    )
    outputs += [render_page(env, "page.html", p.path, p) for p in content]
    for part in parts:
        outputs += [render_page(env, template, p.path, p) for template, p in part.pages]
        outputs += part.outputs
    news = pages.news_page(releases, metrics, registry, settings)
    outputs.append(render_page(env, "nyt.html", news.path, news))
    html_paths = tuple(
        sorted(o.path.removesuffix("index.html") for o in outputs if o.path.endswith(".html"))
    )
    not_found = pages.PlainPage("404.html", "Siden findes ikke", "Siden findes ikke.")
    outputs.append(render_page(env, "404.html", "404.html", not_found))
    sitemap = pages.Sitemap("sitemap.xml", html_paths, manifest.release_date)
    outputs.append(render_page(env, "sitemap.xml", "sitemap.xml", sitemap))
    outputs.append(render_page(env, "robots.txt", "robots.txt", sitemap))
    outputs.append(Output(".nojekyll", ""))  # GitHub Pages: serve the files as they are
    feeds = [pages.site_feed(news, manifest, settings)]
    feeds += [
        pages.municipality_feed(m, releases, metrics, registry, manifest)
        for m in registry.municipalities
    ]
    outputs += [render_page(env, "atom.xml", f.path, f) for f in feeds]
    outputs += [Output(c.spec_path, spec_json(c.interactive_spec)) for c in charts]
    outputs += downloads(frame, metrics, registry, manifest, cache)
    outputs += copy_assets(settings.assets_dir)
    outputs += [
        Output(p.og_image, rendered.pictures[p.og_image]) for p in (overview, *municipalities)
    ]
    clock.lap("templates and downloads")

    size = write_site(outputs, settings.out_dir)
    clock.lap("write and publish")
    html_pages = sum(o.path.endswith(".html") for o in outputs)
    return Report(html_pages, len(charts), rendered.rendered, len(outputs), size, clock.laps)


class _Clock:
    def __init__(self, progress: Callable[[str], None]) -> None:
        self.progress = progress
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = now - self.last
        self.last = now
        self.progress(f"{stage}: {self.laps[stage]:.2f} s")
