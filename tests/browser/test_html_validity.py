"""The Nu HTML Checker (vnu.jar from npm's vnu-jar, run with Java): no errors on any page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .conftest import VNU, require

REQUIRED_TYPES = {
    "index.html",  # the overview
    "kommune/index.html",
    "kommune/*/index.html",
    "maalgruppe/index.html",
    "maalgruppe/*/index.html",
    "metode/index.html",  # a content page
}


def page_types(site: Path) -> dict[str, Path]:
    """One page of each type: kommune/varde/ stands for every kommune/*/, and so on.

    A page at depth three or more is one of many of its kind; every other page (the overview,
    the index pages, each content page, 404.html) is a type of its own.
    """
    types: dict[str, Path] = {}
    for page in sorted(site.rglob("*.html")):
        parts = list(page.relative_to(site).parts)
        if len(parts) > 2:
            parts[1:-1] = ["*"] * (len(parts) - 2)
        key = "/".join(parts)
        types.setdefault(key, page)
    return types


def test_every_page_is_valid_html(site: Path):
    java = shutil.which("java")
    require(java, "Java not found (the Nu HTML Checker needs Java 11 or newer)")
    require(VNU.is_file(), f"vnu.jar not found at {VNU}")
    types = page_types(site)
    assert REQUIRED_TYPES.issubset(types), sorted(types)
    # One run over every page: the checker's start-up, not the pages, takes the time.
    files = [str(path) for path in sorted(site.rglob("*.html"))]
    files += [str(site / "assets" / "style.css"), str(site / "assets" / "favicon.svg")]
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", "--also-check-css"]
        + ["--also-check-svg", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(run.stdout)["messages"]
    errors = [m for m in messages if m["type"] != "info"]
    prefix = f"file:{site}/"
    report = "\n".join(
        f"{m.get('url', '').removeprefix(prefix)}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors
    )
    assert not errors, f"vnu found {len(errors)} errors in {len(files)} files:\n{report}"
    assert run.returncode == 0, run.stderr
