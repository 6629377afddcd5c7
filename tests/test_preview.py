"""serve's builds (samtaletjek/preview.py): an edit of a content page or an asset rewrites
those files alone, byte for byte as a whole build makes them; anything else builds the site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SMALL, SMALL_REFERENCE, build_site
from stand_in import STAND_IN

from samtaletjek.preview import Preview
from samtaletjek.publish import share_png
from samtaletjek.publish.pictures import Renderer
from samtaletjek.settings import PACKAGE, Settings


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def stats(root: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and time of change: what a rewrite of it changes."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def rewritten(before: dict[str, tuple[int, int]], root: Path) -> set[str]:
    after = stats(root)
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


class Counted:
    """The stand-in renderer, counting the pictures it draws."""

    def __init__(self) -> None:
        self.drawn = 0
        self.renderer = Renderer(self.render, STAND_IN.version)

    def render(self, job: tuple[str, str]) -> bytes:
        self.drawn += 1
        return STAND_IN.render(job)


@pytest.fixture
def sources(tmp_path: Path) -> Settings:
    """Settings of the small site with copies of the content and assets to edit."""
    for name in ("content", "assets"):
        shutil.copytree(PACKAGE / name, tmp_path / name)
    return Settings(
        data_dir=SMALL,
        reference_dir=SMALL_REFERENCE,
        content_dir=tmp_path / "content",
        assets_dir=tmp_path / "assets",
        out_dir=tmp_path / "site",
        cache_dir=tmp_path / "cache",
    )


def preview(settings: Settings, renderer: Renderer, said: list[str]) -> Preview:
    return Preview(lambda: settings, 1, said.append, renderer)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_page_or_asset_is_rewritten_alone_as_a_whole_build_makes_it(
    sources: Settings, tmp_path: Path
):
    counted, said = Counted(), []
    site = preview(sources, counted.renderer, said)
    site.build()
    assert said[-1].startswith("built ") and counted.drawn > 0
    out = sources.out_dir
    for kind in ("svg", share_png.KIND):  # so that a whole build would draw each picture again
        shutil.rmtree(sources.cache_dir / kind)
    drawn, before = counted.drawn, stats(out)

    page = sources.content_dir / "om.md"
    edit(page, "\n## ", "\nEn helt ny sætning.\n\n## ")
    site.rebuild({page})
    assert said[-1].startswith("rewrote om/index.html in ")
    assert rewritten(before, out) == {"om/index.html"}
    assert "En helt ny sætning." in (out / "om/index.html").read_text(encoding="utf-8")
    assert counted.drawn == drawn  # no chart drawn again

    # serve started again: nothing changed since the rewrite, so the build is skipped, and
    # what the content pages were made with is read anew.
    said.clear()
    site = preview(sources, counted.renderer, said)
    site.build()
    site.prepare()
    outcomes = [line for line in said if not line.startswith(" ")]  # not the stages
    assert outcomes[0].startswith("built 0 pages: nothing changed")
    assert outcomes[1].startswith("ready:")
    before = stats(out)
    edit(page, "En helt ny sætning.", "En anden sætning.")
    edit(sources.assets_dir / "style.css", "}", "  outline: 0;\n}")
    site.rebuild({page, sources.assets_dir / "style.css"})
    assert said[-1].startswith("rewrote om/index.html, assets/style.css in ")
    assert rewritten(before, out) == {"om/index.html", "assets/style.css"}
    assert counted.drawn == drawn

    # An edit that changes no page (a file the build does not read) writes nothing.
    (sources.content_dir / "notes.txt").write_text("x", encoding="utf-8")
    site.rebuild({sources.content_dir / "notes.txt"})
    assert said[-1].startswith("rewrote nothing")
    assert rewritten(before, out) == {"om/index.html", "assets/style.css"}

    whole = build_site(
        SMALL,
        tmp_path / "whole",
        tmp_path / "whole-cache",
        STAND_IN,
        content_dir=sources.content_dir,
        assets_dir=sources.assets_dir,
    )
    assert files(out) == files(whole)


@pytest.mark.parametrize("change", ["title", "new page", "touched site"])
def test_what_a_rewrite_cannot_do_builds_the_whole_site(
    sources: Settings, tmp_path: Path, change: str
):
    said: list[str] = []
    settings = sources
    site = preview(settings, STAND_IN, said)
    site.build()
    out, page = settings.out_dir, settings.content_dir / "om.md"
    changed = {page}
    if change == "title":  # in every page's menu
        edit(page, "title: Om Samtaletjek", "title: Om sitet")
    elif change == "new page":
        changed = {settings.content_dir / "ny.md"}
        (settings.content_dir / "ny.md").write_text(
            "title: Ny\nslug: ny\norder: 9\n\nTekst.\n", encoding="utf-8"
        )
    else:  # the served site is not as the last build left it
        (out / "index.html").write_text("changed by hand", encoding="utf-8")
        edit(page, "\n## ", "\nEn sætning.\n\n## ")
    before = stats(out)
    site.rebuild(changed)
    assert said[-1].startswith("built ") and not said[-1].startswith("built 0")
    assert "index.html" in rewritten(before, out)
