"""Checks on the canonical frame; every problem becomes a DataError(file, row, column, why)."""

from __future__ import annotations

import pandas as pd

from .errors import DataError
from .registry import Registry
from .sources.canonical import ROW

PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
KEY = ["period", "municipality_code", "target_group"]
SHARE_TOLERANCE = 0.1  # percentage points; shares are published with one decimal


def validate(frame: pd.DataFrame, registry: Registry, file: str) -> list[DataError]:
    """Return every problem in the canonical frame `frame` read from `file` (empty = valid)."""
    errors: list[DataError] = []

    def report(mask: pd.Series, column: str, message) -> None:  # noqa: ANN001
        for _, row in frame[mask.fillna(False).astype(bool)].iterrows():
            text = message(row) if callable(message) else message
            errors.append(DataError(file, int(row[ROW]), column, text))

    for column in ("period", "municipality_code", "municipality", "target_group"):
        report(frame[column].isna() | (frame[column].astype("string") == ""), column, "is empty")

    period = frame["period"]
    report(
        period.notna() & (period != "") & ~period.str.match(PERIOD_PATTERN).fillna(False),
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
    official = code.map(lambda c: known_codes[c].name if c in known_codes else None)
    names_ok = [
        o is None or pd.isna(n) or registry.find_municipality(str(n)) is known_codes.get(c)
        for c, n, o in zip(code, frame["municipality"], official, strict=True)
    ]
    report(
        ~pd.Series(names_ok, index=frame.index),
        "municipality",
        lambda r: (
            f"{r['municipality']!r} does not match code {r['municipality_code']} "
            f"({known_codes[r['municipality_code']].name})"
        ),
    )

    groups = set(registry.target_group_ids)
    group = frame["target_group"]
    report(
        group.notna() & (group != "") & ~group.isin(groups),
        "target_group",
        lambda r: (
            f"{r['target_group']!r} is not a known target group "
            f"({', '.join(registry.target_group_ids)})"
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
    inconsistent = (
        share.between(0, 100)
        & computed.notna()
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
    report(
        frame["mean_conversations"] < 0,
        "mean_conversations",
        lambda r: f"{r['mean_conversations']} is negative",
    )

    duplicated = frame.duplicated(KEY, keep="first") & frame[KEY].notna().all(axis=1)
    first_row = frame.drop_duplicates(KEY).set_index(KEY)[ROW]
    report(
        duplicated,
        "period",
        lambda r: (
            f"duplicate of row {first_row[tuple(r[k] for k in KEY)]}"
            " (same period, municipality_code and target_group)"
        ),
    )
    errors.extend(_missing_months(frame, file))
    return errors


def _missing_months(frame: pd.DataFrame, file: str) -> list[DataError]:
    """Report months absent inside a series; a suppressed month is a row with empty cells."""
    valid = frame[frame["period"].str.match(PERIOD_PATTERN).fillna(False)]
    errors = []
    months = valid["period"].str[:4].astype(int) * 12 + valid["period"].str[5:7].astype(int) - 1
    series = valid.assign(_m=months).groupby(["municipality_code", "target_group"])
    for (code, group), part in series:
        present = set(part["_m"])
        span = range(min(present), max(present) + 1)
        if len(present) == len(span):
            continue
        gaps = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in span if m not in present]
        shown = ", ".join(gaps[:6]) + (" …" if len(gaps) > 6 else "")
        last = int(part[ROW].max())
        errors.append(
            DataError(
                file,
                last,
                "period",
                f"series {code}/{group} lacks {len(gaps)} month(s): {shown} "
                "(write a row with empty figures for a suppressed month)",
            )
        )
    return errors
