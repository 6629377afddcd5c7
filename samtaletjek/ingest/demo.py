"""A deterministic, clearly labelled demo dataset in the canonical format.

STAR's files cannot be downloaded where this project is developed, so the site ships with
synthetic figures that behave like the real ones: persons scaled by population, shares with
municipality-specific levels and trends, a dip in spring 2020, binomial noise that grows as
counts shrink, and suppressed cells. Every page built from them says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain.dataset import COLUMNS, Manifest, Release, Revision
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
    """Return the demo dataset: every month × municipality × target group from `start` to `end`."""
    rng = np.random.default_rng(seed)
    first, last = (int(month_index(pd.Series([p])).iloc[0]) for p in (start, end))
    months = np.arange(first, last + 1)
    periods = np.array([period_from_index(int(m)) for m in months])
    years = (months - months[0]) / 12.0

    munis = registry.municipalities
    pop = np.array([m.population or 20000 for m in munis], dtype=float)
    level = rng.normal(0, 8, len(munis))  # how good a municipality is overall
    trend = rng.normal(0.6, 1.4, len(munis))  # percentage points a year

    frames = []
    for group in registry.target_groups:
        rate, base, jumps = _GROUPS.get(group.id, (0.001, 60.0, {}))
        steps = sum(np.where(periods >= month, jump, 0.0) for month, jump in jumps.items())
        own = rng.normal(0, 4, len(munis))
        share = (
            base
            + level[:, None]
            + own[:, None]
            + trend[:, None] * years[None, :]
            + np.asarray(steps, dtype=float)[None, :] * np.ones((1, len(periods)))
            + np.array([_DIP.get(p, 0.0) for p in periods])[None, :]
        )
        season = 1 + 0.12 * np.cos((months % 12) / 12 * 2 * np.pi)[None, :]
        expected = pop[:, None] * rate * season
        persons = rng.poisson(expected)
        probability = np.clip(share, 12, 97) / 100
        meeting = rng.binomial(persons, probability)
        mean = np.round(np.clip(rng.normal(probability * 5.5, 0.4), 0, None), 1)

        out = pd.DataFrame(
            {
                "period": np.tile(periods, len(munis)),
                "municipality_code": np.repeat([m.code for m in munis], len(months)),
                "municipality": np.repeat([m.name for m in munis], len(months)),
                "target_group": group.id,
                "persons": pd.array(persons.ravel(), dtype="Int64"),
                "persons_meeting": pd.array(meeting.ravel(), dtype="Int64"),
                "mean_conversations": pd.array(mean.ravel(), dtype="Float64"),
            }
        )
        suppressed = (out["persons"] < SUPPRESS_BELOW).to_numpy()
        unreported = rng.random(persons.size) < 0.002  # now and then a municipality reports nothing
        out.loc[suppressed | unreported, ["persons_meeting", "mean_conversations"]] = pd.NA
        out.loc[unreported, "persons"] = pd.NA
        frames.append(out)

    data = pd.concat(frames, ignore_index=True)
    share_pct = data["persons_meeting"] / data["persons"].where(data["persons"] > 0) * 100
    data["share_pct"] = share_pct.astype("Float64").round(1)
    return data[list(COLUMNS)]


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
            )
        )
    return releases


def _release_date(period: str) -> str:
    """The demo's publication day: the 2nd of the month after `period`."""
    return f"{shift_period(period, 1)}-02"
