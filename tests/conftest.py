"""Shared fixtures: the small fixture dataset with its own small reference data, and the
sites built from it once per session: `site` drawn by the real renderer (for the tests that
read pictures and for the browser), `plain_site` drawn by the stand-in (tests/stand_in.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from stand_in import STAND_IN

from samtaletjek.build import build
from samtaletjek.domain.registry import Registry
from samtaletjek.ingest import demo
from samtaletjek.publish.pictures import VL_CONVERT, Renderer
from samtaletjek.settings import Settings
from samtaletjek.store import write_data
from samtaletjek.store.reference import load_registry

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"
# 15 municipalities in all five regions, every indicator and rule period: the sites the tests
# build use these, not the 98 of site_data/reference (see tests/fixtures/small/make_reference.py).
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


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chart-cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, chart_cache: Path) -> Path:
    """The site built from the small fixture at base URL /, drawn by vl-convert as the real
    build draws: on a pool of two workers."""
    return build_site(SMALL, tmp_path_factory.mktemp("site") / "output", chart_cache, jobs=2)


@pytest.fixture(scope="session")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site with stand-in pictures: the one tests/golden holds a copy of."""
    root = tmp_path_factory.mktemp("plain-site")
    return build_site(SMALL, root / "output", root / "cache", STAND_IN)


@pytest.fixture(scope="session")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site as GitHub Pages serves it: under /samtaletjek/ of https://x.dk, with
    stand-in pictures."""
    root = tmp_path_factory.mktemp("pages-site")
    return build_site(
        SMALL,
        root / "output",
        root / "cache",
        STAND_IN,
        base_url="/samtaletjek/",
        site_url="https://x.dk",
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
    root = tmp_path_factory.mktemp("reform")
    frame = demo.generate(site_registry, start="2023-10", end="2026-10")
    write_data(root / "data", frame, demo.demo_manifest(), demo.demo_releases(frame, months=2))
    return build_site(root / "data", root / "output", chart_cache)
