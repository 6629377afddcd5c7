"""The preview server: real HTTP on 127.0.0.1, a site served only under its base URL, the
404 page, the reload script and its event stream, the watcher, and `serve` as a user runs it."""

from __future__ import annotations

import http.client
import shlex
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchfiles
from conftest import SMALL, SMALL_REFERENCE
from test_workers import config, start

from samtaletjek.errors import DataErrors, UserError
from samtaletjek.publish.html import TemplateProblem
from samtaletjek.publish.serve import EVENTS, Builds, Changes, make_server, run
from samtaletjek.settings import Settings

DEADLINE = 30.0  # seconds a test waits for what it polls for


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request, the path sent as it is."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def poll(condition, what: object) -> None:  # noqa: ANN001
    """Wait until `condition()` holds (DEADLINE); `what` is shown if it never does."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def save(path: Path, text: str) -> None:
    """Write `path` as many editors do, in one go (a new file renamed over the old), so the
    watcher sees one change, never a half-written file."""
    new = path.parent.parent / f"{path.name}.new"  # outside the watched folder
    new.write_text(text, encoding="utf-8")
    new.replace(path)


def small_site(root: Path) -> Path:
    """A site as a build leaves it, by hand: a page, a folder without a page, an asset, a 404."""
    page = "<!doctype html><html><body>\n<p>{}</p>\n</body></html>\n"
    files = {
        "index.html": page.format("Forsiden"),
        "kommune/varde/index.html": page.format("Varde"),
        "kommune/tom/data.csv": "a,b\n",
        "assets/style.css": "body { color: black }\n",
        "404.html": page.format("Siden findes ikke"),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path, Builds]]:
    """The hand-made site served under /samtaletjek/: (port, its folder, its builds)."""
    site = small_site(tmp_path / "site")
    builds = Builds()
    server = make_server(site, "/samtaletjek/", "127.0.0.1", 0, builds=builds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], site, builds
    finally:
        server.shutdown()
        server.server_close()


def test_the_site_is_served_under_its_base_url_only(served):
    port, site, _ = served
    status, headers, body = get(port, "/samtaletjek/kommune/varde/")
    assert status == 200 and b"<p>Varde</p>" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"  # a reload always shows the files as they are
    # A link that forgets the prefix is broken on GitHub Pages, so it is broken here.
    for path in ("/kommune/varde/", "/samtaletjek/../kommune/varde/", "/samtaletjekx/"):
        status, _, body = get(port, path)
        assert (status, b"<p>Siden findes ikke</p>" in body) == (404, True), path
    for path in ("/", "/samtaletjek"):  # the site's address, as a user types it
        status, headers, _ = get(port, path)
        assert (status, headers["Location"]) == (302, "/samtaletjek/"), path
    status, headers, _ = get(port, "/samtaletjek/kommune/varde?x=1")
    assert (status, headers["Location"]) == (301, "/samtaletjek/kommune/varde/?x=1")
    status, headers, body = get(port, "/samtaletjek/assets/style.css")
    assert (status, body) == (200, (site / "assets/style.css").read_bytes())
    assert headers["Content-Type"] == "text/css"
    status, _, body = get(port, "/samtaletjek/assets/style.css", "HEAD")
    assert (status, body) == (200, b"")


def test_unknown_paths_get_the_sites_404_page(served):
    port, site, _ = served
    # A missing page, a missing file, and a folder without a page (no listing of its files).
    for path in ("/samtaletjek/kommune/aarhus/", "/samtaletjek/x.csv", "/samtaletjek/kommune/tom/"):
        status, headers, body = get(port, path)
        assert status == 404, path
        assert b"<p>Siden findes ikke</p>" in body and EVENTS.encode() in body
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    (site / "404.html").unlink()  # a site without one gets the server's plain 404
    assert get(port, "/samtaletjek/nowhere/")[0] == 404
    assert get(port, "/samtaletjek/%00/")[0] == 400


def test_served_pages_get_the_reload_script_and_the_files_on_disk_do_not(served):
    port, site, builds = served
    on_disk = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    body = get(port, "/samtaletjek/")[2]
    script = f'new EventSource("{EVENTS}?since={builds.id}")'.encode()
    assert body.count(script) == 1 and body.index(script) < body.index(b"</body>")
    assert (
        body.replace(body[body.index(b"<script>") : body.index(b"</body>")], b"")
        == (site / "index.html").read_bytes()
    )
    assert EVENTS.encode() not in get(port, "/samtaletjek/kommune/tom/data.csv")[2]
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == on_disk
    assert not any(EVENTS.encode() in data for data in on_disk.values())


def test_without_builds_the_files_are_served_as_they_are(tmp_path: Path):
    """As the browser tests and tools/browser.py serve a site: no script, no event stream."""
    site = small_site(tmp_path / "site")
    server = make_server(site, "/", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        status, headers, body = get(port, "/kommune/varde/")
        assert (status, body) == (200, (site / "kommune/varde/index.html").read_bytes())
        assert "Cache-Control" not in headers
        assert get(port, EVENTS)[0] == 404
        assert b"<p>Siden findes ikke</p>" in get(port, "/nowhere/")[2]
    finally:
        server.shutdown()
        server.server_close()


def events(port: int, since: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    connection.request("GET", f"{EVENTS}?since={since}")
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    return response


def test_the_event_stream_says_reload_once_another_build_is_served(served):
    port, _, builds = served
    served_from = builds.id
    stream = events(port, served_from)
    builds.finished()
    assert stream.fp.readline() == b"data: reload\n"
    assert stream.read() == b"\n"  # and the stream ends
    # A page served from an earlier build (or by an earlier serve) reloads at once.
    assert events(port, served_from).fp.readline() == b"data: reload\n"
    assert events(port, "an-earlier-serve-0").fp.readline() == b"data: reload\n"


class Builder:
    """A stand-in for the site `run` builds: each rebuild takes the next outcome."""

    def __init__(self, outcomes: list[Exception | None]) -> None:
        self.outcomes = outcomes
        self.built: list[set[Path]] = []

    def build(self) -> None:
        pass

    def prepare(self) -> None:
        pass

    def rebuild(self, changed: set[Path]) -> None:
        self.built.append(changed)
        if outcome := self.outcomes.pop(0):
            raise outcome


def test_a_failed_rebuild_keeps_serving_shows_its_problem_and_the_next_clears_it(
    tmp_path: Path,
):
    """serve outlives any failed rebuild (a template error, a bug): it reports it in one line,
    shows it in a red bar on every page, keeps watching, and clears it when a build works;
    each rebuild's end is a reload for the pages open."""
    site = small_site(tmp_path / "site")
    sources = tmp_path / "templates"
    sources.mkdir()
    (sources / "base.html").write_text("1", encoding="utf-8")
    problem = TemplateProblem("templates/base.html:3: template error: boom")
    builder = Builder([problem, KeyError("x"), None])
    messages: list[str] = []
    opened: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=run,
        args=(builder, [sources], site, "/", ("127.0.0.1", 0), messages.append, opened.append),
        kwargs={"stop": stop},
    )
    thread.start()
    try:
        poll(lambda: opened, messages)  # --open: the browser is sent to the served site
        port = int(opened[0].split(":")[2].split("/")[0])
        assert opened == [f"http://127.0.0.1:{port}/"]
        for n, text in enumerate(("22", "333", "4444")):
            since = get(port, "/")[2].decode().split("since=")[1].split('"')[0]
            stream = events(port, since)
            save(sources / "base.html", text)
            assert stream.fp.readline() == b"data: reload\n"
            assert len(builder.built) == n + 1
            assert builder.built[n] == {sources / "base.html"}
        assert "error: templates/base.html:3: template error: boom" in messages
        assert "error: the build failed: KeyError: 'x'" in messages
        assert messages.count("the last good site is still served") == 2
        assert [m for m in messages if m.startswith("changed")] == [
            "changed: base.html; rebuilding"
        ] * 3
        assert b"Sitet kunne ikke bygges igen" not in get(port, "/")[2]
    finally:
        stop.set()
        thread.join(timeout=DEADLINE)
    assert not thread.is_alive()


