"""The build: load → validate → compute → chart → page contexts → render → publish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import compare, excel, fingerprint, fmt, maps, pages
from .cache import Cache
from .content import read_content
from .downloads import canonical_table, downloads, workbook_job
from .errors import DataError, DataErrors
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
    worker_pool,
    write_site,
)
from .settings import Settings
from .sources.canonical import DATA_FILE, ROW, Manifest, read_canonical, read_manifest
from .validate import validate

# Sections of the site built by their own modules; each is called as
# section(metrics, registry, settings) and returns a pages.SitePart.
SECTIONS: tuple[Callable[..., pages.SitePart], ...] = (maps.section, compare.section)


@dataclass(frozen=True)
class Report:
    pages: int
    charts: int
    rendered: int  # charts rendered in this build; the others came from the cache
    files: int
    bytes: int
    seconds: dict[str, float]
    skipped: bool = False  # nothing changed since the last build, so nothing was written


def load_data(settings: Settings, registry: Registry) -> tuple[pd.DataFrame, Manifest]:
    """Return the validated canonical frame and its manifest; raise DataErrors on any problem."""
    manifest = read_manifest(settings.data_dir)
    frame, errors = read_canonical(settings.data_dir)
    errors += validate(frame, registry, str(settings.data_dir / DATA_FILE))
    if errors:
        raise DataErrors(errors)
    if frame.empty:
        path = str(settings.data_dir / DATA_FILE)
        raise DataErrors([DataError(path, None, None, "has a header but no rows")])
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
    With the cache on, a build whose inputs and output are as the last build left them is
    skipped (Report.skipped): the build is deterministic, so it would write the same bytes.
    """
    clock = _Clock(progress)
    roots = [
        settings.data_dir,
        settings.reference_dir,
        settings.content_dir,
        settings.templates_dir,
        settings.assets_dir,
        fingerprint.PACKAGE,
    ]
    input_hash = fingerprint.inputs(roots, repr(settings))
    if use_cache and fingerprint.unchanged(settings.cache_dir, settings.out_dir, input_hash):
        clock.lap("nothing changed since the last build")
        return Report(0, 0, 0, 0, 0, clock.laps, skipped=True)

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
        pages.Link("kort/", "Kort"),
        pages.Link("sammenlign/", "Sammenlign"),
        pages.Link("nyt/", "Nyt"),
        *(pages.Link(p.path, p.title) for p in content),
    )
    site = pages.site_context(settings, manifest, metrics, registry, nav)
    overview = pages.overview_page(
        metrics, registry, settings, manifest.demo, maps.overview_map(metrics, registry, settings)
    )
    municipalities = [
        pages.municipality_page(m, metrics, registry, settings, manifest.demo)
        for m in registry.municipalities
    ]
    groups = [
        pages.target_group_page(g, metrics, registry, settings) for g in registry.target_groups
    ]
    parts = [section(metrics, registry, settings) for section in SECTIONS]
    charts = [overview.chart, overview.map_chart, *(p.chart for p in municipalities)]
    charts += [c for g in groups for c in (g.ranking_chart, g.trend_chart)]
    charts += [c for part in parts for c in part.charts]
    clock.lap("page contexts and chart specs")

    # Drawing the charts is the cost that matters: one SVG per chart (and a PNG share image
    # per page), on every core, with the Excel file written alongside in the same pool.
    cache = Cache(settings.cache_dir if use_cache else None)
    pictures = [Picture(c.id, "svg", c.static_spec) for c in charts]
    pictures += [Picture(p.og_image, "png", p.og_spec) for p in (overview, *municipalities)]
    canonical = canonical_table(frame)
    workbook_key, workbook_args = workbook_job(canonical, manifest)
    workbook = cache.get("xlsx", workbook_key)
    with worker_pool(jobs) as pool:
        pending = None
        if workbook is None and pool is not None:
            pending = pool.submit(excel.workbook, *workbook_args)
        rendered = render_pictures(pictures, pool, cache, tick)
        if workbook is None:
            workbook = pending.result() if pending else excel.workbook(*workbook_args)
            cache.put("xlsx", workbook_key, workbook)
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
        sorted(
            o.path.removesuffix("index.html")
            for o in outputs
            if o.path.endswith(".html") and not o.path.startswith("embed/")  # noindex pages
        )
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
    outputs += downloads(canonical, metrics, registry, manifest, workbook)
    outputs += copy_assets(settings.assets_dir)
    outputs += [
        Output(p.og_image, rendered.pictures[p.og_image]) for p in (overview, *municipalities)
    ]
    clock.lap("templates and downloads")

    size = write_site(outputs, settings.out_dir)
    if use_cache:
        fingerprint.remember(settings.cache_dir, settings.out_dir, input_hash)
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
