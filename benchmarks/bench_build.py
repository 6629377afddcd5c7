"""Build benchmark: what a build costs in time, memory and bytes, and how far it is from the
cost of drawing its pictures.

Run from the project root (demo data in site_data/):

    python benchmarks/bench_build.py              # cold, no change, one new month, floor
    python benchmarks/bench_build.py --history    # also 2× and 4× the history
    python benchmarks/bench_build.py --jobs 1     # a single process

Every build is a real `build.py build` in a subprocess, into a temporary directory with its
own chart cache, so output/ and .cache/ are not touched. The memory figure is the peak of the
summed RSS of the build and all its descendants, sampled every 50 ms. The render floor is the
sum of the pictures' drawing times, each drawn once more in this process after a warm-up,
divided by the cores: no build that draws every picture can be faster. Figures are printed;
nothing is asserted (the tests check correctness, this reports cost).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.processes import descendants, rss_kb  # noqa: E402

STAGE = re.compile(r"^\s+(.+?): (\d+\.\d+) s$")
DRAWN = re.compile(r"\((\d+) rendered\)")
# Page types and the page that stands for each (the municipality is the heaviest kind).
PAGE_TYPES = {
    "overblik": "index.html",
    "kommune": "kommune/koebenhavn/index.html",
    "målgruppe": "maalgruppe/dagpenge/index.html",
    "sammenlign": "sammenlign/index.html",
    "kort": "kort/index.html",
    "indlejring": "embed/koebenhavn/dagpenge/index.html",
    "nyt": "nyt/index.html",
    "metode": "metode/index.html",
}
LOADS = re.compile(r'(?:href|src|data-spec|data-values|data-template)="/([^"#?]+)"')


@dataclass
class Run:
    seconds: float
    peak_mb: float
    cpu_seconds: float  # user + system of the whole tree
    stages: dict[str, float] = field(default_factory=dict)
    drawn: int = 0


def run(command: list[str]) -> Run:
    """Run a build; return its wall time, peak tree memory, CPU time and stage times."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        tree = {process.pid, *descendants(process.pid)}
        peak = max(peak, sum(map(rss_kb, tree)))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    out, err = process.communicate()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stages = {m[1]: float(m[2]) for line in err.splitlines() if (m := STAGE.match(line))}
    drawn = DRAWN.search(out)
    return Run(seconds, peak / 1024, cpu, stages, int(drawn[1]) if drawn else 0)


def write_demo(data: Path, start: str | None = None) -> None:
    """Write the demo data into `data`, from `start` (default: the demo's own first month)."""
    from samtaletjek import store
    from samtaletjek.ingest import demo
    from samtaletjek.settings import Settings
    from samtaletjek.store.reference import load_registry

    frame = demo.generate(load_registry(Settings().reference_dir), start=start or demo.START)
    store.write_data(data, frame, demo.demo_manifest(), demo.demo_releases(frame))


def add_month(data: Path) -> str:
    """Append the demo's next month to the canonical table in `data`; return the month."""
    import pandas as pd

    from samtaletjek import store
    from samtaletjek.domain.periods import shift_period
    from samtaletjek.ingest import demo
    from samtaletjek.settings import Settings
    from samtaletjek.store.reference import load_registry

    frame, _ = store.read_canonical(data)
    first, month = min(frame["period"]), shift_period(max(frame["period"]), 1)
    longer = demo.generate(load_registry(Settings().reference_dir), start=first, end=month)
    merged = pd.concat([frame.drop(columns=["row"]), longer[longer["period"] == month]])
    store.write_data(data, merged, store.read_manifest(data), store.read_releases(data))
    return month


def render_floor(data: Path) -> tuple[int, float]:
    """Return (pictures, seconds to draw them all one after another in one warm process)."""
    import dataclasses

    from samtaletjek import build
    from samtaletjek.charts.specs import spec_json
    from samtaletjek.pages.site import site_model
    from samtaletjek.publish import draw
    from samtaletjek.publish.pictures import pictures
    from samtaletjek.settings import Settings

    settings = Settings(data_dir=data)
    inputs = build.read_inputs(settings)  # what the build reads, as the build reads it
    registry, topology, (frame, manifest, releases, context), content, sources, _ = inputs
    metrics, others = build.measure_all(frame, registry, settings)
    items: list = []
    site_model(
        metrics,
        registry,
        dataclasses.replace(build.options(settings), origins=sources),
        manifest,
        releases,
        content,
        topology,
        ready=items.append,
        others=others,
        context=context,
    )
    jobs = {p.id: (p.kind, spec_json(p.spec)) for item in items for p in pictures(item)}
    draw.warm()
    start = time.perf_counter()
    for job in jobs.values():
        draw.render(job)
    return len(jobs), time.perf_counter() - start


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _gzip_kb(data: bytes) -> float:
    return len(gzip.compress(data, 6, mtime=0)) / 1024


