"""A deterministic, clearly labelled demo dataset in the canonical format.

STAR's files cannot be downloaded where this project is developed, so the site ships with
synthetic figures that behave like the real ones: persons scaled by population, shares with
municipality-specific levels and trends, a dip in spring 2020, binomial noise that grows as
counts shrink, and suppressed cells. Every page built from them says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain.dataset import (
    COLUMNS,
    CONTEXT_SOURCE,
    Manifest,
    Release,
    Revision,
    next_release_id,
)
from ..domain.periods import month_index, period_from_index, shift_period
from ..domain.registry import Registry

SEED = 20180129  # the date of the minister's first letter
START, END = "2017-01", "2026-10"

# Per target group: persons measured per inhabitant in a month, typical share (%), and the
# change in level at each series break: the rules of January 2020, the a-kasse taking over
# dagpenge's first months in January 2024, and the reform of July 2026 (the law's 75 % for
# dagpenge and jobparate kontanthjælp; the minimum rules abolished for the others).
_GROUPS = {
    "dagpenge": (0.0014, 68.0, {"2020-01": 6.0, "2024-01": -11.0, "2026-07": 14.0}),
    "kontanthjaelp-jobparate": (0.0012, 62.0, {"2020-01": 4.0, "2026-07": 12.0}),
    "kontanthjaelp-aktivitetsparate": (0.0040, 55.0, {"2020-01": 8.0, "2026-07": -7.0}),
    "uddannelseshjaelp-uddannelsesparate": (0.0008, 66.0, {"2020-01": 3.0, "2026-07": -6.0}),
    "uddannelseshjaelp-aktivitetsparate": (0.0011, 52.0, {"2020-01": 5.0, "2026-07": -6.0}),
    "sygedagpenge": (0.0045, 74.0, {"2020-01": -3.0, "2026-07": -9.0}),
    "jobafklaring": (0.0007, 70.0, {"2020-01": 2.0, "2026-07": -5.0}),
    "ressourceforloeb": (0.0012, 58.0, {"2020-01": 4.0, "2026-07": -5.0}),
}
# Spring 2020: requirements were eased during the lockdown, so shares fall and recover.
_DIP = {"2020-03": -18.0, "2020-04": -26.0, "2020-05": -17.0, "2020-06": -8.0, "2020-07": -3.0}
# The active offer: persons at 6 months' seniority per inhabitant, the typical share with an
# offer, and the change at the reform of July 2026 (the law's 75 % for those close to the
# labour market). Passivity: persons with a year or more on the benefit, the typical share
# without any active effort (lower is better: good municipalities have less, and it falls),
# the changes at the rules of 2020 and the reform, and offers suspended in spring 2020.
_INDICATORS = {
    "samtaler": {"groups": _GROUPS, "level": 1.0, "trend": 1.0, "dip": _DIP},
    "tilbud": {
        "groups": {
            "dagpenge": (0.0005, 76.0, {"2026-07": 6.0}),
            "kontanthjaelp-jobparate": (0.0004, 69.0, {"2026-07": 5.0}),
            "kontanthjaelp-aktivitetsparate": (0.0009, 58.0, {"2026-07": -4.0}),
        },
        "level": 1.0,
        "trend": 0.8,
        "dip": {p: 1.4 * v for p, v in _DIP.items()},
    },
    "passivandel": {
        "groups": {
            "kontanthjaelp-jobparate": (0.0009, 24.0, {"2020-01": -4.0, "2026-07": 3.0}),
            "kontanthjaelp-aktivitetsparate": (0.0060, 38.0, {"2020-01": -5.0, "2026-07": 2.0}),
            "uddannelseshjaelp-aktivitetsparate": (0.0013, 31.0, {"2020-01": -4.0, "2026-07": 2.0}),
        },
        "level": -0.7,
        "trend": -0.6,
        "dip": {p: -0.5 * v for p, v in _DIP.items()},
    },
}
# An indicator the reference data declare and the demo knows nothing of gets figures like
# these (every group as an unknown group of it: see `generate`).
_ANY_INDICATOR = {"groups": {}, "level": 1.0, "trend": 0.5, "dip": {}}
SUPPRESS_BELOW = 3  # persons; below this the counts are withheld, as statistics offices do


def demo_manifest() -> Manifest:
    return Manifest(
        source="Eksempeldata fra Samtaletjek – ikke STAR's tal",
        release_date="2026-11-02",
        demo=True,
        description="Syntetiske tal til udvikling og demonstration. De ligner STAR's "
        "opgørelse i form, men er ikke målinger.",
        licence="CC0 1.0",
    )


def generate(
    registry: Registry, start: str = START, end: str = END, seed: int = SEED
) -> pd.DataFrame:
    """Return the demo dataset: every month × municipality × target group from `start` to
    `end` for samtaler, and for the active offer (from 2020, when STAR began to measure it)
    and passivity, and plausible figures for any other indicator the reference data declare;
    each indicator's groups as the registry has them."""
    rng = np.random.default_rng(seed)
    first, last = (int(month_index(pd.Series([p])).iloc[0]) for p in (start, end))
    months = np.arange(first, last + 1)
    periods = np.array([period_from_index(int(m)) for m in months])

    munis = registry.municipalities
    pop = np.array([m.population or 20000 for m in munis], dtype=float)
    level = rng.normal(0, 8, len(munis))  # how good a municipality is overall
    trend = rng.normal(0.6, 1.4, len(munis))  # percentage points a year

    frames = []
    for indicator in ("samtaler", *(i.id for i in registry.indicators if i.id != "samtaler")):
        spec = _INDICATORS.get(indicator, _ANY_INDICATOR)
        for group in registry.groups_of(indicator):
            rate, base, jumps = spec["groups"].get(group.id, (0.001, 60.0, {}))
            exists = np.array([group.exists_in(p) for p in periods])
            if not exists.any():
                continue
            frames.append(
                _group_frame(
                    rng,
                    munis,
                    months[exists],
                    periods[exists],
                    (months[exists] - months[0]) / 12.0,
                    pop * rate,
                    base + spec["level"] * level,
                    spec["trend"] * trend,
                    jumps,
                    spec["dip"],
                    indicator,
                    group.id,
                )
            )
    data = pd.concat(frames, ignore_index=True)
    share_pct = data["persons_meeting"] / data["persons"].where(data["persons"] > 0) * 100
    data["share_pct"] = share_pct.astype("Float64").round(1)
    data["derived"] = pd.array([""] * len(data), dtype="string")  # every figure is given
    data["activation_degree"] = pd.array([pd.NA] * len(data), dtype="Float64")
    return data[list(COLUMNS)]


