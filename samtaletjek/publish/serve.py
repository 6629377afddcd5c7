"""A local preview: serve the built site on 127.0.0.1 and rebuild when its sources change.

The server answers in a thread of its own; the main thread watches the sources and rebuilds,
so a Ctrl-C or SIGTERM during a rebuild stops it as it stops any build (its workers killed,
its staging folder removed). A rebuild that fails leaves the last good site served, with the
problem shown in a red bar on every page until the next build succeeds.
"""

from __future__ import annotations

import functools
import html
import io
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from ..pages import addresses


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
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            state[str(path)] = (stat.st_mtime, stat.st_size)
    return state


class Problems:
    """The problems of the last rebuild, shared by the watcher and the server's threads."""

    def __init__(self) -> None:
        self._lines: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def set(self, lines: Iterable[str]) -> None:
        with self._lock:
            self._lines = tuple(lines)

    @property
    def lines(self) -> tuple[str, ...]:
        with self._lock:
            return self._lines


def problem_bar(lines: tuple[str, ...]) -> bytes:
    """The red bar a page gets while the last rebuild failed."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        '<div role="alert" style="background:#a50f15;color:#fff;padding:1em;'
        'font:16px/1.4 system-ui,sans-serif"><strong>Sitet kunne ikke bygges igen</strong> '
        "– du ser den sidste gode udgave. Ret fejlen, så bygges det igen:"
        f'<ul style="margin:.5em 0 0">{items}</ul></div>'
    ).encode()


class Handler(SimpleHTTPRequestHandler):
    """Serves the output directory under the site's base URL; quiet."""

    base_url = "/"
    problems: Problems | None = None

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base_url):
            path = "/" + path[len(self.base_url) :]
        return super().translate_path(path)

    def send_head(self):  # noqa: ANN201 - the standard library's signature
        if "\0" in self.path or "%00" in self.path.lower():
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        problems = self.problems.lines if self.problems else ()
        path = self.translate_path(self.path)
        if problems and (path.endswith(".html") or Path(path).is_dir()):
            return self._with_bar(path, problems)
        return super().send_head()

    def _with_bar(self, path: str, problems: tuple[str, ...]):  # noqa: ANN202
        page = Path(addresses.file_of(path + "/")) if Path(path).is_dir() else Path(path)
        try:
            body = page.read_bytes()
        except OSError:
            return super().send_head()
        body = body.replace(b"<body>", b"<body>" + problem_bar(problems), 1)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up or sends nonsense is not the preview's problem


def make_server(
    out_dir: Path,
    base_url: str,
    host: str,
    port: int,
    handler: type[Handler] = Handler,
    problems: Problems | None = None,
) -> ThreadingHTTPServer:
    """Return an HTTP server for `out_dir` under `base_url` (port 0: a free one).

    The directory may be swapped while it runs; `handler` may add to how files are sent;
    while `problems` holds lines, every page shows them in a red bar.
    """
    bound = type("BoundHandler", (handler,), {"base_url": base_url, "problems": problems})
    return _Server((host, port), functools.partial(bound, directory=str(out_dir)))


def describe(exc: Exception) -> list[str]:
    """The lines a failed rebuild is reported with: a user's mistake as the CLI prints it."""
    if isinstance(exc, click.ClickException):
        format_lines = getattr(exc, "format_lines", None)
        return list(format_lines()) if format_lines else [f"error: {exc.format_message()}"]
    return [f"error: the build failed: {type(exc).__name__}: {exc}"]


def watch(
    roots: list[Path],
    rebuild: Callable[[], None],
    report: Callable[[str], None],
    stop: threading.Event,
    interval: float = 1.0,
    problems: Problems | None = None,
    seen: dict[str, tuple[float, int]] | None = None,
) -> None:
    """Call `rebuild` whenever a file under `roots` changes (from `seen`, a `snapshot` taken
    before the last build, or now), until `stop` is set.

    A build that fails for any reason reports its problems (and puts them in `problems`)
    and leaves the last good site in place; the watcher keeps going.
    """
    seen = snapshot(roots) if seen is None else seen
    while not stop.wait(interval):
        now = snapshot(roots)
        if now == seen:
            continue
        changed = sorted(set(now.items()) ^ set(seen.items()))
        seen = now
        report(f"changed: {Path(changed[0][0]).name}{' …' if len(changed) > 1 else ''}; rebuilding")
        try:
            rebuild()
        except Exception as exc:  # noqa: BLE001 - a preview outlives any failed build
            lines = describe(exc)
            for line in lines:
                report(line)
            report("the last good site is still served")
            if problems is not None:
                problems.set(lines)
        else:
            if problems is not None:
                problems.set(())
