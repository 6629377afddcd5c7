"""The ranked table of all 98 municipalities in one target group and month (overview and
target-group pages)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain import danish as fmt
from ..domain.metrics import records
from ..domain.registry import Registry
from .base import municipality_path, persons_text, sort_value


@dataclass(frozen=True)
class RankRow:
    rank: str
    rank_sort: str
    name: str
    href: str
    share: str
    share_sort: str  # machine-readable value for client-side sorting ("" when missing)
    persons: str
    persons_sort: str
    change_ref: str
    change_ref_sort: str
    flagged: bool
    small: bool
    frikommune: bool


def rank_rows(latest: pd.DataFrame, registry: Registry) -> tuple[RankRow, ...]:
    """One row per municipality, ranked first; municipalities without a figure last, with "–"."""
    by_code = {r["municipality_code"]: r for r in records(latest)}
    empty: dict = {}
    rows = []
    for m in registry.municipalities:
        r = by_code.get(m.code, empty)
        rows.append(
            RankRow(
                rank=fmt.number(r.get("rank")),
                rank_sort=sort_value(r.get("rank")),
                name=m.name,
                href=municipality_path(m),
                share=fmt.pct(r.get("share")),
                share_sort=sort_value(r.get("share")),
                persons=persons_text(r.get("persons")),
                persons_sort=sort_value(r.get("persons")),
                change_ref=fmt.pp(r.get("change_ref")),
                change_ref_sort=sort_value(r.get("change_ref")),
                flagged=bool(r.get("flagged")),
                small=bool(r.get("small")),
                frikommune=m.frikommune_i,
            )
        )
    rows.sort(
        key=lambda row: (row.rank == fmt.MISSING, float(row.rank_sort or 0), fmt.sort_key(row.name))
    )
    return tuple(rows)
