"""A pool of worker processes that can always be stopped: the build's drawing and Excel work.

The standard library's `ProcessPoolExecutor` can hang a stopped build for good: its manager
thread is joined at exit, and it may be blocked on a half-written result from a killed worker
or on a full call queue. Here each worker has a pipe of its own, and one daemon thread hands
out tasks and collects results; nothing waits for that thread, so killing the workers (`kill`)
ends everything at once, and the interpreter's exit never waits on a worker.

Workers import only this module and what their tasks need (not pandas or Altair).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from multiprocessing.connection import Connection, wait
from typing import Any


class WorkerDied(RuntimeError):
    """A worker process ended while it had a task."""


def _serve(conn: Connection, initializer: Callable[..., None], initargs: tuple) -> None:
    """A worker's life: set up, then run each task it is sent and send back its outcome."""
    initializer(*initargs)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the build is gone
        if task is None:
            return
        fn, args = task
        try:
            outcome = (True, fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed back to the build, which raises it
            outcome = (False, exc)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


class Workers(Executor):
    """`jobs` spawned worker processes, started at once (`initializer(*initargs)` in each),
    with `submit` as in `concurrent.futures`."""

    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: tuple = ()) -> None:
        context = multiprocessing.get_context("spawn")
        self._tasks: queue.SimpleQueue[tuple[Future, Callable, tuple] | None] = queue.SimpleQueue()
        self._processes = []
        self._conns: list[Connection] = []
        for _ in range(jobs):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, initializer, initargs), daemon=True
            )
            process.start()
            theirs.close()
            self._processes.append(process)
            self._conns.append(mine)
        self._wake_reader, self._wake_writer = context.Pipe(duplex=False)
        self._closing = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._dispatch, name="workers", daemon=True)
        self._thread.start()

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None]

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        if kwargs:
            raise TypeError("Workers.submit takes positional arguments only")
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the workers have been shut down")
            self._tasks.put((future, fn, args))
            self._wake()
        return future

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b"")

    def _dispatch(self) -> None:
        """Hand tasks to idle workers and results to their futures, until shut down or
        killed. Runs in a daemon thread."""
        idle = list(range(len(self._conns)))
        busy: dict[int, Future] = {}
        dead: set[int] = set()
        waiting: list[tuple[Future, Callable, tuple]] = []
        done = False
        while True:
            while True:  # take what was submitted
                try:
                    item = self._tasks.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    done = True
                else:
                    waiting.append(item)
            while idle and waiting:
                future, fn, args = waiting.pop(0)
                if not future.set_running_or_notify_cancel():
                    continue
                i = idle.pop(0)
                try:
                    self._conns[i].send((fn, args))
                except (BrokenPipeError, OSError):
                    dead.add(i)
                    future.set_exception(WorkerDied("a drawing process ended unexpectedly"))
                    continue
                busy[i] = future
            if len(dead) == len(self._conns):
                for future, *_ in waiting:
                    if future.set_running_or_notify_cancel():
                        future.set_exception(WorkerDied("every drawing process has ended"))
                waiting.clear()
            if done and not busy:
                return
            watched = [self._wake_reader, *(self._conns[i] for i in busy)]
            watched += [self._processes[i].sentinel for i in busy]
            try:
                ready = wait(watched)
            except OSError:
                return  # closed under us: the workers were killed
            if self._wake_reader in ready:
                try:
                    while self._wake_reader.poll():
                        self._wake_reader.recv_bytes()
                except (EOFError, OSError):
                    return
            for i, future in list(busy.items()):
                conn, sentinel = self._conns[i], self._processes[i].sentinel
                if conn not in ready and sentinel not in ready:
                    continue
                try:
                    ok, value = conn.recv() if conn.poll() else (None, None)
                except (EOFError, OSError):
                    ok = None
                if ok is None:
                    dead.add(i)
                    future.set_exception(WorkerDied("a drawing process ended unexpectedly"))
                elif ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
                del busy[i]
                if i not in dead:
                    idle.append(i)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Let the workers finish their tasks and end."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            self._tasks.put(None)
            self._wake()
        if wait:
            self._thread.join()
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.send(None)
            for process in self._processes:
                process.join()
            self._close()

    def kill(self) -> None:
        """End every worker at once, whatever it is doing; what they had is failed."""
        with self._lock:
            self._closing = True
            self._tasks.put(None)
            self._wake()
        for process in self._processes:
            if process.is_alive():
                process.kill()
        for process in self._processes:
            process.join(timeout=2)
        # With its workers gone, the dispatcher fails their tasks and returns.
        self._thread.join(timeout=2)
        if not self._thread.is_alive():
            self._close()

    def _close(self) -> None:
        for conn in (*self._conns, self._wake_reader, self._wake_writer):
            with contextlib.suppress(OSError):
                conn.close()
