"""Writing pages: the Jinja2 environment, each page rendered from its typed context with the
template it names, and the drawn SVGs made safe to inline."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..domain import danish
from ..pages.base import Chart, Output, Page, Site
from .pictures import Rendered


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

    env.filters["shy"] = danish.soft_hyphens  # long Danish compounds break at their joints
    env.globals.update(
        site=site,
        url=url,
        absolute=absolute,
        svg=lambda chart: Markup(svgs[chart.id]),
    )
    return env


def render_page(env: jinja2.Environment, page: Page) -> Output:
    """Return one page rendered with the template it names; a directory path like
    `kommune/varde/` gets an index.html."""
    html = env.get_template(page.template).render(page=page, current=page.path)
    path = page.path
    target = f"{path}index.html" if path.endswith("/") or not path else path
    return Output(target, html)


def render_pages(env: jinja2.Environment, pages: Iterable[Page]) -> list[Output]:
    """Return every page rendered."""
    return [render_page(env, page) for page in pages]
