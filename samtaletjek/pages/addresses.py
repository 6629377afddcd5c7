"""The site's address book: every page and file of the site has its path here, and every URL
is made here from a path, the base URL and the site URL (Datasette's `urls`).

A path is relative to the site root ("kommune/varde/", "data/landstal.csv"); a directory path
ends in "/" and is written as its index.html. Pages, feeds, the sitemap, embeds, the scripts'
data, chart specs and templates all ask this module; no other module of `pages/`,
`publish/` or `templates/` writes a path of the site (tests/test_addresses.py checks).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.registry import DEFAULT_INDICATOR, Indicator, Municipality, TargetGroup

# ---- pages --------------------------------------------------------------------------------

HOME = ""
MUNICIPALITIES = "kommune/"
GROUPS = "maalgruppe/"  # samtaler's target groups; another indicator's are under its slug
MAPS = "kort/"
COMPARE = "sammenlign/"
NEWS = "nyt/"
WATCH = "overvaagning/"
NOT_FOUND = "404.html"


def municipality(m: Municipality) -> str:
    return f"{MUNICIPALITIES}{m.slug}/"


def group(g: TargetGroup) -> str:
    """maalgruppe/<id>/ for samtaler's groups, <indicator's folder>/<id>/ for the others'."""
    return f"{g.folder}/{g.id}/"


def indicator(ind: Indicator) -> str:
    """The page of an indicator: the target groups' index for samtaler, <slug>/ for others."""
    return GROUPS if ind.id == DEFAULT_INDICATOR else f"{ind.slug}/"


def map_page(g: TargetGroup) -> str:
    """kort/<group>/ for samtaler's groups, kort/<indicator's folder>/<group>/ for others'."""
    return f"{MAPS}{g.within}{g.id}/"


def compare(g: TargetGroup, headline_group: str) -> str:
    """The headline group's comparison is sammenlign/; every other group has its own page,
    sammenlign/<group>/, and another indicator's groups theirs below its folder,
    sammenlign/tilbud/<group>/."""
    if g.indicator == DEFAULT_INDICATOR and g.id == headline_group:
        return COMPARE
    return f"{COMPARE}{g.within}{g.id}/"


def compare_with(m: Municipality) -> str:
    """The comparison page with `m` chosen."""
    return f"{COMPARE}?k={m.slug}"


EMBEDS = "embed/"


def embed(m: Municipality, g: TargetGroup) -> str:
    """embed/<kommune>/<group>/ for samtaler, embed/<kommune>/<indicator's folder>/<group>/."""
    return f"{EMBEDS}{m.slug}/{g.within}{g.id}/"


def is_embed(path: str) -> bool:
    """True for the pages made to sit in an iframe (not to be indexed)."""
    return path.startswith(EMBEDS)


def watch_row(m: Municipality) -> str:
    """A municipality's row on the list."""
    return f"{WATCH}#kommune-{m.slug}"


def news_entry(release_id: str) -> str:
    return f"{NEWS}#udgivelse-{release_id}"


def file_of(path: str) -> str:
    """The file a page path is written to: a directory path gets its index.html."""
    return f"{path}index.html" if path.endswith("/") or not path else path


# ---- files beside the pages ---------------------------------------------------------------

FEED = "feed.xml"
WATCH_FEED = f"{WATCH}feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"  # GitHub Pages: serve the files as they are
TOPOLOGY = f"{MAPS}kommuner.topojson"  # the boundaries the interactive maps load
OVERVIEW_MAP_SPEC = f"{MAPS}overblik.vl.json"
# A panel of the browser's small multiples, shared by every panel of every page. (Its name is
# new with the panels: a browser holding the old facet spec never pairs it with a new page.)
TREND_TEMPLATE = "diagrammer/udviklingsfelt.vl.json"


def municipality_feed(m: Municipality) -> str:
    return f"{municipality(m)}feed.xml"


def share_image(page: str) -> str:
    """A page's 1200×630 picture for links shared on social media."""
    return f"{page}deling.png"


def figures(page: str) -> str:
    """A municipality's figures beside its page (its chart and the embeds read them)."""
    return f"{page}tal.json"


def national_figures(page: str) -> str:
    """The national figures a page's small multiples draw, beside the page."""
    return f"{page}landstal.json"


def ranking_spec(g: TargetGroup) -> str:
    return f"{group(g)}rang.vl.json"


def map_spec(page: str) -> str:
    return f"{page}kort.vl.json"


def map_values(g: TargetGroup) -> str:
    """The shares of every month, for a map's month slider."""
    return f"{map_page(g)}andele.json"


def compare_spec(page: str) -> str:
    return f"{page}diagram.vl.json"


def compare_data_dir(g: TargetGroup) -> str:
    """Where compare.js finds the figures of `g`'s indicator: sammenlign/, sammenlign/tilbud/."""
    return f"{COMPARE}{g.within}"


def compare_data(g: TargetGroup) -> str:
    return f"{compare_data_dir(g)}{g.id}.json"


def embed_spec(g: TargetGroup) -> str:
    """The chart spec every embed page of `g` shares."""
    return f"{EMBEDS}{g.key}.vl.json"


def asset(name: str) -> str:
    return f"assets/{name}"


# ---- downloads ----------------------------------------------------------------------------

DATA = "data/"
ALL_CSV = f"{DATA}samtaler.csv"
NATIONAL_CSV = f"{DATA}landstal.csv"
REGIONAL_CSV = f"{DATA}regioner.csv"
WATCH_CSV = f"{DATA}overvaagning.csv"
DATA_README = f"{DATA}README.md"
DATAPACKAGE = f"{DATA}datapackage.json"


def municipality_workbook(m: Municipality | None = None) -> str:
    """data/kommune/<kommune>.xlsx (the pattern without `m`)."""
    return f"{DATA}kommune/{m.slug if m else '<kommune>'}.xlsx"


def group_workbook(g: TargetGroup | None = None, folder: str = "") -> str:
    """data/maalgruppe/<id>.xlsx, data/tilbud/<id>.xlsx, … (the pattern of `folder` without
    `g`)."""
    return f"{DATA}{g.folder}/{g.id}.xlsx" if g else f"{DATA}{folder}/<målgruppe>.xlsx"


def excel_csv(csv_path: str) -> str:
    """The CSV for Danish Excel beside a machine-readable one: data/kommune/varde-excel.csv."""
    return csv_path.removesuffix(".csv") + "-excel.csv"


def indicator_workbook(i: Indicator | None = None) -> str:
    """data/indikator/<slug>.xlsx: every row of one indicator (the pattern without `i`)."""
    return f"{DATA}indikator/{i.slug if i else '<indikator>'}.xlsx"


def in_data(path: str) -> str:
    """A download's path as the data folder's README names it: "kommune/varde.csv"."""
    return path.removeprefix(DATA)


# ---- URLs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Urls:
    """URLs of the site's paths: from the base URL ("/", "/samtaletjek/") for links within
    the site, and with the site URL ("https://x.github.io") for readers outside it."""

    base_url: str = "/"
    site_url: str = ""

    def url(self, path: str = "") -> str:
        """The link to `path` from any page of the site."""
        return self.base_url + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        """The address of `path` as a reader outside the site should use it (canonical links,
        feeds, the sitemap, embed code); path-only where no site URL is set."""
        return self.site_url + self.url(path)
