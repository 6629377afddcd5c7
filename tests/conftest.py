"""Shared fixtures: the small fixture dataset and a site built from it once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from samtaletjek.build import build
from samtaletjek.domain.registry import Registry
from samtaletjek.ingest import demo
from samtaletjek.settings import Settings
from samtaletjek.store import write_data
from samtaletjek.store.reference import load_registry

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small"


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


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(Settings().reference_dir)


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A writable copy of the small fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


def build_site(data: Path, out: Path, cache: Path, **settings: object) -> Path:
    build(Settings(data_dir=data, out_dir=out, cache_dir=cache, **settings), jobs=2)
    return out


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chart-cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, chart_cache: Path) -> Path:
    """The site built from the small fixture at base URL /."""
    return build_site(SMALL, tmp_path_factory.mktemp("site") / "output", chart_cache)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def reform_site(
    tmp_path_factory: pytest.TempPathFactory, registry: Registry, chart_cache: Path
) -> Path:
    """All 98 municipalities and 8 groups, October 2023 – October 2026 (demo figures)."""
    root = tmp_path_factory.mktemp("reform")
    frame = demo.generate(registry, start="2023-10", end="2026-10")
    write_data(root / "data", frame, demo.demo_manifest(), demo.demo_releases(frame, months=2))
    return build_site(root / "data", root / "output", chart_cache)
