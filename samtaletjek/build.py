"""The build: load → validate → compute → page contexts and charts → draw → render → publish."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import store
from .domain import danish as fmt
from .domain.content import Content
from .domain.dataset import NATIONAL_CODE, ROW, Manifest, Release
from .domain.metrics import Metrics, compute, unruled
from .domain.registry import DEFAULT_INDICATOR, Registry
from .domain.validate import validate, validate_context
from .errors import DataError, DataErrors, UserError
from .pages import addresses, spreadsheets
from .pages.addresses import Urls
from .pages.base import Options, Output, Site
from .pages.downloads import canonical_table, downloads
from .pages.indexes import TextPage
from .pages.provenance import Origins, origins
from .pages.rules import breaks_table, lines_list, rules_table
from .pages.site import site_model
from .publish import excel, fingerprint
from .publish.cache import Cache
from .publish.html import (
    environment,
    has_charts,
    insert_svgs,
    labelled_svgs,
    render_page,
    svg_labels,
)
from .publish.pictures import VL_CONVERT, Drawing, Renderer, pictures, worker_pool
from .publish.site import Staging, check_output, copy_assets
from .settings import PACKAGE, Settings
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
    warnings: tuple[str, ...] = ()  # figures shown but not judged: months with no rule
    texts: Texts | None = None  # what the content pages were made with (None when skipped)


@dataclass(frozen=True)
class Texts:
    """What a site's content pages were made with: enough to make them again, alone, after an
    edit of `content/` that leaves every other page as it was (`serve`, samtaletjek.preview)."""

    variables: dict[str, str | bool]  # what content pages may quote (`content_variables`)
    site: Site  # what every page shows, the menu of content pages included
    content: tuple[Content, ...]


class Data(NamedTuple):
    frame: pd.DataFrame  # the canonical table, validated
    manifest: Manifest
    releases: tuple[Release, ...]
    context: pd.DataFrame  # registered unemployment (ledighed.csv); empty where there is none


def load_data(settings: Settings, registry: Registry) -> Data:
    """Return the validated canonical frame, its manifest and the release log, read as one
    state of the data directory; raise DataErrors on any problem in any of them."""
    check_settings(settings, registry)
    with store.reading(settings.data_dir, settings.lock_timeout):
        manifest = store.read_manifest(settings.data_dir)
        frame, errors = store.read_canonical(settings.data_dir)
        releases = store.read_releases(settings.data_dir)
        context, context_errors = store.read_context(settings.data_dir)
    path = str(settings.data_dir / store.DATA_FILE)
    errors += validate(frame, registry, path)
    errors += context_errors
    errors += validate_context(context, registry, str(settings.data_dir / store.CONTEXT_FILE))
    if errors:
        raise DataErrors(errors)
    if frame.empty:
        raise DataErrors([DataError(path, None, None, "has a header but no rows")])
    if not (frame["indicator"] == DEFAULT_INDICATOR).any():
        message = "has no samtaler rows: the site is built around them (column indicator)"
        raise DataErrors([DataError(path, None, "indicator", message)])
    return Data(frame.drop(columns=[ROW]), manifest, releases, context.drop(columns=[ROW]))


class Inputs(NamedTuple):
    registry: Registry  # without the groups of other indicators than samtaler with no rows
    topology: dict
    data: Data
    content: tuple[Content, ...]
    sources: Origins  # where each indicator's figures come from (pages/provenance.py)
    variables: dict[str, str | bool]  # what the content pages were read with


def read_inputs(settings: Settings) -> Inputs:
    """Read and check everything a build reads (reference data, boundaries, the data and its
    logs, the content pages): `check` reads the same, so it accepts what a build accepts."""
    registry = load_registry(settings.reference_dir)
    topology = load_topology(settings.reference_dir)
    data = load_data(settings, registry)
    pairs = data.frame[["indicator", "target_group"]].drop_duplicates()
    measured = registry.measured(set(pairs.itertuples(index=False, name=None)))
    sources = origins(data.manifest, measured)
    # The method page states every rule of the reference data, figures or not.
    variables = content_variables(settings, registry, data.manifest, sources)
    content = read_content(settings.content_dir, variables)
    return Inputs(measured, topology, data, content, sources, variables)


def check_settings(settings: Settings, registry: Registry) -> None:
    """Raise UserError for a setting that names something the reference data lack."""
    if settings.headline_group not in registry.target_group_ids:
        known = ", ".join(registry.target_group_ids)
        raise UserError(
            f"setting headline_group: {settings.headline_group!r} is not a target group of "
            f"samtaler ({known})"
        )


def summary(
    registry: Registry, frame: pd.DataFrame, manifest: Manifest, releases: int, pages: int
) -> str:
    """What `check` says of valid data: rows, months, municipalities and each indicator's rows,
    groups and source."""
    periods = sorted(frame["period"].unique())
    counts = frame.groupby("indicator", sort=False).agg(
        rows=("period", "size"), groups=("target_group", "nunique")
    )
    each = "; ".join(
        f"{i.id}: {counts.loc[i.id, 'rows']} rows, "
        + fmt.count(int(counts.loc[i.id, "groups"]), "target group", "target groups")
        + ", "
        + ("demo data" if manifest.source_of(i.id).demo else manifest.source_of(i.id).line)
        for i in registry.indicators
        if i.id in counts.index
    )
    codes = frame["municipality_code"]
    national = " and national rows" if (codes == NATIONAL_CODE).any() else ""
    return (
        f"OK: {len(frame)} rows, {periods[0]} to {periods[-1]}, "
        f"{codes[codes != NATIONAL_CODE].nunique()} municipalities{national} ({each}); "
        f"{releases} release(s) in the log; {pages} content page(s)."
    )


def content_variables(
    settings: Settings, registry: Registry, manifest: Manifest, sources: Origins | None = None
) -> dict[str, str | bool]:
    """Values content pages may quote, so the text always matches the rules and the data.
    `sources`: the origins of the indicators the data hold (default: every indicator's)."""
    sources = sources or origins(manifest, registry)
    return {
        "demo": bool(sources.demo(sources.by_key)),  # some measure shows demo figures
        "real": bool(sources.real(sources.by_key)),  # some measure shows STAR's figures
        "sources_list": "\n".join(
            f"- **{o.name}**: "
            + (
                "eksempeldata – syntetiske tal, ikke STAR's."
                if o.demo
                else f"STAR's tal. {o.credit}"
            )
            for o in sources.by_key.values()
        ),
        "min_persons": str(settings.min_persons),
        "rules_table": rules_table(registry),
        "lines_list": lines_list(registry),
        # Each line by its flag rule's id, for the words content pages state it in: "75 %".
        "pct": {f.id: f"{fmt.number(f.pct)} %" for f in registry.flag_rules},
        "list_months": str(registry.list_months),
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
    check_output(settings.out_dir, folders_read(settings), _projects())
    clock = _Clock(progress)
    input_hash = inputs_hash(settings, renderer)
    if use_cache and fingerprint.unchanged(settings.cache_dir, settings.out_dir, input_hash):
        clock.lap("nothing changed since the last build")
        return Report(0, 0, 0, 0, 0, clock.laps, skipped=True)

    # The pool starts first, so its worker warms up vl-convert while the data are read; each
    # picture is handed to it as soon as its page is made (a panel or map waits only for its
    # frame, and is filled here), and the pages and downloads are made while it draws.
    cache = Cache(settings.cache_dir if use_cache else None)
    with _fewer_collections(), worker_pool(jobs) as pool, Staging(settings.out_dir) as site:
        drawing = Drawing(pool, cache, renderer)
        made = _write_all_but_pictures(settings, site, drawing, cache, clock)
        rendered = drawing.result(tick)
        clock.lap(f"waiting for the charts: {rendered.rendered} drawn, the rest cached")

        site.write(insert_svgs(made.pages_with_charts, labelled_svgs(made.labels, rendered)))
        site.write(Output(path, rendered.pictures[path]) for path in made.share_images)
        site.publish()
    if use_cache:
        fingerprint.remember(settings.cache_dir, settings.out_dir, input_hash)
    clock.lap("write and publish")
    return Report(
        made.html_pages,
        made.charts,
        rendered.rendered,
        site.files,
        site.bytes,
        clock.laps,
        warnings=(*made.warnings, *address_warnings(settings)),
        texts=made.texts,
    )


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector run less often while the site is made: a build holds a few
    million long-lived objects (the table, its rows, the page contexts) that every full
    collection walks again, and makes few cycles (about 1.5 s of 22 s of CPU at the default
    thresholds, for no memory saved). Reference counting frees as before."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def inputs_hash(settings: Settings, renderer: Renderer, leave_out: Iterable[Path] = ()) -> str:
    """The hash of everything a build of `settings` by `renderer` reads, but the folders
    `leave_out`: what the "nothing changed" skip compares."""
    return fingerprint.of_settings(settings, renderer.version, frozenset(leave_out))


def address_warnings(settings: Settings) -> tuple[str, ...]:
    """What a build without a site URL should say: embed code and feeds then carry addresses
    relative to the site, which break where they are pasted or read."""
    if settings.site_url:
        return ()
    return (
        "no --site-url: the embed code on the municipality pages and the Atom feeds carry "
        "addresses relative to the site, which break when pasted elsewhere; pass --site-url "
        "https://... as the publish workflow does",
    )


def folders_read(settings: Settings) -> tuple[Path, ...]:
    """The folders a build reads, which its output may be neither in nor around."""
    return (
        settings.data_dir,
        settings.content_dir,
        settings.templates_dir,
        settings.assets_dir,
        settings.reference_dir,
    )


def _projects() -> tuple[Path, ...]:
    """The folders an output folder may live in but never replace: the one holding the program
    (its checkout, or site-packages), and the working directory where it is a project."""
    here = Path.cwd()
    mine = (PACKAGE.parent,)
    return (*mine, here) if any((here / n).exists() for n in (".git", "site.toml")) else mine


@dataclass(frozen=True)
class _Made:
    """What the build still needs once the pictures are drawn."""

    pages_with_charts: list[Output]  # rendered, with a marker where each SVG goes
    labels: dict[str, str]  # each picture's text alternative (`svg_labels`)
    share_images: list[str]  # their paths
    html_pages: int
    charts: int
    warnings: tuple[str, ...]
    texts: Texts


def measure_all(
    frame: pd.DataFrame, registry: Registry, settings: Settings
) -> tuple[Metrics, dict[str, Metrics]]:
    """The metrics of samtaler, and of each other indicator with rows (by indicator id)."""

    def measure(view: Registry) -> Metrics:
        return compute(frame, view, settings.min_persons, settings.peer_bands)

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
    cache: Cache,
    clock: _Clock,
) -> _Made:
    """Read, check and compute everything, hand each picture to `drawing` as soon as it is
    known, and write every file but those that wait for pictures. What is made here is let
    go on return (the data, the metrics, the page contexts), before the pictures come back.
    """
    inputs = read_inputs(settings)
    registry, topology, (frame, manifest, releases, context), content, sources, _ = inputs
    clock.lap("load and validate")

    metrics, others = measure_all(frame, registry, settings)
    gaps = unruled(frame, registry)
    clock.lap("metrics")

    canonical = canonical_table(frame, sources)
    # The workbooks first: each row's cells are made for them and let go before the pages
    # are made, so the two are never in memory at once.
    books = spreadsheets.workbooks(canonical, registry, sources, manifest.release_date)
    site.write(excel.workbooks(spreadsheets.danish_table(canonical, registry), books, cache))
    clock.lap("Excel files")
    model = site_model(
        metrics,
        registry,
        dataclasses.replace(options(settings), origins=sources),
        manifest,
        releases,
        content,
        topology,
        ready=lambda item: drawing.add(*pictures(item)),
        others=others,
        context=context,
        unruled=gaps,
    )
    _check_content_paths(content, model.pages)
    clock.lap("page contexts and chart specs")

    # Each page is written as it is rendered, but those that wait for their pictures; then
    # the page contexts are let go, before the downloads are made.
    env = environment(settings.templates_dir, model.site)
    with_charts: list[Output] = []
    html_pages = 0
    for page in model.pages:
        rendered = render_page(env, page)
        html_pages += rendered.path.endswith(".html")
        if has_charts(rendered):
            with_charts.append(rendered)
        else:
            site.write([rendered])
    site.write(model.outputs)
    made = _Made(
        pages_with_charts=with_charts,
        labels=svg_labels(model.charts),
        share_images=[s.path for s in model.share_images],
        html_pages=html_pages,
        charts=len(model.charts),
        warnings=tuple(u.warning for u in gaps),
        texts=Texts(inputs.variables, model.site, content),
    )
    del model, env
    site.write(downloads(canonical, metrics, registry, manifest, sources, others))
    site.write([Output(addresses.NOJEKYLL, "")])
    site.write(copy_assets(settings.assets_dir))
    clock.lap("templates and downloads")
    return made


def options(settings: Settings) -> Options:
    """The few settings the pages use."""
    return Options(
        title=settings.title,
        urls=Urls(settings.base_url, settings.site_url),
        min_persons=settings.min_persons,
        headline_group=settings.headline_group,
        peer_bands=settings.peer_bands,
    )


def _check_content_paths(content: tuple[Content, ...], pages: tuple) -> None:
    """A content page whose slug is the address of another page of the site would overwrite
    it: an error naming the Markdown file."""
    taken = {p.path for p in pages if not isinstance(p, TextPage)}
    clashes = [
        DataError(c.file, 1, "slug", f"{c.slug!r} is the address of another page of the site")
        for c in content
        if c.path in taken
    ]
    if clashes:
        raise DataErrors(clashes)


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
