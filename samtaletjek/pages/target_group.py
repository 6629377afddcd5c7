"""A target group's page: its rules by period, all 98 municipalities ranked, the spread and
the national trend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts import theme
from ..charts.ranking import COUNTRY, WIDTHS, ranking_spec
from ..domain import danish as fmt
from ..domain.metrics import Metrics, MunicipalRow
from ..domain.registry import Registry, TargetGroup
from ..domain.rows import rows as rows_of
from . import addresses
from .base import (
    NATIONAL,
    Browser,
    Chart,
    LegendEntry,
    Link,
    Options,
    Table,
    Variant,
    indicator_link,
    line_entry,
    persons_text,
    span,
)
from .figures import legend, trend_specs
from .ranks import RankChange, RankRow, rank_change, rank_rows
from .rules import (
    RuleNote,
    RuleText,
    break_name,
    capitalised,
    ended_phrase,
    limit_label,
    listing,
    measure_phrase,
    rule_texts,
    rules_in_force,
)
from .spreadsheets import csv_links, workbook_links
from .status import (
    Counts,
    bar_status,
    bar_statuses,
    counts,
    line_of,
    status,
    unruled_words,
)

# A ranking of more municipalities than 2 × SHOWN + FEWEST_LEFT_OUT draws only the first and
# last SHOWN: 98 bars are too many to read on a screen; the table under it has them all.
SHOWN = 15
FEWEST_LEFT_OUT = 5


@dataclass(frozen=True)
class TargetGroupPage:
    template: ClassVar[str] = "maalgruppe.html"
    path: str
    title: str
    description: str
    name: str
    group_description: str
    lineage: str  # which group it carries on, or which carries it on ("" for neither)
    month: str
    rules: tuple[RuleText, ...]
    breaks: str  # "januar 2020, januar 2024 og juli 2026"
    national_share: str
    national_label: str  # "Hele landet", and "(STAR's eget landstal)" where it is the source's
    national_degree: str  # the activation degree beside the share, "" for other indicators
    counts: Counts  # under the rule of the month, and on the list
    line: str  # the line of the month: "lovens krav på 75 %"
    list_months: int  # months in a row under the line that put a municipality on the list
    spread: str  # "Fra 38,2 % til 100,0 %; halvdelen mellem 61,0 % og 82,5 %."
    rows: tuple[RankRow, ...]
    rank_change: RankChange
    ranking_chart: Chart
    trend_chart: Chart
    held_against: tuple[RuleNote, ...]
    parent: Link  # the breadcrumb's middle: the indicator's page
    share_label: str  # "andel der fik et aktivt tilbud inden for 6 måneder"
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def target_group_page(
    g: TargetGroup, metrics: Metrics, registry: Registry, options: Options
) -> TargetGroupPage:
    """One target group of the registry's indicator: its rules, all 98 municipalities and the
    national trend."""
    ind = registry.indicator
    month = metrics.latest.get(g.id, metrics.periods[-1])
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
    rule = g.rule_for(month)
    flag = line_of(rule)
    judged = flag is not None
    references = (
        [{"value": float(flag.pct), "part": theme.LIMIT, "label": limit_label(flag)}]
        if flag
        else []
    )
    if nat.share is not None:
        references.append(
            {
                "value": round(nat.share, 1),
                "part": COUNTRY,
                "label": f"{NATIONAL} {fmt.pct(nat.share)}",
            }
        )
    rows = rank_rows(metrics.month_rows(g.id, month), g, month, registry)
    statuses = bar_statuses(judged, registry.list_months)
    # The bars: a chart's data, with each municipality's status in the legend's words.
    ranked = latest.dropna(subset=["share"])
    rank_values = sorted(
        (
            {
                "municipality": r.municipality,
                "share": r.share,
                "persons": r.persons,
                "status": bar_status(status(g, month, r, rule).kind, statuses),
            }
            for r in rows_of(ranked, MunicipalRow)
        ),
        key=lambda v: (
            -v["share"] if ind.higher_is_better else v["share"],
            fmt.sort_key(v["municipality"]),
        ),
    )
    bars, left_out = _bars(rank_values)
    month_counts = counts(nat, rule)

    def ranking(interactive: bool, screen: str = "narrow") -> dict:
        return ranking_spec(bars, references, statuses, interactive, WIDTHS[screen])

    chart_id = f"rang-{g.key}"
    ranking_chart = Chart(
        id=chart_id,
        title=(
            f"De {SHOWN} højeste og de {SHOWN} laveste andele, {fmt.month(month)}"
            if left_out
            else f"Alle kommuner, {fmt.month(month)}"
        ),
        caption=f"Andel af {g.noun}, der {ind.got}, i hver kommune."
        + (
            f" Diagrammet viser de {SHOWN} kommuner øverst og de {SHOWN} nederst i "
            "rangordenen; resten står i tabellen nedenfor."
            if left_out
            else ""
        )
        + (
            " Søjlens farve er kommunens status; den stiplede streg er "
            f"{flag.line}, den grå landstallet."
            if flag
            else f" {unruled_words(month)}, så tallene vurderes ikke; den grå streg er landstallet."
            if rule is None
            else " Der er ingen fastsat grænse; den grå streg er landstallet."
        ),
        summary=f"I {fmt.month(month)} {ind.verb} {fmt.pct(nat.share)} af {g.noun} i "
        f"hele landet {measure_phrase(rule, ind)}. {spread}"
        + (f" {capitalised(month_counts.sentence)}." if month_counts.judged else ""),
        static_spec=ranking(False),
        variants=tuple(
            Variant(f"{chart_id}-{screen}", screen, ranking(False, screen))
            for screen in ("medium", "wide")
        ),
        browser=Browser(addresses.ranking_spec(g), ranking(True)),
        data_links=workbook_links(addresses.group_workbook(g), f"alle tal for {g.noun}"),
        table=None,  # the ranking table on the page holds the same figures
        legend=(
            *(LegendEntry(words, colour, "", 0, "bar") for words, colour in statuses),
            line_entry(NATIONAL, theme.STYLES[theme.NATIONAL]),
            *((line_entry(limit_label(flag), theme.REFERENCE, "limit"),) if flag else ()),
        ),
        origin=options.origins.of(g.indicator),
    )
    national = metrics.national_series(g.id)
    first = next((r for r in national if r.share is not None), None)
    crossed = g.breaks_between(first.period, month) if first else ()
    parts = [(NATIONAL, theme.NATIONAL, national), *_predecessor(g, registry, metrics)]
    trend_id = f"trend-{g.key}"
    panels, browser = trend_specs(
        trend_id, parts, [g], metrics.periods, addresses.national_figures(addresses.group(g))
    )
    trend_chart = Chart(
        id=trend_id,
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
        static_spec=None,
        panels=panels,
        browser=browser,
        data_links=csv_links(addresses.NATIONAL_CSV, "landstallene"),
        table=Table(
            caption=f"Landstallet for {g.noun}, januar hvert år og seneste måned",
            headers=(
                "Måned",
                "Andel",
                "Personer",
                *(("Under reglen", "På listen") if judged else ()),
            ),
            rows=tuple(
                (
                    fmt.month(r.period),
                    fmt.pct(r.share),
                    persons_text(r.persons),
                    *((fmt.number(r.below), fmt.number(r.on_list)) if judged else ()),
                )
                for r in national
                if r.period.endswith("-01") or r.period == month
            ),
        ),
        legend=legend([(name, style) for name, style, _ in parts], [g], metrics.periods),
        origin=options.origins.of(g.indicator),
    )
    return TargetGroupPage(
        shows=(g.indicator,),
        path=addresses.group(g),
        title=g.name,
        description=f"{g.name}: hvor mange {ind.got}? Alle {len(registry.municipalities)} "
        f"kommuner, {fmt.month(month)}.",
        name=g.name,
        group_description=g.description,
        lineage=lineage(g, registry),
        month=fmt.month(month),
        rules=rule_texts(g),
        breaks=listing([break_name(b) for b in g.breaks]),
        national_share=fmt.pct(nat.share),
        national_label="Hele landet (STAR's eget landstal)" if nat.published else "Hele landet",
        national_degree=fmt.pct(nat.activation_degree) if nat.activation_degree is not None else "",
        counts=month_counts,
        line=flag.line if flag else "",
        list_months=registry.list_months,
        spread=spread,
        rows=rows,
        rank_change=rank_change(g, month),
        ranking_chart=ranking_chart,
        trend_chart=trend_chart,
        held_against=rules_in_force([(g, month)]),
        parent=indicator_link(ind),
        share_label=ind.share_label,
    )


def lineage(g: TargetGroup, registry: Registry) -> str:
    """What the reference data say of a group's life: the group it carries on from its first
    month (a break between two series), or the one that carries it on after its last."""
    said = []
    if g.continues:
        old = registry.predecessor(g)
        name = old.name if old else g.continues
        said.append(
            f"Målgruppen fortsætter {name} fra {fmt.month(g.valid_from)}. Tallene før og efter "
            "er to serier med et databrud imellem, ikke én række."
        )
    successors = registry.successors(g)
    if g.valid_to or successors:
        ended = ended_phrase(g)
        goes_on = listing([f"{n.name} fra {fmt.month(n.valid_from)}" for n in successors])
        tail = f"; den fortsættes af {goes_on}" if goes_on and ended else goes_on
        said.append(f"{ended}{tail}.")
    return " ".join(said)


def _predecessor(g: TargetGroup, registry: Registry, metrics: Metrics) -> list:
    """The national series of the group `g` carries on, as a second line in `g`'s panel that
    ends where `g` begins: two series with the break between them, never joined."""
    old = registry.predecessor(g)
    if old is None:
        return []
    rows = [
        r._replace(target_group=g.id)
        for r in metrics.national_series(old.id)
        if not g.valid_from or r.period < g.valid_from
    ]
    return [(f"{old.name} (før {fmt.month(g.valid_from)})", theme.REGION, rows)] if rows else []


def _bars(values: list[dict]) -> tuple[list[dict], int]:
    """The ranking's bars in their order from the top (`order`): all of them, or with many the
    first and last `SHOWN` and between them a row saying how many more the table has; and
    how many are left out of the chart."""
    left_out = len(values) - 2 * SHOWN
    if left_out < FEWEST_LEFT_OUT:
        return [{**v, "order": k} for k, v in enumerate(values)], 0
    gap = {
        "municipality": "…",
        "share": None,
        "persons": None,
        "status": None,
        "note": f"{left_out} flere i tabellen",
    }
    shown = [*values[:SHOWN], gap, *values[-SHOWN:]]
    return [{**v, "order": k} for k, v in enumerate(shown)], left_out
