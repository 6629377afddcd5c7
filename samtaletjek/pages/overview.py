"""The national overview: every target group at a glance and the headline group's ranking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.registry import Registry
from ..settings import Settings
from .base import (
    NATIONAL,
    Chart,
    Link,
    ShareImage,
    Since,
    group_path,
    make_chart,
    measure_phrase,
    since,
    span,
    yearly_table,
)
from .figures import share_card_spec, trend_specs
from .ranks import RankRow, rank_rows


@dataclass(frozen=True)
class GroupSummary:
    name: str
    href: str
    month: str
    national_share: str
    change_ref: str
    flagged: str  # "41 af 98"
    rule_text: str


@dataclass(frozen=True)
class OverviewPage:
    template: ClassVar[str] = "index.html"
    path: str
    title: str
    description: str
    headline_group: str
    headline_href: str
    month: str
    since: Since
    groups: tuple[GroupSummary, ...]
    rows: tuple[RankRow, ...]
    chart: Chart
    map_chart: Chart | None
    share_image: ShareImage


def overview_page(
    metrics: Metrics,
    registry: Registry,
    settings: Settings,
    demo: bool = False,
    map_chart: Chart | None = None,
) -> OverviewPage:
    """The national overview: every target group at a glance and the headline group's ranking."""
    national = metrics.national_by_key
    summaries = []
    for g in registry.target_groups:
        month = metrics.latest.get(g.id)
        row = national.get((g.id, month), {})
        summaries.append(
            GroupSummary(
                name=g.name,
                href=group_path(g),
                month=fmt.month(month) if month else fmt.MISSING,
                national_share=fmt.pct(row.get("share")),
                change_ref=fmt.pp(row.get("change_ref")),
                flagged=f"{fmt.number(row.get('flagged'))} af {fmt.number(row.get('reporting'))}"
                if row
                else fmt.MISSING,
                rule_text=measure_phrase(g.rule_for(month)) if month else "",
            )
        )

    headline = registry.target_group(settings.headline_group)
    month = metrics.latest.get(headline.id, metrics.periods[-1])
    m = metrics.municipal
    latest = m[(m["target_group"] == headline.id) & (m["period"] == month)]

    last_rows = [
        f"{s.name}: {s.national_share} ({s.month})"
        for s in summaries
        if s.national_share != fmt.MISSING
    ]
    chart = make_chart(
        id="landstal",
        title="Landstal for hver målgruppe over tid",
        caption=f"Andel i hele landet, der fik de krævede samtaler, {span(metrics)}. "
        "Den stiplede streg markerer de nye regler fra januar 2020.",
        summary="Andelen i hele landet, der har fået de krævede samtaler, seneste måned: "
        + "; ".join(last_rows)
        + ".",
        specs=trend_specs(
            [(NATIONAL, metrics.national_records)], list(registry.target_groups), registry, 4
        ),
        spec_path="landstal.vl.json",
        data_links=(Link("data/landstal.csv", "Hent landstallene (CSV)"),),
        table=yearly_table(
            "Andel i hele landet, januar hvert år og seneste måned",
            metrics.national_records,
            registry.target_groups,
            metrics.periods,
        ),
    )
    head = summaries[registry.target_group_ids.index(headline.id)]
    return OverviewPage(
        path="",
        title="Får de ledige og sygemeldte deres samtaler?",
        description="Kommune for kommune og målgruppe for målgruppe: hvor mange borgere på "
        "dagpenge, kontanthjælp og sygedagpenge fik de samtaler med jobcentret, loven kræver.",
        headline_group=headline.name,
        headline_href=group_path(headline),
        month=fmt.month(month),
        since=since(settings, registry, month),
        groups=tuple(summaries),
        rows=rank_rows(latest, registry),
        chart=chart,
        map_chart=map_chart,
        share_image=ShareImage(
            "deling.png",
            share_card_spec(
                "Får de ledige deres samtaler?",
                f"{head.national_share} af {headline.noun} i hele landet",
                f"{fmt.month(month)} · {head.flagged} kommuner markant under",
                [(NATIONAL, metrics.national_records)],
                headline,
                demo,
            ),
        ),
    )
