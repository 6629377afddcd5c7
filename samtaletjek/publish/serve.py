"""A local preview: serve the built site on 127.0.0.1 and rebuild when its sources change."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import DataErrors


def snapshot(roots: Iterable[Path]) -> dict[str, tuple[float, int]]:
    """Return path → (mtime, size) of every file under `roots`: what a change is measured by."""
    state = {}
    for root in roots:
        if root.is_file():
            files = [root]
        elif root.is_dir():
            files = [p for p in root.rglob("*") if p.is_file()]
        else:
            files = []
        for path in files:
            stat = path.stat()
            state[str(path)] = (stat.st_mtime, stat.st_size)
    return state


class Handler(SimpleHTTPRequestHandler):
    """Serves the output directory under the site's base URL; quiet."""

    base_url = "/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base_url):
            path = "/" + path[len(self.base_url) :]
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


def make_server(
    out_dir: Path, base_url: str, host: str, port: int, handler: type[Handler] = Handler
) -> ThreadingHTTPServer:
    """Return an HTTP server for `out_dir` under `base_url` (port 0: a free one).

    The directory may be swapped while it runs; `handler` may add to how files are sent.
    """
    handler = functools.partial(
        type("BoundHandler", (handler,), {"base_url": base_url}), directory=str(out_dir)
    )
    return ThreadingHTTPServer((host, port), handler)


def watch(
    roots: list[Path],
    rebuild: Callable[[], None],
    report: Callable[[str], None],
    stop: threading.Event,
    interval: float = 1.0,
) -> None:
    """Call `rebuild` whenever a file under `roots` changes, until `stop` is set.

    A build that fails with bad data reports its problems and leaves the last good site in
    place; the watcher keeps going.
    """
    seen = snapshot(roots)
    while not stop.wait(interval):
        now = snapshot(roots)
        if now == seen:
            continue
        changed = sorted(set(now.items()) ^ set(seen.items()))
        seen = now
        report(f"changed: {Path(changed[0][0]).name}{' …' if len(changed) > 1 else ''}; rebuilding")
        try:
            rebuild()
        except DataErrors as errors:
            for line in errors.format_lines():
                report(line)
            report("the last good site is still served")
