"""Screenshots of the built site in Debian's Chromium, at desktop and phone width.

Run from the project root after `python3 build.py build`:

    python3 tools/screenshots.py                        # output/ → screenshots/
    python3 tools/screenshots.py --site DIR --out DIR --page kommune/aarhus/

It serves the site on 127.0.0.1, scrolls to every chart and waits until it is interactive,
and saves one full-page PNG per page and width, e.g. screenshots/overview-1280.png.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if not __package__:  # run as a file: python3 tools/screenshots.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.browser import CHROMIUM_ARGS, ROOT, chromium_path, serve

WIDTHS = (1280, 360)
PAGES = ("", "kommune/varde/")


def shoot(site: Path, out: Path, pages: list[str], widths: list[int]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for width in widths:
            context = browser.new_context(
                viewport={"width": width, "height": 900 if width > 600 else 780},
                device_scale_factor=1,
                locale="da-DK",
            )
            page = context.new_page()
            for path in pages:
                page.goto(url + path, wait_until="load")
                # A chart is drawn as it comes near the screen: visit each, then go back up.
                for figure in page.query_selector_all("figure.chart[data-spec]"):
                    figure.scroll_into_view_if_needed()
                    page.wait_for_function(
                        "f => f.classList.contains('is-interactive')", arg=figure, timeout=15_000
                    )
                page.evaluate("window.scrollTo(0, 0)")
                name = path.strip("/").replace("/", "-") or "overview"
                target = out / f"{name}-{width}.png"
                page.screenshot(path=target, full_page=True)
                saved.append(target)
            context.close()
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "output", help="built site (output/)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="(screenshots/)")
    parser.add_argument(
        "--page",
        action="append",
        dest="pages",
        help="a path under the base URL, e.g. kommune/aarhus/ (repeatable; default: the "
        "overview and kommune/varde/)",
    )
    parser.add_argument(
        "--width", action="append", type=int, dest="widths", help="viewport width (1280, 360)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    saved = shoot(args.site, args.out, args.pages or list(PAGES), args.widths or list(WIDTHS))
    for path in saved:
        print(path)
    print(f"{len(saved)} screenshots in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
