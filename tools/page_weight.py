"""What a page of a built site costs a reader before they touch a chart: the files a browser
fetches while the page opens (the HTML, its stylesheets, icons, eager images and scripts),
each gzip-compressed as a static host sends it. What samtaletjek.js loads later (the Vega
bundle, a chart's spec and figures) is not among them; the browser test checks that a real
browser fetches exactly these files (tests/browser/test_page_weight.py)."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


@dataclass(frozen=True)
class Loaded:
    path: str  # as the browser asks for it: "/assets/style.css"
    raw: int  # bytes on disk
    gzip: int  # bytes gzip-compressed (level 6, as most static hosts send them)


# What the page's scripts fetch later, when a chart is reached: its spec and figures, and the
# Vega bundle (named on samtaletjek.js's tag, fetched only by a page with a chart to draw).
LATER = ("data-spec", "data-values", "data-template")
BUNDLE = "data-vega"


class _Eager(HTMLParser):
    """Collects the URLs a browser fetches while it parses the page (`urls`), and those the
    page's scripts fetch when a chart is reached (`later`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.later: list[str] = []
        self.bundle: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.later += [a[name] for name in LATER if a.get(name)]
        self.bundle += [a[BUNDLE]] if a.get(BUNDLE) else []
        rel = set(a.get("rel", "").lower().split())
        lazy = a.get("loading") == "lazy"
        if tag == "link" and rel & {"stylesheet", "icon", "preload", "modulepreload"}:
            self.urls.append(a.get("href", ""))
        elif a.get("src") and (tag == "script" or tag in {"img", "iframe"} and not lazy):
            self.urls.append(a["src"])


def _file(site: Path, base: str, path: str) -> Path:
    """The file of the site a path under `base` names (a folder: its index.html)."""
    inside = site / path[len(base) :]
    return inside / "index.html" if path.endswith("/") else inside


def eager_paths(site: Path, page: str, base: str = "/") -> list[str]:
    """The paths (under `base`) a browser fetches to open `page` ("kommune/varde/"), itself
    first: what its HTML names and what those stylesheets name (url(): fonts, images)."""
    return _paths(site, page, base, later=False)


def all_paths(site: Path, page: str, base: str = "/") -> list[str]:
    """`eager_paths` and what the page's scripts fetch when its charts are reached: their
    specs and figures, and the Vega bundle where there is a chart to draw."""
    return _paths(site, page, base, later=True)


def _paths(site: Path, page: str, base: str, later: bool) -> list[str]:
    start = base + page
    parser = _Eager()
    parser.feed(_file(site, base, start).read_text(encoding="utf-8"))
    urls = parser.urls
    if later and parser.later:
        urls = [*urls, *parser.later, *parser.bundle]
    found, queue = [start], [urljoin(start, url) for url in urls]
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme not in {"", "http", "https"} or parts.netloc or parts.path in found:
            continue  # data: URLs and other hosts (the site has none) are no file of the site
        found.append(parts.path)
        if parts.path.endswith(".css"):
            text = _file(site, base, parts.path).read_text(encoding="utf-8")
            queue += [urljoin(parts.path, u) for u in CSS_URL.findall(text)]
    return found


def weigh(site: Path, paths: list[str], base: str = "/") -> list[Loaded]:
    """Each path's file, raw and gzip-compressed."""
    loaded = []
    for path in paths:
        data = _file(site, base, path).read_bytes()
        loaded.append(Loaded(path, len(data), len(gzip.compress(data, 6, mtime=0))))
    return loaded


def before_interaction(site: Path, page: str, base: str = "/") -> list[Loaded]:
    """What opening `page` costs before the reader touches a chart, file by file."""
    return weigh(site, eager_paths(site, page, base), base)
