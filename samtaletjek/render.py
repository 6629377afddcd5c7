"""The only code that writes the site: SVG rendering, Jinja2 templates, downloads, the swap.

Everything is written into a fresh staging directory beside the output directory, which is
swapped in only when the whole site is complete, so a failing build never leaves half a site
and never destroys the last good one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import _svg
from .pages import Chart, Site
from .sources.canonical import atomic_write


def spec_json(spec: dict) -> str:
    """Return a spec as compact, key-sorted JSON: the same spec always gives the same bytes."""
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class RenderedCharts:
    svgs: dict[str, str]  # chart id → inline SVG
    rendered: int  # how many were rendered now (the rest came from the cache)


def render_svgs(
    charts: Iterable[Chart], jobs: int, cache_dir: Path | None = None
) -> RenderedCharts:
    """Return every chart as inline SVG, rendering on `jobs` processes (1 = in this process).

    With a `cache_dir`, an SVG is kept under the hash of its spec and the renderer's version,
    so a chart whose spec did not change is not rendered again.
    """
    charts = list(charts)
    specs = {c.id: spec_json(c.static_spec) for c in charts}
    keys = {cid: _cache_key(spec) for cid, spec in specs.items()}
    raw: dict[str, str] = {}
    if cache_dir is not None:
        for cid, key in keys.items():
            path = cache_dir / f"{key}.svg"
            if path.exists():
                raw[cid] = path.read_text(encoding="utf-8")
    todo = [cid for cid in specs if cid not in raw]
    if jobs <= 1 or len(todo) < 8:
        fresh = [_svg.render(specs[cid]) for cid in todo]
    else:
        # spawn, not fork: vl-convert's runtime is threaded and must start clean in each worker.
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            chunk = max(1, len(todo) // (jobs * 4))
            fresh = list(pool.map(_svg.render, [specs[cid] for cid in todo], chunksize=chunk))
    for cid, svg in zip(todo, fresh, strict=True):
        raw[cid] = svg
        if cache_dir is not None:
            atomic_write(cache_dir / f"{keys[cid]}.svg", svg)
    svgs = {c.id: _accessible_svg(raw[c.id], c.id, c.summary) for c in charts}
    return RenderedCharts(svgs, len(todo))


def _cache_key(spec: str) -> str:
    return hashlib.sha256(f"{_svg.VERSION}\n{spec}".encode()).hexdigest()


_ID = re.compile(r'\bid="([^"]+)"')
_FONT = re.compile(r' font-family="[^"]*"')
_LONG_NUMBER = re.compile(r"(?<=[\d])\.(\d)\d+")
_DEFAULT_OPACITY = ' opacity="1"'


def _accessible_svg(svg: str, chart_id: str, label: str) -> str:
    """Make a rendered SVG safe to inline: unique ids, a text alternative, fewer bytes.

    vl-convert repeats the font stack on every text element and writes coordinates to 15
    digits; the font is inherited from the page instead and coordinates keep one decimal,
    a tenth of a pixel.
    """
    svg = _FONT.sub("", svg)
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