def _group_frame(
    rng: np.random.Generator,
    munis: tuple,
    months: np.ndarray,
    periods: np.ndarray,
    years: np.ndarray,
    expected_persons: np.ndarray,
    level: np.ndarray,
    trend: np.ndarray,
    jumps: dict[str, float],
    dip: dict[str, float],
    indicator: str,
    group_id: str,
) -> pd.DataFrame:
    """One target group's rows: binomial shares around the municipality's level and trend,
    with the group's jumps at its series breaks and the spring 2020 dip."""
    steps = np.zeros(len(periods))  # a group may have no jumps at all
    for month, jump in jumps.items():
        steps += np.where(periods >= month, jump, 0.0)
    own = rng.normal(0, 4, len(munis))
    share = (
        level[:, None]
        + own[:, None]
        + trend[:, None] * years[None, :]
        + np.asarray(steps, dtype=float)[None, :] * np.ones((1, len(periods)))
        + np.array([dip.get(p, 0.0) for p in periods])[None, :]
    )
    season = 1 + 0.12 * np.cos((months % 12) / 12 * 2 * np.pi)[None, :]
    persons = rng.poisson(expected_persons[:, None] * season)
    probability = np.clip(share, 3 if indicator == "passivandel" else 12, 97) / 100
    meeting = rng.binomial(persons, probability)
    mean = np.round(np.clip(rng.normal(probability * 5.5, 0.4), 0, None), 1)
    out = pd.DataFrame(
        {
            "period": np.tile(periods, len(munis)),
            "municipality_code": np.repeat([m.code for m in munis], len(months)),
            "municipality": np.repeat([m.name for m in munis], len(months)),
            "target_group": group_id,
            "persons": pd.array(persons.ravel(), dtype="Int64"),
            "persons_meeting": pd.array(meeting.ravel(), dtype="Int64"),
            "mean_conversations": pd.array(mean.ravel(), dtype="Float64"),
            "indicator": indicator,
        }
    )
    if indicator != "samtaler":  # the mean number of samtaler belongs to samtaler only
        out["mean_conversations"] = pd.array([pd.NA] * len(out), dtype="Float64")
    suppressed = (out["persons"] < SUPPRESS_BELOW).to_numpy()
    unreported = rng.random(persons.size) < 0.002  # now and then a municipality reports nothing
    out.loc[suppressed | unreported, ["persons_meeting", "mean_conversations"]] = pd.NA
    out.loc[unreported, "persons"] = pd.NA
    return out


