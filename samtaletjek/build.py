"""The build: load → validate → compute → page contexts and charts → draw → render → publish."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from . import store
from .domain import danish as fmt
from .domain.dataset import ROW, Manifest
from .domain.metrics import Metrics, compute
from .domain.registry import DEFAULT_INDICATOR, Registry
from .domain.validate import validate
from .errors import DataError, DataErrors
from .pages.base import Chart, Output
from .pages.downloads import WORKBOOK, canonical_table, downloads, workbook_content
from .pages.rules import breaks_table, rules_table
from .pages.site import site_model
from .publish import excel, fingerprint
from .publish.cache import Cache
from .publish.html import environment, has_charts, inline_svgs, insert_svgs, render_pages
from .publish.pictures import VL_CONVERT, Drawing, Renderer, picture, worker_pool
from .publish.site import Staging, copy_assets
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
    if not (frame["indicator"] == DEFAULT_INDICATOR).any():
        message = "has no samtaler rows: the site is built around them (column indicator)"
        raise DataErrors([DataError(path, None, "indicator", message)])
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
    renderer: Renderer = VL_CONVERT,
) -> Report:
    """Build the whole site from `settings.data_dir` into `settings.out_dir`.

    `progress` gets one line per stage; `tick(done, total)` is called as charts are rendered.
    `renderer` draws them (tests that do not look at pictures pass a stand-in).
    With the cache on, a build whose inputs and output are as the last build left them is
    skipped (Report.skipped): the build is deterministic, so it would write the same bytes.
    """
    clock = _Clock(progress)
    input_hash = fingerprint.inputs(fingerprint.roots(settings), f"{settings!r} {renderer.version}")
    if use_cache and fingerprint.unchanged(settings.cache_dir, settings.out_dir, input_hash):
        clock.lap("nothing changed since the last build")
        return Report(0, 0, 0, 0, 0, clock.laps, skipped=True)

    # Drawing the charts is the cost that matters: one SVG per chart and a PNG share image
    # per page, on every core. The pool starts first, so its workers warm up while the data
    # are read; each picture is handed to it as soon as its page is made, and the Excel file,
    # the downloads and the pages are made while it draws.
    cache = Cache(settings.cache_dir if use_cache else None)
    with worker_pool(jobs) as pool, Staging(settings.out_dir) as site:
        drawing = Drawing(pool, cache, renderer)
        made = _write_all_but_pictures(settings, site, drawing, pool, cache, clock)
        rendered = drawing.result(tick)
        site.write([Output(WORKBOOK, made.workbook.result())])
        clock.lap(f"waiting for the charts: {rendered.rendered} drawn, the rest cached")

        site.write(insert_svgs(made.pages_with_charts, inline_svgs(made.charts, rendered)))
        site.write(Output(path, rendered.pictures[path]) for path in made.share_images)
        site.publish()
    if use_cache:
        fingerprint.remember(settings.cache_dir, settings.out_dir, input_hash)
    clock.lap("write and publish")
    return Report(
        made.html_pages, len(made.charts), rendered.rendered, site.files, site.bytes, clock.laps
    )


@dataclass(frozen=True)
class _Made:
    """What the build still needs once the pictures are drawn."""

    pages_with_charts: list[Output]  # rendered, with a marker where each SVG goes
    charts: tuple[Chart, ...]
    share_images: list[str]  # their paths
    workbook: excel.ExcelFile
    html_pages: int


def measure_all(
    frame: pd.DataFrame, registry: Registry, settings: Settings
) -> tuple[Metrics, dict[str, Metrics]]:
    """The metrics of samtaler, and of each other indicator with rows (by indicator id)."""

    def measure(view: Registry) -> Metrics:
        return compute(
            frame, view, settings.reference_month, settings.min_persons, settings.peer_bands
        )

    present = set(frame["indicator"].unique())
    others = {
        i.id: measure(registry.for_indicator(i.id))
        for i in registry.indicators
        if i.id != DEFAULT_INDICATOR and i.id in present
    }
    return measure(registry), others


def _write_all_but_pictures(
    settings: Settings,
    site: Staging,
    drawing: Drawing,
    pool: Executor | None,
    cache: Cache,
    clock: _Clock,
) -> _Made:
    """Read, check and compute everything, hand each picture to `drawing` as soon as it is
    known, and write every file but those that wait for pictures. What is made here is let
    go on return (the data, the metrics, the page contexts), before the pictures come back.
    """
    registry = load_registry(settings.reference_dir)
    topology = load_topology(settings.reference_dir)
    frame, manifest = load_data(settings, registry)
    releases = store.read_releases(settings.data_dir)
    content = read_content(settings.content_dir, content_variables(settings, registry, manifest))
    clock.lap("load and validate")

    metrics, others = measure_all(frame, registry, settings)
    clock.lap("metrics")

    canonical = canonical_table(frame)
    workbook = excel.ExcelFile(workbook_content(canonical, manifest), pool, cache)
    model = site_model(
        metrics,
        registry,
        settings,
        manifest,
        releases,
        content,
        topology,
        ready=lambda item: drawing.add(picture(item)),
        others=others,
    )
    clock.lap("page contexts and chart specs")

    pages = render_pages(environment(settings.templates_dir, model.site), model.pages)
    site.write(o for o in pages if not has_charts(o))
    site.write(model.outputs)
    site.write(downloads(canonical, metrics, registry, manifest, others))
    site.write([Output(".nojekyll", "")])  # GitHub Pages: serve the files as they are
    site.write(copy_assets(settings.assets_dir))
    clock.lap("templates and downloads")
    return _Made(
        pages_with_charts=[o for o in pages if has_charts(o)],
        charts=model.charts,
        share_images=[s.path for s in model.share_images],
        workbook=workbook,
        html_pages=sum(o.path.endswith(".html") for o in pages),
    )


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
