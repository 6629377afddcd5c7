"""Shared by the tools and the browser tests: serve a built site on 127.0.0.1 and find
Debian's Chromium."""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from samtaletjek.publish.serve import Handler, make_server

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".csv", ".xml", ".txt")


def find_chromium() -> str | None:
    """Debian's Chromium (`apt-get install chromium`), or the browser named by $CHROMIUM."""
    named = os.environ.get("CHROMIUM")
    for candidate in [named] if named else [shutil.which("chromium"), "/usr/bin/chromium"]:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def chromium_path() -> str:
    """The Chromium the tools drive; exit with a hint where there is none."""
    found = find_chromium()
    if found is None:
        raise SystemExit("Chromium not found: apt-get install chromium, or set $CHROMIUM")
    return found


def base_url_of(site: Path) -> str:
    """The base URL a site was built for, read off its overview's stylesheet link."""
    index = site / "index.html"
    if not index.is_file():
        raise SystemExit(f"{site} holds no built site: run `python3 build.py build` first")
    match = re.search(r'<link rel="stylesheet" href="([^"]*)assets/style\.css"', index.read_text())
    return match.group(1) if match else "/"


class _Handler(Handler):
    """Serves the site under its base URL, gzip-compressed as a static host would."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # noqa: ANN201 - the base class returns a file or None
        if not urlsplit(self.path).path.startswith(self.base_url):
            self.send_error(404, f"Outside the base URL {self.base_url}")
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # a redirect to the trailing slash
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path, base: str | None = None) -> Iterator[str]:
    """Serve `site` on a free port of 127.0.0.1; yield the URL of its overview."""
    base = base or base_url_of(site)
    server = make_server(site.resolve(), base, "127.0.0.1", 0, _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{base}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