def test_the_bar_shows_while_the_last_rebuild_failed(served):
    port, _, builds = served
    builds.finished(["error: templates/base.html:3: template error: <boom>"])
    body = get(port, "/samtaletjek/kommune/varde/")[2].decode()
    assert "Sitet kunne ikke bygges igen" in body and "&lt;boom&gt;" in body
    assert body.index("Sitet kunne") < body.index("<p>Varde</p>")
    builds.finished()
    assert "Sitet kunne ikke bygges igen" not in get(port, "/samtaletjek/")[2].decode()


def test_the_watcher_sees_edits_new_files_and_a_settings_file_replaced_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A settings file an editor saves (a new file renamed over the old) is watched anew after
    each save; a save while that watch is being set up is seen too. Setting it up is made slow
    here (half a second before the real watchfiles starts), so the second save surely lands
    in that moment."""
    real_watch = watchfiles.watch
    taken_up = threading.Event()

    def slow_to_watch_again(*args, **kwargs):
        if taken_up.is_set():
            time.sleep(0.5)
        taken_up.set()
        return real_watch(*args, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", slow_to_watch_again)
    folder = tmp_path / "content"
    folder.mkdir()
    settings = tmp_path / "site.toml"
    settings.write_text('title = "A"\n', encoding="utf-8")
    changes = Changes([folder, settings, tmp_path / "missing"])
    try:

        def seen(path: Path) -> None:
            found: set[Path] = set()
            poll(lambda: found.update(changes.get(0.1)) or path in found, (path, found))

        def save(title: str) -> None:  # as an editor saves
            (tmp_path / "new").write_text(f'title = "{title}"\n', encoding="utf-8")
            (tmp_path / "new").replace(settings)

        (folder / "om.md").write_text("x", encoding="utf-8")
        seen(folder / "om.md")
        save("B")
        seen(settings)
        save("C")  # at once: the watch is being set up again
        seen(settings)
        assert changes.get(1.0) == set()  # seen once, not again
        save("D")  # and a save after that
        seen(settings)
    finally:
        changes.close()


def test_serve_builds_serves_under_the_base_url_and_rewrites_an_edited_page(tmp_path: Path):
    """`serve --out --base-url --open` as a user runs it: the site is built into --out,
    served under the prefix, the browser sent to it; an edit of a content page rewrites that
    page alone and the page open in the browser is told to reload."""
    content = tmp_path / "content"
    shutil.copytree(Settings().content_dir, content)
    out = tmp_path / "site"
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c {shlex.quote(OPEN)} {opened} %s"
    settings = config(
        tmp_path,
        cache_dir=str(tmp_path / "cache"),
        content_dir=str(content),
        reference_dir=str(SMALL_REFERENCE),
    )
    command = ["serve", "--data", str(SMALL), "--config", str(settings), "--port", "0"]
    serve, lines = start(
        [*command, "--out", str(out), "--base-url", "/samtaletjek/", "--open"],
        env={"BROWSER": browser},
    )
    with serve:
        try:
            lines.wait_for("Serving http://127.0.0.1:", serve)
            poll(opened.exists, lines.text)
            url = opened.read_text(encoding="utf-8")
            assert url.startswith("http://127.0.0.1:") and url.endswith("/samtaletjek/")
            port = int(url.split(":")[2].split("/")[0])
            status, _, body = get(port, "/samtaletjek/om/")
            assert status == 200 and b"En helt ny s" not in body
            assert get(port, "/om/")[0] == 404
            assert EVENTS.encode() not in (out / "om" / "index.html").read_bytes()
            since = body.decode().split("since=")[1].split('"')[0]
            stream = events(port, since)
            page = content / "om.md"
            save(page, page.read_text(encoding="utf-8") + "\nEn helt ny sætning.\n")
            assert stream.fp.readline() == b"data: reload\n"
            lines.wait_for("rewrote om/index.html in", serve, after="changed: om.md")
            assert "En helt ny sætning." in get(port, "/samtaletjek/om/")[2].decode()
            serve.send_signal(signal.SIGINT)
            assert serve.wait(timeout=DEADLINE) == 0
        finally:
            serve.kill()
    assert "Traceback" not in lines.text, lines.text


# The "browser" `--open` starts in the test above: it writes the address it was given.
OPEN = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(sys.argv[2])"


def test_a_failing_first_build_or_a_taken_port_is_an_error(tmp_path: Path):
    messages: list[str] = []

    class Broken(Builder):
        def build(self) -> None:
            raise DataErrors([])

    with pytest.raises(DataErrors):
        run(Broken([]), [tmp_path], tmp_path, "/", ("127.0.0.1", 0), messages.append)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UserError, match=f"cannot serve on 127.0.0.1 port {port} .*--port"):
            run(Builder([]), [tmp_path], tmp_path, "/", ("127.0.0.1", port), messages.append)
    assert messages == []
