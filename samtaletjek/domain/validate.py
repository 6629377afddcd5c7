"""Checks on the canonical frame; every problem becomes a DataError(file, row, column, why).

Months need not be contiguous: STAR's statements are single months, and a month no source
holds is unknown, not an error (and never a row of zeros)."""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from .dataset import DERIVED_MEETING, KEY, ROW, SHARE_TOLERANCE
from .periods import PERIOD_PATTERN
from .registry import Registry


def validate(frame: pd.DataFrame, registry: Registry, file: str) -> list[DataError]:
    """Return every problem in the canonical frame `frame` read from `file` (empty = valid)."""
    errors: list[DataError] = []

    def report(mask: pd.Series, column: str, message) -> None:  # noqa: ANN001
        for _, row in frame[mask.fillna(False).astype(bool)].iterrows():
            text = message(row) if callable(message) else message
            errors.append(DataError(file, int(row[ROW]), column, text))

    for column in ("period", "municipality_code", "municipality", "target_group", "indicator"):
        report(frame[column].isna() | (frame[column].astype("string") == ""), column, "is empty")

    period = frame["period"]
    report(
        period.notna() & (period != "") & ~period.str.fullmatch(PERIOD_PATTERN).fillna(False),
        "period",
        lambda r: f"{r['period']!r} is not a month written YYYY-MM",
    )

    known_codes = {m.code: m for m in registry.municipalities}
    code = frame["municipality_code"]
    report(
        code.notna() & ~code.isin(list(known_codes)),
        "municipality_code",
        lambda r: f"{r['municipality_code']} is not one of the 98 municipality codes",
    )
    pairs = list(zip(code, frame["municipality"], strict=True))
    pair_ok = {  # each (code, name) once: there are a hundred, in 92,000 rows
        (c, n): c not in known_codes
        or pd.isna(n)
        or registry.find_municipality(str(n)) is known_codes[c]
        for c, n in set(pairs)
    }
    names_ok = [pair_ok[pair] for pair in pairs]
    report(
        ~pd.Series(names_ok, index=frame.index),
        "municipality",
        lambda r: (
            f"{r['municipality']!r} does not match code {r['municipality_code']} "
            f"({known_codes[r['municipality_code']].name})"
        ),
    )

    indicators = {i.id for i in registry.indicators} or {registry.indicator_id}
    indicator = frame["indicator"]
    report(
        ~indicator.isin(indicators),
        "indicator",
        lambda r: f"{r['indicator']!r} is not a known indicator ({', '.join(sorted(indicators))})",
    )
    groups = {(g.indicator, g.id) for g in registry.every_group}
    group = frame["target_group"]
    pairs = list(zip(indicator, group, strict=True))
    known_pair = pd.Series([pair in groups for pair in pairs], index=frame.index)
    report(
        group.notna() & (group != "") & indicator.isin(indicators) & ~known_pair,
        "target_group",
        lambda r: (
            f"{r['target_group']!r} is not a known target group of {r['indicator']} "
            f"({', '.join(g for i, g in sorted(groups) if i == r['indicator'])})"
        ),
    )

    persons, meeting, share = frame["persons"], frame["persons_meeting"], frame["share_pct"]
    report(persons < 0, "persons", lambda r: f"{r['persons']} is negative")
    report(meeting < 0, "persons_meeting", lambda r: f"{r['persons_meeting']} is negative")
    report(
        meeting > persons,
        "persons_meeting",
        lambda r: f"{r['persons_meeting']} is greater than persons ({r['persons']})",
    )
    report(
        meeting.notna() & persons.isna(),
        "persons",
        "is empty although persons_meeting is given",
    )
    report(
        (share < 0) | (share > 100),
        "share_pct",
        lambda r: f"{r['share_pct']} is outside 0–100",
    )
    computed = (meeting / persons.where(persons > 0)) * 100
    # A count worked out from the published share (`derived`) need not give it back exactly.
    derived = frame["derived"].fillna("").str.contains(DERIVED_MEETING, regex=False)
    inconsistent = (
        share.between(0, 100)
        & computed.notna()
        & ~derived
        & ((share - computed).abs() > SHARE_TOLERANCE + 1e-9)
    )
    report(
        inconsistent,
        "share_pct",
        lambda r: (
            f"{r['share_pct']} does not match persons_meeting/persons "
            f"({r['persons_meeting'] / r['persons'] * 100:.1f})"
        ),
    )
    known_derived = {"", DERIVED_MEETING}
    report(
        ~frame["derived"].fillna("").isin(known_derived),
        "derived",
        lambda r: f"{r['derived']!r} is not a column the site derives ({DERIVED_MEETING})",
    )
    report(
        frame["mean_conversations"] < 0,
        "mean_conversations",
        lambda r: f"{r['mean_conversations']} is negative",
    )

    for later, first in duplicate_pairs(frame):
        errors.append(
            DataError(
                file,
                int(frame[ROW].iat[later]),
                "period",
                f"duplicate of row {frame[ROW].iat[first]}"
                " (same period, municipality_code, indicator and target_group)",
            )
        )
    return errors


def duplicate_pairs(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Return (position, position of its first occurrence) for every row whose period,
    municipality, indicator and target group an earlier row already has."""
    repeated = frame.duplicated(KEY, keep="first") & frame[KEY].notna().all(axis=1)
    if not repeated.any():
        return []
    keys = list(frame[KEY].itertuples(index=False, name=None))
    first: dict[tuple, int] = {}
    for position, key in enumerate(keys):
        first.setdefault(key, position)
    return [(int(p), first[keys[p]]) for p in repeated.to_numpy().nonzero()[0]]
