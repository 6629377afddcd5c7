"""Pure: what a municipality page offers for reuse: an iframe snippet per chart and a citation.

The embed pages themselves are built in compare.py; this module holds only their addresses, so
that pages.py can use it without importing the section that builds them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .registry import Municipality, Registry, TargetGroup
from .settings import Settings

# Tall enough for the figure, the chart and the source line without a scroll bar.
EMBED_HEIGHT = 640
COMPARE_PATH = "sammenlign/"


def embed_path(m: Municipality, g: TargetGroup) -> str:
    """Return the path of the embed page of municipality `m` and target group `g`."""
    return f"embed/{m.slug}/{g.id}/"


@dataclass(frozen=True)
class EmbedSnippet:
    group: str  # "Dagpengemodtagere"
    id: str  # HTML id of the snippet's text field
    href: str  # the embed page, relative to the site root (a preview link)
    code: str  # the <iframe> element to copy


@dataclass(frozen=True)
class UseFigures:
    """The "Brug tallene" section of a municipality page."""

    url: str  # the page's address as cited: absolute when site_url is set, else from base_url
    snippets: tuple[EmbedSnippet, ...]
    compare_href: str  # the comparison page with this municipality chosen


def site_address(settings: Settings, path: str) -> str:
    """Return the address of `path` as a reader outside the site should use it."""
    return settings.site_url + settings.base_url + path


def iframe_code(src: str, title: str) -> str:
    """Return the iframe element a newsroom pastes into its article."""
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="100%" '
        f'height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>'
    )


def use_figures(
    m: Municipality, page_path: str, registry: Registry, settings: Settings
) -> UseFigures:
    """Return the embed snippets (one per target group) and the address to cite for `m`'s page
    at `page_path`."""
    snippets = tuple(
        EmbedSnippet(
            group=g.name,
            id=f"indlejr-{g.id}",
            href=embed_path(m, g),
            code=iframe_code(
                site_address(settings, embed_path(m, g)),
                f"{g.name} i {m.name} – {settings.title}",
            ),
        )
        for g in registry.target_groups
    )
    return UseFigures(site_address(settings, page_path), snippets, f"{COMPARE_PATH}?k={m.slug}")
