"""Pure: the existing canonical table + incoming rows → the merged table, with counts and the
revisions (old → new) a re-published figure makes. Nothing existing is dropped."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..domain.dataset import COLUMNS, FIGURES, Revision


@dataclass(frozen=True)
class Merged:
    frame: pd.DataFrame  # the canonical table after the import (COLUMNS)
    added: int
    revised: int
    unchanged: int
    revisions: tuple[Revision, ...]
    periods: tuple[str, ...]  # months with an added or revised row


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

    Rows are keyed by (period, municipality_code, target_group). A row whose source gave no
    `mean_conversations` column (`mean_given` false) keeps the existing value.
    """
    old = {
        (r["period"], int(r["municipality_code"]), r["target_group"]): r
        for r in existing[list(COLUMNS)].to_dict("records")
    }
    revisions: list[Revision] = []
    rows = []
    added = revised = unchanged = 0
    periods = set()
    for r in incoming.to_dict("records"):
        key = (r["period"], int(r["municipality_code"]), r["target_group"])
        row = {c: r[c] for c in COLUMNS}
        before = old.pop(key, None)
        if before is not None and not r.get("mean_given", True):
            row["mean_conversations"] = before["mean_conversations"]
        if before is None:
            added += 1
            periods.add(key[0])
        else:
            changes = [
                Revision(key[0], key[1], key[2], c, _cell(before[c]), _cell(row[c]))
                for c in FIGURES
                if not _same(before[c], row[c])
            ]
            if changes:
                revised += 1
                periods.add(key[0])
                revisions += changes
            else:
                unchanged += 1
        rows.append(row)
    kept = pd.DataFrame(list(old.values()), columns=list(COLUMNS))
    new = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = typed(pd.concat([typed(kept), typed(new)], ignore_index=True))
    return Merged(frame, added, revised, unchanged, tuple(revisions), tuple(sorted(periods)))


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = {c: "string" for c in ("period", "municipality", "target_group")}
    kinds |= {c: "Int64" for c in ("municipality_code", "persons", "persons_meeting")}
    kinds |= {c: "Float64" for c in ("share_pct", "mean_conversations")}
    return frame.astype(kinds)
