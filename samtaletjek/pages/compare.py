"""The comparison pages: up to five municipalities side by side in one target group.

`sammenlign/` compares them for the headline group, `sammenlign/<group>/` for each other group.
The build draws a default comparison for each group (an SVG for readers without JavaScript);
`assets/compare.js` redraws chart and tables from `sammenlign/<group>.json` for the choice in
the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts.specs import spec_json
from ..charts.trends import line_rows, lines_spec
from ..domain import danish as fmt
from ..domain.metrics import Metrics
from ..domain.registry import Municipality, Registry, TargetGroup
from ..settings import Settings
from .base import Chart, Link, Output, SitePart, Table, municipality_path, rule_change_note
from .embeds import COMPARE_PATH
from .series import Series, latest_month, shown_months

MAX_CHOSEN = 5


def _rank_text(rank: tuple[int, int] | None) -> str:
    return f"nr. {rank[0]} af {rank[1]}" if rank else fmt.MISSING


# ---- the comparison page ----------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    name: str
    href: str
    share: str
    persons: str
    rank: str


@dataclass(frozen=True)
class GroupChoice:
    id: str
    name: str
    noun: str
    href: str  # this group's default comparison
    current: bool


@dataclass(frozen=True)
class MunicipalityChoice:
    slug: str
    name: str
    href: str
    chosen: bool


@dataclass(frozen=True)
class ComparePage:
    template: ClassVar[str] = "sammenlign.html"
    path: str
    title: str
    description: str
    group_id: str
    group_name: str
    noun: str
    month: str  # the group's latest month, "marts 2020"
    intro: str  # what the default comparison shows, and why these municipalities
    # The chart's title and caption in parts, so compare.js can replace the choice in them:
    # "<group name>: <title>" and "<listed>, <explained>".
    chart_title: str
    listed: str  # "København, Aarhus og Aalborg"
    explained: str
    rule_change_month: str  # "januar 2020"
    chart: Chart
    rows: tuple[CompareRow, ...]  # the latest month
    yearly: Table  # January of each year and the latest month
    groups: tuple[GroupChoice, ...]
    choices: tuple[MunicipalityChoice, ...]  # all 98, alphabetically
    chosen: str  # the default choice as the address writes it: "koebenhavn,aarhus,…"
    data_dir: str  # where `<group id>.json` lies, relative to the site root
    max_chosen: int
    rule_change_note: str


def compare_path(g: TargetGroup, settings: Settings) -> str:
    """The headline group's comparison is `sammenlign/`; every other group has its own page."""
    return COMPARE_PATH if g.id == settings.headline_group else f"{COMPARE_PATH}{g.id}/"


def default_choice(registry: Registry) -> list[Municipality]:
    """The five largest municipalities by population: the comparison most readers start from."""
    ordered = sorted(
        registry.municipalities, key=lambda m: (-(m.population or 0), fmt.sort_key(m.name))
    )
    return ordered[:MAX_CHOSEN]


def _trend_phrase(name: str, months: tuple[str, ...], shares: list, latest: int) -> str:
    known = [i for i in range(latest + 1) if shares[i] is not None]
    if not known:
        return f"{name}: ingen tal"
    first, last = known[0], known[-1]
    if first == last:
        return f"{name} {fmt.pct(shares[last])} i {fmt.month(months[last])}"
    return (
        f"{name} fra {fmt.pct(shares[first])} i {fmt.month(months[first])} "
        f"til {fmt.pct(shares[last])} i {fmt.month(months[last])}"
    )


