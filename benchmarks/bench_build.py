"""Build benchmark: what a build costs in time, memory and bytes, and how far it is from the
cost of drawing its pictures, each beside issue 26's target.

Run from the project root (demo data in site_data/):

    python benchmarks/bench_build.py              # cold (median of 3), no change, one new
                                                  # month, page weight, render floor
    python benchmarks/bench_build.py --history    # also 2× and 4× the history
    python benchmarks/bench_build.py --jobs 1     # a single process
    python benchmarks/bench_build.py --quick      # the same table for a small input, for CI

Every build is a real `build.py build` in a subprocess, into a temporary directory with its own
chart cache, so output/ and .cache/ are not touched; a cold build starts from an empty chart
cache (as a fresh checkout does), and fills it for the rebuilds. The memory figure is the peak
of the summed RSS of the build and all its descendants, sampled every 50 ms (the highest of the
cold runs). The render floor is the sum of the pictures' drawing times, each drawn once more in
this process after a warm-up, divided by the cores: no build that draws every picture can be
faster. A municipality page's weight before interaction is what a browser fetches to open the
heaviest one (tools/page_weight.py: the HTML and its eager CSS, icons and scripts, gzip), not
the Vega bundle and chart data that load when a chart comes near the screen.

`--quick` builds demo figures of the 16 municipalities of the small test reference data
(tests/fixtures/small/reference: all five regions, every indicator, group and rule period)
from QUICK_START (22 months, 6,688 rows, 278 pictures), with one cold build instead of
three: the same table in about 35 s, whose figures are not comparable with the targets
(those are for 98 municipalities and 118 months).
Figures are printed; nothing is asserted (the tests check correctness, this reports cost).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.page_weight import all_paths, before_interaction, weigh  # noqa: E402
from tools.processes import descendants, rss_kb  # noqa: E402

STAGE = re.compile(r"^\s+(.+?): (\d+\.\d+) s$")
DRAWN = re.compile(r"\((\d+) rendered\)")
QUICK_REFERENCE = ROOT / "tests" / "fixtures" / "small" / "reference"
QUICK_START = "2025-01"  # with the demo's end (2026-10): across the rule change of July 2026
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
# Issue 26's targets, for the full demo on this 2-core machine.
TARGETS = {
    "cold": "≤ 6 s",
    "memory": "≤ 400 MB",
    "output": "≤ 30 MB",
    "same": "≤ 0.5 s",
    "month": "≤ 8 s",
    "page": "≤ 100 KB gzip",
    "history": "linear: ≤ the times the history",
    "history memory": "≤ 1 GB",
}


@dataclass(frozen=True)
class Input:
    """What a benchmark builds: the data, and the reference data they are read against."""

    data: Path
    reference: Path
    label: str


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


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


def spread(runs: list[Run]) -> str:
    """ "median 12.3 s (3 runs: 12.1–12.9)", or "12.3 s" for one run."""
    if len(runs) == 1:
        return f"{runs[0].seconds:.2f} s"
    low, high = min(r.seconds for r in runs), max(r.seconds for r in runs)
    middle = statistics.median(r.seconds for r in runs)
    return f"median {middle:.2f} s ({len(runs)} runs: {low:.2f}–{high:.2f})"


def write_demo(data: Path, reference: Path, start: str | None = None) -> str:
    """Write the demo data for the municipalities of `reference` into `data`, from `start`
    (default: the demo's own first month); return what they are."""
    from samtaletjek import store
    from samtaletjek.ingest import demo
    from samtaletjek.store.reference import load_registry

    registry = load_registry(reference)
    frame = demo.generate(registry, start=start or demo.START)
    store.write_data(data, frame, demo.demo_manifest(), demo.demo_releases(frame))
    municipalities, first = len(registry.municipalities), start or demo.START
    return f"demo data: {municipalities} municipalities, {first} – {demo.END}, {len(frame)} rows"


def add_month(source: Input) -> str:
    """Append the demo's next month to the canonical table of `source`; return the month."""
    import pandas as pd

    from samtaletjek import store
    from samtaletjek.domain.periods import shift_period
    from samtaletjek.ingest import demo
    from samtaletjek.store.reference import load_registry

    data = source.data
    frame, _ = store.read_canonical(data)
    first, month = min(frame["period"]), shift_period(max(frame["period"]), 1)
    longer = demo.generate(load_registry(source.reference), start=first, end=month)
    merged = pd.concat([frame.drop(columns=["row"]), longer[longer["period"] == month]])
    store.write_data(data, merged, store.read_manifest(data), store.read_releases(data))
    return month


def render_floor(source: Input) -> dict[str, tuple[int, float]]:
    """Per kind of drawing ("svg", "card", "frame", "fill"): how many the build makes and the
    seconds to make them one after another in one warm process, as the build makes them."""
    import dataclasses

    from samtaletjek import build
    from samtaletjek.charts.specs import spec_json
    from samtaletjek.pages.site import site_model
    from samtaletjek.publish import draw
    from samtaletjek.publish.pictures import VL_CONVERT, framed, pictures
    from samtaletjek.settings import Settings

    settings = Settings(data_dir=source.data, reference_dir=source.reference)
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
    # As the build draws them: a framed panel or map as its frame, drawn once per frame, and
    # its own written in ("fill"); every other picture whole ("svg", "card").
    jobs: dict[str, tuple[str, str]] = {}
    fills: list[tuple[str, object]] = []
    for item in items:
        for p in pictures(item):
            parts = framed(p.spec) if VL_CONVERT.frames and p.kind == "svg" else None
            if parts is None:
                jobs[spec_json(p.spec)] = (p.kind, spec_json(p.spec))
            else:
                frame, own = parts
                jobs[spec_json(frame)] = ("frame", spec_json(frame))
                fills.append((spec_json(frame), own))
    draw.warm()
    kinds: dict[str, tuple[int, float]] = {}
    drawn: dict[str, str] = {}

    def count(kind: str, since: float) -> None:
        n, seconds = kinds.get(kind, (0, 0.0))
        kinds[kind] = (n + 1, seconds + time.perf_counter() - since)

    for key, (kind, spec) in jobs.items():
        start = time.perf_counter()
        picture = VL_CONVERT.render(("svg" if kind == "frame" else kind, spec))
        count(kind, start)
        if kind == "frame":
            drawn[key] = picture.decode("utf-8")
    for key, own in fills:
        start = time.perf_counter()
        own.fill(drawn[key])
        count("fill", start)
    return kinds


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _gzip_kb(data: bytes) -> float:
    return len(gzip.compress(data, 6, mtime=0)) / 1024


def page_weights(out: Path) -> list[tuple[str, str, str]]:
    """Per page type: the HTML, and everything it may load from the site (CSS, scripts, the
    Vega bundle where it has a chart, chart specs and data; not the share image), raw and
    gzipped as a server would send them."""
    rows = []
    for kind, page in PAGE_TYPES.items():
        if not (out / page).exists():
            continue
        html, *files = weigh(out, all_paths(out, page.removesuffix("index.html")))
        raw = html.raw + sum(f.raw for f in files)
        packed = html.gzip + sum(f.gzip for f in files)
        rows.append(
            (
                f"page weight: {kind}, with all it may load",
                f"HTML {html.raw / 1024:.0f} KB ({html.gzip / 1024:.0f} KB gzip); with "
                f"{len(files)} files {raw / 1024:.0f} KB ({packed / 1024:.0f} KB gzip)",
                "",
            )
        )
    return rows


def heaviest_municipality(out: Path) -> tuple[str, list]:
    """The municipality page that costs most to open before a chart is reached, and its files."""
    pages = sorted(p.parent.name for p in (out / "kommune").glob("*/index.html"))
    weighed = {m: before_interaction(out, f"kommune/{m}/") for m in pages}
    heaviest = max(weighed, key=lambda m: sum(f.gzip for f in weighed[m]))
    return heaviest, weighed[heaviest]


def bench(
    source: Input, tmp: Path, jobs: int, repeat: int, incremental: bool
) -> tuple[list[tuple[str, str, str]], Run]:
    """Build `source` cold `repeat` times and, with `incremental` (the 1× history), again with
    nothing changed and after one new month; return the table's rows and the median cold run.
    The targets are the 1× history's; of a longer history, only the memory's."""
    label = source.label
    aim = {"cold": "cold", "memory": "memory", "output": "output"}
    if not incremental:
        aim = {"memory": "history memory"}
    out, cache = tmp / "output", tmp / "cache"
    config = tmp / "site.toml"
    config.write_text(
        f'cache_dir = "{cache}"\nreference_dir = "{source.reference}"\n', encoding="utf-8"
    )
    command = [sys.executable, "build.py", "build", "--data", str(source.data), "--out", str(out)]
    command += ["--jobs", str(jobs), "--config", str(config)]
    colds = []
    for _ in range(repeat):  # cold: an empty chart cache and no record of a build
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(run(command))
    cold = median_run(colds)
    peak = max(r.peak_mb for r in colds)
    rows: list[tuple[str, str, str]] = [
        (
            f"{label}: cold build",
            f"{spread(colds)}, {cold.drawn} pictures drawn",
            aim.get("cold", ""),
        ),
        (f"{label}: cold build, peak memory of the process tree", f"{peak:.0f} MB", aim["memory"]),
        (f"{label}: cold build, CPU time of the process tree", f"{cold.cpu_seconds:.1f} s", ""),
        *((f"{label}: stage: {stage}", f"{s:.2f} s", "") for stage, s in cold.stages.items()),
        (f"{label}: output", f"{_size(out) / 1e6:.1f} MB", aim.get("output", "")),
    ]
    kinds = render_floor(source)
    serial = sum(seconds for _, seconds in kinds.values())
    floor = serial / jobs
    drawn = ", ".join(f"{n} {kind} in {s:.1f} s" for kind, (n, s) in sorted(kinds.items()))
    rows += [
        (f"{label}: pictures, drawn one by one", drawn, ""),
        (f"{label}: render floor ({jobs} cores)", f"{floor:.1f} s", ""),
        (f"{label}: cold build ÷ render floor", f"{cold.seconds / floor:.2f}", ""),
    ]
    if not incremental:
        return rows, cold
    same = [run(command) for _ in range(3)]
    month = add_month(source)
    new = run(command)
    rows += [
        (
            f"{label}: no-change rebuild",
            f"{spread(same)}, {max(r.peak_mb for r in same):.0f} MB",
            "same",
        ),
        (
            f"{label}: rebuild after one new month ({month})",
            f"{new.seconds:.1f} s, {new.drawn} pictures drawn, {new.peak_mb:.0f} MB",
            "month",
        ),
    ]
    folders = sorted(((p.name, _size(p)) for p in out.iterdir() if p.is_dir()), key=lambda x: -x[1])
    rows += [(f"{label}: output {name}/", f"{size / 1e6:.1f} MB", "") for name, size in folders]
    heaviest, files = heaviest_municipality(out)
    rows.append(
        (
            f"{label}: municipality page before interaction (heaviest: {heaviest})",
            f"{sum(f.gzip for f in files) / 1024:.0f} KB gzip in {len(files)} files "
            f"({sum(f.raw for f in files) / 1024:.0f} KB raw): "
            + ", ".join(f.path.rstrip("/").rsplit("/", 1)[-1] for f in files),
            "page",
        )
    )
    return rows + page_weights(out), cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="site_data", help="the data to build (default: demo)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--history", action="store_true", help="also 2× and 4× the history")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"16 municipalities of demo data from {QUICK_START}, one cold build (for CI)",
    )
    options = parser.parse_args()

    from samtaletjek.ingest import demo
    from samtaletjek.settings import Settings

    rows = [
        ("date", time.strftime("%Y-%m-%d"), ""),
        ("cores used (--jobs)", str(options.jobs), ""),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        if options.quick:
            source, first = Input(data, QUICK_REFERENCE, "1×"), QUICK_START
            rows.append(("input (--quick)", write_demo(data, QUICK_REFERENCE, first), ""))
        else:
            source, first = Input(data, Settings().reference_dir, "1×"), demo.START
            shutil.copytree(ROOT / options.data, data)
            rows.append(("input", options.data, ""))
        repeat = 1 if options.quick else 3
        found, one = bench(source, Path(tmp), options.jobs, repeat, incremental=True)
        rows += found
        if options.history:
            begin = int(first[:4]) * 12 + int(first[5:]) - 1
            span = int(demo.END[:4]) * 12 + int(demo.END[5:]) - begin  # months in the demo
            for times in (2, 4):
                start_month = begin - span * (times - 1)
                start = f"{start_month // 12}-{start_month % 12 + 1:02d}"
                longer = Input(Path(tmp) / f"data{times}", source.reference, f"{times}× ({start}–)")
                write_demo(longer.data, longer.reference, start)
                found, cold = bench(longer, Path(tmp), options.jobs, 1, incremental=False)
                rows += found
                rows.append(
                    (
                        f"{longer.label}: cold build ÷ 1× cold build",
                        f"{cold.seconds / one.seconds:.2f} ({times}× the history)",
                        "history",
                    )
                )
    if options.quick:
        print("--quick: a small input; the targets are for the full demo (98 municipalities)")
    width = max(len(k) for k, _, _ in rows)
    for key, value, target in rows:
        aim = f"  [target {TARGETS[target]}]" if TARGETS.get(target) else ""
        print(f"{key:<{width}}  {value}{aim}")


if __name__ == "__main__":
    main()
