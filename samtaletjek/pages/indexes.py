"""The list pages (all target groups, all municipalities), the 404 page, content pages, the
sitemap and robots.txt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..domain import danish as fmt
from ..domain.content import Content
from ..domain.registry import Registry
from . import addresses
from .base import Choice
from .target_group import TargetGroupPage


@dataclass(frozen=True)
class IndexEntry:
    href: str
    name: str
    detail: str


@dataclass(frozen=True)
class IndexSection:
    heading: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class IndexPage:
    template: str  # the list of groups and the list of municipalities look different
    path: str
    title: str
    description: str
    intro: str
    sections: tuple[IndexSection, ...]
    indicators: tuple[Choice, ...] = ()  # on samtaler's list of groups: every indicator's page
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def group_index(
    groups: list[TargetGroupPage], registry: Registry, indicators: tuple[Choice, ...] = ()
) -> IndexPage:
    """The list of target groups with their latest national figure."""
    entries = tuple(
        IndexEntry(
            p.path,
            p.name,
            f"{p.national_share} i hele landet i {p.month}"
            + (f"; {p.counts.sentence}." if p.counts.judged else "."),
        )
        for p in groups
    )
    return IndexPage(
        template="maalgrupper.html",
        shows=(registry.indicator_id,),
        path=addresses.GROUPS,
        title="Målgrupper",
        description=f"De {len(groups)} målgrupper i kontaktforløbet og kravene til samtaler "
        "for hver.",
        intro="Loven stiller forskellige krav til samtaler for hver målgruppe. Vælg en gruppe "
        f"for at se reglerne og alle {len(registry.municipalities)} kommuner.",
        sections=(IndexSection("Alle målgrupper", entries),),
        indicators=indicators,
    )


def municipality_index(registry: Registry) -> IndexPage:
    """All municipalities by region, alphabetically."""
    sections = []
    for region in registry.regions:
        members = sorted(
            (m for m in registry.municipalities if m.region == region),
            key=lambda m: fmt.sort_key(m.name),
        )
        sections.append(
            IndexSection(
                region,
                tuple(IndexEntry(addresses.municipality(m), m.name, "") for m in members),
            )
        )
    return IndexPage(
        template="kommuner.html",
        path=addresses.MUNICIPALITIES,
        title="Alle kommuner",
        description=f"Find din kommune: de {len(registry.municipalities)} kommuner fordelt på "
        "regioner.",
        intro="Vælg en kommune for at se, om borgerne får de samtaler, loven kræver.",
        sections=tuple(sections),
    )


@dataclass(frozen=True)
class NotFoundPage:
    """The 404 page."""

    template: ClassVar[str] = "404.html"
    path: str = addresses.NOT_FOUND
    title: str = "Siden findes ikke"
    description: str = "Siden findes ikke."
    shows: tuple[str, ...] = ()  # no figures


@dataclass(frozen=True)
class TextPage:
    """A content page written in Markdown (`content/`, read by `store.content`)."""

    template: ClassVar[str] = "page.html"
    path: str
    title: str
    description: str
    html: str
    shows: tuple[str, ...] = ()  # no figures: its numbers are the rules' (reference data)


def text_page(content: Content) -> TextPage:
    """The page of a content file."""
    return TextPage(
        path=content.path,
        title=content.title,
        description=content.description,
        html=content.html,
    )


@dataclass(frozen=True)
class Sitemap:
    template: ClassVar[str] = "sitemap.xml"
    path: str
    paths: tuple[str, ...]  # every HTML page, relative to the site root
    lastmod: str  # YYYY-MM-DD: the data's release date


@dataclass(frozen=True)
class Robots:
    template: ClassVar[str] = "robots.txt"
    path: str = addresses.ROBOTS


def sitemap(page_paths: list[str], lastmod: str) -> Sitemap:
    """The sitemap of the HTML pages at `page_paths` but the embeds (not to be indexed)."""
    paths = sorted(p for p in page_paths if not addresses.is_embed(p))
    return Sitemap(addresses.SITEMAP, tuple(paths), lastmod)
