"""The list's feed: one entry per municipality whose place on the list changed in a month (it
came on, it left, or another target group or measure came on), dated by the release that
published the month. A feed reader shows what changed, not the whole list again each month.
Who is on the list is the metrics' judgement (`on_list`), as on every other page."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain import danish as fmt
from ..domain.dataset import Manifest, Release
from ..domain.metrics import Metrics
from ..domain.registry import Registry
from ..domain.rows import plain
from . import addresses
from .news import DEMO_SHORT, Feed, FeedEntry
from .provenance import Origins
from .rules import listing
from .watch import watch_title

FEED_MONTHS = 12  # the months of changes the feed keeps


def on_list_by_month(
    views: Iterable[tuple[Registry, Metrics]],
) -> tuple[dict[str, dict[int, set[tuple[str, str]]]], set[tuple[int, str, str, str]]]:
    """Month → municipality code → the (indicator, target group) pairs it is on the list for;
    and the (municipality, indicator, group, month) with a figure: a month without one is
    unknown, and a municipality does not leave the list for want of figures."""
    months: dict[str, dict[int, set[tuple[str, str]]]] = {}
    measured: set[tuple[int, str, str, str]] = set()
    for registry, metrics in views:
        frame = metrics.municipal
        ind = registry.indicator_id
        known = frame[frame["share"].notna()]
        columns = (plain(known[c]) for c in ("municipality_code", "target_group", "period"))
        rows = zip(*columns, strict=True)
        measured |= {(c, ind, g, p) for c, g, p in rows}
        listed = frame[frame["on_list"].fillna(False).astype(bool)]
        for code, group, period in zip(
            listed["municipality_code"], listed["target_group"], listed["period"], strict=True
        ):
            months.setdefault(period, {}).setdefault(int(code), set()).add((ind, group))
    return months, measured


def _published(releases: Iterable[Release], manifest: Manifest) -> dict[str, str]:
    """Month → the day of the first release that held it (the manifest's date for the rest)."""
    dates: dict[str, str] = {}
    for release in sorted(releases, key=lambda r: (r.date, r.id)):
        for period in release.periods:
            dates.setdefault(period, release.date)
    return dates


def watch_feed(
    views: list[tuple[Registry, Metrics]],
    releases: Iterable[Release],
    manifest: Manifest,
    title: str,
    origins: Origins,
) -> Feed:
    """The Atom feed of the list's changes over the last `FEED_MONTHS` months of the data."""
    registry = views[0][0]
    names = {(g.indicator, g.id): g.noun for r, _ in views for g in r.target_groups}
    measures = {r.indicator_id: r.indicator.short.lower() for r, _ in views}
    demo = {r.indicator_id for r, _ in views if (o := origins.of(r.indicator_id)) and o.demo}
    listed, measured = on_list_by_month(views)
    periods = sorted({p for _, m in views for p in m.periods})
    published = _published(releases, manifest)
    recent = set(periods[-FEED_MONTHS:])
    entries = []
    for before, month in zip(periods, periods[1:], strict=False):
        then, now = listed.get(before, {}), listed.get(month, {})
        for code in sorted(set(then) | set(now)):
            old, new = then.get(code, set()), now.get(code, set())
            # a pair whose group has no figures this month is unknown: it stays as it was
            new = new | {(i, g) for i, g in old if (code, i, g, month) not in measured}
            listed.setdefault(month, {})[code] = new
            came, left = sorted(new - old), bool(old) and not new
            if not came and not left:
                continue  # no one came on or left: the list itself says the rest
            if month not in recent:
                continue  # the state is carried from the first month; entries only of the last
            m = registry.municipality(code)
            said = listing([f"{names[(i, g)]} ({measures[i]})" for i, g in came])
            when = fmt.month(month)
            if not new:
                head = f"{m.name} er ikke længere på listen"
                text = (
                    f"I {when} var {m.name} ikke længere på listen: ingen målgruppe har været "
                    f"under reglen i {registry.list_months} måneder i træk."
                )
            elif not old:
                head = f"{m.name} er kommet på listen"
                text = f"I {when} kom {m.name} på listen for {said}."
            else:
                head = f"{m.name} er på listen for flere målgrupper"
                text = f"I {when} kom {m.name} også på listen for {said}."
            touched = {i for i, _ in (new or old)}
            if touched & demo:
                text = f"{DEMO_SHORT}. {text}"
            entries.append(
                FeedEntry(
                    id=f"urn:samtaletjek:overvaagning:{m.slug}:{month}",
                    title=f"{head} ({when})",
                    updated=f"{published.get(month, manifest.release_date)}T00:00:00Z",
                    link=addresses.watch_row(m) if new else addresses.municipality(m),
                    summary=text,
                )
            )
    entries.sort(key=lambda e: e.id)  # newest first; within a release, by municipality
    entries.sort(key=lambda e: e.updated, reverse=True)
    updated = max((e.updated for e in entries), default=f"{manifest.release_date}T00:00:00Z")
    return Feed(
        path=addresses.WATCH_FEED,
        id="urn:samtaletjek:feed:overvaagning",
        title=f"{title}: {watch_title(registry.list_months)}",
        subtitle=f"Hvem der kommer på og går af listen: under reglen i kraft i "
        f"{registry.list_months} måneder i træk",
        updated=updated,
        alternate=addresses.WATCH,
        entries=tuple(entries),
    )
