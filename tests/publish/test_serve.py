"""The preview server: real HTTP on 127.0.0.1, and a rebuild when a content page changes."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from pathlib import Path

from conftest import SMALL, SMALL_REFERENCE
from stand_in import STAND_IN

from samtaletjek.build import build
from samtaletjek.errors import DataErrors
from samtaletjek.publish.serve import make_server, snapshot, watch
from samtaletjek.settings import Settings


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_snapshot_sees_changes(tmp_path: Path):
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    before = snapshot([tmp_path])
    (tmp_path / "a.md").write_text("one two", encoding="utf-8")
    assert snapshot([tmp_path]) != before


def test_serves_under_the_base_url_and_rebuilds_on_change(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(Settings().content_dir, content)
    settings = Settings(
        data_dir=SMALL,
        reference_dir=SMALL_REFERENCE,
        out_dir=tmp_path / "output",
        cache_dir=tmp_path / "cache",
        content_dir=content,
        base_url="/samtaletjek/",
    )
    build(settings, jobs=1, renderer=STAND_IN)  # drawing is not under test here
    server = make_server(settings.out_dir, settings.base_url, "127.0.0.1", 0)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    messages: list[str] = []
    watcher = threading.Thread(
        target=watch,
        args=(
            [content],
            lambda: build(settings, jobs=1, renderer=STAND_IN),
            messages.append,
            stop,
            0.2,
            None,
            snapshot([content]),  # taken before the edit, so the watcher cannot miss it
        ),
        daemon=True,
    )
    watcher.start()
    try:
        base = f"http://127.0.0.1:{port}/samtaletjek/"
        assert "Om Samtaletjek" in fetch(base + "om/")
        page = content / "om.md"
        page.write_text(
            page.read_text(encoding="utf-8") + "\nEn helt ny sætning.\n", encoding="utf-8"
        )
        deadline = time.monotonic() + 120
        while "En helt ny sætning." not in fetch(base + "om/"):
            assert time.monotonic() < deadline, messages
            time.sleep(0.3)
        assert any(m.startswith("changed: om.md") for m in messages)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        watcher.join(timeout=30)


def test_a_failing_rebuild_keeps_watching(tmp_path: Path):
    (tmp_path / "x").write_text("1", encoding="utf-8")
    stop = threading.Event()
    messages: list[str] = []
    calls = []

    def rebuild() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise DataErrors([])
        stop.set()

    seen = snapshot([tmp_path])
    thread = threading.Thread(
        target=watch, args=([tmp_path], rebuild, messages.append, stop, 0.05, None, seen)
    )
    thread.start()
    (tmp_path / "x").write_text("22", encoding="utf-8")
    deadline = time.monotonic() + 10
    while not calls:
        assert time.monotonic() < deadline, messages
        time.sleep(0.02)
    (tmp_path / "x").write_text("333", encoding="utf-8")
    thread.join(timeout=10)
    assert len(calls) == 2
    assert "the last good site is still served" in messages


def test_a_template_error_keeps_the_watcher_and_shows_in_the_browser(tmp_path: Path):
    """serve outlives any failed rebuild (a template error, a bug): it reports it in one line,
    shows it in a red bar on every page, keeps watching, and clears it when a build works."""
    import http.client

    from samtaletjek.publish.html import TemplateProblem
    from samtaletjek.publish.serve import Problems

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>Hej</p></body></html>", encoding="utf-8")
    sources = tmp_path / "templates"
    sources.mkdir()
    (sources / "base.html").write_text("1", encoding="utf-8")
    problems = Problems()
    server = make_server(site, "/", "127.0.0.1", 0, problems=problems)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    outcomes = [TemplateProblem("templates/base.html:3: template error: boom"), KeyError("x"), None]
    messages: list[str] = []
    stop = threading.Event()

    def rebuild() -> None:
        outcome = outcomes.pop(0)
        if not outcomes:
            stop.set()
        if outcome is not None:
            raise outcome

    watcher = threading.Thread(
        target=watch,
        args=([sources], rebuild, messages.append, stop, 0.05, problems, snapshot([sources])),
    )
    watcher.start()
    try:
        for n, text in enumerate(("22", "333")):
            (sources / "base.html").write_text(text, encoding="utf-8")
            deadline = time.monotonic() + 10
            while len([m for m in messages if m.startswith("changed")]) <= n:
                assert time.monotonic() < deadline, messages
                time.sleep(0.02)
            while not problems.lines:
                assert time.monotonic() < deadline, messages
                time.sleep(0.02)
            page = fetch(f"http://127.0.0.1:{port}/")
            assert "Sitet kunne ikke bygges igen" in page and "<p>Hej</p>" in page
        assert "error: templates/base.html:3: template error: boom" in messages
        assert "error: the build failed: KeyError: 'x'" in messages
        (sources / "base.html").write_text("4444", encoding="utf-8")
        watcher.join(timeout=10)
        assert not watcher.is_alive() and problems.lines == ()
        assert "Sitet kunne ikke bygges igen" not in fetch(f"http://127.0.0.1:{port}/")
        # A NUL byte in the address is a 400, and the server carries on.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/%00/../index.html")
        assert connection.getresponse().status == 400
        assert "<p>Hej</p>" in fetch(f"http://127.0.0.1:{port}/index.html")
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
