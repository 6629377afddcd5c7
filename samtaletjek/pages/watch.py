"""The list: the municipalities under the rule for as many months in a row as STAR's follow-up
rule of 2020 names, in each target group's latest month, and its feed and download.

It is Samtaletjek's calculation of STAR's published rule, not STAR's own list (DOMAIN.md,
"STAR's own follow-up thresholds"). Each month is held against the line of its own rule, so a
run goes on across a change of rule; the run and the judgement are the metrics' (`run`,
`on_list`), the same every page shows. Indicators without a line (passivity) put no one on it.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.periods import shift_period
from ..domain.registry import Registry
from . import addresses
from .base import Output, sort_value
from .provenance import Origins
from .rules import capitalised, judges
from .spreadsheets import excel_csv, in_words
from .status import Status, run_start, since_phrase, status, stretches_phrase

SHOWN = 10  # the overview shows the municipalities with most groups on it; the page, all


@dataclass(frozen=True)
class WatchEntry:
    municipality: str
    code: int
    href: str
    indicator: str  # "Samtaler", "Tilbud"
    indicator_id: str
    anchor: str  # the municipality's row on the list page
    group: str  # "Dagpengemodtagere"
    group_id: str
    group_href: str
    share_value: float  # the latest month's share
    latest: str  # the group's latest month, "oktober 2026"
    months: int  # months running below the line in force
    since_period: str  # the run's first month, "2026-04"
    since: str  # "siden april 2026", "mindst siden januar 2020"
    reason: str  # "Under 80 % i marts–juni 2026 og under 75 % i juli–oktober 2026."
    status: Status  # the month's status, as every page says it: "På listen"

    @property
    def share(self) -> str:
        return fmt.pct(self.share_value)

    @property
    def share_sort(self) -> str:
        """The share, machine-readable, for sorting."""
        return sort_value(self.share_value)

    @property
    def id(self) -> str:
        """Stable while the run lasts: the feed entry's id."""
        return (
            f"urn:samtaletjek:overvaagning:{self.indicator_id}:{self.group_id}:"
            f"{self.code}:{self.since_period}"
        )


@dataclass(frozen=True)
class WatchMunicipality:
    """A municipality on the list, with every figure it is on it for."""

    municipality: str
    anchor: str  # its row's id on the list page: "kommune-varde"
    href: str
    entries: tuple[WatchEntry, ...]  # longest run first
    figures: str  # "3 tal": how many group × measure figures put it there
    summary: str  # "7 målgrupper i samtaler, 1 i tilbud"
    months: int  # its longest run
    since: str  # when its longest run began: "siden april 2026"
    status: Status  # the status of its longest run
    # Its figures as "indicator:group" ids, space-separated: what the page's filters match.
    filters: str

    @property
    def longest(self) -> str:
        """Its longest run: "8 måneder"."""
        return fmt.count(self.months, "måned", "måneder")


@dataclass(frozen=True)
class WatchChoice:
    """One choice of the list page's filters: a target group or a measure."""

    value: str  # the id the rows' `filters` hold: "dagpenge", "tilbud"
    text: str  # "Dagpengemodtagere", "Tilbud"


@dataclass(frozen=True)
class WatchCount:
    """How many municipalities are on the list for one target group, per indicator."""

    group: str
    counts: tuple[str, ...]  # one per indicator of `WatchList.indicators`; "–" where unmeasured


