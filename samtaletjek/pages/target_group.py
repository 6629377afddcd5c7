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
from ..settings import Settings
from .base import (
    NATIONAL,
    Chart,
    LegendEntry,
    Link,
    Table,
    group_csv,
    group_path,
    indicator_link,
    make_chart,
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
    id: str
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
    g: TargetGroup, metrics: Metrics, registry: Registry, settings: Settings
) -> TargetGroupPage:
    """One target group of the registry's indicator: its rules, all 98 municipalities and the
    national trend."""
    ind = registry.indicator
    month = metrics.latest.get(g.id, metrics.periods[-1])
    ref = settings.reference_month
    notes = Notes()
    m = metrics.municipal
    latest = m[(m["target_group"] == g.id) & (m["period"] == month)]
    nat = metrics.national_by_key.get((g.id, month), {})
    shares = latest["share"].dropna().astype(float)
    if len(shares):
        spread = (
            f"Fra {fmt.pct(shares.min())} til {fmt.pct(shares.max())}; halvdelen af kommunerne "
            f"ligger mellem {fmt.pct(shares.quantile(0.25))} og {fmt.pct(shares.quantile(0.75))}."
        )
    else:
        spread = "Ingen tal for måneden."
    ranked = latest.dropna(subset=["share"]).sort_values(["share", "municipality"])
    rank_values = records(ranked[["municipality", "share", "persons", "flagged", "small"]])
    rule = g.rule_for(month)
    flag = rule.flag if rule else registry.flag_rules[0]
    judged = flag.kind != "none"
    references = [{"value": float(flag.pct), "label": limit_label(flag)}] if judged else []
    if nat.get("share") is not None:
        references.append({"value": round(nat["share"], 1), "label": NATIONAL})
    n_flagged = int(latest["flagged"].sum())
    rows = rank_rows(latest, metrics.with_figure(g.id, ref), g, month, ref, registry, notes)
    label = flag_label(g, month)
    ranking_chart = make_chart(
        id=f"rang-{g.key}",
        title=f"Alle kommuner, {fmt.month(month)}",
        caption=f"Andel af {g.noun}, der {ind.got}, i hver kommune."
        + (
            f" Røde søjler: kommuner {flag.label}. Den røde streg er grænsen ({flag.line})."
            if judged
            else " Der er ingen fastsat grænse; den grå streg er landstallet."
        ),
        summary=f"I {fmt.month(month)} {ind.verb} {fmt.pct(nat.get('share'))} af {g.noun} i "
        f"hele landet {measure_phrase(rule)}. {spread}"
        + (f" {n_flagged} kommuner var {flag.label}." if judged else ""),
        specs=lambda interactive: ranking_spec(
            rank_values,
            references,
            label,
            limit_label(flag),
            interactive,
            lowest_first=not ind.higher_is_better,
        ),
        spec_path=f"{group_path(g)}rang.vl.json",
        data_links=(Link(group_csv(g), f"Hent alle tal for {g.noun} (CSV)"),),
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
    national = metrics.national[metrics.national["target_group"] == g.id]
    first = national.dropna(subset=["share"]).head(1).to_dict("records")
    crossed = g.breaks_between(first[0]["period"], month) if first else ()
    specs, shared = trend_specs(
        [(NATIONAL, theme.NATIONAL, records(national))],
        [g],
        metrics.periods,
        f"{group_path(g)}landstal.json",
    )
    trend_chart = make_chart(
        id=f"trend-{g.key}",
        title=f"Landstallet for {g.noun} over tid",
        caption=f"Andel af {g.noun} i hele landet, der {ind.got}, {span(metrics)}.",
        summary=(
            f"Landstallet gik fra {fmt.pct(first[0]['share'])} i {fmt.month(first[0]['period'])} "
            f"til {fmt.pct(nat.get('share'))} i {fmt.month(month)}."
            + (
                f" Kravene blev ændret i {listing([break_name(b) for b in crossed])}."
                if crossed
                else ""
            )
            if first
            else "Ingen tal."
        ),
        specs=specs,
        shared=shared,
        spec_path="",
        data_links=(Link("data/landstal.csv", "Hent landstallene (CSV)"),),
        table=Table(
            caption=f"Landstallet for {g.noun}, januar hvert år og seneste måned",
            headers=("Måned", "Andel", "Personer", *(("Under grænsen",) if judged else ())),
            rows=tuple(
                (
                    fmt.month(r["period"]),
                    fmt.pct(r["share"]),
                    persons_text(r["persons"]),
                    *((fmt.number(r["flagged"]),) if judged else ()),
                )
                for r in records(national)
                if r["period"].endswith("-01") or r["period"] == month
            ),
        ),
        legend=legend([(NATIONAL, theme.NATIONAL)], [g], metrics.periods),
    )
    return TargetGroupPage(
        path=group_path(g),
        title=g.name,
        description=f"{g.name}: hvor mange {ind.got}? Alle 98 kommuner, {fmt.month(month)}.",
        name=g.name,
        id=g.id,
        group_description=g.description,
        month=fmt.month(month),
        reference_month=fmt.month(ref),
        rules=rule_texts(g),
        breaks=listing([break_name(b) for b in g.breaks]),
        national_share=fmt.pct(nat.get("share")),
        flagged=f"{n_flagged} af {len(shares)}",
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
