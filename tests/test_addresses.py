"""One home for addresses: no path of the site is written outside `pages/addresses.py`, in
`pages/`, `publish/` or `templates/`; and the address book makes the URLs it promises."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from samtaletjek.pages import addresses
from samtaletjek.pages.addresses import Urls
from samtaletjek.settings import PACKAGE

TEMPLATES = PACKAGE / "templates"

# What a path of the site looks like: one of its folders, or one of its kinds of file.
FOLDERS = (
    "kommune",
    "maalgruppe",
    "kort",
    "sammenlign",
    "nyt",
    "overvaagning",
    "data",
    "assets",
    "embed",
    "diagrammer",
    "tilbud",
    "passivitet",
)
SITE_PATH = re.compile(
    rf"^(?:{'|'.join(FOLDERS)})/|\.(?:csv|json|xml|png|xlsx|topojson|txt|md)$|^404\.html$|"
    r"^index\.html$|^\.nojekyll$"
)


def literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant of a module, the pieces of f-strings included,
    but a page's template name (`template: ClassVar[str] = "x.html"`, `template="x.html"`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    template_names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "template":
            template_names.add(id(node.value))
        if isinstance(node, ast.keyword) and node.arg == "template":
            template_names.add(id(node.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in template_names
    ]


# Names that look like a site's path but are not one.
NOT_SITE_PATHS = {
    "fingerprint.py": {"last-build.json"},  # the build cache's own record
    # the parts inside an .xlsx file
    "xlsx.py": {
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
    },
}


def python_files() -> list[Path]:
    files = [*(PACKAGE / "pages").glob("*.py"), *(PACKAGE / "publish").glob("*.py")]
    return [f for f in files if f.name != "addresses.py"]


@pytest.mark.parametrize("path", python_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_site_path_is_written_outside_the_address_book(path: Path):
    found = [
        f"{path.name}:{line}: {text!r}"
        for line, text in literals(path)
        if SITE_PATH.search(text.strip()) and text not in NOT_SITE_PATHS.get(path.name, ())
    ]
    assert not found, "ask pages/addresses.py instead: " + "; ".join(found)


TEMPLATE_PATH = re.compile(
    r"""(?:url|absolute)\(\s*['"]"""  # a literal handed to url() or absolute()
    r"""|(?:href|src|action)="(?!\{\{|#|https?:|mailto:)[^"]"""  # a link not made by url()
    r"""|current\s*[!=]=\s*['"]"""  # a page compared with a literal path
)


QUOTED = re.compile(r"'([^'{}]*)'|" + r'"([^"{}]*)"')
CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


@pytest.mark.parametrize("path", sorted(TEMPLATES.iterdir()), ids=lambda p: p.name)
def test_no_template_writes_a_path_of_the_site(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for m in TEMPLATE_PATH.finditer(text)
    ]
    # Any quoted text in the templates' code that looks like a path of the site.
    found += [
        f"{path.name}: {quoted!r}"
        for code in CODE.findall(text)
        for q in QUOTED.findall(code)
        if SITE_PATH.search(quoted := q[0] or q[1])
    ]
    assert not found, "use url(paths.…) or a path from the page's context: " + "; ".join(found)


def test_the_checks_find_a_literal_path(tmp_path: Path):
    module = tmp_path / "x.py"
    module.write_text('link = f"kommune/{slug}/"\nfile = "data/landstal.csv"\n', "utf-8")
    assert sorted(t for _, t in literals(module) if SITE_PATH.search(t)) == [
        "data/landstal.csv",
        "kommune/",
    ]
    assert TEMPLATE_PATH.search("""<a href="{{ url('kommune/') }}">""")
    assert TEMPLATE_PATH.search('<a href="/kort/">')
    assert not TEMPLATE_PATH.search('<a href="{{ url(paths.MAPS) }}">')
    code = CODE.findall("<a href=\"{{ url(page.path ~ 'feed.xml') }}\">")
    assert [q[0] for c in code for q in QUOTED.findall(c)] == ["feed.xml"]


def test_urls_are_made_from_the_base_url_and_the_site_url():
    local = Urls()
    assert local.url(addresses.MAPS) == "/kort/" and local.absolute(addresses.HOME) == "/"
    pages = Urls("/samtaletjek/", "https://eksempel.github.io")
    assert pages.url(addresses.HOME) == "/samtaletjek/"
    assert pages.absolute(addresses.FEED) == "https://eksempel.github.io/samtaletjek/feed.xml"
    assert addresses.file_of("kommune/varde/") == "kommune/varde/index.html"
    assert addresses.file_of(addresses.HOME) == "index.html"
    assert addresses.file_of(addresses.NOT_FOUND) == "404.html"
