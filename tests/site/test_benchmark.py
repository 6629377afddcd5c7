"""The benchmark's quick mode runs in CI: every figure issue 26 asks for is reported, from real
builds of a small input (the figures are read, not judged: a benchmark is not a timed test)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each row the table must have, and the form of its figure.
ROWS = {
    "1×: cold build": r"\d+\.\d+ s, \d+ pictures drawn",
    "1×: cold build, peak memory of the process tree": r"\d+ MB",
    "1×: output": r"\d+\.\d MB",
    "1×: no-change rebuild": r"median \d+\.\d+ s",
    "1×: rebuild after one new month": r"\d+\.\d+ s, \d+ pictures drawn",
    "1×: municipality page before interaction": r"\d+ KB gzip",
    "1×: render floor": r"\d+\.\d+ s",
    "1×: cold build ÷ render floor": r"\d+\.\d+",
}


def test_the_quick_benchmark_reports_every_figure_of_issue_26():
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_build.py", "--quick", "--jobs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    rows = {}
    for line in done.stdout.splitlines():
        name, _, figure = line.partition("  ")
        rows[re.sub(r" \(.*\)$", "", name.strip())] = figure.strip()  # "(2026-11)" goes
    for name, form in ROWS.items():
        assert name in rows, f"no row {name!r} in:\n{done.stdout}"
        assert re.match(form, rows[name]), (name, rows[name])
