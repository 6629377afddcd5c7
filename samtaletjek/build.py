"""The build: load → validate → compute → chart → page contexts → render → publish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import fmt, pages
from .content import read_content
from .downloads import downloads
from .errors import DataErrors
from .metrics import compute
from .registry import Registry, load_registry
from .render import (
    Output,
    copy_assets,
    environment,
    render_page,
    render_svgs,
    spec_json,
    write_site,
)
from .settings import Settings
from .sources.canonical import DATA_FILE, ROW, Manifest, read_canonical, read_manifest
from .validate import validate


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
) -> Report:
    """Build the whole site from `settings.data_dir` into `settings.out_dir`."""
    clock = _Clock(progress)
    registry = load_registry(settings.reference_dir)
    frame, manifest = load_data(settings, registry)
    content = read_content(settings.content_dir, content_variables(settings, registry))
    clock.lap("load and validate")

    metrics = compute(
        frame,
        registry,
        settings.reference_month,
        settings.flag_threshold_pct,
        settings.flag_months,
        settings.min_persons,
    )
    clock.lap("metrics")

    nav = (
        pages.Link("", "Overblik"),
        pages.Link("maalgruppe/", "Målgrupper"),
        *(pages.Link(p.path, p.title) for p in content),
    )
    site = pages.site_context(settings, manifest, metrics, nav)
    overview = pages.overview_page(metrics, registry, settings)
    municipalities = [
        pages.municipality_page(m, metrics, registry, settings) for m in registry.municipalities
    ]
    groups = [
        pages.target_group_page(g, metrics, registry, settings) for g in registry.target_groups
    ]
    charts = [overview.chart, *(p.chart for p in municipalities)]
    charts += [c for g in groups for c in (g.ranking_chart, g.trend_chart)]
    clock.lap("page contexts and chart specs")

    # Rendering the charts is the cost that matters: one SVG per chart, in parallel.
    rendered = render_svgs(charts, jobs, settings.cache_dir if use_cache else None)
    clock.lap(f"charts: {rendered.rendered} of {len(charts)} rendered, the rest cached")

    env = environment(settings.templates_dir, site, rendered.svgs)
    outputs: list[Output] = [render_page(env, "index.html", "", overview)]
    outputs += [render_page(env, "kommune.html", p.path, p) for p in municipalities]
    outputs += [render_page(env, "maalgruppe.html", p.path, p) for p in groups]
    outputs.append(render_page(env, "maalgrupper.html", "maalgruppe/", pages.group_index(groups)))
    outputs.append(
        render_page(env, "kommuner.html", "kommune/", pages.municipality_index(registry))
    )
    outputs += [render_page(env, "page.html", p.path, p) for p in content]
    html_paths = tuple(
        sorted(o.path.removesuffix("index.html") for o in outputs if o.path.endswith(".html"))
    )
    not_found = pages.PlainPage("404.html", "Siden findes ikke", "Siden findes ikke.")
    outputs.append(render_page(env, "404.html", "404.html", not_found))
    sitemap = pages.Sitemap("sitemap.xml", html_paths, manifest.release_date)
    outputs.append(render_page(env, "sitemap.xml", "sitemap.xml", sitemap))
    outputs.append(render_page(env, "robots.txt", "robots.txt", sitemap))
    outputs.append(Output(".nojekyll", ""))  # GitHub Pages: serve the files as they are
    outputs += [Output(c.spec_path, spec_json(c.interactive_spec)) for c in charts]
    outputs += downloads(frame, metrics, registry, manifest)
    outputs += copy_assets(settings.assets_dir)
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
