"""A link checker for the built site: every internal link and anchor must resolve to a file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

ATTRIBUTES = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"))


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
            for element in html.find_all(tag):
                link = element.get(attribute)
                if link is None or (tag == "link" and "canonical" in (element.get("rel") or [])):
                    continue
                checked += 1
                why = _problem(site, base_url, page, page_url, link, ids)
                if why:
                    broken.append(f"{page.relative_to(site)}: {link} ({why})")
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
        path = parts.path if parts.path.startswith("/") else _join(page_url, parts.path)
        if not path.startswith(base):
            return f"outside the base URL {base}"
        target = site / unquote(path[len(base) :])
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    if parts.fragment and target.suffix == ".html" and parts.fragment not in _ids(target, ids):
        return f"no element with id {parts.fragment!r}"
    return ""


def _join(page_url: str, relative: str) -> str:
    stack = page_url.rsplit("/", 1)[0].split("/")
    for part in relative.split("/"):
        if part == "..":
            stack.pop()
        elif part not in {".", ""}:
            stack.append(part)
    return "/".join(stack) + ("/" if relative.endswith("/") else "")
