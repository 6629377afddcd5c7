"""Shared fixtures: the small fixture dataset with its own small reference data, and the
sites built from it once per session: `site` drawn by the real renderer (for the tests that
read pictures and for the browser), `plain_site` drawn by the stand-in (tests/stand_in.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from stand_in import STAND_IN

from samtaletjek.build import build
from samtaletjek.domain.registry import Registry
from samtaletjek.ingest import demo
from samtaletjek.publish.pictures import VL_CONVERT, Renderer
from samtaletjek.settings import Settings
from samtaletjek.store import write_data
from samtaletjek.store.reference import load_registry

ROOT = Path(__file__).resolve().parents[1]  # the checkout: build.py, tools/, site_data/
FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
# 15 municipalities in all five regions, every indicator and rule period: the sites the tests
# build use these, not the 98 of samtaletjek/reference (see
# tests/fixtures/small/make_reference.py).
SMALL_REFERENCE = SMALL / "reference"


def canonical_frame(rows: list[tuple], indicator: str | None = None) -> pd.DataFrame:
    """A typed canonical frame from (period, code, group, persons, meeting) tuples; the share
    is computed, the mean missing, and `indicator` given to every row if named."""
    out = pd.DataFrame(
        rows, columns=["period", "municipality_code", "target_group", "persons", "persons_meeting"]
    )
    out["municipality"] = out["municipality_code"].astype(str)
    out["persons"] = out["persons"].astype("Int64")
    out["persons_meeting"] = out["persons_meeting"].astype("Int64")
    share = out["persons_meeting"] / out["persons"].where(out["persons"] > 0) * 100
    out["share_pct"] = share.astype("Float64").round(1)
    out["mean_conversations"] = pd.array([None] * len(out), dtype="Float64")
    if indicator is not None:
        out["indicator"] = indicator
    return out


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the small site into tests/golden/site instead of comparing with it",
    )


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The project's reference data: all 98 municipalities."""
    return load_registry(Settings().reference_dir)


@pytest.fixture(scope="session")
def site_registry() -> Registry:
    """The small reference data the test sites are built with."""
    return load_registry(SMALL_REFERENCE)


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A writable copy of the small fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


def build_site(
    data: Path,
    out: Path,
    cache: Path,
    renderer: Renderer = VL_CONVERT,
    jobs: int = 1,
    **settings: object,
) -> Path:
    """Build the site from `data` with the small reference data (unless `reference_dir` is
    given). One process draws a small site in the time two workers take to start."""
    settings = {"reference_dir": SMALL_REFERENCE, **settings}
    build(
        Settings(data_dir=data, out_dir=out, cache_dir=cache, **settings),
        jobs=jobs,
        renderer=renderer,
    )
    return out


def once_per_run(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Path:
    """`make(root)` once per test run: under pytest-xdist the first worker that asks builds
    it into the run's shared folder, the others wait for it and read it (a session fixture
    alone is built once per worker). The sites are read, never written, by the tests."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(factory.mktemp(name))
    shared = factory.getbasetemp().parent / "shared"  # the run's folder, beside gw0, gw1
    shared.mkdir(exist_ok=True)
    root, done = shared / name, shared / f"{name}.done"
    with FileLock(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            done.write_text(str(make(root)), encoding="utf-8")
    return Path(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return once_per_run(tmp_path_factory, "chart-cache", lambda root: root)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, chart_cache: Path) -> Path:
    """The site built from the small fixture at base URL /, drawn by vl-convert as the real
    build draws: on a pool of two workers."""
    return once_per_run(
        tmp_path_factory,
        "site",
        lambda root: build_site(SMALL, root / "output", chart_cache, jobs=2),
    )


@pytest.fixture(scope="session")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site with stand-in pictures: the one tests/golden holds a copy of."""
    return once_per_run(
        tmp_path_factory,
        "plain-site",
        lambda root: build_site(SMALL, root / "output", root / "cache", STAND_IN),
    )


@pytest.fixture(scope="session")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site as GitHub Pages serves it: under /samtaletjek/ of https://x.dk, with
    stand-in pictures."""
    return once_per_run(
        tmp_path_factory,
        "pages-site",
        lambda root: build_site(
            SMALL,
            root / "output",
            root / "cache",
            STAND_IN,
            base_url="/samtaletjek/",
            site_url="https://x.dk",
        ),
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def reform_site(
    tmp_path_factory: pytest.TempPathFactory, site_registry: Registry, chart_cache: Path
) -> Path:
    """Demo figures of every indicator for the small reference's municipalities, October
    2023 – October 2026: across the breaks of January 2024 and July 2026. Drawn by vl-convert
    (its tests read the maps and charts, and tests/browser serves it)."""

    def make(root: Path) -> Path:
        frame = demo.generate(site_registry, start="2023-10", end="2026-10")
        releases = demo.demo_releases(frame, months=2)
        write_data(root / "data", frame, demo.demo_manifest(), releases)
        return build_site(root / "data", root / "output", chart_cache)

    return once_per_run(tmp_path_factory, "reform", make)
