"""The build: load → validate → compute → page contexts and charts → draw → render → publish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import store
from .domain import danish as fmt
from .domain.dataset import ROW, Manifest
from .domain.metrics import compute
from .domain.registry import Registry
from .domain.validate import validate
from .errors import DataError, DataErrors
from .pages.base import Output
from .pages.downloads import WORKBOOK, canonical_table, workbook_content
from .pages.rules import breaks_table, rules_table
from .pages.site import site_model
from .publish import excel, fingerprint
from .publish.cache import Cache
from .publish.html import environment, inline_svgs, render_pages
from .publish.pictures import Picture, render_pictures, worker_pool
from .publish.site import copy_assets, write_site
from .settings import Settings
from .store.content import read_content
from .store.reference import load_registry, load_topology


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
    manifest = store.read_manifest(settings.data_dir)
    frame, errors = store.read_canonical(settings.data_dir)
    path = str(settings.data_dir / store.DATA_FILE)
    errors += validate(frame, registry, path)
    if errors:
        raise DataErrors(errors)
    if frame.empty:
        raise DataErrors([DataError(path, None, None, "has a header but no rows")])
    return frame.drop(columns=[ROW]), manifest


def content_variables(
    settings: Settings, registry: Registry, manifest: Manifest
) -> dict[str, str | bool]:
    """Values content pages may quote, so the text always matches the rules and the data."""
    return {
        "demo": manifest.demo,
        "source": manifest.source,
        "min_persons": str(settings.min_persons),
        "reference_month": fmt.month(settings.reference_month),
        "rules_table": rules_table(registry),
        "breaks_table": breaks_table(registry),
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
    input_hash = fingerprint.inputs(fingerprint.roots(settings), repr(settings))
    if use_cache and fingerprint.unchanged(settings.cache_dir, settings.out_dir, input_hash):
        clock.lap("nothing changed since the last build")
        return Report(0, 0, 0, 0, 0, clock.laps, skipped=True)

    registry = load_registry(settings.reference_dir)
    topology = load_topology(settings.reference_dir)
    frame, manifest = load_data(settings, registry)
    releases = store.read_releases(settings.data_dir)
    content = read_content(settings.content_dir, content_variables(settings, registry, manifest))
    clock.lap("load and validate")

    metrics = compute(
        frame,
        registry,
        settings.reference_month,
        settings.min_persons,
        settings.peer_bands,
    )
    clock.lap("metrics")

    canonical = canonical_table(frame)
    model = site_model(
        canonical, metrics, registry, settings, manifest, releases, content, topology
    )
    clock.lap("page contexts and chart specs")

    # Drawing the charts is the cost that matters: one SVG per chart (and a PNG share image
    # per page), on every core, with the Excel file written alongside in the same pool.
    cache = Cache(settings.cache_dir if use_cache else None)
    pictures = [Picture(c.id, "svg", c.static_spec) for c in model.charts]
    pictures += [Picture(s.path, "png", s.spec) for s in model.share_images]
    workbook_key, workbook_args = excel.job(workbook_content(canonical, manifest))
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

    env = environment(settings.templates_dir, model.site, inline_svgs(model.charts, rendered))
    outputs = render_pages(env, model.pages)
    outputs += model.outputs
    outputs.append(Output(WORKBOOK, workbook))
    outputs.append(Output(".nojekyll", ""))  # GitHub Pages: serve the files as they are
    outputs += copy_assets(settings.assets_dir)
    outputs += [Output(s.path, rendered.pictures[s.path]) for s in model.share_images]
    clock.lap("templates and downloads")

    size = write_site(outputs, settings.out_dir)
    if use_cache:
        fingerprint.remember(settings.cache_dir, settings.out_dir, input_hash)
    clock.lap("write and publish")
    html_pages = sum(o.path.endswith(".html") for o in outputs)
    return Report(html_pages, len(model.charts), rendered.rendered, len(outputs), size, clock.laps)


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
