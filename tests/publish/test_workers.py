"""A stopped build takes its worker processes with it and leaves the last good site as it
was: real `build.py build` and `build.py serve` processes, stopped with real signals while
their workers draw."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SMALL, build_site

from samtaletjek.publish.site import clean_leftovers
from samtaletjek.settings import PROJECT_ROOT
from tools.processes import descendants, running

DEMO = PROJECT_ROOT / "site_data"  # the bundled demo data: enough pictures to stop a build among


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def wait_for_line(process: subprocess.Popen, text: str, timeout: float = 120) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"never printed {text!r}: {''.join(lines)}")


def drain(stream) -> list[str]:  # noqa: ANN001
    """Read `stream` to its end in a thread (a worker left running would hold it open)."""
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(stream), daemon=True).start()
    return lines


def start_build(out: Path, cache: Path) -> subprocess.Popen:
    config = out.parent / "site.toml"
    config.write_text(f'cache_dir = "{cache}"\n', encoding="utf-8")
    command = [sys.executable, "build.py", "build", "--data", str(DEMO), "--out", str(out)]
    command += ["--jobs", "2", "--config", str(config), "--no-cache"]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=str)
def test_a_build_stopped_while_drawing_leaves_no_process_and_the_last_site(
    tmp_path: Path, stop: signal.Signals
):
    out = build_site(SMALL, tmp_path / "output", tmp_path / "cache")
    before = digest(out)
    with start_build(out, tmp_path / "cache") as build:
        # The pictures are handed to the workers as the pages are made; once the pages are
        # made, both workers are drawing.
        wait_for_line(build, "page contexts and chart specs")
        workers = descendants(build.pid)
        assert len(workers) >= 2, workers
        errors = drain(build.stderr)
        try:
            build.send_signal(stop)
            build.wait(timeout=10)
            deadline = time.monotonic() + 2
            while any(map(running, workers)) and time.monotonic() < deadline:
                time.sleep(0.05)
            left = [pid for pid in workers if running(pid)]
        finally:
            for pid in workers:  # so that a failure leaves nothing behind either
                if running(pid):
                    os.kill(pid, signal.SIGKILL)
    assert not left
    assert build.returncode != 0
    assert digest(out) == before
    leftovers = list(tmp_path.glob(".output.*"))
    if stop == signal.SIGKILL:
        clean_leftovers(out)  # what the next build does first
        assert not list(tmp_path.glob(".output.*"))
    else:
        assert not leftovers  # a build that could clean up did
        assert "Traceback" not in "".join(errors)


def test_a_build_killed_during_its_swap_gets_its_site_back(tmp_path: Path):
    out = tmp_path / "output"
    old = tmp_path / ".output.old-999999999"  # no such process
    old.mkdir()
    (old / "index.html").write_text("the last good site", encoding="utf-8")
    (tmp_path / ".output.staging-999999999").mkdir()
    clean_leftovers(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=str)
def test_serve_stops_cleanly(tmp_path: Path, stop: signal.Signals):
    command = [sys.executable, "build.py", "serve", "--data", str(SMALL), "--port", "0"]
    config = tmp_path / "site.toml"
    config.write_text(
        f'out_dir = "{tmp_path / "output"}"\ncache_dir = "{tmp_path / "cache"}"\n',
        encoding="utf-8",
    )
    with subprocess.Popen(
        [*command, "--config", str(config)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as serve:
        try:
            deadline = time.monotonic() + 120
            line = ""
            while "Serving http://" not in line:
                assert time.monotonic() < deadline and serve.poll() is None, serve.stderr.read()
                line = serve.stdout.readline()
            children = descendants(serve.pid)
            serve.send_signal(stop)
            serve.wait(timeout=5)
        finally:
            serve.kill()
        errors = serve.stderr.read()
    assert not [pid for pid in children if running(pid)]
    assert "Traceback" not in errors
