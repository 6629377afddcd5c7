"""Checks on the canonical frame; every problem becomes a DataError(file, row, column, why).

Months need not be contiguous: STAR's statements are single months, and a month no source
holds is unknown, not an error (and never a row of zeros)."""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from .dataset import (
    CONTEXT_KEY,
    DERIVED_MEETING,
    KEY,
    NATIONAL_CODE,
    NATIONAL_NAME,
    ROW,
    SHARE_TOLERANCE,
)
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

    errors += _municipalities(frame, registry, file)

    indicators = {i.id for i in registry.indicators} or {registry.indicator_id}
    indicator = frame["indicator"]
    report(
        ~indicator.isin(indicators),
        "indicator",
        lambda r: f"{r['indicator']!r} is not a known indicator ({', '.join(sorted(indicators))})",
    )
    groups = {(g.indicator, g.id) for g in registry.every_group}
    group = frame["target_group"]
    known_pair = pd.Series(
        pd.MultiIndex.from_arrays([indicator, group]).isin(list(groups)), index=frame.index
    )
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
        (frame["activation_degree"] < 0) | (frame["activation_degree"] > 100),
        "activation_degree",
        lambda r: f"{r['activation_degree']} is outside 0–100",
    )
    report(
        frame["activation_degree"].notna() & (frame["indicator"] != "aktivering"),
        "activation_degree",
        lambda r: f"is given for {r['indicator']}; only aktivering has an activation degree",
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


def _municipalities(frame: pd.DataFrame, registry: Registry, file: str) -> list[DataError]:
    """Each row's municipality code is one of the 98 (or 0, the national figure a source
    published, named "Hele landet") and its name matches it."""
    errors = []
    known_codes = {m.code: m for m in registry.municipalities}
    code = frame["municipality_code"]
    for _, row in frame[code.notna() & ~code.isin([*known_codes, NATIONAL_CODE])].iterrows():
        errors.append(
            DataError(
                file,
                int(row[ROW]),
                "municipality_code",
                f"{row['municipality_code']} is not one of the {len(known_codes)} municipality "
                f"codes (or {NATIONAL_CODE}, {NATIONAL_NAME})",
            )
        )
    pair_ok = {  # each (code, name) once: there are a hundred, in 150,000 rows
        (c, n): (n == NATIONAL_NAME)
        if c == NATIONAL_CODE
        else c not in known_codes
        or pd.isna(n)
        or registry.find_municipality(str(n)) is known_codes[c]
        for c, n in frame[["municipality_code", "municipality"]]
        .drop_duplicates()
        .itertuples(index=False)
        if not pd.isna(c)
    }
    if all(pair_ok.values()):
        return errors
    pairs = zip(code, frame["municipality"], frame[ROW], strict=True)
    for c, n, row in pairs:
        if pd.isna(c) or pair_ok[(c, n)]:
            continue
        expected = NATIONAL_NAME if c == NATIONAL_CODE else known_codes[c].name
        errors.append(
            DataError(file, int(row), "municipality", f"{n!r} does not match code {c} ({expected})")
        )
    return errors


def validate_context(frame: pd.DataFrame, registry: Registry, file: str) -> list[DataError]:
    """Every problem in the context table (`ledighed.csv`) read from `file`."""
    errors: list[DataError] = []
    for column in ("period", "municipality_code", "municipality"):
        for _, row in frame[frame[column].isna()].iterrows():
            errors.append(DataError(file, int(row[ROW]), column, "is empty"))
    period = frame["period"]
    for _, row in frame[
        period.notna() & ~period.str.fullmatch(PERIOD_PATTERN).fillna(False)
    ].iterrows():
        errors.append(
            DataError(
                file, int(row[ROW]), "period", f"{row['period']!r} is not a month written YYYY-MM"
            )
        )
    errors += _municipalities(frame, registry, file)
    for column in ("unemployed", "unemployment_pct"):
        for _, row in frame[frame[column] < 0].iterrows():
            errors.append(DataError(file, int(row[ROW]), column, f"{row[column]} is negative"))
    for _, row in frame[frame["unemployment_pct"] > 100].iterrows():
        errors.append(
            DataError(
                file, int(row[ROW]), "unemployment_pct", f"{row['unemployment_pct']} is over 100"
            )
        )
    repeated = frame.duplicated(CONTEXT_KEY, keep="first") & frame[CONTEXT_KEY].notna().all(axis=1)
    for _, row in frame[repeated].iterrows():
        errors.append(
            DataError(
                file, int(row[ROW]), "period", "duplicate (same period and municipality_code)"
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
