"""Pure computations on the canonical frame: shares, weighted aggregates, ranks, changes, flags.

Every aggregate is weighted: share = Σ persons meeting ÷ Σ persons, over the municipalities
whose figures are known. A missing figure stays missing; it is never counted as zero.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dataset import NATIONAL_CODE
from .periods import month_index, months_between, shift_period
from .registry import Registry, TargetGroup
from .rows import (
    NO_BAND,
    NO_MUNICIPAL,
    NO_NATIONAL,
    NO_REGIONAL,
    BandRow,
    Columns,
    MunicipalRow,
    NationalRow,
    RegionalRow,
    plain,
    records,
    rows,
)

__all__ = [
    "NO_MUNICIPAL",
    "NO_NATIONAL",
    "BandRow",
    "Metrics",
    "MunicipalRow",
    "NationalRow",
    "RegionalRow",
    "Spread",
    "compute",
    "records",
]

SERIES = ["municipality_code", "target_group"]


def add_share(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with `share`: the published share, or meeting ÷ persons where it is absent."""
    computed = frame["persons_meeting"] / frame["persons"].where(frame["persons"] > 0) * 100
    share = frame["share_pct"].astype("Float64").fillna(computed.astype("Float64"))
    return frame.assign(share=share.round(1))


def weighted_share(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Return Σ persons, Σ meeting and the weighted share per `by` group.

    Only rows where both counts are known take part; `reporting` counts them.
    """
    known = frame[frame["persons"].notna() & frame["persons_meeting"].notna()]
    grouped = known.groupby(by, sort=True, observed=True).agg(
        persons=("persons", "sum"),
        persons_meeting=("persons_meeting", "sum"),
        reporting=("persons", "size"),
    )
    grouped["share"] = (
        grouped["persons_meeting"] / grouped["persons"].where(grouped["persons"] > 0) * 100
    ).astype("Float64")
    return grouped.reset_index()


_OPTIONAL = {"derived": "string", "activation_degree": "Float64"}  # their dtypes


def with_published(national: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Return the weighted national figures with the source's own published national figure
    in place of the sum wherever it has one (`published` true), and its activation degree."""
    own = published[["target_group", "period", "persons", "persons_meeting", "share_pct"]]
    own = own.assign(activation_degree=published["activation_degree"])
    merged = national.merge(own, on=["target_group", "period"], how="outer", suffixes=("", "_own"))
    is_own = merged["share_pct"].notna()
    merged["published"] = is_own.astype(bool)
    for column, theirs in (
        ("share", "share_pct"),
        ("persons", "persons_own"),
        ("persons_meeting", "persons_meeting_own"),
    ):
        merged[column] = merged[theirs].where(is_own, merged[column])
    merged["reporting"] = merged["reporting"].astype("Int64")
    merged["share"] = merged["share"].astype("Float64")
    merged["activation_degree"] = merged["activation_degree"].astype("Float64")
    for column in ("persons", "persons_meeting"):
        merged[column] = merged[column].astype("Int64")
    keep = ["target_group", "period", "persons", "persons_meeting", "reporting", "share"]
    return (
        merged[[*keep, "published", "activation_degree"]]
        .sort_values(["target_group", "period"])
        .reset_index(drop=True)
    )


def add_ranks(
    frame: pd.DataFrame,
    min_persons: int = 1,
    within: str | None = None,
    prefix: str = "",
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Return `frame` with `rank` (1 = the best share: the highest, or the lowest where lower
    is better, as for passivity; ties share a rank) and `ranked` (how many were ranked), per
    target group and month, or per `within` (e.g. region) as well, the columns then named
    `<prefix>_rank` and `<prefix>_ranked`.

    Ranks are on the share as published (one decimal), so two municipalities that show the
    same figure get the same rank. A missing share is not ranked, nor one measured on fewer
    than `min_persons` persons: a rank on 3 people is noise.
    """
    keys = [*([within] if within else []), "target_group", "period"]
    rankable = frame["share"].notna() & (frame["persons"] >= min_persons).fillna(False)
    share = frame["share"].where(rankable)
    rank = share.groupby([frame[k] for k in keys], observed=True).rank(
        method="min", ascending=not higher_is_better
    )
    ranked = rankable.groupby([frame[k] for k in keys]).transform("sum")
    names = (f"{prefix}_rank", f"{prefix}_ranked") if prefix else ("rank", "ranked")
    return frame.assign(**{names[0]: rank.astype("Int64"), names[1]: ranked.astype("Int64")})


CHANGE_MONTHS = 12  # a card's and a ranking's one change: the last year …


def change_start(group: TargetGroup, month: str) -> str:
    """The month a change to `month` is measured from: 12 months before, or the month the
    last rule change within that year took effect (a change never crosses a rule change)."""
    start = shift_period(month, -CHANGE_MONTHS)
    crossed = group.breaks_between(start, month)
    return crossed[-1].month if crossed else start


def add_change(frame: pd.DataFrame, keys: list[str], registry: Registry) -> pd.DataFrame:
    """Return `frame` with the one change of `share` each row has, in percentage points:
    `change_since` (the month it is measured from, `change_start`) and `change` (missing where
    either month has no share, or the rule changed in the row's own month)."""
    groups = {g.id: g for g in registry.target_groups}
    pairs = frame[["target_group", "period"]].drop_duplicates()
    starts = {
        (g, p): change_start(groups[g], p) if g in groups else shift_period(p, -CHANGE_MONTHS)
        for g, p in pairs.itertuples(index=False)
    }
    since = pd.Series(
        [starts[k] for k in zip(plain(frame["target_group"]), plain(frame["period"]), strict=True)],
        index=frame.index,
        dtype=object,
    )
    lookup = frame.set_index([*keys, "period"])["share"]
    wanted = pd.MultiIndex.from_arrays([*(frame[k] for k in keys), since])
    earlier = lookup.reindex(wanted).to_numpy(dtype="float64", na_value=np.nan)
    now = frame["share"].to_numpy(dtype="float64", na_value=np.nan)
    change = np.where(since.to_numpy() == frame["period"].to_numpy(), np.nan, now - earlier)
    return frame.assign(
        change=pd.array(np.round(change, 1), dtype="Float64"), change_since=since.astype(str)
    )


def rule_lookup(registry: Registry, periods: list[str]) -> pd.DataFrame:
    """Return, per target group and month, the line the month is held against: `flag_rule`
    (its id), `line_pct` (missing where the rule in force sets no line, as for passivity and
    before 2020), `line_min_persons` and `line_expected` (the rule is announced, not yet in
    force). A month without a rule in force has no row."""
    rows = []
    for g in registry.target_groups:
        for period in periods:
            rule = g.rule_for(period)
            if rule is None:
                continue
            f = rule.flag
            line = float(f.pct) if f.sets_line else None
            rows.append((g.id, period, f.id, line, f.min_persons, rule.expected))
    columns = ["target_group", "period", "flag_rule", "line_pct", "line_min_persons"]
    columns.append("line_expected")
    return pd.DataFrame(rows, columns=columns).astype({"line_pct": "float64"})


def add_judgements(frame: pd.DataFrame, rules: pd.DataFrame, list_months: int) -> pd.DataFrame:
    """Return `frame` with the one judgement every page shows: `line_pct` (the line of the
    month's own rule), `below` (the month is under it), `run` (months in a row under the line
    in force) and `on_list` (a run of `list_months` or more: STAR's rule for whom it contacts).

    A month is below when its share is under its own month's line and at least the rule's
    minimum of persons was measured. A run goes on across a change of rule (each month held
    against its own line) and ends at a month that is not below: over the line, too few
    persons, no figure, no line, or a month no source holds. A month held against an expected
    rule (announced, not in force) may be below its line, but counts towards no run and no list
    until the reference data confirm the rule.
    """
    ordered = frame.merge(rules, on=["target_group", "period"], how="left")
    ordered.index = frame.index
    ordered = ordered.assign(_m=month_index(frame["period"])).sort_values([*SERIES, "_m"])
    # Nullable floats: a month with no rule has no line, and comparing with it is unknown.
    line = ordered["line_pct"].astype("Float64")
    least = ordered["line_min_persons"].astype("Float64")
    below = ((ordered["share"] < line) & (ordered["persons"] >= least)).fillna(False).astype(bool)
    expected = ordered["line_expected"].astype("boolean").fillna(False).astype(bool)
    counted = below & ~expected
    new_series = (ordered[SERIES] != ordered[SERIES].shift()).any(axis=1)
    gap = ordered["_m"].diff() != 1
    run = counted.astype(int).groupby((~counted | new_series | gap).cumsum()).cumsum()
    out = frame.copy()
    out["flag_rule"] = ordered["flag_rule"].reindex(frame.index).astype("string")
    out["line_pct"] = ordered["line_pct"].reindex(frame.index).astype("Float64")
    out["below"] = below.reindex(frame.index).astype(bool)
    out["run"] = run.where(counted, 0).reindex(frame.index).astype("Int64")
    out["on_list"] = (out["run"] >= list_months).astype(bool)
    return out


def band_label(population: int | None, limits: tuple[int, ...]) -> str:
    """Return the population band a municipality belongs to, e.g. "40.000–59.999 indbyggere"."""
    if population is None:
        return "ukendt størrelse"
    edges = [0, *limits]
    for low, high in zip(edges, [*limits, None], strict=True):
        if high is None or population < high:
            if high is None:
                return f"{low:,} indbyggere og derover".replace(",", ".")
            if low == 0:
                return f"under {high:,} indbyggere".replace(",", ".")
            return f"{low:,}–{high - 1:,} indbyggere".replace(",", ".")
    raise AssertionError("unreachable")


def add_small(frame: pd.DataFrame, min_persons: int) -> pd.DataFrame:
    """Return `frame` with `small`: True where fewer than `min_persons` persons were measured."""
    return frame.assign(small=(frame["persons"] < min_persons).fillna(False).astype(bool))


class Spread(NamedTuple):
    """The municipalities' shares in one group and month: lowest, quartiles, highest."""

    low: float
    lower_quartile: float
    upper_quartile: float
    high: float
    count: int


@dataclass(frozen=True)
class Metrics:
    """Every figure the site shows, computed once."""

    municipal: pd.DataFrame  # one row per period × municipality × target group
    national: pd.DataFrame  # one row per target group × period
    regional: pd.DataFrame  # one row per region × target group × period
    peers: pd.DataFrame  # one row per population band × target group × period
    latest: dict[str, str]  # target group → latest month with any figure
    periods: tuple[str, ...]  # every calendar month from the first to the last, sorted

    # Lookups computed once and shared by all 98 municipality pages.
    @functools.cached_property
    def national_rows(self) -> list[NationalRow]:
        return rows(self.national, NationalRow)

    @functools.cached_property
    def _national_by_key(self) -> dict[tuple[str, str], NationalRow]:
        return {(r.target_group, r.period): r for r in self.national_rows}

    def national_row(self, group: str, period: str | None) -> NationalRow:
        """The country's row of `group` in `period` (every figure missing if it has none)."""
        return self._national_by_key.get((group, period or ""), NO_NATIONAL)

    def national_series(self, group: str) -> list[NationalRow]:
        """The country's rows of `group`, oldest first."""
        return [r for r in self.national_rows if r.target_group == group]

    @functools.cached_property
    def regional_rows(self) -> dict[str, list[RegionalRow]]:
        """Region → its rows."""
        out: dict[str, list[RegionalRow]] = {}
        for r in rows(self.regional, RegionalRow):
            out.setdefault(r.region, []).append(r)
        return out

    @functools.cached_property
    def _regional_by_key(self) -> dict[tuple[str, str, str], RegionalRow]:
        return {
            (r.region, r.target_group, r.period): r
            for region_rows in self.regional_rows.values()
            for r in region_rows
        }

    def regional_row(self, region: str, group: str, period: str | None) -> RegionalRow:
        return self._regional_by_key.get((region, group, period or ""), NO_REGIONAL)

    @functools.cached_property
    def _bands_by_key(self) -> dict[tuple[str, str, str], BandRow]:
        return {(r.band, r.target_group, r.period): r for r in rows(self.peers, BandRow)}

    def band_row(self, band: str, group: str, period: str | None) -> BandRow:
        """The weighted row of a population band (similar municipalities)."""
        return self._bands_by_key.get((band, group, period or ""), NO_BAND)

    @functools.cached_property
    def _municipal_columns(self) -> tuple[Columns, dict[int, slice]]:
        by_code = self.municipal.sort_values("municipality_code", kind="stable")
        codes = by_code["municipality_code"].to_numpy()
        found, first = np.unique(codes, return_index=True)
        ends = [*first[1:], len(codes)]
        spans = {int(c): slice(int(a), int(b)) for c, a, b in zip(found, first, ends, strict=True)}
        return Columns(by_code), spans

    def rows_of(self, code: int) -> list[MunicipalRow]:
        """The municipality's rows, in the frame's order. Made when asked for, not kept:
        92,000 rows would hold 80 MB."""
        columns, spans = self._municipal_columns
        span = spans.get(code)
        return columns.rows(span, MunicipalRow) if span is not None else []

    @functools.cached_property
    def _group_rows(self) -> dict[str, np.ndarray]:
        return self.municipal.groupby("target_group", sort=False, observed=True).indices

    def group_frame(self, group: str) -> pd.DataFrame:
        """Every municipality's rows in `group`, in the frame's order: found once, so a
        page's query searches a group's rows, not every group's."""
        return self.municipal.take(self._group_rows.get(group, np.array([], dtype=int)))

    def month_frame(self, group: str, month: str) -> pd.DataFrame:
        """Every municipality's row in `group` and `month` (the one query pages make)."""
        m = self.group_frame(group)
        return m[m["period"] == month]

    def month_rows(self, group: str, month: str) -> list[MunicipalRow]:
        return rows(self.month_frame(group, month), MunicipalRow)

    def spread(self, group: str, month: str) -> Spread | None:
        """How the municipalities' shares spread in `group` and `month`; None without any."""
        shares = self.month_frame(group, month)["share"].dropna().astype(float)
        if not len(shares):
            return None
        return Spread(
            float(shares.min()),
            float(shares.quantile(0.25)),
            float(shares.quantile(0.75)),
            float(shares.max()),
            len(shares),
        )

    def months_until(self, group: str, latest: str) -> tuple[str, ...]:
        """The months from the group's first figure to `latest`."""
        m = self.municipal
        known = m.loc[(m["target_group"] == group) & m["share"].notna(), "period"]
        if known.empty:
            return ()
        first = known.min()
        return tuple(p for p in self.periods if first <= p <= latest)

    def shares_by_month(
        self, group: str, months: tuple[str, ...], codes: list[int]
    ) -> dict[int, list[float | None]]:
        """Municipality code → its shares in `group` in `months` (None where missing)."""
        m = self.municipal
        frame = m.loc[m["target_group"] == group, ["municipality_code", "period", "share"]]
        table = frame.pivot(index="municipality_code", columns="period", values="share").reindex(
            index=codes, columns=list(months)
        )
        return {
            code: [None if v is None else round(float(v), 1) for v in values]
            for code, values in zip(codes, table.to_numpy(dtype=object, na_value=None), strict=True)
        }

    def rows_at(self, periods: Iterable[str]) -> dict[tuple[int, str, str], MunicipalRow]:
        """(municipality code, target group, month) → its row, for the months `periods`."""
        m = self.municipal
        return {
            (r.municipality_code, r.target_group, r.period): r
            for r in rows(m[m["period"].isin(list(periods))], MunicipalRow)
        }

    def latest_of(self, rows: list[MunicipalRow]) -> dict[str, MunicipalRow]:
        """Target group → the row of `rows` in that group's latest month."""
        return {r.target_group: r for r in rows if r.period == self.latest.get(r.target_group)}


def compute(
    frame: pd.DataFrame,
    registry: Registry,
    min_persons: int,
    peer_bands: tuple[int, ...] = (20_000, 40_000, 60_000, 100_000),
) -> Metrics:
    """Return all metrics of the registry's indicator (`registry.for_indicator`) from the
    canonical `frame`: only its rows are used."""
    if "indicator" in frame.columns:
        own = frame["indicator"] == registry.indicator_id
        frame = frame[own].drop(columns=["indicator"]).reset_index(drop=True)
    for column, value in (("derived", ""), ("activation_degree", None)):
        if column not in frame.columns:  # frames made in tests may lack the optional columns
            frame = frame.assign(
                **{column: pd.Series(value, index=frame.index, dtype=_OPTIONAL[column])}
            )
    # The source's own national figure ("Hele landet", code 0) is never a municipality.
    country = frame["municipality_code"] == NATIONAL_CODE
    published = frame[country].reset_index(drop=True)
    frame = frame[~country].reset_index(drop=True)
    region = {m.code: m.region for m in registry.municipalities}
    band = {m.code: band_label(m.population, peer_bands) for m in registry.municipalities}
    municipal = add_share(frame).assign(
        region=frame["municipality_code"].map(region), band=frame["municipality_code"].map(band)
    )
    better = registry.indicator.higher_is_better if registry.indicators else True
    municipal = add_ranks(municipal, min_persons, higher_is_better=better)
    municipal = add_ranks(municipal, min_persons, "band", "band", better)
    municipal = add_ranks(municipal, min_persons, "region", "region", better)
    municipal = add_change(municipal, SERIES, registry)
    present = sorted(municipal["period"].unique())
    # Every calendar month of the span, also those no source holds: unknown, not skipped.
    periods = months_between(present[0], present[-1]) if present else ()
    municipal = add_judgements(municipal, rule_lookup(registry, present), registry.list_months)
    municipal = add_small(municipal, min_persons)
    municipal = municipal.sort_values(["target_group", "period", "municipality_code"]).reset_index(
        drop=True
    )

    national = with_published(weighted_share(municipal, ["target_group", "period"]), published)
    national = add_change(national, ["target_group"], registry)
    # Counted only in months a line is set: a month no rule judges has no count, not 0.
    lined = municipal[municipal["line_pct"].notna()]
    counts = lined.groupby(["target_group", "period"])[["below", "on_list"]].sum()
    national = national.merge(
        counts.astype("Int64").reset_index(), on=["target_group", "period"], how="left"
    )

    regional = weighted_share(municipal, ["region", "target_group", "period"])
    regional = add_change(regional, ["region", "target_group"], registry)
    peers = weighted_share(municipal, ["band", "target_group", "period"])

    with_figures = municipal[municipal["share"].notna()]
    latest = with_figures.groupby("target_group")["period"].max().to_dict()
    return Metrics(municipal, national, regional, peers, latest, periods)


class Unruled(NamedTuple):
    """Months of a target group that have figures but no rule in the reference data: shown,
    never judged, and named as a warning by `check`, `build` and the release notes."""

    indicator: str
    target_group: str
    months: tuple[str, ...]

    @property
    def warning(self) -> str:
        """The one line `check` and `build` print."""
        span = self.months[0] if len(self.months) == 1 else f"{self.months[0]}..{self.months[-1]}"
        return (
            f"{self.indicator}/{self.target_group}: figures for {len(self.months)} month(s) "
            f"({span}) with no rule in the reference data; shown, not judged. Add the rule to "
            "samtaletjek/reference/ (README: Publicér rigtige tal)"
        )


def unruled(frame: pd.DataFrame, registry: Registry) -> tuple[Unruled, ...]:
    """The groups and months of canonical `frame` that no rule of the reference data covers."""
    found = []
    groups = {(g.indicator, g.id): g for g in registry.every_group}
    pairs = frame[["indicator", "target_group", "period"]].drop_duplicates()
    for (indicator, group_id), months in pairs.groupby(["indicator", "target_group"]):
        g = groups.get((indicator, group_id))
        if g is None:
            continue
        missing = tuple(sorted(p for p in months["period"] if g.rule_for(p) is None))
        if missing:
            found.append(Unruled(indicator, group_id, missing))
    return tuple(found)
