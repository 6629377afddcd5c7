"""Pure: the existing canonical table + incoming rows → the merged table, with counts and the
revisions (old → new) a re-published figure makes; the same for the context table
(`merge_context`). Nothing existing is dropped."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..domain.dataset import (
    COLUMNS,
    CONTEXT_COLUMNS,
    CONTEXT_FLOAT,
    CONTEXT_INTEGER,
    CONTEXT_SOURCE,
    FIGURES,
    Revision,
)
from ..domain.registry import DEFAULT_INDICATOR
from .indicators import INDICATORS

CONTEXT_FIGURES = ("unemployed", "unemployment_pct")


@dataclass(frozen=True)
class Merged:
    frame: pd.DataFrame  # the canonical table after the import (COLUMNS)
    added: int
    revised: int
    unchanged: int
    revisions: tuple[Revision, ...]
    periods: tuple[str, ...]  # months with an added or revised row
    # (indicator, added, revised, unchanged) for each indicator of the incoming rows
    by_indicator: tuple[tuple[str, int, int, int], ...] = ()


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(int(value))


def _same(a: object, b: object) -> bool:
    if _cell(a) == "" or _cell(b) == "":
        return _cell(a) == _cell(b)
    return abs(float(a) - float(b)) < 1e-6


def merge(existing: pd.DataFrame, incoming: pd.DataFrame) -> Merged:
    """Return the table with `incoming` rows added or revised; nothing existing is dropped.

    Rows are keyed by (period, municipality_code, indicator, target_group); a row without an
    indicator is samtaler. A row whose source gave no `mean_conversations` column
    (`mean_given` false) keeps the existing value.
    """
    existing = _with_indicator(existing)
    incoming = _with_indicator(incoming)
    existing = existing if "derived" in existing.columns else existing.assign(derived="")
    old = {
        (r["period"], int(r["municipality_code"]), r["indicator"], r["target_group"]): r
        for r in records(existing, list(COLUMNS))
    }
    revisions: list[Revision] = []
    rows = []
    counts: dict[str, list[int]] = {}  # indicator → [added, revised, unchanged]
    periods = set()
    given = [c for c in (*COLUMNS, "mean_given") if c in incoming.columns]
    for r in records(incoming, given):
        key = (r["period"], int(r["municipality_code"]), r["indicator"], r["target_group"])
        row = {c: r.get(c) for c in COLUMNS}
        row["derived"] = row["derived"] or ""
        before = old.pop(key, None)
        if before is not None and not r.get("mean_given", True):
            row["mean_conversations"] = before["mean_conversations"]
        count = counts.setdefault(key[2], [0, 0, 0])
        kind = _compare(key[:2], key[3], key[2], before, row, FIGURES, revisions)
        count[kind] += 1
        if kind < 2:
            periods.add(key[0])
        rows.append(row)
    kept = pd.DataFrame(list(old.values()), columns=list(COLUMNS))
    new = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = typed(pd.concat([typed(kept), typed(new)], ignore_index=True))
    by = tuple((i, *counts[i]) for i in sorted(counts, key=indicator_order))
    added, revised, unchanged = (sum(c[k] for c in counts.values()) for k in range(3))
    return Merged(
        frame,
        added,
        revised,
        unchanged,
        tuple(revisions),
        tuple(sorted(periods)),
        by,  # type: ignore[arg-type]
    )


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Return the rows of `frame` as dicts of `columns`, missing values as None (faster than
    `to_dict("records")`, which boxes every value on its own)."""
    lists = [[None if v is pd.NA else v for v in frame[c].tolist()] for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in zip(*lists, strict=True)]


def indicator_order(indicator: str) -> tuple[int, str]:
    """Samtaler, tilbud, passivandel (as `indicators.INDICATORS`), then any other by name."""
    known = list(INDICATORS)
    return (known.index(indicator) if indicator in known else len(known), indicator)


def _with_indicator(frame: pd.DataFrame) -> pd.DataFrame:
    if "indicator" in frame.columns:
        given = [DEFAULT_INDICATOR if pd.isna(v) else v for v in frame["indicator"]]
        return frame.assign(indicator=pd.array(given, dtype="string"))
    return frame.assign(indicator=DEFAULT_INDICATOR)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = {
        c: "string" for c in ("period", "municipality", "target_group", "indicator", "derived")
    }
    kinds |= {c: "Int64" for c in ("municipality_code", "persons", "persons_meeting")}
    kinds |= {c: "Float64" for c in ("share_pct", "mean_conversations")}
    return frame.astype(kinds)


@dataclass(frozen=True)
class MergedContext:
    frame: pd.DataFrame  # the context table after the import (CONTEXT_COLUMNS)
    added: int
    revised: int
    unchanged: int
    revisions: tuple[Revision, ...]
    periods: tuple[str, ...]  # months with an added or revised row


def merge_context(existing: pd.DataFrame, incoming: pd.DataFrame) -> MergedContext:
    """Return the context table with `incoming` rows added or revised, keyed by (period,
    municipality_code); nothing existing is dropped. A revision names the column, as in
    `merge`, with the indicator "ledighed" and no target group."""
    old = {
        (r["period"], int(r["municipality_code"])): r
        for r in records(existing, list(CONTEXT_COLUMNS))
    }
    rows, revisions, periods = [], [], set()
    counts = [0, 0, 0]
    for r in records(incoming, list(CONTEXT_COLUMNS)):
        key = (r["period"], int(r["municipality_code"]))
        before = old.pop(key, None)
        kind = _compare(key, "", CONTEXT_SOURCE, before, r, CONTEXT_FIGURES, revisions)
        counts[kind] += 1
        if kind < 2:
            periods.add(key[0])
        rows.append(r)
    frame = pd.concat(
        [
            typed_context(pd.DataFrame(list(old.values()), columns=list(CONTEXT_COLUMNS))),
            typed_context(pd.DataFrame(rows, columns=list(CONTEXT_COLUMNS))),
        ],
        ignore_index=True,
    )
    return MergedContext(frame, *counts, tuple(revisions), tuple(sorted(periods)))


def typed_context(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = {c: "string" for c in ("period", "municipality")}
    kinds |= {c: "Int64" for c in CONTEXT_INTEGER} | {c: "Float64" for c in CONTEXT_FLOAT}
    return frame[list(CONTEXT_COLUMNS)].astype(kinds)


def _compare(
    at: tuple[str, int],
    group: str,
    indicator: str,
    before: dict | None,
    row: dict,
    figures: tuple[str, ...],
    revisions: list[Revision],
) -> int:
    """0 for a new row, 1 for a revised one (its revisions added to `revisions`), 2 for one
    that is unchanged; `at`: its month and municipality code."""
    if before is None:
        return 0
    changes = [
        Revision(at[0], at[1], group, c, _cell(before[c]), _cell(row[c]), indicator)
        for c in figures
        if not _same(before[c], row[c])
    ]
    revisions += changes
    return 1 if changes else 2
