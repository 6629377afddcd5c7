"""The builds of `serve`: the whole site first and whenever data, reference data, templates or
settings change; only the content pages and assets when nothing else did.

A content page's text is on its own page only; its title, address and place in the menu are
on every page (the menu), so an edit of those builds the whole site. An asset is copied as it
is. What a rewrite makes is byte for byte what a whole build makes (tests/test_preview.py), and
it is put in place one file at a time in the served site.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from . import build as site_build
from .build import Texts
from .pages import addresses
from .pages.base import Output
from .pages.indexes import text_page
from .pages.site import navigation, site_of
from .publish import fingerprint
from .publish.html import environment, render_page
from .publish.pictures import VL_CONVERT, Renderer
from .publish.site import copy_assets, replace_files
from .settings import Settings
from .store.content import read_content

# What serve reads once, when it starts: where it serves the site from and what it watches.
PINNED = (
    "base_url",
    "out_dir",
    "cache_dir",
    "data_dir",
    "reference_dir",
    "content_dir",
    "templates_dir",
    "assets_dir",
)

T = TypeVar("T")


class Preview:
    """The site `serve` shows: built whole, or in part after an edit of content pages or assets.

    `load` reads the settings (again after an edit of site.toml; those in PINNED keep their
    first value); `say` gets one line per stage and outcome.
    """

    def __init__(
        self,
        load: Callable[[], Settings],
        jobs: int,
        say: Callable[[str], None],
        renderer: Renderer = VL_CONVERT,
    ) -> None:
        self.load = load
        self.settings = load()
        self.jobs = jobs
        self.say = say
        self.renderer = renderer
        # The served site: the hash of the inputs it was built from, and of all but content/
        # and assets/ ("" where unknown), and what its content pages were made with.
        self.inputs = ""
        self.rest = ""
        self.texts: Texts | None = None

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders the build reads, to be watched."""
        return site_build.folders_read(self.settings)

    def build(self) -> None:
        """Build the whole site, with the settings as they are now (skipped, as `build` is,
        when nothing changed since the last build)."""
        self.settings = self._settings()
        self.inputs, self.rest, self.texts = "", "", None  # until it is built
        out = self.settings.out_dir
        report, inputs, rest = self._steady(
            lambda: site_build.build(
                self.settings,
                self.jobs,
                progress=lambda line: self.say(f"  {line}"),
                renderer=self.renderer,
            )
        )
        self.inputs, self.rest, self.texts = inputs, rest, report.texts
        if report.skipped:
            self.say(f"built 0 pages: nothing changed since the last build of {out}")
        else:
            self.say(f"built {report.pages} pages ({report.rendered} charts rendered)")

    def prepare(self) -> None:
        """Read what the content pages were made with, if the last build was skipped, so that
        the first edit of one is quick too."""
        if self.texts is None and self.inputs:
            texts, inputs, _ = self._steady(lambda: texts_of(self.settings))
            if inputs == self.inputs:  # what was read is what the served site was built from
                self.texts = texts
                self.say("ready: an edit of a content page rewrites that page alone")

    def rebuild(self, changed: Collection[Path]) -> None:
        """Build again after the files `changed` changed: only the content pages and assets
        where that is enough, else the whole site."""
        if not self._rewrite(changed):
            self.build()

    def _rewrite(self, changed: Collection[Path]) -> bool:
        """Make the content pages and assets again and put those that changed in place;
        False, with nothing written, where the whole site must be built."""
        settings = self.settings
        texts = {p for p in changed if _under(p, settings.content_dir)}
        assets = {p for p in changed if _under(p, settings.assets_dir)}
        if not changed or set(changed) - texts - assets:
            return False
        if not self.inputs or (texts and self.texts is None):
            return False
        # The served site must be as the last build left it, not touched since.
        if not fingerprint.unchanged(settings.cache_dir, settings.out_dir, self.inputs):
            return False
        start = time.perf_counter()
        remade = self._steady(lambda: self._remake(bool(texts), bool(assets)))
        (outputs, content), inputs, rest = remade
        if outputs is None or not inputs or rest != self.rest:
            return False
        written = replace_files(settings.out_dir, outputs)
        fingerprint.remember(settings.cache_dir, settings.out_dir, inputs)
        self.inputs = inputs
        if content is not None and self.texts is not None:
            self.texts = dataclasses.replace(self.texts, content=content)
        what = ", ".join(written) if written else "nothing (no page changed)"
        self.say(f"rewrote {what} in {time.perf_counter() - start:.2f} s")
        return True

    def _remake(self, texts: bool, assets: bool) -> tuple[list[Output] | None, tuple | None]:
        """The content pages (if `texts`) and assets (if `assets`) as a build makes them, and
        the content read; None for the outputs where a rewrite of them is not enough."""
        settings, outputs, content = self.settings, [], None
        if texts and self.texts is not None:
            content = read_content(settings.content_dir, self.texts.variables)
            if navigation(content) != navigation(self.texts.content):
                return None, None  # a title, address or order: every page's menu shows it
            env = environment(settings.templates_dir, self.texts.site)
            outputs += [render_page(env, text_page(c)) for c in content]
        if assets:
            copies = copy_assets(settings.assets_dir)
            folder = settings.out_dir / addresses.asset("")
            there = {
                addresses.asset(p.relative_to(folder).as_posix())
                for p in folder.rglob("*")
                if p.is_file()
            }
            if there != {o.path for o in copies}:
                return None, None  # an asset was added or removed
            outputs += copies
        return outputs, content

    def _steady(self, read: Callable[[], T]) -> tuple[T, str, str]:
        """`read()`, and the hashes of the inputs it read: all of them, and all but content/
        and assets/; both "" if they changed while it read."""
        before = self._hashes()
        value = read()
        return (value, *before) if self._hashes() == before else (value, "", "")

    def _hashes(self) -> tuple[str, str]:
        settings = self.settings
        return (
            site_build.inputs_hash(settings, self.renderer),
            site_build.inputs_hash(
                settings, self.renderer, (settings.content_dir, settings.assets_dir)
            ),
        )

    def _settings(self) -> Settings:
        """The settings as they are now, those in PINNED as serve started with them."""
        fresh = self.load()
        pinned = {name: getattr(self.settings, name) for name in PINNED}
        if any(getattr(fresh, name) != value for name, value in pinned.items()):
            self.say(
                "note: a changed base_url or folder setting takes effect when serve starts again"
            )
        return dataclasses.replace(fresh, **pinned)


def texts_of(settings: Settings) -> Texts:
    """What the content pages of a build of `settings` are made with, read anew."""
    inputs = site_build.read_inputs(settings)
    metrics, others = site_build.measure_all(inputs.data.frame, inputs.registry, settings)
    options = dataclasses.replace(site_build.options(settings), origins=inputs.sources)
    site = site_of(metrics, inputs.registry, options, inputs.data.manifest, inputs.content, others)
    return Texts(inputs.variables, site, inputs.content)


def _under(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