@dataclass(frozen=True)
class WatchList:
    months_needed: int  # six
    month: str  # the latest month judged, "oktober 2026"
    entries: tuple[WatchEntry, ...]  # longest run first
    feed_href: str
    indicators: tuple[str, ...]  # the indicators with a line: "Samtaler", "Tilbud"
    counts: tuple[WatchCount, ...]
    rule: str  # the rule it follows: "STAR: Tidlig indsats, opfølgning fra januar 2020"
    rule_from: str  # the first month the rule held: "januar 2020"
    follow_up: str  # what STAR does today (the reference data's words)
    explanation: str  # the rule in a sentence, with its line, months and minimum
    groups: tuple[WatchChoice, ...] = ()  # the target groups on the list, in the registry's order
    csv_href: str = addresses.WATCH_CSV

    @property
    def title(self) -> str:
        return watch_title(self.months_needed)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """The indicators of the figures on the list."""
        return tuple(dict.fromkeys(e.indicator_id for e in self.entries))

    @property
    def measures(self) -> tuple[WatchChoice, ...]:
        """The measures on the list, for the page's filter."""
        names = {e.indicator_id: e.indicator for e in self.entries}
        return tuple(WatchChoice(i, names[i]) for i in self.indicator_ids)

    @property
    def municipalities(self) -> int:
        """How many municipalities are on the list at all."""
        return len(self.by_municipality)

    @property
    def most(self) -> tuple[WatchMunicipality, ...]:
        """The municipalities on the list for the most target groups (the overview's)."""
        ranked = sorted(
            self.by_municipality,
            key=lambda m: (-len(m.entries), -m.months, fmt.sort_key(m.municipality)),
        )
        return tuple(ranked[:SHOWN])

    @functools.cached_property
    def by_municipality(self) -> tuple[WatchMunicipality, ...]:
        """One row per municipality on the list, in the order of its longest run."""
        grouped: dict[str, list[WatchEntry]] = {}
        for e in self.entries:  # longest first, so each municipality's first is its longest
            grouped.setdefault(e.href, []).append(e)
        return tuple(
            WatchMunicipality(
                municipality=es[0].municipality,
                anchor=es[0].anchor,
                href=es[0].href,
                entries=tuple(es),
                figures=fmt.count(len(es), "tal", "tal"),
                summary=_summary(es),
                months=es[0].months,
                since=es[0].since,
                status=es[0].status,
                filters=" ".join(sorted({f"{e.indicator_id}:{e.group_id}" for e in es})),
            )
            for es in grouped.values()
        )


@dataclass(frozen=True)
class WatchPage:
    template: ClassVar[str] = "overvaagning.html"
    path: str
    title: str
    description: str
    watch: WatchList
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def _summary(entries: list[WatchEntry]) -> str:
    """How many target groups a municipality is on the list for, by measure, short enough for
    one line on a phone (the list under it names every group): "7 målgrupper i samtaler, 1 i
    tilbud"."""
    by = collections.Counter(e.indicator.lower() for e in entries)
    (first, n), *rest = sorted(by.items())
    said = [f"{fmt.count(n, 'målgruppe', 'målgrupper')} i {first}"]
    return ", ".join(said + [f"{m} i {indicator}" for indicator, m in rest])


def watch_list(
    views: list[tuple[Registry, Metrics]], feed: str = addresses.WATCH_FEED
) -> WatchList:
    """Every municipality, indicator and target group on the list (`on_list` of the metrics)
    in the group's latest month; longest run first."""
    registry = views[0][0]
    months_needed = registry.list_months
    star = next(f for f in registry.flag_rules if f.kind == "run")
    entries = []
    latest_months = []
    measured: dict[str, dict[str, int]] = {}  # group name → indicator → count
    lined: list[str] = []
    groups: dict[str, str] = {}  # every target group's id → its name, in the registry's order
    for registry, metrics in views:
        ind = registry.indicator
        if any(judges(r) for g in registry.target_groups for r in g.rules):
            lined.append(ind.short)
        for g in registry.target_groups:
            groups.setdefault(g.id, g.name)
            month = metrics.latest.get(g.id)
            if month is None:
                continue
            latest_months.append(month)
            on_list = [r for r in metrics.month_rows(g.id, month) if r.on_list]
            if judges(g.rule_for(month)):
                measured.setdefault(g.name, {})[ind.short] = len(on_list)
            for row in on_list:
                run = int(row.run)
                since = run_start(month, run)
                municipality = registry.municipality(int(row.municipality_code))
                entries.append(
                    WatchEntry(
                        municipality=municipality.name,
                        code=municipality.code,
                        anchor=addresses.watch_row(municipality).partition("#")[2],
                        href=addresses.municipality(municipality),
                        indicator=ind.short,
                        indicator_id=ind.id,
                        group=g.name,
                        group_id=g.id,
                        group_href=addresses.group(g),
                        share_value=float(row.share),
                        latest=fmt.month(month),
                        months=run,
                        since_period=since,
                        since=since_phrase(g, since),
                        reason=capitalised(stretches_phrase(g, since, month)) + ".",
                        status=status(g, month, row, g.rule_for(month)),
                    )
                )
    entries.sort(key=lambda e: (-e.months, fmt.sort_key(e.municipality), e.indicator, e.group))
    month = fmt.month(max(latest_months)) if latest_months else fmt.MISSING
    on_it = {e.group_id for e in entries}
    counts = tuple(
        WatchCount(group, tuple(fmt.number(by.get(i)) for i in lined))
        for group, by in measured.items()
    )
    return WatchList(
        months_needed,
        month,
        tuple(entries),
        feed,
        tuple(lined),
        counts,
        rule=star.source,
        rule_from=fmt.month(registry.first_month_of(star)),
        follow_up=star.follow_up,
        explanation=star.explanation,
        groups=tuple(WatchChoice(i, name) for i, name in groups.items() if i in on_it),
    )


