"""Month arithmetic on YYYY-MM strings: the one place the calendar is counted."""

from __future__ import annotations

import re

import pandas as pd

PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_PERIOD = re.compile(PERIOD_PATTERN)


def is_period(text: object) -> bool:
    """True for a month written YYYY-MM."""
    return isinstance(text, str) and bool(_PERIOD.fullmatch(text))


def month_number(period: str) -> int:
    """Return months since year 0 for one YYYY-MM string."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_index(period: pd.Series) -> pd.Series:
    """Return months since year 0 for YYYY-MM strings, so month arithmetic is integer arithmetic."""
    text = period.astype(str)
    return text.str[:4].astype(int) * 12 + text.str[5:7].astype(int) - 1


def period_from_index(index: int) -> str:
    """Return the YYYY-MM string of a month index from `month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_period(period: str, months: int) -> str:
    """Return the month `months` after `period` (negative = before)."""
    return period_from_index(month_number(period) + months)


def missing_between(present: set[int]) -> list[str]:
    """Return the months (YYYY-MM) absent between the first and last of `present` month indexes."""
    if not present:
        return []
    return [period_from_index(m) for m in range(min(present), max(present) + 1) if m not in present]


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every month from `first` to `last`, both included."""
    return tuple(period_from_index(m) for m in range(month_number(first), month_number(last) + 1))
