"""Build benchmark: wall time, peak memory of the whole process tree, output size, page weight.

Run from the project root:

    python benchmarks/bench_build.py            # demo data in site_data/
    python benchmarks/bench_build.py --jobs 1   # single process

It builds into a temporary directory with a temporary chart cache, so it touches neither
output/ nor .cache/. Figures are printed as a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children(pid: int) -> set[int]:
    """Return `pid` and all its descendants, read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        tree.add(current)
        todo.extend(parents.get(current, []))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(args: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak MB of the summed RSS of its process tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_rss_kb(p) for p in _children(process.pid)))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"build failed:\n{process.stderr.read().decode()}")
    return seconds, peak / 1024


def add_month(data: Path) -> str:
    """Append the demo's next month to the canonical table in `data`; return the month."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from samtaletjek import store
    from samtaletjek.domain.periods import shift_period
    from samtaletjek.ingest import demo
    from samtaletjek.settings import Settings
    from samtaletjek.store.reference import load_registry

    frame, _ = store.read_canonical(data)
    month = shift_period(max(frame["period"]), 1)
    longer = demo.generate(load_registry(Settings().reference_dir), end=month)
    merged = pd.concat([frame.drop(columns=["row"]), longer[longer["period"] == month]])
    store.write_data(data, merged, store.read_manifest(data), store.read_releases(data))
    return month


def page_weight(path: Path) -> float:
    return path.stat().st_size / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="site_data")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out, cache, data = Path(tmp) / "output", Path(tmp) / "cache", Path(tmp) / "data"
        shutil.copytree(ROOT / options.data, data)
        config = Path(tmp) / "site.toml"
        config.write_text(f'cache_dir = "{cache}"\n', encoding="utf-8")
        build = [sys.executable, "build.py", "build", "--data", str(data), "--out", str(out)]
        build += ["--jobs", str(options.jobs), "--config", str(config)]
        cold = run(build)
        warm = run(build)
        added = add_month(data)
        new_month = run(build)

        html = sorted(out.rglob("*.html"), key=lambda p: p.stat().st_size)
        total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        municipality_pages = [p for p in html if p.parent.parent.name == "kommune"]
        svg_count = sum(p.read_text(encoding="utf-8").count("<svg ") for p in html)
        rows = [
            ("cold build (every chart rendered)", f"{cold[0]:.1f} s"),
            ("cold build peak memory (process tree)", f"{cold[1]:.0f} MB"),
            ("no-change rebuild (charts from cache)", f"{warm[0]:.1f} s"),
            ("no-change rebuild peak memory", f"{warm[1]:.0f} MB"),
            (f"rebuild after one new month ({added})", f"{new_month[0]:.1f} s"),
            ("render processes (--jobs)", str(options.jobs)),
            ("HTML pages / inline SVG charts", f"{len(html)} / {svg_count}"),
            ("output size", f"{total / 1e6:.1f} MB"),
            (
                "overview index.html (HTML + inline SVG)",
                f"{page_weight(out / 'index.html'):.0f} KB",
            ),
            (
                "largest municipality page",
                f"{page_weight(municipality_pages[-1]):.0f} KB "
                f"({municipality_pages[-1].parent.name})",
            ),
            ("heaviest page", f"{page_weight(html[-1]):.0f} KB ({html[-1].relative_to(out)})"),
        ]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
