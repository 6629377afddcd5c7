"""The preview server: real HTTP on 127.0.0.1, and a rebuild when a content page changes."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from pathlib import Path

from conftest import SMALL

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


def test_serves_under_the_base_url_and_rebuilds_on_change(tmp_path: Path, chart_cache: Path):
    content = tmp_path / "content"
    shutil.copytree(Settings().content_dir, content)
    settings = Settings(
        data_dir=SMALL,
        out_dir=tmp_path / "output",
        cache_dir=chart_cache,
        content_dir=content,
        base_url="/samtaletjek/",
    )
    build(settings, jobs=2)
    server = make_server(settings.out_dir, settings.base_url, "127.0.0.1", 0)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    messages: list[str] = []
    watcher = threading.Thread(
        target=watch,
        args=([content], lambda: build(settings, jobs=1), messages.append, stop, 0.2),
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

    thread = threading.Thread(target=watch, args=([tmp_path], rebuild, messages.append, stop, 0.05))
    thread.start()
    time.sleep(0.3)  # let the watcher take its first snapshot
    (tmp_path / "x").write_text("22", encoding="utf-8")
    time.sleep(0.3)
    (tmp_path / "x").write_text("333", encoding="utf-8")
    thread.join(timeout=10)
    assert len(calls) == 2
    assert "the last good site is still served" in messages
