"""A target group's page: its rules by period, all 98 municipalities ranked, the spread and
the national trend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts import theme
from ..charts.ranking import SMALL, SMALL_COLOUR, ranking_spec
from ..domain import danish as fmt
from ..domain.metrics import Metrics, records
from ..domain.registry import Registry, TargetGroup
from . import addresses
from .base import (
    NATIONAL,
    Browser,
    Chart,
    LegendEntry,
    Link,
    Options,
    Table,
    indicator_link,
    persons_text,
    span,
)
from .figures import legend, trend_specs
from .ranks import RankRow, rank_rows
from .rules import (
    Note,
    Notes,
    RuleNote,
    RuleText,
    break_name,
    crossing_note,
    flag_label,
    limit_label,
    listing,
    measure_phrase,
    rule_texts,
    rules_in_force,
)


@dataclass(frozen=True)
class TargetGroupPage:
    template: ClassVar[str] = "maalgruppe.html"
    path: str
    title: str
    description: str
    name: str
    group_description: str
    month: str
    reference_month: str
    rules: tuple[RuleText, ...]
    breaks: str  # "januar 2020, januar 2024 og juli 2026"
    national_share: str
    flagged: str  # "12 af 98"
    flag_label: str  # "under lovens krav på 75 %": what the flagged count counts
    spread: str  # "Fra 38,2 % til 100,0 %; halvdelen mellem 61,0 % og 82,5 %."
    rows: tuple[RankRow, ...]
    rank_change_mark: str
    ranking_chart: Chart
    trend_chart: Chart
    notes: tuple[Note, ...]
    held_against: tuple[RuleNote, ...]
    parent: Link  # the breadcrumb's middle: the indicator's page
    share_label: str  # "andel der fik et aktivt tilbud inden for 6 måneder"
    judged: bool  # False where no line is set (passivity): nothing is "under the line"


def target_group_page(
    g: TargetGroup, metrics: Metrics, registry: Registry, options: Options
) -> TargetGroupPage:
    """One target group of the registry's indicator: its rules, all 98 municipalities and the
    national trend."""
    ind = registry.indicator
    month = metrics.latest.get(g.id, metrics.periods[-1])
    ref = options.reference_month
    notes = Notes()
    latest = metrics.month_frame(g.id, month)
    nat = metrics.national_row(g.id, month)
    spread_of = metrics.spread(g.id, month)
    if spread_of:
        spread = (
            f"Fra {fmt.pct(spread_of.low)} til {fmt.pct(spread_of.high)}; halvdelen af "
            f"kommunerne ligger mellem {fmt.pct(spread_of.lower_quartile)} og "
            f"{fmt.pct(spread_of.upper_quartile)}."
        )
    else:
        spread = "Ingen tal for måneden."
    ranked = latest.dropna(subset=["share"]).sort_values(["share", "municipality"])
    # The bars' values: a chart's data, as dicts.
    rank_values = records(ranked[["municipality", "share", "persons", "flagged", "small"]])
    rule = g.rule_for(month)
    flag = rule.flag if rule else registry.flag_rules[0]
    judged = flag.kind != "none"
    references = [{"value": float(flag.pct), "label": limit_label(flag)}] if judged else []
    if nat.share is not None:
        references.append({"value": round(nat.share, 1), "label": NATIONAL})
    n_flagged = int(latest["flagged"].sum())
    rows = rank_rows(
        metrics.month_rows(g.id, month),
        metrics.with_figure(g.id, ref),
        g,
        month,
        ref,
        registry,
        notes,
    )
    label = flag_label(g, month)

    def ranking(interactive: bool) -> dict:
        return ranking_spec(
            rank_values,
            references,
            label,
            limit_label(flag),
            interactive,
            lowest_first=not ind.higher_is_better,
        )

    ranking_chart = Chart(
        id=f"rang-{g.key}",
        title=f"Alle kommuner, {fmt.month(month)}",
        caption=f"Andel af {g.noun}, der {ind.got}, i hver kommune."
        + (
            f" Røde søjler: kommuner {flag.label}. Den røde streg er grænsen ({flag.line})."
            if judged
            else " Der er ingen fastsat grænse; den grå streg er landstallet."
        ),
        summary=f"I {fmt.month(month)} {ind.verb} {fmt.pct(nat.share)} af {g.noun} i "
        f"hele landet {measure_phrase(rule)}. {spread}"
        + (f" {n_flagged} kommuner var {flag.label}." if judged else ""),
        static_spec=ranking(False),
        browser=Browser(addresses.ranking_spec(g), ranking(True)),
        data_links=(Link(addresses.group_csv(g), f"Hent alle tal for {g.noun} (CSV)"),),
        table=None,  # the ranking table on the page holds the same figures
        legend=(
            *((LegendEntry(label, theme.FLAG_COLOUR, "", 0, "bar"),) if judged else ()),
            LegendEntry(
                "Øvrige" if judged else "Kommuner", theme.MUNICIPALITY_COLOUR, "", 0, "bar"
            ),
            LegendEntry(SMALL, SMALL_COLOUR, "", 0, "bar"),
            LegendEntry(NATIONAL, theme.NATIONAL_COLOUR, "", 1.5),
            *((LegendEntry(limit_label(flag), theme.FLAG_COLOUR, "4 3", 1.5),) if judged else ()),
        ),
    )
    national = metrics.national_series(g.id)
    first = next((r for r in national if r.share is not None), None)
    crossed = g.breaks_between(first.period, month) if first else ()
    static, browser = trend_specs(
        [(NATIONAL, theme.NATIONAL, national)],
        [g],
        metrics.periods,
        addresses.national_figures(addresses.group(g)),
    )
    trend_chart = Chart(
        id=f"trend-{g.key}",
        title=f"Landstallet for {g.noun} over tid",
        caption=f"Andel af {g.noun} i hele landet, der {ind.got}, {span(metrics)}.",
        summary=(
            f"Landstallet gik fra {fmt.pct(first.share)} i {fmt.month(first.period)} "
            f"til {fmt.pct(nat.share)} i {fmt.month(month)}."
            + (
                f" Kravene blev ændret i {listing([break_name(b) for b in crossed])}."
                if crossed
                else ""
            )
            if first
            else "Ingen tal."
        ),
        static_spec=static,
        browser=browser,
        data_links=(Link(addresses.NATIONAL_CSV, "Hent landstallene (CSV)"),),
        table=Table(
            caption=f"Landstallet for {g.noun}, januar hvert år og seneste måned",
            headers=("Måned", "Andel", "Personer", *(("Under grænsen",) if judged else ())),
            rows=tuple(
                (
                    fmt.month(r.period),
                    fmt.pct(r.share),
                    persons_text(r.persons),
                    *((fmt.number(r.flagged),) if judged else ()),
                )
                for r in national
                if r.period.endswith("-01") or r.period == month
            ),
        ),
        legend=legend([(NATIONAL, theme.NATIONAL)], [g], metrics.periods),
    )
    return TargetGroupPage(
        path=addresses.group(g),
        title=g.name,
        description=f"{g.name}: hvor mange {ind.got}? Alle 98 kommuner, {fmt.month(month)}.",
        name=g.name,
        group_description=g.description,
        month=fmt.month(month),
        reference_month=fmt.month(ref),
        rules=rule_texts(g),
        breaks=listing([break_name(b) for b in g.breaks]),
        national_share=fmt.pct(nat.share),
        flagged=f"{n_flagged} af {spread_of.count if spread_of else 0}",
        flag_label=flag.label,
        spread=spread,
        rows=rows,
        rank_change_mark=notes.mark(crossing_note(g.breaks_between(ref, month))),
        ranking_chart=ranking_chart,
        trend_chart=trend_chart,
        notes=notes.notes(),
        held_against=rules_in_force([(g, month)]),
        parent=indicator_link(ind),
        share_label=ind.share_label,
        judged=judged,
    )
