"""A stopped build takes its worker processes with it, within 2 s, and leaves the last good
site as it was: real `build.py build` and `build.py serve` processes, stopped with real
signals while their workers draw. No test here builds a whole site first: the "last good
site" is a folder an earlier build could have left.

To run the stop tests many times under load (as the reliability issue asks):
`STOP_LOOP=20 python -m pytest tests/publish/test_workers.py -k stop` while something keeps
both cores busy (see the docstring of `test_stop_loop`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SMALL, SMALL_REFERENCE

from samtaletjek.publish.site import MARK, MARK_TEXT, clean_leftovers
from samtaletjek.publish.workers import WorkerDied, Workers
from samtaletjek.settings import Settings
from tools.processes import descendants, running

STOPPED_WITHIN = 2.0  # seconds from the signal to the process's exit, workers included
START_TIMEOUT = 180  # a hard limit on waiting for a process to reach the point under test


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def earlier_site(out: Path) -> dict[str, str]:
    """A folder as an earlier build leaves it (its mark and a page); return its digest."""
    out.mkdir(parents=True)
    (out / MARK).write_text(MARK_TEXT, encoding="utf-8")
    (out / "index.html").write_text("<p>the last good site</p>", encoding="utf-8")
    return digest(out)


class Lines:
    """A process's stderr, read to its end in a thread (a worker left running would hold it
    open), so tests can wait for a line with a deadline."""

    def __init__(self, stream) -> None:  # noqa: ANN001
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # noqa: ANN001
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for(
        self, text: str, process: subprocess.Popen, timeout: float = START_TIMEOUT, after: str = ""
    ) -> None:
        """Wait until a line holds `text` (after the first line holding `after`)."""
        deadline = time.monotonic() + timeout

        def seen() -> bool:
            start = next((i for i, line in enumerate(self.lines) if after in line), None)
            return start is not None and any(text in line for line in self.lines[start:])

        with self.changed:
            while not seen():
                left = deadline - time.monotonic()
                if left <= 0 or process.poll() is not None:
                    raise AssertionError(f"never printed {text!r}: {''.join(self.lines)}")
                self.changed.wait(min(left, 0.2))

    @property
    def text(self) -> str:
        with self.changed:
            return "".join(self.lines)


def config(tmp_path: Path, **settings: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text("".join(f'{k} = "{v}"\n' for k, v in settings.items()), encoding="utf-8")
    return path


def _ctrl_c_as_at_a_terminal() -> None:
    """In the child before it runs: Ctrl-C at its default. A shell starts a background job
    with SIGINT ignored, and a child inherits that: `pytest … &` would make every SIGINT
    test fail (a user's build in a terminal is stopped by Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, Lines]:
    process = subprocess.Popen(
        [sys.executable, "build.py", *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        preexec_fn=_ctrl_c_as_at_a_terminal,  # only a signal disposition: safe after fork
    )
    return process, Lines(process.stderr)


def stop_and_time(process: subprocess.Popen, stop: signal.Signals) -> float:
    """Send `stop`, wait for the exit (hard limit 30 s), return the seconds it took."""
    sent = time.monotonic()
    process.send_signal(stop)
    process.wait(timeout=30)
    return time.monotonic() - sent


def gone_within(pids: set[int], seconds: float) -> list[int]:
    """The pids still running `seconds` after now (polled); killed then, so a failure leaves
    nothing behind."""
    deadline = time.monotonic() + seconds
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = [pid for pid in pids if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


STOPS = [signal.SIGTERM, signal.SIGINT, signal.SIGKILL]
ROUNDS = int(os.environ.get("STOP_LOOP", "1"))  # STOP_LOOP=20: each stop test 20 times


@pytest.mark.parametrize("round", range(ROUNDS))
@pytest.mark.parametrize("stop", STOPS, ids=lambda s: s.name)
def test_a_build_stopped_while_drawing_stops_at_once_and_leaves_the_last_site(
    tmp_path: Path, stop: signal.Signals, round: int
):
    out = tmp_path / "output"
    before = earlier_site(out)
    settings = config(
        tmp_path, cache_dir=str(tmp_path / "cache"), reference_dir=str(SMALL_REFERENCE)
    )
    command = ["build", "--data", str(SMALL), "--out", str(out), "--jobs", "2", "--no-cache"]
    build, lines = start([*command, "--config", str(settings)])
    with build:
        try:
            # The pictures go to the workers as the pages are made; once the pages are made,
            # both workers are drawing.
            lines.wait_for("page contexts and chart specs", build)
            workers = descendants(build.pid)
            assert len(workers) >= 2, workers
            took = stop_and_time(build, stop)
        finally:
            build.kill()
        left = gone_within(workers, STOPPED_WITHIN)
    assert not left, "workers outlived the build"
    assert build.returncode != 0
    assert digest(out) == before
    if stop == signal.SIGKILL:
        clean_leftovers(out)  # what the next build does first
    else:
        assert took <= STOPPED_WITHIN, f"took {took:.2f} s to stop"
        assert "Traceback" not in lines.text, lines.text
    assert not list(tmp_path.glob(".output.*")), "a staging folder was left"


@pytest.mark.parametrize("round", range(ROUNDS))
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_serve_stopped_during_a_rebuild_stops_at_once_and_leaves_nothing(
    tmp_path: Path, stop: signal.Signals, round: int
):
    content = tmp_path / "content"
    shutil.copytree(Settings().content_dir, content)
    out = tmp_path / "output"
    settings = config(
        tmp_path,
        out_dir=str(out),
        cache_dir=str(tmp_path / "cache"),
        content_dir=str(content),
        reference_dir=str(SMALL_REFERENCE),
    )
    serve, lines = start(["serve", "--data", str(SMALL), "--port", "0", "--config", str(settings)])
    with serve:
        try:
            lines.wait_for("built ", serve)  # the first build; then serving
            page = content / "om.md"
            shutil.rmtree(tmp_path / "cache")  # so the rebuild draws again
            # A new title is in every page's menu: the whole site is built again.
            text = page.read_text(encoding="utf-8").replace("title: Om", "title: Mere om", 1)
            page.write_text(text, encoding="utf-8")
            lines.wait_for("changed: om.md", serve)
            lines.wait_for("page contexts and chart specs", serve, after="changed: om.md")
            children = descendants(serve.pid)
            took = stop_and_time(serve, stop)
        finally:
            serve.kill()
        left = gone_within(children, STOPPED_WITHIN)
    assert not left
    assert took <= STOPPED_WITHIN, f"took {took:.2f} s to stop"
    assert "Traceback" not in lines.text, lines.text
    assert not list(tmp_path.glob(".output.*")), "a staging folder was left"
    assert (out / MARK).is_file()  # the first build's site stands


def test_a_build_killed_during_its_swap_gets_its_site_back(tmp_path: Path):
    out = tmp_path / "output"
    old = tmp_path / ".output.old-999999999"  # no such process
    old.mkdir()
    (old / "index.html").write_text("the last good site", encoding="utf-8")
    (tmp_path / ".output.staging-999999999").mkdir()
    clean_leftovers(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


# The pool itself, without a build: tasks, failures, a worker that dies, and a kill.


def _noop(parent: int) -> None:
    pass


def test_workers_run_tasks_and_hand_back_their_failures():
    pool = Workers(2, _noop, (os.getpid(),))
    try:
        futures = [pool.submit(pow, n, 2) for n in range(20)]
        assert [f.result(timeout=60) for f in futures] == [n * n for n in range(20)]
        failing = pool.submit(int, "not a number")
        with pytest.raises(ValueError):
            failing.result(timeout=60)
        assert pool.submit(abs, -3).result(timeout=60) == 3  # the worker lives on
    finally:
        pool.shutdown()
    assert not [pid for pid in pool.pids if running(pid)]


def test_a_worker_that_dies_fails_its_task_not_the_pool():
    pool = Workers(2, _noop, (os.getpid(),))
    try:
        dying = pool.submit(os._exit, 3)
        with pytest.raises(WorkerDied):
            dying.result(timeout=60)
        assert pool.submit(abs, -4).result(timeout=60) == 4  # the other worker takes it
    finally:
        pool.kill()


def test_killing_the_pool_mid_task_ends_every_worker_at_once():
    pool = Workers(2, _noop, (os.getpid(),))
    busy = [pool.submit(time.sleep, 30) for _ in range(4)]
    time.sleep(0.5)  # let the workers take their tasks
    pids = set(pool.pids)
    started = time.monotonic()
    pool.kill()
    assert time.monotonic() - started < STOPPED_WITHIN
    assert not gone_within(pids, 0.5)
    for future in busy[:2]:
        with pytest.raises(WorkerDied):
            future.result(timeout=5)
