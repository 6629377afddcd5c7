"""A local preview: serve the built site on 127.0.0.1 as a static host serves it, rebuild when
its sources change, and reload the browser when the rebuild is done.

The site is served only under its base URL, as GitHub Pages serves a project site: a link
that forgets the prefix is a 404 here as it would be there, and every unknown path gets the
site's own 404.html. Each HTML page is sent with a small script (never written to the site
on disk) that listens on an event stream of the server (Server-Sent Events) and reloads the
page when a build other than the one it was served from is served.

Files are watched (watchfiles) from a thread of their own from before the first build, so an
edit made during a build is not missed. Builds run in the calling thread (the main thread, for
the command), so a Ctrl-C or SIGTERM during a rebuild stops it as it stops any build (its
workers killed, its staging folder removed). A rebuild that fails leaves the last good site
served, with the problem shown in a red bar on every page until a build succeeds.
"""

from __future__ import annotations

import functools
import html
import io
import os
import posixpath
import queue
import re
import secrets
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, Protocol

import click
import watchfiles

from ..errors import UserError
from ..pages import addresses

# The preview's own event stream: not a path of the site, whose folders never start with "_".
EVENTS = "/_samtaletjek/builds"
KEEPALIVE = 10.0  # seconds between comments on an idle event stream: a closed tab shows
STEP = 0.2  # seconds the build loop waits for a change before it looks at `stop` again


class Builds:
    """Which build is served, and the problems of the last rebuild (none when it worked):
    shared by the build loop and the server's threads."""

    def __init__(self) -> None:
        self._run = secrets.token_hex(4)  # a page served by an earlier serve reloads too
        self._count = 0
        self._problems: tuple[str, ...] = ()
        self._closed = False
        self._changed = threading.Condition()

    @property
    def id(self) -> str:
        with self._changed:
            return f"{self._run}-{self._count}"

    @property
    def problems(self) -> tuple[str, ...]:
        with self._changed:
            return self._problems

    def finished(self, problems: Iterable[str] = ()) -> None:
        """A rebuild is over (with `problems` if it failed): pages served before it reload."""
        with self._changed:
            self._count += 1
            self._problems = tuple(problems)
            self._changed.notify_all()

    def wait(self, since: str, timeout: float) -> bool | None:
        """True as soon as a build other than `since` is served, False after `timeout`
        seconds, None once the server stops."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self.id != since, timeout)
            return None if self._closed else self.id != since

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def problem_bar(lines: tuple[str, ...]) -> bytes:
    """The red bar a page gets while the last rebuild failed."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        '<div role="alert" style="background:#a50f15;color:#fff;padding:1em;'
        'font:16px/1.4 system-ui,sans-serif"><strong>Sitet kunne ikke bygges igen</strong> '
        "– du ser den sidste gode udgave. Ret fejlen, så bygges det igen:"
        f'<ul style="margin:.5em 0 0">{items}</ul></div>'
    ).encode()


def reload_script(build: str) -> bytes:
    """The script every served page gets: it reloads the page when another build is served."""
    source = f"{EVENTS}?since={urllib.parse.quote(build)}"
    return (
        "<script>/* samtaletjek serve: reload when the site is built again */"
        f'new EventSource("{source}").onmessage=function(){{location.reload()}};</script>'
    ).encode()


_BODY = re.compile(rb"<body\b[^>]*>")


def preview_page(page: bytes, build: str, problems: tuple[str, ...]) -> bytes:
    """A page as the preview sends it: the problem bar after `<body>`, the reload script
    before `</body>`."""
    if problems and (opening := _BODY.search(page)):
        page = page[: opening.end()] + problem_bar(problems) + page[opening.end() :]
    end = page.rfind(b"</body>")
    end = len(page) if end < 0 else end
    return page[:end] + reload_script(build) + page[end:]


def _clean(path: str) -> str:
    """A URL's path decoded and normalised (no `..`, no `.`), a trailing slash kept."""
    try:
        decoded = urllib.parse.unquote(path, errors="surrogatepass")
    except UnicodeDecodeError:
        decoded = urllib.parse.unquote(path)
    clean = posixpath.normpath(decoded)
    return clean + "/" if path.endswith("/") and not clean.endswith("/") else clean