def compare_page(
    g: TargetGroup,
    chosen: list[Municipality],
    data: Series,
    metrics: Metrics,
    registry: Registry,
    settings: Settings,
) -> ComparePage:
    """The comparison of `chosen` in target group `g`, as drawn before any reader picks."""
    months = data.months
    month = latest_month(metrics, g)
    latest = months.index(month)
    figures = [(m, *data.get(data.municipal, m.code, g.id)) for m in chosen]
    names = [m.name for m in chosen]
    path = compare_path(g, settings)
    listed = ", ".join(names[:-1]) + f" og {names[-1]}" if len(names) > 1 else names[0]
    explained = (
        f"{fmt.month(months[0])} – {fmt.month(months[-1])}. Hver kommune har sin egen farve og "
        "sin egen streg; den lodrette stiplede streg markerer de nye regler fra "
        f"{fmt.month(registry.rule_change)}."
    )
    title = "andel der fik de krævede samtaler"
    rows = line_rows(months, [(m.name, shares, persons) for m, shares, persons in figures])
    chart = Chart(
        id=f"sammenlign-{g.id}",
        title=f"{g.name}: {title}",
        caption=f"{listed}, {explained}",
        summary=f"Andel af {g.noun}, der fik de krævede samtaler: "
        + "; ".join(_trend_phrase(m.name, months, shares, latest) for m, shares, _ in figures)
        + f". Kravene blev ændret i {fmt.month(registry.rule_change)}.",
        static_spec=lines_spec(rows, registry.rule_change, registry.rule_change_label, False),
        interactive_spec=lines_spec(rows, registry.rule_change, registry.rule_change_label, True),
        spec_path=f"{path}diagram.vl.json",
        data_links=(
            Link(f"data/maalgruppe/{g.id}.csv", f"Hent alle tal for {g.noun} (CSV)"),
            Link(f"{COMPARE_PATH}{g.id}.json", "tallene bag sammenligningen (JSON)"),
        ),
    )
    shown = shown_months(months, month)
    return ComparePage(
        path=path,
        title=f"Sammenlign kommuner: {g.name.lower()}"
        if g.id != settings.headline_group
        else "Sammenlign kommuner",
        description=f"Sammenlign op til fem kommuner: hvor mange {g.noun} fik de samtaler, "
        "loven kræver? Diagram og tabel, som kan deles med et link.",
        group_id=g.id,
        group_name=g.name,
        noun=g.noun,
        month=fmt.month(month),
        intro=f"Uden eget valg viser siden de fem største kommuner efter indbyggertal: {listed}.",
        chart_title=title,
        listed=listed,
        explained=explained,
        rule_change_month=fmt.month(registry.rule_change),
        chart=chart,
        rows=tuple(
            CompareRow(
                name=m.name,
                href=municipality_path(m),
                share=fmt.pct(shares[latest]),
                persons=fmt.number(persons[latest]),
                rank=_rank_text(data.ranks.get((m.code, g.id))),
            )
            for m, shares, persons in figures
        ),
        yearly=Table(
            caption=f"Andel af {g.noun} med de krævede samtaler, januar hvert år og seneste måned",
            headers=("Måned", *names),
            rows=tuple(
                (fmt.month(months[i]), *(fmt.pct(shares[i]) for _, shares, _ in figures))
                for i in shown
            ),
        ),
        groups=tuple(
            GroupChoice(o.id, o.name, o.noun, compare_path(o, settings), o.id == g.id)
            for o in registry.target_groups
        ),
        choices=tuple(
            MunicipalityChoice(m.slug, m.name, municipality_path(m), m in chosen)
            for m in sorted(registry.municipalities, key=lambda m: fmt.sort_key(m.name))
        ),
        chosen=",".join(m.slug for m in chosen),
        data_dir=COMPARE_PATH,
        max_chosen=MAX_CHOSEN,
        rule_change_note=rule_change_note(registry),
    )


def compare_data(g: TargetGroup, data: Series, metrics: Metrics, registry: Registry) -> dict:
    """What compare.js loads for one group: the months, and per municipality slug the share
    and persons aligned to them (null where missing) and the rank in the latest month."""
    month = latest_month(metrics, g)
    municipalities = {}
    for m in registry.municipalities:
        shares, persons = data.get(data.municipal, m.code, g.id)
        if any(v is not None for v in (*shares, *persons)):
            rank = data.ranks.get((m.code, g.id))
            municipalities[m.slug] = {
                "share": shares,
                "persons": persons,
                "rank": rank[0] if rank else None,
            }
    ranked = sorted(r[1] for (_, group), r in data.ranks.items() if group == g.id)
    return {
        "group": g.id,
        "months": list(data.months),
        "latest": month,
        "ranked": ranked[0] if ranked else None,  # the same for every municipality
        "municipalities": municipalities,
    }


def section(data: Series, metrics: Metrics, registry: Registry, settings: Settings) -> SitePart:
    """The comparison pages (one per target group, the five largest municipalities drawn) and
    the figures `compare.js` loads for any other choice."""
    chosen = default_choice(registry)
    pages = [
        compare_page(g, chosen, data, metrics, registry, settings) for g in registry.target_groups
    ]
    outputs = [
        Output(f"{COMPARE_PATH}{g.id}.json", spec_json(compare_data(g, data, metrics, registry)))
        for g in registry.target_groups
    ]
    return SitePart(tuple(pages), tuple(p.chart for p in pages), tuple(outputs))
