"""A target group's page: its rules by period, all 98 municipalities ranked, the spread and
the national trend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts.ranking import ranking_spec, threshold_label
from ..domain import danish as fmt
from ..domain.metrics import Metrics, records
from ..domain.registry import Registry, TargetGroup
from ..settings import Settings
from .base import (
    NATIONAL,
    Chart,
    Link,
    Since,
    Table,
    group_path,
    make_chart,
    measure_phrase,
    persons_text,
    since,
    span,
)
from .figures import trend_specs
from .ranks import RankRow, rank_rows


@dataclass(frozen=True)
class RuleText:
    period: str  # "Før 1. januar 2020", "Fra 1. januar 2020"
    requirement: str
    threshold: str
    legal_source: str
    uncertain_note: str


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
    since: Since
    rules: tuple[RuleText, ...]
    national_share: str
    flagged: str
    spread: str  # "Fra 38,2 % til 100,0 %; halvdelen mellem 61,0 % og 82,5 %."
    rows: tuple[RankRow, ...]
    ranking_chart: Chart
    trend_chart: Chart
    later_change_note: str


def _rule_texts(g: TargetGroup) -> tuple[RuleText, ...]:
    out = []
    for r in g.rules:
        if r.valid_from and r.valid_to:
            period = f"Fra {fmt.date(r.valid_from)} til {fmt.date(r.valid_to)}"
        elif r.valid_from:
            period = f"Fra {fmt.date(r.valid_from)}"
        elif r.valid_to:
            period = f"Til og med {fmt.date(r.valid_to)}"
        else:
            period = "Hele perioden"
        out.append(
            RuleText(
                period=period,
                requirement=r.requirement,
                threshold=f"Andelen måles som {measure_phrase(r)}." if r.threshold else "",
                legal_source=r.legal_source,
                uncertain_note=r.uncertain_note if r.uncertain else "",
            )
        )
    return tuple(out)


def target_group_page(
    g: TargetGroup, metrics: Metrics, registry: Registry, settings: Settings
) -> TargetGroupPage:
    """One target group: its rules, all 98 municipalities and the national trend."""
    month = metrics.latest.get(g.id, metrics.periods[-1])
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
    ranked = latest.dropna(subset=["share"]).sort_values(
        ["share", "municipality"], ascending=[False, True]
    )
    rank_values = records(ranked[["municipality", "share", "persons", "flagged"]])
    references = [
        {
            "value": settings.flag_threshold_pct,
            "label": threshold_label(settings.flag_threshold_pct),
        }
    ]
    if nat.get("share") is not None:
        references.append({"value": round(nat["share"], 1), "label": NATIONAL})
    n_flagged = int(latest["flagged"].sum())
    rows = rank_rows(latest, registry)
    ranking_chart = make_chart(
        id=f"rang-{g.id}",
        title=f"Alle kommuner, {fmt.month(month)}",
        caption=f"Andel af {g.noun}, der fik de krævede samtaler, i hver kommune. Røde "
        "søjler er kommuner, der er markant under.",
        summary=f"I {fmt.month(month)} fik {fmt.pct(nat.get('share'))} af {g.noun} i hele landet "
        f"{measure_phrase(g.rule_for(month))}. {spread} {n_flagged} kommuner var markant under.",
        specs=lambda interactive: ranking_spec(
            rank_values, references, settings.flag_threshold_pct, interactive
        ),
        spec_path=f"{group_path(g)}rang.vl.json",
        data_links=(Link(f"data/maalgruppe/{g.id}.csv", f"Hent alle tal for {g.noun} (CSV)"),),
        table=None,  # the ranking table on the page holds the same figures
    )
    national = metrics.national[metrics.national["target_group"] == g.id]
    first = national.dropna(subset=["share"]).head(1).to_dict("records")
    trend_chart = make_chart(
        id=f"trend-{g.id}",
        title=f"Landstallet for {g.noun} over tid",
        caption=f"Andel i hele landet, {span(metrics)}. Den stiplede streg markerer de nye "
        "regler fra januar 2020.",
        summary=(
            f"Landstallet gik fra {fmt.pct(first[0]['share'])} i {fmt.month(first[0]['period'])} "
            f"til {fmt.pct(nat.get('share'))} i {fmt.month(month)}; kravene blev ændret i "
            f"{fmt.month(registry.rule_change)}."
            if first
            else "Ingen tal."
        ),
        specs=trend_specs([(NATIONAL, records(national))], [g], registry, 1),
        spec_path=f"{group_path(g)}trend.vl.json",
        data_links=(Link("data/landstal.csv", "Hent landstallene (CSV)"),),
        table=Table(
            caption=f"Landstallet for {g.noun}, januar hvert år og seneste måned",
            headers=("Måned", "Andel", "Personer", "Markant under"),
            rows=tuple(
                (
                    fmt.month(r["period"]),
                    fmt.pct(r["share"]),
                    persons_text(r["persons"]),
                    fmt.number(r["flagged"]),
                )
                for r in records(national)
                if r["period"].endswith("-01") or r["period"] == month
            ),
        ),
    )
    return TargetGroupPage(
        path=group_path(g),
        title=g.name,
        description=f"{g.name}: hvor mange fik de samtaler, loven kræver? Alle 98 kommuner, "
        f"{fmt.month(month)}.",
        name=g.name,
        id=g.id,
        group_description=g.description,
        month=fmt.month(month),
        since=since(settings, registry, month),
        rules=_rule_texts(g),
        national_share=fmt.pct(nat.get("share")),
        flagged=f"{n_flagged} af {len(shares)}",
        spread=spread,
        rows=rows,
        ranking_chart=ranking_chart,
        trend_chart=trend_chart,
        later_change_note=registry.later_change_note,
    )
