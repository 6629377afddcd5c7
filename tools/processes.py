"""Process trees from /proc (Linux): what a build started, how much memory it holds and
whether it still runs. Shared by the benchmark and the tests that stop builds."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name, or None if there is no such
    process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> set[int]:
    """Every process `pid` started, and theirs, not `pid` itself."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found: set[int] = set()
    todo = list(children.get(pid, []))
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children.get(current, []))
    return found


def rss_kb(pid: int) -> int:
    """The resident memory of `pid` in KiB; 0 if it has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an orphan's zombie may wait for a reaper
    that never comes in a container; it runs nothing)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"