def demo_releases(data: pd.DataFrame, months: int = 12, seed: int = SEED) -> list[Release]:
    """Return a synthetic release log for the demo data: a first release of the history, then
    one release a month for the last `months` months, each with a few revisions of the month
    before (as STAR's monthly updates have). Marked as demo in its source."""
    rng = np.random.default_rng(seed + 1)
    periods = sorted(data["period"].unique())
    history, monthly = periods[:-months], periods[-months:]
    source = "Eksempeldata – ikke STAR's tal"
    releases = [
        Release(
            id=f"{_release_date(history[-1])}-1",
            date=_release_date(history[-1]),
            source=source,
            periods=tuple(history),
            added=int((data["period"] <= history[-1]).sum()),
            revised=0,
            demo=True,
        )
    ]
    for period in monthly:
        previous = periods[periods.index(period) - 1]
        candidates = data[(data["period"] == previous) & data["persons_meeting"].notna()]
        picked = candidates.iloc[sorted(rng.choice(len(candidates), size=4, replace=False))]
        revisions = tuple(
            Revision(
                period=previous,
                municipality_code=int(row.municipality_code),
                target_group=row.target_group,
                column="persons_meeting",
                old=str(max(0, int(row.persons_meeting) - int(rng.integers(1, 4)))),
                new=str(int(row.persons_meeting)),
                indicator=row.indicator,
            )
            for row in picked.itertuples()
        )
        releases.append(
            Release(
                id=f"{_release_date(period)}-1",
                date=_release_date(period),
                source=source,
                periods=(previous, period),
                added=int((data["period"] == period).sum()),
                revised=len(revisions),
                revisions=revisions,
                demo=True,
            )
        )
    return releases


def _release_date(period: str) -> str:
    """The demo's publication day: the 2nd of the month after `period`."""
    return f"{shift_period(period, 1)}-02"


@dataclass(frozen=True)
class Regenerated:
    """What `demo-data` writes: the table, manifest and release log, and what it kept."""

    frame: pd.DataFrame
    manifest: Manifest
    releases: tuple[Release, ...]
    kept: tuple[str, ...]  # indicators (and "ledighed") whose real figures stay
    generated: int  # rows of demo data


def regenerate(
    registry: Registry,
    frame: pd.DataFrame | None,
    manifest: Manifest | None,
    releases: tuple[Release, ...],
    *,
    has_context: bool = False,
    force: bool = False,
) -> Regenerated:
    """Return the demo data for a directory holding `frame`, `manifest` and `releases`: the
    rows, sources and releases of every indicator whose source is real stay as they are, and
    demo rows are generated for the others; `force` replaces everything. Pure."""
    real: tuple[str, ...] = ()
    if manifest is not None and frame is not None and not force:
        present = set(frame["indicator"])
        real = tuple(
            i.id
            for i in registry.indicators
            if i.id in present and not manifest.source_of(i.id).demo
        )
    generated = generate(registry)
    generated = generated[~generated["indicator"].isin(real)].reset_index(drop=True)
    demo_log = demo_releases(generated)
    if not real:
        return Regenerated(generated, demo_manifest(), tuple(demo_log), (), len(generated))
    assert manifest is not None and frame is not None
    kept_rows = frame[frame["indicator"].isin(real)]
    out = pd.concat([kept_rows[list(COLUMNS)], generated], ignore_index=True)
    demo = demo_manifest().default
    context = (
        (CONTEXT_SOURCE,) if has_context and not manifest.source_of(CONTEXT_SOURCE).demo else ()
    )
    sources = {i: manifest.source_of(i) for i in (*real, *context)}
    sources |= {i: demo for i in dict.fromkeys(generated["indicator"])}
    log = [r for r in releases if not r.demo]
    for release in demo_log:
        if any(r.id == release.id for r in log):  # a real import on a demo release's day
            release = dataclasses.replace(release, id=next_release_id(log, release.date))
        log.append(release)
    return Regenerated(
        out,
        dataclasses.replace(manifest, sources=sources),
        tuple(sorted(log, key=lambda r: r.date)),
        (*real, *context),
        len(generated),
    )
