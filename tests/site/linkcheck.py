"""A link checker for the built site: every internal link and anchor must resolve to a file."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

ATTRIBUTES = (
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("iframe", "src"),
    ("object", "data"),
    ("form", "action"),
    (True, "data-spec"),  # a chart's Vega-Lite spec, fetched by samtaletjek.js
    (True, "data-values"),  # a chart's figures, likewise
    (True, "data-vega"),  # the Vega bundle, loaded by samtaletjek.js when a chart is drawn
)


def _links(attribute: str, value: str) -> list[str]:
    """The URLs in one attribute: a srcset lists "url [descriptor]" candidates."""
    if attribute == "srcset":
        return [c.split()[0] for c in value.split(",") if c.strip()]
    return [value]


def _spec_urls(node: object) -> list[str]:
    """Every `"url"` a Vega-Lite spec would load (data, images), however deeply nested."""
    if isinstance(node, dict):
        found = [node["url"]] if isinstance(node.get("url"), str) else []
        return found + [u for key, v in node.items() if key != "url" for u in _spec_urls(v)]
    if isinstance(node, list):
        return [u for v in node for u in _spec_urls(v)]
    return []


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {tag["id"] for tag in html.find_all(id=True)}
    return cache[path]


def check_links(site: Path, base_url: str = "/") -> tuple[list[str], int]:
    """Return (broken links as "page: link (why)", links checked) for every HTML page of `site`.

    Links are resolved as a browser would at `base_url`; a link outside the base, to another
    host, or to a missing file or anchor is broken.
    """
    broken, checked, ids = [], 0, {}
    for page in sorted(site.rglob("*.html")):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        page_url = base_url + page.relative_to(site).as_posix()
        for tag, attribute in ATTRIBUTES:
            for element in html.find_all(tag, attrs={attribute: True}):
                value = element[attribute]
                if tag == "link" and "canonical" in (element.get("rel") or []):
                    continue
                for link in _links(attribute, value):
                    checked += 1
                    why = _problem(site, base_url, page, page_url, link, ids)
                    if why:
                        broken.append(f"{page.relative_to(site)}: {link} ({why})")
                    elif attribute == "data-spec":
                        spec = _target(site, base_url, page_url, link)
                        for url in _spec_urls(json.loads(spec.read_text(encoding="utf-8"))):
                            checked += 1
                            why = _problem(site, base_url, page, page_url, url, ids)
                            if why:
                                broken.append(f"{page.relative_to(site)}: {link} → {url} ({why})")
    return broken, checked


def _problem(site: Path, base: str, page: Path, page_url: str, link: str, ids: dict) -> str:
    parts = urlsplit(link)
    if parts.scheme in {"mailto", "tel"}:
        return ""
    if parts.scheme or parts.netloc:
        return "points outside the site"
    if not parts.path:  # "#anchor" on the same page
        target = page
    else:
        target = _target(site, base, page_url, link)
        if target is None:
            return f"outside the base URL {base}"
        if not target.is_file():
            return "no such file"
    if parts.fragment and target.suffix == ".html" and parts.fragment not in _ids(target, ids):
        return f"no element with id {parts.fragment!r}"
    return ""


def _target(site: Path, base: str, page_url: str, link: str) -> Path | None:
    """The file a same-site link points at, or None when it is outside `base`."""
    path = urlsplit(link).path
    path = path if path.startswith("/") else _join(page_url, path)
    if not path.startswith(base):
        return None
    target = site / unquote(path[len(base) :])
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def _join(page_url: str, relative: str) -> str:
    stack = page_url.rsplit("/", 1)[0].split("/")
    for part in relative.split("/"):
        if part == "..":
            stack.pop()
        elif part not in {".", ""}:
            stack.append(part)
    return "/".join(stack) + ("/" if relative.endswith("/") else "")
