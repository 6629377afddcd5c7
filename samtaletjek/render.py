"""The only code that writes the site: SVG rendering, Jinja2 templates, downloads, the swap.

Everything is written into a fresh staging directory beside the output directory, which is
swapped in only when the whole site is complete, so a failing build never leaves half a site
and never destroys the last good one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import _svg
from .cache import Cache, key
from .pages import Chart, Site


def spec_json(spec: dict) -> str:
    """Return a spec as compact, key-sorted JSON: the same spec always gives the same bytes."""
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
    keys = {pid: key(_svg.VERSION, kind, spec) for pid, (kind, spec) in jobs_by_id.items()}
    done: dict[str, bytes] = {}
    for pid, (kind, _) in jobs_by_id.items():
        cached = cache.get(kind, keys[pid])
        if cached is not None:
            done[pid] = cached
    # Pictures with the same spec (e.g. a page shown at two paths) are drawn once.
    todo = list({keys[pid]: pid for pid in jobs_by_id if pid not in done}.values())
    work = [jobs_by_id[pid] for pid in todo]
    if pool is None or len(todo) < 8:
        fresh = map(_svg.render, work)
    else:
        fresh = pool.map(_svg.render, work, chunksize=max(1, len(todo) // 16))
    for count, (pid, data) in enumerate(zip(todo, fresh, strict=True), start=1):
        done[pid] = data
        cache.put(jobs_by_id[pid][0], keys[pid], data)
        if tick:
            tick(count, len(todo))
    by_key = {keys[pid]: done[pid] for pid in todo}
    for pid in jobs_by_id:
        done.setdefault(pid, by_key.get(keys[pid]))
    return Rendered(done, len(todo))


def inline_svgs(charts: Iterable[Chart], rendered: Rendered) -> dict[str, str]:
    """Return chart id → the SVG ready to inline in a page."""
    return {
        c.id: _accessible_svg(rendered.pictures[c.id].decode("utf-8"), c.id, c.summary)
        for c in charts
    }


_ID = re.compile(r'\bid="([^"]+)"')
_FONT = re.compile(r' font-family="[^"]*"')
# vl-convert marks groups as ARIA graphics objects; inside a role="img" they only confuse.
_INNER_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_LONG_NUMBER = re.compile(r"(?<=[\d])\.(\d)\d+")
_DEFAULT_OPACITY = ' opacity="1"'


def _accessible_svg(svg: str, chart_id: str, label: str) -> str:
    """Make a rendered SVG safe to inline: unique ids, a text alternative, fewer bytes.

    vl-convert repeats the font stack on every text element and writes coordinates to 15
    digits; the font is inherited from the page instead and coordinates keep one decimal,
    a tenth of a pixel.
    """
    svg = _INNER_ARIA.sub("", _FONT.sub("", svg))
    svg = _LONG_NUMBER.sub(r".\1", svg).replace(_DEFAULT_OPACITY, "")
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{chart_id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{_attr(label)}" focusable="false" ',
        1,
    )
    return svg


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


@dataclass(frozen=True)
class Output:
    """A file of the site: its path relative to the site root and its text or bytes."""

    path: str
    content: str | bytes


def environment(templates_dir: Path, site: Site, svgs: dict[str, str]) -> jinja2.Environment:
    """Return the Jinja2 environment every page is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def url(path: str = "") -> str:
        return site.base_url + path.lstrip("/")

    def absolute(path: str = "") -> str:
        return site.site_url + url(path)

    env.globals.update(
        site=site,
        url=url,
        absolute=absolute,
        svg=lambda chart: Markup(svgs[chart.id]),
    )
    return env


def render_page(env: jinja2.Environment, template: str, path: str, page: object) -> Output:
    """Return one rendered page; a directory path like `kommune/varde/` gets an index.html."""
    html = env.get_template(template).render(page=page, current=path)
    target = f"{path}index.html" if path.endswith("/") or not path else path
    return Output(target, html)


def copy_assets(assets_dir: Path) -> list[Output]:
    """Return every file under `assets_dir` as an output under `assets/`."""
    return [
        Output(f"assets/{p.relative_to(assets_dir).as_posix()}", p.read_bytes())
        for p in sorted(assets_dir.rglob("*"))
        if p.is_file()
    ]


def write_site(outputs: Iterable[Output], out_dir: Path) -> int:
    """Write all outputs into a staging directory, then swap it in for `out_dir`.

    Returns the number of bytes written.
    """
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    total = 0
    try:
        for output in outputs:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = (
                output.content.encode("utf-8")
                if isinstance(output.content, str)
                else output.content
            )
            target.write_bytes(data)
            total += len(data)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return total


def _swap(staging: Path, out_dir: Path) -> None:
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        if old.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
