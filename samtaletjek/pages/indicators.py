"""A page per indicator beside samtaler's target groups (`tilbud/`, `passivitet/`): what it
measures, each of its target groups' latest national figure against the rule in force, the
national trend of every group, and where to go next (the groups, the map, the comparison)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts import theme
from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.registry import Registry, TargetGroup
from . import addresses
from .base import (
    NATIONAL,
    Chart,
    Choice,
    Link,
    Options,
    ShareImage,
    indicator_link,
    span,
    yearly_table,
)
from .figures import legend, share_card, trend_specs
from .provenance import Origin
from .rules import RuleNote, RuleText, judges, rule_texts, rules_in_force
from .spreadsheets import csv_links, workbook_links
from .status import Counts, counts


@dataclass(frozen=True)
class IndicatorGroup:
    """One target group on its indicator's page."""

    name: str
    href: str
    month: str
    national: str  # "72,4 %"
    where: str  # "i hele landet", and whether it is the source's own national figure
    degree: str  # the activation degree beside the share, "" for other indicators
    origin: Origin | None
    line: str  # "lovens krav på 75 %", or "ingen fastsat grænse"
    counts: Counts  # under the rule of the month, and on the list
    downloads: tuple[Link, ...]  # the group's figures: Excel, CSV for Danish Excel, CSV
    rules: tuple[RuleText, ...]


@dataclass(frozen=True)
class IndicatorPage:
    template: ClassVar[str] = "indikator.html"
    path: str
    title: str
    description: str
    question: str
    about: str  # what is measured
    better: str  # "Jo højere, jo bedre." or "Jo lavere, jo bedre."
    groups: tuple[IndicatorGroup, ...]
    chart: Chart
    indicators: tuple[Choice, ...]  # every indicator's page, this one marked
    map_href: str
    compare_href: str
    held_against: tuple[RuleNote, ...]
    share_image: ShareImage
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def indicator_switch(current: str, registries: list[Registry]) -> tuple[Choice, ...]:
    """Links to every indicator's page (samtaler's is the target groups' index)."""
    return tuple(
        Choice(indicator_link(r.indicator).href, r.indicator.short, r.indicator.id == current)
        for r in registries
    )


def _group(g: TargetGroup, metrics: Metrics, origin: Origin | None) -> IndicatorGroup:
    month = metrics.latest.get(g.id)
    row = metrics.national_row(g.id, month)
    rule = g.rule_for(month) if month else None
    judged = judges(rule)
    return IndicatorGroup(
        name=g.name,
        href=addresses.group(g),
        month=fmt.month(month) if month else fmt.MISSING,
        national=fmt.pct(row.share),
        where="i hele landet (STAR's eget landstal)"
        if row.published
        else "i hele landet (vægtet sum af kommunernes tal)",
        degree=fmt.pct(row.activation_degree) if row.activation_degree is not None else "",
        origin=origin,
        line=rule.flag.line if judged else "ingen fastsat grænse",
        counts=counts(row, rule),
        downloads=workbook_links(addresses.group_workbook(g), "alle tal"),
        rules=rule_texts(g),
    )


def indicator_page(
    metrics: Metrics,
    registry: Registry,
    switch: tuple[Choice, ...],
    map_href: str,
    compare_href: str,
    options: Options,
) -> IndicatorPage:
    """The page of the registry's indicator."""
    ind = registry.indicator
    groups = list(registry.target_groups)
    rows = [_group(g, metrics, options.origins.of(ind.id)) for g in groups]
    national = metrics.national_rows
    page = addresses.indicator(ind)
    chart_id = f"indikator-{ind.id}"
    panels, browser = trend_specs(
        chart_id,
        [(NATIONAL, theme.NATIONAL, national)],
        groups,
        metrics.periods,
        addresses.national_figures(page),
    )
    chart = Chart(
        id=chart_id,
        title=f"Landstallet for hver målgruppe: {ind.share_label}",
        caption=f"Andel i hele landet, der {ind.got}, {span(metrics)}, én målgruppe i hvert felt.",
        summary=" ".join(f"{p.name}: {p.national} i {p.month}." for p in rows) or "Ingen tal.",
        static_spec=None,
        panels=panels,
        browser=browser,
        data_links=(
            Link(addresses.indicator_workbook(ind), "Hent alle målgruppers tal (Excel)"),
            *csv_links(addresses.NATIONAL_CSV, "landstallene"),
        ),
        table=yearly_table(
            f"Landstallet, {ind.share_label}, januar hvert år og seneste måned",
            national,
            registry.target_groups,
            metrics.periods,
        ),
        legend=legend([(NATIONAL, theme.NATIONAL)], groups, metrics.periods),
        origin=options.origins.of(ind.id),
    )
    headline = groups[0]
    month = metrics.latest.get(headline.id)
    share = metrics.national_row(headline.id, month).share
    # The card's lines are short enough for 1200 px: the name, the figure, what it counts.
    card = share_card(
        ind.name,
        f"{fmt.pct(share)} af {headline.noun} i hele landet"
        if month and share is not None
        else f"Ingen tal for {headline.noun}",
        f"{fmt.month(month) if month else ''} · {ind.got}",
        [(NATIONAL, theme.NATIONAL, national)],
        headline,
        metrics.periods,
        options.origins.of(ind.id),
    )
    return IndicatorPage(
        shows=(ind.id,),
        path=page,
        title=ind.name,
        description=f"{ind.question} {ind.name} for {len(groups)} målgrupper i alle "
        f"{len(registry.municipalities)} kommuner, måned for måned.",
        question=ind.question,
        about=ind.description,
        better="Jo højere, jo bedre." if ind.higher_is_better else "Jo lavere, jo bedre.",
        groups=tuple(rows),
        chart=chart,
        indicators=switch,
        map_href=map_href,
        compare_href=compare_href,
        held_against=rules_in_force(
            [(g, metrics.latest[g.id]) for g in groups if g.id in metrics.latest]
        ),
        share_image=ShareImage(addresses.share_image(page), card),
    )
