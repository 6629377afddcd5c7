"""The ranked table of all 98 municipalities in one target group and month (overview and
target-group pages)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import danish as fmt
from ..domain.metrics import NO_MUNICIPAL, MunicipalRow, change_start
from ..domain.registry import Registry, TargetGroup
from . import addresses
from .base import persons_text, sort_value
from .rules import Change, change, rule_change_note
from .status import Status, status


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
    change: Change
    change_sort: str
    status: Status  # the figure against the rule of its month, as every page says it
    frikommune: bool


@dataclass(frozen=True)
class RankChange:
    """The heading of a ranking's change column and the note that qualifies it: every row
    of a ranking is measured from the same month."""

    heading: str  # "Ændring siden oktober 2025"
    note: str  # where the rule changed within the year: which change, and since when


def rank_change(group: TargetGroup, month: str) -> RankChange:
    since = change_start(group, month)
    return RankChange(f"Ændring siden {fmt.month(since)}", rule_change_note(group, month))


def rank_rows(
    latest: list[MunicipalRow], group: TargetGroup, month: str, registry: Registry
) -> tuple[RankRow, ...]:
    """One row per municipality in `group` and `month` (`latest`: their rows), ranked first;
    municipalities without a figure last, with "–"."""
    by_code = {r.municipality_code: r for r in latest}
    rule = group.rule_for(month)
    rows = []
    for m in registry.municipalities:
        r = by_code.get(m.code, NO_MUNICIPAL)
        rows.append(
            RankRow(
                rank=fmt.number(r.rank),
                rank_sort=sort_value(r.rank),
                name=m.name,
                href=addresses.municipality(m),
                share=fmt.pct(r.share),
                share_sort=sort_value(r.share),
                persons=persons_text(r.persons),
                persons_sort=sort_value(r.persons),
                change=change(group, month, r),
                change_sort=sort_value(r.change),
                status=status(group, month, r, rule),
                frikommune=m.frikommune_i,
            )
        )
    rows.sort(
        key=lambda row: (row.rank == fmt.MISSING, float(row.rank_sort or 0), fmt.sort_key(row.name))
    )
    return tuple(rows)
