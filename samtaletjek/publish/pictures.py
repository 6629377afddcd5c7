"""Drawing: every chart's SVG (vl-convert) and every share image's PNG (Pillow), on all
cores, each cached under the hash of what it was drawn from. The small multiples' panels and
the static maps are drawn as a frame once (vl-convert) and each one's own written into it
(`panels`, `mapfill`).

The pool starts with the build, so its workers load vl-convert while the data are read, and
pictures are handed to it as soon as their pages know them; the workers die with the build,
however it ends.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Protocol

from ..charts.specs import spec_json
from ..pages.base import Chart, ShareImage
from . import draw, mapfill, panels, share_png
from .cache import Cache, key
from .workers import Workers


class Filled(Protocol):
    """What is written into a frame to make a picture (`panels.Series`, `mapfill.Colours`)."""

    def fill(self, frame: str) -> str: ...


@dataclass(frozen=True)
class Picture:
    """A picture: an inline SVG chart drawn from a Vega-Lite spec, or a share image's PNG file
    drawn from its card."""

    id: str  # a chart id, or the PNG's path in the site
    kind: str  # "svg", "png" (a Vega-Lite spec as PNG) or "card" (`share_png.KIND`)
    spec: dict  # the Vega-Lite spec, or the card (`Card.as_dict`)


def pictures(item: Chart | ShareImage) -> tuple[Picture, ...]:
    """The pictures a page needs: a chart's SVGs (one, or one per panel or screen width) or
    its share image's PNG."""
    if isinstance(item, Chart):
        return tuple(Picture(id, "svg", spec) for id, spec in item.pictures)
    return (Picture(item.path, share_png.KIND, item.card.as_dict()),)


@dataclass(frozen=True)
class Renderer:
    """What draws the pictures: `render((kind, spec as JSON))` gives their bytes (in a worker
    process when there is a pool, so it must be picklable), and `version` is part of every
    cache key, so pictures of another renderer are never taken for its own. With `frames`,
    a framed panel or map is drawn as its frame, once per frame, with its own written in
    (`panels`, `mapfill`); without, each is drawn whole."""

    render: Callable[[tuple[str, str]], bytes]
    version: str
    frames: bool = False


VL_CONVERT = Renderer(draw.render, draw.RENDERER_VERSION, frames=True)


def framed(spec: dict) -> tuple[dict, Filled] | None:
    """A picture's frame and what is written into it (`fill(frame)`); None for a picture
    that is drawn whole."""
    return panels.split(spec) or mapfill.split(spec)


@dataclass(frozen=True)
class Rendered:
    pictures: dict[str, bytes]  # id → SVG text (UTF-8) or PNG bytes
    rendered: int  # how many were drawn or filled now; the rest came from the cache


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[Executor | None]:
    """Yield a pool of worker processes for drawing, `jobs` less the build's own process (it
    makes the pages and fills the frames all along, so it needs a core of its own); None for
    1. Each worker holds a vl-convert of its own (~170 MB).

    The workers start at once and warm up vl-convert. spawn, not fork: vl-convert's runtime
    is threaded and must start clean in each worker. If the build fails or is stopped, the
    workers are killed, not waited for (`Workers`: nothing can hang on them).
    """
    if jobs <= 1:
        yield None
        return
    pool = Workers(jobs - 1, draw.start_worker, (os.getpid(),))
    try:
        yield pool
    except BaseException:
        pool.kill()
        raise
    pool.shutdown()


class Drawing:
    """The pictures of a build: each drawn (or taken from the cache) as soon as it is added,
    collected when the pages need them.

    Each result is cached under the hash of its kind, spec and the renderer's version, so a
    picture whose spec did not change is not drawn again; pictures with the same spec (e.g. a
    page shown at two paths) are drawn once. A framed panel or map waits for its frame
    (drawn, or cached, as a picture of its own) and is filled in this process as soon as it
    comes.
    """

    def __init__(
        self, pool: Executor | None, cache: Cache, renderer: Renderer = VL_CONVERT
    ) -> None:
        self.pool = pool
        self.cache = cache
        self.renderer = renderer
        self.keys: dict[str, str] = {}  # picture id → cache key
        self.kinds: dict[str, str] = {}  # cache key → kind
        self.done: dict[str, bytes] = {}  # cache key → picture
        self.pending: dict[str, Future] = {}  # cache key → picture being drawn
        # a frame's cache key → (cache key, what is written in) of each picture waiting for it
        self.fills: dict[str, list[tuple[str, Filled]]] = {}
        self.filled: set[str] = set()  # cache keys of pictures waiting or filled
        self.frames: set[str] = set()  # cache keys of the frames drawn now

    def add(self, *pictures: Picture) -> None:
        for picture in pictures:
            spec = spec_json(picture.spec)
            entry = key(self.renderer.version, picture.kind, spec)
            self.keys[picture.id] = entry
            if entry in self.filled or self._found(entry, picture.kind):
                continue
            frames = self.renderer.frames and picture.kind == "svg"
            parts = framed(picture.spec) if frames else None
            if parts is None:
                self._submit(entry, picture.kind, spec)
                continue
            frame, own = parts
            frame_spec = spec_json(frame)
            frame_entry = key(self.renderer.version, "svg", frame_spec)
            if not self._found(frame_entry, "svg"):
                self._submit(frame_entry, "svg", frame_spec)
                self.frames.add(frame_entry)
            self.filled.add(entry)
            self.fills.setdefault(frame_entry, []).append((entry, own))
            if frame_entry in self.done:
                self._fill(frame_entry)

    def _found(self, entry: str, kind: str) -> bool:
        """Whether `entry` is drawn, being drawn or cached (then taken from the cache)."""
        if entry in self.done or entry in self.pending:
            return True
        cached = self.cache.get(kind, entry)
        if cached is not None:
            self.done[entry] = cached
        return cached is not None

    def _submit(self, entry: str, kind: str, spec: str) -> None:
        """Draw `spec` (JSON), here or in the pool, and cache it."""
        self.kinds[entry] = kind
        if self.pool is None:
            self.done[entry] = self.renderer.render((kind, spec))
            self.cache.put(kind, entry, self.done[entry])
        else:
            self.pending[entry] = self.pool.submit(self.renderer.render, (kind, spec))

    def _fill(self, frame_entry: str) -> None:
        """Fill the pictures waiting for the frame `frame_entry`, which is drawn."""
        waiting = self.fills.pop(frame_entry, ())
        frame = self.done[frame_entry].decode("utf-8") if waiting else ""
        for entry, own in waiting:
            self.done[entry] = own.fill(frame).encode("utf-8")
            self.cache.put("svg", entry, self.done[entry])

    def result(self, tick: Callable[[int, int], None] | None = None) -> Rendered:
        """Wait for every picture; `tick(done, total)` as each is finished."""
        total = len(self.pending)
        for count, (entry, future) in enumerate(self.pending.items(), start=1):
            self.done[entry] = future.result()
            self.cache.put(self.kinds[entry], entry, self.done[entry])
            self._fill(entry)
            if tick:
                tick(count, total)
        self.pending.clear()
        pictures = {pid: self.done[entry] for pid, entry in self.keys.items()}
        return Rendered(pictures, len(self.kinds) - len(self.frames) + len(self.filled))