class Handler(SimpleHTTPRequestHandler):
    """Serves the output directory under the site's base URL and the 404 page for anything
    else; quiet. With `builds` (the preview) also the event stream, each page with the
    reload script (and the problem bar), and nothing cached: every reload shows the files as
    they are. Without, the files as they are (the browser tests, tools/browser.py)."""

    base_url = "/"
    builds: Builds | None = None

    def translate_path(self, path: str) -> str:
        """The file of a URL path under the base URL (for handlers that add to this one)."""
        if path.startswith(self.base_url):
            path = "/" + path[len(self.base_url) :]
        return super().translate_path(path)

    def send_head(self) -> BinaryIO | None:
        if "\0" in self.path or "%00" in self.path.lower():
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        url = urllib.parse.urlsplit(self.path)
        path = _clean(url.path)
        if path == EVENTS and self.builds is not None:
            return self._events(self.builds, url.query)
        if path != self.base_url and path in ("/", self.base_url.rstrip("/")):
            return self._redirect(HTTPStatus.FOUND, self.base_url)
        if not path.startswith(self.base_url):
            return self._not_found()
        file = Path(self.directory).joinpath(
            *(part for part in path[len(self.base_url) :].split("/") if part not in ("", ".."))
        )
        if file.is_dir():
            if not path.endswith("/"):  # as a static host does: the folder's address
                query = f"?{url.query}" if url.query else ""
                return self._redirect(HTTPStatus.MOVED_PERMANENTLY, f"{url.path}/{query}")
            file = file / addresses.file_of("")
        if not file.is_file():
            return self._not_found()
        return self._send(file, HTTPStatus.OK)

    def _send(self, file: Path, status: HTTPStatus) -> BinaryIO | None:
        try:
            body = file.read_bytes()
        except OSError:  # swapped away by a build between the look and the read
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        kind = self.guess_type(str(file))
        if self.builds is not None and file.suffix == ".html":
            body = preview_page(body, self.builds.id, self.builds.problems)
            kind = "text/html; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.builds is not None:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def _not_found(self) -> BinaryIO | None:
        page = Path(self.directory) / addresses.NOT_FOUND
        if page.is_file():
            return self._send(page, HTTPStatus.NOT_FOUND)
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def _redirect(self, status: HTTPStatus, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self, builds: Builds, query: str) -> None:
        """Stream events until another build than `since` is served: then one `reload`."""
        since = urllib.parse.parse_qs(query).get("since", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        while self.command == "GET":
            other = builds.wait(since, KEEPALIVE)
            if other is None:
                return
            try:
                self.wfile.write(b"data: reload\n\n" if other else b": waiting\n\n")
                self.wfile.flush()
            except OSError:  # the page was closed
                return
            if other:
                return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    builds: Builds | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up or sends nonsense is not the preview's problem

    def shutdown(self) -> None:
        if self.builds is not None:
            self.builds.close()  # ends the event streams
        super().shutdown()


def make_server(
    out_dir: Path,
    base_url: str,
    host: str,
    port: int,
    handler: type[Handler] = Handler,
    builds: Builds | None = None,
) -> _Server:
    """Return an HTTP server for `out_dir` under `base_url` (port 0: a free one).

    The directory may be swapped while it runs; `handler` may add to how files are sent;
    with `builds` it is the preview: pages reload when another build is served, and show
    the problems of a failed rebuild in a red bar.
    """
    bound = type("BoundHandler", (handler,), {"base_url": base_url, "builds": builds})
    server = _Server((host, port), functools.partial(bound, directory=str(out_dir)))
    server.builds = builds
    return server


def describe(exc: Exception) -> list[str]:
    """The lines a failed rebuild is reported with: a user's mistake as the CLI prints it."""
    if isinstance(exc, click.ClickException):
        format_lines = getattr(exc, "format_lines", None)
        return list(format_lines()) if format_lines else [f"error: {exc.format_message()}"]
    return [f"error: the build failed: {type(exc).__name__}: {exc}"]


def attempt(step: Callable[[], None], say: Callable[[str], None]) -> tuple[str, ...]:
    """Run `step` (a rebuild); return the problems it failed with, each said, or none."""
    try:
        step()
    except Exception as exc:  # noqa: BLE001 - a preview outlives any failed build
        lines = describe(exc)
        for line in lines:
            say(line)
        say("the last good site is still served")
        return tuple(lines)
    return ()


class Changes:
    """The files changed under `roots` (folders, or files such as site.toml), watched by
    watchfiles in a thread of its own from the moment this is made."""

    def __init__(self, roots: Sequence[Path], ready_within: float = 30.0) -> None:
        self.roots = list(roots)
        self.files = {r.resolve() for r in self.roots if r.is_file()}
        # Each watched file as it was last seen (reported or first watched): a save while
        # the watch is taken up anew is found by comparing, as no event reports it.
        self._seen = {f: _signature(f) for f in self.files}
        self._found: queue.Queue[set[Path]] = queue.Queue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        self._ready.wait(ready_within)

    def _watch(self) -> None:
        while not self._stop.is_set():
            roots = [r for r in self.roots if r.exists()]
            if not roots:
                self._ready.set()
                self._stop.wait(STEP)
                continue
            try:
                self._watch_until_replaced(roots)
            except OSError:  # a watched folder was removed: watch again what there is
                self._stop.wait(STEP)

    def _watch_until_replaced(self, roots: list[Path]) -> None:
        # A file watched itself is lost when an editor replaces it (writes a new file and
        # renames it over the old): after a change to one, it is watched anew. Once the new
        # watch is set up (its first answer), a file saved in between is found by comparing.
        armed = False
        for changes in watchfiles.watch(
            *roots,
            stop_event=self._stop,
            step=50,
            rust_timeout=int(STEP * 1000),
            yield_on_timeout=True,  # an empty set now and then: the watch is set up
        ):
            self._ready.set()
            paths = {Path(path) for _, path in changes}
            if not armed:
                armed = True
                paths |= {f for f, seen in self._seen.items() if _signature(f) != seen}
            # A file is noted as seen before it is reported: a save after the note is found
            # once the watch is set up anew, and one before it is read by the rebuild.
            replaced = {p.resolve() for p in paths} & self.files
            self._seen.update({f: _signature(f) for f in replaced})
            if paths:
                self._found.put(paths)
            if replaced:
                return

    def get(self, timeout: float) -> set[Path]:
        """The files changed since the last call, waiting up to `timeout` seconds for one."""
        try:
            changed = self._found.get(timeout=timeout)
        except queue.Empty:
            return set()
        while not self._found.empty():
            changed |= self._found.get_nowait()
        return changed

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def _signature(file: Path) -> tuple[int, int, int] | None:
    """What tells one save of `file` from the next: its inode (an editor renames a new file
    over the old), modification time and size; None while it is missing."""
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class Builder(Protocol):
    """What `run` builds with: samtaletjek.preview.Preview."""

    def build(self) -> None: ...  # the whole site

    def prepare(self) -> None: ...  # what can wait until the site is served

    def rebuild(self, changed: set[Path]) -> None: ...  # after the files `changed` changed


def run(
    site: Builder,
    roots: Sequence[Path],
    out_dir: Path,
    base_url: str,
    address: tuple[str, int],
    say: Callable[[str], None],
    open_browser: Callable[[str], object] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Build the site, serve `out_dir` under `base_url` at `address` (host, port; port 0: a
    free one), open it with `open_browser` if given, and rebuild it whenever a file under
    `roots` changes, until `stop` is set (or the process is stopped).

    The first build failing ends it (there is nothing to serve); a rebuild failing does not.
    """
    stop = stop or threading.Event()
    changes = Changes(roots)
    try:
        site.build()
        builds = Builds()
        try:
            server = make_server(out_dir, base_url, *address, builds=builds)
        except OSError as exc:  # the port is taken, or the host is not this machine's
            raise UserError(
                f"cannot serve on {address[0]} port {address[1]} ({exc.strerror}); give "
                "another --port (0: any free one) or --host"
            ) from None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://{address[0]}:{server.server_address[1]}{base_url}"
            say(f"Serving {url} (Ctrl-C stops)")
            if open_browser is not None:
                open_browser(url)
            if problems := attempt(site.prepare, say):
                builds.finished(problems)
            while not stop.is_set():
                changed = changes.get(timeout=STEP)
                if not changed:
                    continue
                first = min(changed, key=os.fspath).name
                say(f"changed: {first}{' …' if len(changed) > 1 else ''}; rebuilding")
                builds.finished(attempt(functools.partial(site.rebuild, changed), say))
        finally:
            server.shutdown()
            server.server_close()
    finally:
        changes.close()
