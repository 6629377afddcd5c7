"""Browser fixtures: the small site served over real HTTP on 127.0.0.1 and Debian's Chromium.

Where a tool is missing (Chromium, Playwright, Java, the npm packages), the tests that need it
are skipped with the reason; under CI (CI=true) they fail instead, so CI never passes by
running nothing.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from samtaletjek.publish.serve import make_server
from tools.browser import CHROMIUM_ARGS, find_chromium  # the tools drive Chromium the same way

ROOT = Path(__file__).resolve().parents[2]

NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
INSTALL_HINT = "install with `bash .ci/run` (apt-get install chromium; npm ci)"


def require(ok: object, reason: str) -> None:
    """Skip with `reason` where a tool is missing; under CI, fail: CI must run these tests."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser and validator checks must run)", pytrace=False)
    pytest.skip(f"{reason}; {INSTALL_HINT}")


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """Serve the built site `root` by a threaded http.server on a free port of 127.0.0.1."""
    server = make_server(root, "/", "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The small site, served."""
    with served(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = find_chromium()
    require(executable, "Chromium not found (looked for $CHROMIUM, chromium on PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """One page opened in a fresh browser context, and what happened while it loaded."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # console errors, failed requests, …
    warnings: list[str] = field(default_factory=list)  # console warnings

    def outside_requests(self) -> list[str]:
        """Requests that left 127.0.0.1 (data: and blob: URLs never leave the page)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"}
            and urlsplit(url).hostname != "127.0.0.1"
        ]


SITE_SCRIPTS = ("/assets/samtaletjek.js", "/assets/vendor/vega-embed.bundle.js")


@pytest.fixture
def visit(browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    """Open a path of the site: `visit("kommune/varde/", width=360, javascript=False)`.

    Every request is recorded and only requests to 127.0.0.1 are let through. With
    `javascript=True` (the default) the call returns once every chart is interactive, and
    `charts=False` returns at once, before any chart is drawn.
    `site_scripts=False` keeps JavaScript on (for axe) but serves the site's own scripts
    empty, so the page is what a reader without JavaScript gets.
    """
    contexts = []

    def open_page(
        path: str,
        *,
        width: int = 1280,
        height: int = 900,
        javascript: bool = True,
        site_scripts: bool = True,
        charts: bool = True,
    ) -> Visit:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            locale="da-DK",
            service_workers="block",
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        page = context.new_page()
        visit = Visit(page, site_url + path)

        def route(route) -> None:
            url = route.request.url
            if urlsplit(url).hostname != "127.0.0.1":
                route.abort()
            elif not site_scripts and urlsplit(url).path.endswith(SITE_SCRIPTS):
                route.fulfill(status=200, content_type="text/javascript", body="")
            else:
                route.continue_()

        context.route("**/*", route)
        context.on("request", lambda request: visit.requests.append(request.url))
        page.on("console", lambda message: _console(visit, message))
        page.on("pageerror", lambda error: visit.problems.append(f"page error: {error}"))
        page.on(
            "requestfailed",
            lambda request: visit.problems.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )
        page.on(
            "response",
            lambda response: (
                visit.problems.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )
        response = page.goto(visit.url, wait_until="load")
        assert response is not None and response.ok, f"{visit.url}: {response and response.status}"
        if javascript and site_scripts and charts:
            wait_for_interactive_charts(page)
        return visit

    yield open_page
    for context in contexts:
        context.close()


def _console(visit: Visit, message) -> None:
    if message.type == "error":
        visit.problems.append(f"console error: {message.text} ({message.location})")
    elif message.type == "warning":
        visit.warnings.append(message.text)


def wait_for_interactive_charts(page) -> None:
    """Bring each chart near the screen (that is when it is drawn), wait for it, scroll back."""
    for figure in page.query_selector_all("figure.chart[data-spec]"):
        figure.scroll_into_view_if_needed()
        page.wait_for_function("f => f.classList.contains('is-interactive')", arg=figure)
    page.evaluate("window.scrollTo(0, 0)")