def page_weights(out: Path) -> list[tuple[str, str]]:
    """Per page type: the HTML, and everything it loads from the site (CSS, scripts, chart
    specs and data; not the share image), raw and gzipped as a server would send them."""
    rows = []
    for kind, page in PAGE_TYPES.items():
        path = out / page
        if not path.exists():
            continue
        html = path.read_bytes()
        loaded = {m for m in LOADS.findall(html.decode("utf-8")) if (out / m).is_file()}
        loaded = {m for m in loaded if not m.endswith((".csv", ".xlsx", ".png", ".xml"))}
        files = [html, *((out / m).read_bytes() for m in sorted(loaded))]
        raw = sum(map(len, files))
        packed = sum(_gzip_kb(f) for f in files)
        rows.append(
            (
                f"page weight: {kind}",
                f"HTML {len(html) / 1024:.0f} KB ({_gzip_kb(html):.0f} KB gzip); with "
                f"{len(loaded)} files it loads {raw / 1024:.0f} KB ({packed:.0f} KB gzip)",
            )
        )
    return rows


def bench(data: Path, tmp: Path, jobs: int, label: str, incremental: bool) -> list[tuple]:
    out, cache = tmp / "output", tmp / "cache"
    config = tmp / "site.toml"
    config.write_text(f'cache_dir = "{cache}"\n', encoding="utf-8")
    command = [sys.executable, "build.py", "build", "--data", str(data), "--out", str(out)]
    command += ["--jobs", str(jobs), "--config", str(config)]
    cold = run([*command, "--no-cache"])
    rows: list[tuple] = [
        (f"{label}: cold build", f"{cold.seconds:.1f} s, {cold.drawn} pictures drawn"),
        (f"{label}: cold build, peak memory of the process tree", f"{cold.peak_mb:.0f} MB"),
        (f"{label}: cold build, CPU time of the process tree", f"{cold.cpu_seconds:.1f} s"),
        *((f"{label}: stage: {stage}", f"{s:.2f} s") for stage, s in cold.stages.items()),
    ]
    pictures, serial = render_floor(data)
    floor = serial / jobs
    rows += [
        (f"{label}: pictures, drawn one by one", f"{pictures} in {serial:.1f} s"),
        (f"{label}: render floor ({jobs} cores)", f"{floor:.1f} s"),
        (f"{label}: cold build ÷ render floor", f"{cold.seconds / floor:.2f}"),
        (f"{label}: output", f"{_size(out) / 1e6:.1f} MB"),
    ]
    if not incremental:
        return rows
    run(command)  # fills the cache the cold build skipped
    same = run(command)
    month = add_month(data)
    new = run(command)
    rows += [
        (f"{label}: no-change rebuild", f"{same.seconds:.2f} s, {same.peak_mb:.0f} MB"),
        (
            f"{label}: rebuild after one new month ({month})",
            f"{new.seconds:.1f} s, {new.drawn} pictures drawn, {new.peak_mb:.0f} MB",
        ),
    ]
    folders = sorted(((p.name, _size(p)) for p in out.iterdir() if p.is_dir()), key=lambda x: -x[1])
    rows += [(f"{label}: output {name}/", f"{size / 1e6:.1f} MB") for name, size in folders]
    return rows + page_weights(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="site_data", help="the data to build (default: demo)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--history", action="store_true", help="also 2× and 4× the history")
    options = parser.parse_args()

    rows = [("date", time.strftime("%Y-%m-%d")), ("cores used (--jobs)", str(options.jobs))]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / options.data, data)
        rows += bench(data, Path(tmp), options.jobs, "1×", incremental=True)
        if options.history:
            from samtaletjek.ingest import demo

            begin = int(demo.START[:4]) * 12 + int(demo.START[5:]) - 1
            span = int(demo.END[:4]) * 12 + int(demo.END[5:]) - begin  # months in the demo
            for times in (2, 4):
                first = begin - span * (times - 1)
                start = f"{first // 12}-{first % 12 + 1:02d}"
                longer = Path(tmp) / f"data{times}"
                write_demo(longer, start)
                rows += bench(longer, Path(tmp), options.jobs, f"{times}× ({start}–)", False)
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
