"""What each release brought: the Nyt page and the Atom feeds (the site's and one per
municipality)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..domain import danish as fmt
from ..domain.dataset import COLUMN_DOCS, Manifest, Release
from ..domain.metrics import Metrics, MunicipalRow, Unruled
from ..domain.periods import shift_period
from ..domain.registry import DEFAULT_INDICATOR, Municipality, Registry, TargetGroup
from . import addresses
from .base import Options
from .provenance import DEMO_SHORT
from .status import counts, line_of, status


@dataclass(frozen=True)
class RevisionRow:
    month: str
    municipality: str
    href: str
    group: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class NewsEntry:
    id: str
    date: str  # "2. november 2026"
    iso_date: str
    title: str  # "Tal for oktober 2026"
    summary: str  # one factual sentence about the headline group
    group_lines: tuple[str, ...]
    source: str
    added: str
    revisions: tuple[RevisionRow, ...]


@dataclass(frozen=True)
class NewsPage:
    template: ClassVar[str] = "nyt.html"
    path: str
    title: str
    description: str
    entries: tuple[NewsEntry, ...]
    feed_href: str
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)
    unruled: tuple[str, ...] = ()  # figures shown but not judged: no rule for their months


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: str  # RFC 3339
    link: str
    summary: str


@dataclass(frozen=True)
class Feed:
    template: ClassVar[str] = "atom.xml"
    path: str
    id: str
    title: str
    subtitle: str
    updated: str
    alternate: str  # the HTML page the feed belongs to
    entries: tuple[FeedEntry, ...]


def _count_change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "samme antal som måneden før"
    return f"{fmt.more_or_fewer(diff)} end måneden før"


def _group_line(g: TargetGroup, period: str, metrics: Metrics, headline: bool) -> str | None:
    """What a release says of one group's newest month: the counts every page shows."""
    row = metrics.national_row(g.id, period)
    if row.reporting is None:
        return None
    rule = g.rule_for(period)
    month_counts = counts(row, rule)
    if not month_counts.judged:
        subject = f"landstal {fmt.pct(row.share)}"
        return (
            f"Tal for {fmt.month(period)}: {g.noun}, {subject}."
            if headline
            else (f"{g.name}: {subject}.")
        )
    previous = shift_period(period, -1)
    before, rule_before = metrics.national_row(g.id, previous), g.rule_for(previous)
    if line_of(rule_before) is not None and rule_before.flag.pct != rule.flag.pct:
        # Counts under two different lines are not compared; the new line is named instead.
        change = "første måned med den nye regel"
    else:
        change = _count_change(int(row.below), None if before.below is None else int(before.below))
    tail = f" ({change})" if change else ""
    if headline:
        below = f"{fmt.number(row.below)} af {fmt.count(row.reporting, 'kommune', 'kommuner')}"
        return (
            f"Tal for {fmt.month(period)}: {below} {rule.flag.label} for {g.noun}{tail}; "
            f"{month_counts.on_list} på listen."
        )
    return (
        f"{g.name}: {month_counts.below} {rule.flag.label}{tail}, "
        f"{month_counts.on_list} på listen; "
        f"landstal {fmt.pct(row.share)}."
    )


def _indicator_tail(indicator: str, names: dict[str, str]) -> str:
    """ "" for samtaler, " (Tilbud)" for another indicator's group."""
    return "" if indicator == DEFAULT_INDICATOR else f" ({names.get(indicator, indicator)})"


def unruled_line(gap: Unruled, registry: Registry) -> str:
    """What the release notes say of months with figures and no rule (`metrics.unruled`)."""
    g = next((x for x in registry.every_group if (x.indicator, x.id) == gap[:2]), None)
    name = g.name if g is not None else gap.target_group
    tail = _indicator_tail(gap.indicator, {i.id: i.short for i in registry.indicators})
    return (
        f"{name}{tail}, {fmt.month_span(gap.months[0], gap.months[-1])}: tallene vises, men "
        "vurderes ikke, fordi der endnu ikke er en kendt regel for de måneder."
    )


