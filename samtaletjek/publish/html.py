"""Writing pages: the Jinja2 environment, each page rendered from its typed context with the
template it names, and the drawn SVGs made safe to inline."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..domain import danish
from ..errors import UserError
from ..pages import addresses
from ..pages.base import Chart, Output, Page, Site
from .pictures import Rendered


def svg_labels(charts: Iterable[Chart]) -> dict[str, str]:
    """Picture id → its text alternative: the chart's summary, or none for a panel of small
    multiples (the grid of panels has the chart's, on the page). All a build keeps of its
    charts while they are drawn, so their specs are let go."""
    return {pid: "" if c.panels else c.summary for c in charts for pid, _ in c.pictures}


def labelled_svgs(labels: dict[str, str], rendered: Rendered) -> dict[str, str]:
    """Picture id → the SVG ready to inline, with its text alternative (`svg_labels`)."""
    return {
        pid: _accessible_svg(rendered.pictures[pid].decode("utf-8"), pid, label)
        for pid, label in labels.items()
    }


_ID = re.compile(r'\bid="([^"]+)"')


def _accessible_svg(svg: str, picture_id: str, label: str) -> str:
    """Make a drawn SVG (already slimmed by `draw.slim_svg`) safe to inline in its page:
    ids unique in the page, and the chart's summary as its text alternative (none: hidden
    from screen readers, as a part of a picture that has one)."""
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{picture_id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
    named = f'role="img" aria-label="{_attr(label)}"' if label else 'aria-hidden="true"'
    return svg.replace("<svg ", f'<svg {named} focusable="false" ', 1)


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _marker(chart_id: str) -> str:
    return f"<!--svg {chart_id}-->"


_MARKER = re.compile(r"<!--svg ([^>]+)-->")


def has_charts(output: Output) -> bool:
    """True for a rendered page that waits for the SVGs of its charts."""
    return isinstance(output.content, str) and "<!--svg " in output.content


def insert_svgs(pages: list[Output], svgs: dict[str, str]) -> list[Output]:
    """Return the pages with each chart's SVG where its page left the marker for it."""
    return [Output(o.path, _MARKER.sub(lambda m: svgs[m[1]], o.content)) for o in pages]


def environment(templates_dir: Path, site: Site) -> jinja2.Environment:
    """Return the Jinja2 environment every page is rendered with.

    Pages are rendered while their charts are still being drawn: `svg(chart)` leaves a
    marker that `insert_svgs` replaces.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    env.filters["shy"] = danish.soft_hyphens  # long Danish compounds break at their joints
    env.globals.update(
        site=site,
        url=site.urls.url,  # a link to a path of the site
        absolute=site.urls.absolute,  # its address for readers outside the site
        paths=addresses,  # the site's own paths: url(paths.MUNICIPALITIES)
        svg=lambda picture: Markup(_marker(picture.id)),  # a chart, panel or variant
    )
    return env


def render_page(env: jinja2.Environment, page: Page) -> Output:
    """Return one page rendered with the template it names; a directory path like
    `kommune/varde/` gets an index.html. A fault in a template is one line naming its file
    and line (`TemplateProblem`)."""
    try:
        html = env.get_template(page.template).render(page=page, current=page.path)
    except jinja2.TemplateError as exc:
        raise TemplateProblem.of(exc, env, page.template) from None
    return Output(addresses.file_of(page.path), html)


class TemplateProblem(UserError):
    """A template that cannot be read or filled: one line with its file and line."""

    @classmethod
    def of(cls, exc: jinja2.TemplateError, env: jinja2.Environment, name: str) -> TemplateProblem:
        file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if file is None:
            # Errors while filling a template carry its place only in their traceback, where
            # Jinja2 puts the template's file and line.
            root = str(Path(env.loader.searchpath[0]).resolve())  # type: ignore[union-attr]
            places = [
                (frame.f_code.co_filename, number)
                for frame, number in traceback.walk_tb(exc.__traceback__)
                if frame.f_code.co_filename.startswith(root)
            ]
            file, line = places[-1] if places else (name, None)
        where = f"{file}:{line}" if line else str(file)
        message = " ".join(str(exc.message or exc).split())
        return cls(f"{where}: template error: {message}")


def render_pages(env: jinja2.Environment, pages: Iterable[Page]) -> list[Output]:
    """Return every page rendered."""
    return [render_page(env, page) for page in pages]
