"""The national overview: every target group at a glance and the headline group's ranking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts import theme
from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.registry import Registry
from . import addresses
from .base import (
    NATIONAL,
    Chart,
    Options,
    ShareImage,
    span,
    yearly_table,
)
from .figures import legend, share_card, trend_specs
from .ranks import RankChange, RankRow, rank_change, rank_rows
from .rules import Change, RuleNote, change, rules_in_force
from .spreadsheets import csv_links
from .status import Counts, counts, line_of
from .watch import WatchList


@dataclass(frozen=True)
class GroupSummary:
    name: str
    href: str
    month: str
    national_share: str
    change: Change  # the country's one change: the last year, or since the rule changed
    counts: Counts  # under the rule this month, and on the list
    rule: str  # the line its month is held against: "lovens krav på 75 %"


@dataclass(frozen=True)
class OverviewPage:
    template: ClassVar[str] = "index.html"
    path: str
    title: str
    description: str
    headline_group: str
    month: str
    groups: tuple[GroupSummary, ...]
    rows: tuple[RankRow, ...]
    rank_change: RankChange  # the ranking's change column: since when, and its note
    chart: Chart
    map_chart: Chart | None
    rules: tuple[RuleNote, ...]
    share_image: ShareImage
    watch: WatchList | None = None  # STAR's watch list: who its rule would contact now
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def overview_page(
    metrics: Metrics,
    registry: Registry,
    options: Options,
    map_chart: Chart | None = None,
    watch: WatchList | None = None,
) -> OverviewPage:
    """The national overview: every target group at a glance and the headline group's ranking."""
    summaries = []
    for g in registry.target_groups:
        month = metrics.latest.get(g.id)
        row = metrics.national_row(g.id, month)
        rule = g.rule_for(month) if month else None
        summaries.append(
            GroupSummary(
                name=g.name,
                href=addresses.group(g),
                month=fmt.month(month) if month else fmt.MISSING,
                national_share=fmt.pct(row.share),
                change=change(g, month, row),
                counts=counts(row, rule),
                rule=line.line if (line := line_of(rule)) else "ingen talgrænse",
            )
        )

    headline = registry.target_group(options.headline_group)
    month = metrics.latest.get(headline.id, metrics.periods[-1])
    rows = rank_rows(metrics.month_rows(headline.id, month), headline, month, registry)
    last_rows = [
        f"{s.name}: {s.national_share} ({s.month})"
        for s in summaries
        if s.national_share != fmt.MISSING
    ]
    groups = list(registry.target_groups)
    national_part = [(NATIONAL, theme.NATIONAL, metrics.national_rows)]
    panels, browser = trend_specs(
        "landstal",
        national_part,
        groups,
        metrics.periods,
        addresses.national_figures(addresses.HOME),
    )
    chart = Chart(
        id="landstal",
        title="Landstal for hver målgruppe over tid",
        caption=f"Andel i hele landet, der fik de krævede samtaler, {span(metrics)}, én "
        "målgruppe i hvert felt.",
        summary="Andelen i hele landet, der har fået de krævede samtaler, seneste måned: "
        + "; ".join(last_rows)
        + ".",
        static_spec=None,
        panels=panels,
        browser=browser,
        data_links=csv_links(addresses.NATIONAL_CSV, "landstallene"),
        table=yearly_table(
            "Andel i hele landet, januar hvert år og seneste måned",
            metrics.national_rows,
            registry.target_groups,
            metrics.periods,
        ),
        legend=legend([(NATIONAL, theme.NATIONAL)], groups, metrics.periods),
        origin=options.origins.of(registry.indicator_id),
    )
    head = summaries[registry.target_group_ids.index(headline.id)]
    return OverviewPage(
        shows=(registry.indicator_id, *(watch.indicator_ids if watch else ())),
        path=addresses.HOME,
        title="Får de ledige og sygemeldte deres samtaler?",
        description="Kommune for kommune og målgruppe for målgruppe: hvor mange borgere på "
        "dagpenge, kontanthjælp og sygedagpenge fik de samtaler med jobcentret, loven kræver.",
        headline_group=headline.name,
        month=fmt.month(month),
        groups=tuple(summaries),
        rows=rows,
        rank_change=rank_change(headline, month),
        chart=chart,
        map_chart=map_chart,
        rules=rules_in_force([(g, metrics.latest[g.id]) for g in groups if g.id in metrics.latest]),
        share_image=ShareImage(
            addresses.share_image(addresses.HOME),
            share_card(
                "Får de ledige deres samtaler?",
                f"{head.national_share} af {headline.noun} i hele landet",
                f"{fmt.month(month)} · {head.counts.sentence}"
                if head.counts.judged
                else fmt.month(month),
                national_part,
                headline,
                metrics.periods,
                options.origins.of(registry.indicator_id),
            ),
        ),
        watch=watch,
    )
