"""Every municipal, regional and national series aligned to all months: what the comparison
and embed pages draw from and ship to the browser."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain.metrics import Metrics
from ..domain.registry import TargetGroup

Aligned = tuple[list, list]  # (shares with one decimal, whole persons), None where missing


def aligned(frame: pd.DataFrame, keys: list[str], months: tuple[str, ...]) -> dict[tuple, Aligned]:
    """Return keys → (shares, persons) over `months`, missing as None (never 0)."""
    if frame.empty:
        return {}
    indexed = frame.set_index([*keys, "period"])
    wide = {
        column: indexed[column].astype("Float64").unstack("period").reindex(columns=list(months))
        for column in ("share", "persons")
    }
    index = wide["share"].index
    shares = wide["share"].to_numpy(dtype="float64", na_value=np.nan).tolist()
    persons = wide["persons"].reindex(index).to_numpy(dtype="float64", na_value=np.nan).tolist()
    # `v != v` holds for NaN only; plain floats from tolist() are much faster than numpy scalars.
    return {
        key if isinstance(key, tuple) else (key,): (
            [None if v != v else round(v, 1) for v in shares[i]],
            [None if v != v else int(v) for v in persons[i]],
        )
        for i, key in enumerate(index)
    }


@dataclass(frozen=True)
class Series:
    """Every series the section shows, aligned to `months`."""

    months: tuple[str, ...]
    municipal: dict[tuple, Aligned]  # (municipality code, target group) → …
    regional: dict[tuple, Aligned]  # (region, target group) → …
    national: dict[tuple, Aligned]  # (target group,) → …
    # (municipality code, target group) → (rank, how many ranked) in the group's latest month
    ranks: dict[tuple, tuple[int, int]]

    def get(self, table: dict[tuple, Aligned], *key: object) -> Aligned:
        empty = [None] * len(self.months)
        return table.get(tuple(key), (empty, empty))


def aligned_series(metrics: Metrics) -> Series:
    """Return every municipal, regional and national series over all months."""
    m = metrics.municipal
    latest = m[m["period"] == m["target_group"].map(metrics.latest)].dropna(subset=["rank"])
    ranks = {
        (int(code), group): (int(rank), int(ranked))
        for code, group, rank, ranked in latest[
            ["municipality_code", "target_group", "rank", "ranked"]
        ].itertuples(index=False)
    }
    return Series(
        metrics.periods,
        aligned(m, ["municipality_code", "target_group"], metrics.periods),
        aligned(metrics.regional, ["region", "target_group"], metrics.periods),
        aligned(metrics.national, ["target_group"], metrics.periods),
        ranks,
    )


def shown_months(months: tuple[str, ...], latest: str) -> list[int]:
    """Indexes of January of each year up to `latest`, and of `latest` itself."""
    shown = [i for i, p in enumerate(months) if p.endswith("-01") and p <= latest]
    if latest in months and months.index(latest) not in shown:
        shown.append(months.index(latest))
    return shown


def latest_month(metrics: Metrics, g: TargetGroup) -> str:
    """The group's latest month with any figure (the data's last month if it has none)."""
    return metrics.latest.get(g.id, metrics.periods[-1])
