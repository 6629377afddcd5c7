"""Drawing: every chart's SVG and every share image's PNG, with vl-convert on all cores, each
cached under the hash of what it was drawn from."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from ..charts.specs import spec_json
from . import draw
from .cache import Cache, key


@dataclass(frozen=True)
class Picture:
    """A picture drawn from a Vega-Lite spec: an inline SVG chart or a PNG file (share image)."""

    id: str  # a chart id, or the PNG's path in the site
    kind: str  # "svg" or "png"
    spec: dict


@dataclass(frozen=True)
class Rendered:
    pictures: dict[str, bytes]  # id → SVG text (UTF-8) or PNG bytes
    rendered: int  # how many were drawn now; the rest came from the cache


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[Executor | None]:
    """Yield a pool of `jobs` worker processes for drawing and the Excel file; None for 1.

    spawn, not fork: vl-convert's runtime is threaded and must start clean in each worker.
    """
    if jobs <= 1:
        yield None
        return
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        yield pool


def render_pictures(
    pictures: Iterable[Picture],
    pool: Executor | None,
    cache: Cache,
    tick: Callable[[int, int], None] | None = None,
) -> Rendered:
    """Draw every picture with vl-convert, on the `pool`'s processes or in this one.

    Each result is cached under the hash of its kind, spec and the renderer's version, so a
    picture whose spec did not change is not drawn again.
    """
    jobs_by_id = {p.id: (p.kind, spec_json(p.spec)) for p in pictures}
    keys = {pid: key(draw.VERSION, kind, spec) for pid, (kind, spec) in jobs_by_id.items()}
    done: dict[str, bytes] = {}
    for pid, (kind, _) in jobs_by_id.items():
        cached = cache.get(kind, keys[pid])
        if cached is not None:
            done[pid] = cached
    # Pictures with the same spec (e.g. a page shown at two paths) are drawn once.
    todo = list({keys[pid]: pid for pid in jobs_by_id if pid not in done}.values())
    work = [jobs_by_id[pid] for pid in todo]
    if pool is None or len(todo) < 8:
        fresh = map(draw.render, work)
    else:
        fresh = pool.map(draw.render, work, chunksize=max(1, len(todo) // 16))
    for count, (pid, data) in enumerate(zip(todo, fresh, strict=True), start=1):
        done[pid] = data
        cache.put(jobs_by_id[pid][0], keys[pid], data)
        if tick:
            tick(count, len(todo))
    by_key = {keys[pid]: done[pid] for pid in todo}
    for pid in jobs_by_id:
        done.setdefault(pid, by_key.get(keys[pid]))
    return Rendered(done, len(todo))