def news_page(
    releases: tuple[Release, ...],
    metrics: Metrics,
    registry: Registry,
    options: Options,
    unruled: tuple[Unruled, ...] = (),
) -> NewsPage:
    """What each release brought, newest first, with revisions of earlier months, and the
    months shown without a rule."""
    headline = registry.target_group(options.headline_group)
    names = {(g.indicator, g.id): g.name for g in registry.every_group}
    indicators = {i.id: i.short for i in registry.indicators}
    counted = {i.id: i.counted for i in registry.indicators}  # "Personer med et tilbud"
    entries = []
    for release in reversed(releases):
        newest = max(release.periods) if release.periods else None
        if newest is None:
            continue
        summary = _group_line(headline, newest, metrics, headline=True) or (
            f"Tal for {fmt.month(newest)}."
        )
        lines = tuple(
            line
            for g in registry.target_groups
            if g != headline and (line := _group_line(g, newest, metrics, headline=False))
        )
        revisions = []
        for v in release.revisions:
            m = (
                registry.municipality(v.municipality_code)
                if registry.has_code(v.municipality_code)
                else None
            )
            revisions.append(
                RevisionRow(
                    month=fmt.month(v.period),
                    municipality=m.name if m else str(v.municipality_code),
                    href=addresses.municipality(m) if m else "",
                    group=names.get((v.indicator, v.target_group), v.target_group)
                    + _indicator_tail(v.indicator, indicators),
                    column=counted.get(v.indicator, COLUMN_DOCS["persons_meeting"][0])
                    if v.column == "persons_meeting"
                    else COLUMN_DOCS.get(v.column, (v.column,))[0],
                    old=v.old or fmt.MISSING,
                    new=v.new or fmt.MISSING,
                )
            )
        span = (
            fmt.month(release.periods[0])
            if len(release.periods) == 1
            else f"{fmt.month(min(release.periods))} – {fmt.month(newest)}"
        )
        entries.append(
            NewsEntry(
                id=release.id,
                date=fmt.date(release.date),
                iso_date=release.date,
                title=f"Tal for {fmt.month(newest)}",
                summary=summary,
                group_lines=lines,
                source=release.source,
                added=f"{fmt.count(release.added, 'nyt tal', 'nye tal')} ({span})",
                revisions=tuple(revisions),
            )
        )
    return NewsPage(
        shows=tuple(i.id for i in registry.indicators) or (registry.indicator_id,),
        path=addresses.NEWS,
        title="Nyt",
        description="Hver udgivelse af nye tal: hvad der kom til, og hvilke tidligere tal der "
        "blev rettet.",
        entries=tuple(entries),
        feed_href=addresses.FEED,
        unruled=tuple(unruled_line(gap, registry) for gap in unruled),
    )


def _rfc3339(date: str) -> str:
    return f"{date}T00:00:00Z"


def _labelled(summary: str, key: str, options: Options) -> str:
    """`summary` of figures of indicator `key`, led by the demo label where they are demo
    figures, or followed by their source where they are STAR's."""
    origin = options.origins.of(key)
    if origin is None:
        return summary
    return f"{DEMO_SHORT}. {summary}" if origin.demo else f"{summary} {origin.credit}"


def site_feed(news: NewsPage, manifest: Manifest, options: Options) -> Feed:
    """The Atom feed of releases: their summaries tell samtaler's figures."""
    entries = tuple(
        FeedEntry(
            id=f"urn:samtaletjek:release:{e.id}",
            title=e.title,
            updated=_rfc3339(e.iso_date),
            link=addresses.news_entry(e.id),
            summary=_labelled(" ".join((e.summary, *e.group_lines)), DEFAULT_INDICATOR, options),
        )
        for e in news.entries
    )
    return Feed(
        path=news.feed_href,
        id="urn:samtaletjek:feed:releases",
        title=f"{options.title}: nye tal",
        subtitle="Nye månedstal om samtaler med ledige og sygemeldte",
        updated=entries[0].updated if entries else _rfc3339(manifest.release_date),
        alternate=news.path,
        entries=entries,
    )


def municipality_feed(
    m: Municipality,
    releases: tuple[Release, ...],
    metrics: Metrics,
    registry: Registry,
    manifest: Manifest,
    options: Options,
    rows: dict[tuple[int, str, str], MunicipalRow] | None = None,
) -> Feed:
    """The Atom feed of one municipality: an entry per release with its figures and their
    status. `rows`: `metrics.rows_at` the releases' newest months, made once for every
    municipality."""
    if rows is None:
        rows = metrics.rows_at(max(r.periods) for r in releases if r.periods)
    entries = []
    for release in reversed(releases):
        if not release.periods:
            continue
        newest = max(release.periods)
        parts = []
        for g in registry.target_groups:
            row = rows.get((m.code, g.id, newest))
            if row is not None and row.share is not None:
                national = metrics.national_row(g.id, newest).share
                judged = status(g, newest, row, g.rule_for(newest))
                said = f", {judged.text[:1].lower()}{judged.text[1:]}" if judged.short else ""
                parts.append(f"{g.name}: {fmt.pct(row.share)} (landet {fmt.pct(national)}{said})")
        if not parts:
            continue
        entries.append(
            FeedEntry(
                id=f"urn:samtaletjek:kommune:{m.code}:release:{release.id}",
                title=f"{m.name}: tal for {fmt.month(newest)}",
                updated=_rfc3339(release.date),
                link=addresses.municipality(m),
                summary=_labelled(
                    f"Andel der fik de krævede samtaler i {fmt.month(newest)}. "
                    + "; ".join(parts)
                    + ".",
                    DEFAULT_INDICATOR,
                    options,
                ),
            )
        )
    return Feed(
        path=addresses.municipality_feed(m),
        id=f"urn:samtaletjek:feed:kommune:{m.code}",
        title=f"{m.name}: nye tal fra Samtaletjek",
        subtitle=f"Nye månedstal om samtaler med ledige og sygemeldte i {m.name}",
        updated=entries[0].updated if entries else _rfc3339(manifest.release_date),
        alternate=addresses.municipality(m),
        entries=tuple(entries),
    )
