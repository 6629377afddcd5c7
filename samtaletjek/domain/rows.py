"""The rows the metrics give the pages: typed, so a page reads `row.share`, never a key that
a slip of the keyboard would turn into a silent "–". A month without figures is a row with every
figure missing (`NO_MUNICIPAL`, …), never zero."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd


class MunicipalRow(NamedTuple):
    """A municipality's figures in one target group and month, as the pages read them."""

    period: str
    municipality_code: int
    municipality: str
    target_group: str
    persons: int | None
    persons_meeting: int | None
    share_pct: float | None  # as the source published it
    mean_conversations: float | None
    derived: str | None  # "persons_meeting" where the count was worked out from the share
    activation_degree: float | None  # aktivering only: the published aktiveringsgrad
    share: float | None  # the published share, or meeting ÷ persons where none was
    region: str
    band: str
    rank: int | None
    ranked: int | None
    band_rank: int | None
    band_ranked: int | None
    region_rank: int | None
    region_ranked: int | None
    change: float | None  # the one change: since `change_since` (metrics.change_start)
    change_since: str | None
    flag_rule: str | None
    line_pct: float | None  # the line of the month's own rule; None where none is set
    below: bool | None  # under that line (with at least the rule's minimum of persons)
    run: int | None  # months in a row under the line in force, this one included
    on_list: bool | None  # a run long enough for STAR's list
    small: bool | None


class NationalRow(NamedTuple):
    """The figures of the whole country in one target group and month: the source's own
    published national figure where it has one (`published`), else the weighted sum of the
    municipalities."""

    target_group: str
    period: str
    persons: int | None
    persons_meeting: int | None
    reporting: int | None  # municipalities with a figure
    share: float | None
    published: bool | None  # the source's "Hele landet" figure, not a sum worked out here
    activation_degree: float | None  # published only
    change: float | None  # the one change: since `change_since` (metrics.change_start)
    change_since: str | None
    below: int | None  # municipalities under the line of the month's rule
    on_list: int | None  # municipalities on STAR's list (a run long enough)


class RegionalRow(NamedTuple):
    region: str
    target_group: str
    period: str
    persons: int | None
    persons_meeting: int | None
    reporting: int | None
    share: float | None
    change: float | None  # the one change: since `change_since` (metrics.change_start)
    change_since: str | None


class BandRow(NamedTuple):
    """The weighted figures of the municipalities of one population band."""

    band: str
    target_group: str
    period: str
    persons: int | None
    persons_meeting: int | None
    reporting: int | None
    share: float | None


class MapRow(NamedTuple):
    """What a map says of a municipality's month: the few fields of its `MunicipalRow` that
    a status (pages/status.py) and the map read (16 maps × 118 months × 98 municipalities of
    them)."""

    period: str | None
    municipality_code: int | None
    share: float | None
    persons: int | None
    below: bool | None
    run: int | None
    on_list: bool | None


R = TypeVar("R", MunicipalRow, NationalRow, RegionalRow, BandRow, MapRow)


def _nothing(kind: type[R]) -> R:
    """A row of `kind` with every figure missing: what a month without figures reads as."""
    return kind(*(None,) * len(kind._fields))


NO_MUNICIPAL = _nothing(MunicipalRow)
NO_NATIONAL = _nothing(NationalRow)
NO_REGIONAL = _nothing(RegionalRow)
NO_BAND = _nothing(BandRow)
NO_MAP_ROW = _nothing(MapRow)


def plain(column: pd.Series) -> list:
    """`column`'s values as a list of plain Python values, missing as None: quick to walk,
    where a pandas extension array is walked element by element (a second per 10⁶)."""
    return column.to_numpy(dtype=object, na_value=None).tolist()


def records(frame: pd.DataFrame) -> list[dict]:
    """Return the rows of `frame` as dicts of plain Python values, missing as None: the values
    of a chart."""
    return Columns(frame).dicts(slice(None))


def rows(frame: pd.DataFrame, kind: type[R]) -> list[R]:
    """Return the rows of `frame` as `kind` (its columns by name), missing as None."""
    return Columns(frame).rows(slice(None), kind)


class Columns:
    """A frame's columns as NumPy arrays with their missing values marked, from which rows
    are made when they are needed (`rows`, `dicts`)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.columns: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        for name in frame.columns:
            column = frame[name]
            missing = column.isna().to_numpy()
            if pd.api.types.is_bool_dtype(column.dtype):
                data = column.to_numpy(dtype=bool, na_value=False)
            elif pd.api.types.is_integer_dtype(column.dtype):
                data = column.to_numpy(dtype="int64", na_value=0)
            elif pd.api.types.is_float_dtype(column.dtype):
                data = column.to_numpy(dtype="float64", na_value=np.nan)
            else:
                data = column.to_numpy(dtype=object)
            self.columns[name] = (data, missing if missing.any() else None)

    def _values(self, selection: slice, names: Iterable[str]) -> list[list]:
        out = []
        for name in names:
            data, missing = self.columns[name]
            part = data[selection].tolist()
            if missing is not None:
                gaps = missing[selection]
                if gaps.any():
                    part = [None if m else v for v, m in zip(part, gaps.tolist(), strict=True)]
            out.append(part)
        return out

    def rows(self, selection: slice, kind: type[R]) -> list[R]:
        """The rows `selection` as `kind`, plain Python values, missing as None."""
        make = kind._make
        return [make(row) for row in zip(*self._values(selection, kind._fields), strict=True)]

    def dicts(self, selection: slice) -> list[dict]:
        """The rows `selection` as dicts of plain Python values, missing as None."""
        names = list(self.columns)
        values = self._values(selection, names)
        return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