def watch_page(watch: WatchList) -> WatchPage:
    """The whole list, to filter and sort."""
    return WatchPage(
        shows=watch.indicator_ids,
        path=addresses.WATCH,
        title=watch.title,
        description=f"Kommuner under reglen for samtaler eller tilbud i {watch.months_needed} "
        f"måneder i træk, {watch.month}: dem STAR's regel fra {watch.rule_from} ville kontakte.",
        watch=watch,
    )


def watch_title(months: int) -> str:
    """What the list is, as every page names it."""
    return f"Kommuner under STAR's grænse i {months} måneder i træk – Samtaletjeks beregning"


# The columns of data/overvaagning.csv, each with its meaning for data/README.md.
WATCH_DOCS = {
    "municipality_code": "Kommunekode (3 cifre, Danmarks Statistik).",
    "municipality": "Kommunens navn.",
    "indicator": "Indikatoren: `samtaler` eller `tilbud` (passivandelen holdes ikke op mod en "
    "regel).",
    "target_group": "Målgruppens id.",
    "share_pct": "Andelen i den seneste måned (%).",
    "months_below": "Måneder i træk under reglen, hver måned holdt op mod sin egen måneds regel.",
    "below_since": "Første måned i rækken (YYYY-MM).",
    "latest_period": "Seneste måned (YYYY-MM).",
    "reason": "Reglerne, månederne holdes op mod, i ord.",
    "source": "Hvor tallene kommer fra: `eksempeldata` (syntetiske tal, ikke STAR's) eller "
    "kilden, tabellerne og den dag, tallene blev hentet.",
}
WATCH_COLUMNS = tuple(WATCH_DOCS)


def watch_csvs(
    watch: WatchList, registry: Registry, origins: Origins | None = None
) -> tuple[Output, Output]:
    """The list as downloads: one row per municipality, indicator and target group, the
    columns as in `data/README.md`, each row with its source (`origins`); machine-readable,
    and for Danish Excel."""

    def source(indicator: str) -> str:
        origin = origins.of(indicator) if origins else None
        return origin.tag if origin else ""

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WATCH_COLUMNS)
    rows = [
        (
            e.code,
            e.municipality,
            e.indicator_id,
            e.group_id,
            round(e.share_value, 1),
            e.months,
            e.since_period,
            shift_period(e.since_period, e.months - 1),
            e.reason,
            source(e.indicator_id),
        )
        for e in watch.entries
    ]
    for row in rows:
        writer.writerow((*row[:4], f"{row[4]:.1f}", *row[5:]))
    danish = excel_csv(in_words(pd.DataFrame(rows, columns=list(WATCH_COLUMNS)), registry))
    return Output(watch.csv_href, out.getvalue()), Output(
        addresses.excel_csv(watch.csv_href), danish
    )
