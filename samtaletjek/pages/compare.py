"""The comparison pages: up to five municipalities side by side in one target group.

`sammenlign/` compares them for the headline group, `sammenlign/<group>/` for each other group.
The build draws a default comparison for each group (an SVG for readers without JavaScript);
`assets/compare.js` redraws chart, legend and tables from `sammenlign/<group>.json` for the
choice in the address, lets the reader add municipalities by name and remove them again, and
makes "Hent de viste tal" (CSV and .xlsx, `assets/sheets.js`) from the same figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import ClassVar

import numpy as np

from ..charts import theme
from ..charts.specs import spec_json
from ..charts.theme import CHOSEN
from ..charts.trends import line_rows, lines_spec
from ..domain import danish as fmt
from ..domain.dataset import COLUMN_DOCS
from ..domain.metrics import Metrics
from ..domain.registry import DEFAULT_INDICATOR, Municipality, Registry, TargetGroup
from . import addresses
from .base import (
    NATIONAL,
    Browser,
    Chart,
    Choice,
    LegendEntry,
    Link,
    Options,
    Output,
    SitePart,
    Table,
    line_entry,
)
from .downloads import SOURCE_DOC
from .figures import legend, rule_rows
from .provenance import LICENCE
from .rules import break_name, crossing_note, listing
from .series import Series, latest_month, shown_months
from .spreadsheets import EMPTY_DOC

MAX_CHOSEN = 5
# The static chart is drawn this wide (the plot; axes add about 55 px), so that its SVG fits a
# 360 px phone unscaled and its text stays at the theme's 11 px. compare.js widens it.
STATIC_WIDTH = 268
FEW = "Få personer"


def _rank_text(rank: tuple[int, int] | None, share: float | None, persons, few: int) -> str:
    """ "nr. 3 af 93"; "Få personer" where a figure rests on too few to be ranked; else "–"."""
    if rank:
        return f"nr. {rank[0]} af {rank[1]}"
    if share is not None and persons is not None and persons < few:
        return FEW
    return fmt.MISSING


def chosen_count(n: int, most: int = MAX_CHOSEN) -> str:
    """What the comparison holds: "Ingen kommuner valgt.", "1 kommune valgt (højst 5).",
    "5 kommuner valgt, det højeste antal." (compare.js says the same)."""
    if n == 0:
        return "Ingen kommuner valgt."
    chosen = fmt.count(n, "kommune", "kommuner") + " valgt"
    return f"{chosen}, det højeste antal." if n >= most else f"{chosen} (højst {most})."


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
class Chip:
    """A chosen municipality as the form shows it: a button that removes it, with a short line
    in the style of its line in the chart."""

    slug: str
    name: str
    line: LegendEntry


@dataclass(frozen=True)
class ComparePage:
    template: ClassVar[str] = "sammenlign.html"
    path: str
    title: str
    description: str
    group_id: str
    group_name: str
    month: str  # the group's latest month, "marts 2020"
    intro: str  # what the default comparison shows, and why these municipalities
    # The chart's title in parts, so compare.js can replace the group: "<group name>: <title>".
    chart_title: str
    explained: str  # the chart's caption: "Andel i procent, hver måned fra januar 2017 til …"
    chart: Chart
    rows: tuple[CompareRow, ...]  # the latest month
    yearly: Table  # January of each year and the latest month
    groups: tuple[GroupChoice, ...]
    chips: tuple[Chip, ...]  # the default choice
    count: str  # "5 kommuner valgt, det højeste antal."
    chosen: str  # the default choice as the address writes it: "koebenhavn,aarhus,…"
    setup: str  # JSON for compare.js: every municipality and the line styles (`page_setup`)
    data_dir: str  # where `<group id>.json` lies, relative to the site root
    max_chosen: int
    break_note: str
    indicators: tuple[Choice, ...]  # the same comparison of every indicator with figures
    got: str  # what the share counts: "fik de krævede samtaler"
    higher_is_better: bool = True  # passivity: lower is better, and nr. 1 is the lowest
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def default_choice(registry: Registry) -> list[Municipality]:
    """The five largest municipalities by population: the comparison most readers start from."""
    ordered = sorted(
        registry.municipalities, key=lambda m: (-(m.population or 0), fmt.sort_key(m.name))
    )
    return ordered[:MAX_CHOSEN]


def all_figures(g: TargetGroup) -> Link:
    """The download of every municipality's figures in `g`: its workbook (the page's own
    download of the figures shown is in Danish Excel's formats too)."""
    return Link(addresses.group_workbook(g), f"Hent alle tal for {g.noun} (Excel)")


# The columns of "Hent de viste tal", by the key compare.js fills each from, headed as in the
# site's workbook (COLUMN_DOCS), so every download names a column the same way.
SHOWN_COLUMNS = (
    ("month", COLUMN_DOCS["period"][0]),
    ("municipality", COLUMN_DOCS["municipality"][0]),
    ("group", COLUMN_DOCS["target_group"][0]),
    # a group's name alone does not say what is measured: tilbud has "Dagpengemodtagere" too
    ("indicator", COLUMN_DOCS["indicator"][0]),
    ("persons", COLUMN_DOCS["persons"][0]),
    ("meeting", COLUMN_DOCS["persons_meeting"][0]),
    ("share", COLUMN_DOCS["share_pct"][0]),
    ("source", SOURCE_DOC[0]),
)


def shown_sheet(registry: Registry, options: Options) -> dict:
    """What "Hent de viste tal" holds besides the figures: its columns, the indicator's name,
    the start of its file names and the rows of the sheet "Om tallene" that say where the
    figures come from (demo figures that they are examples) and on what terms."""
    ind = registry.indicator
    origin = options.origins.of(ind.id)
    said = (
        [
            [SOURCE_DOC[0], origin.credit],
            ["Eksempeldata", "Ja – eksempeltal, ikke officielle tal" if origin.demo else "Nej"],
        ]
        if origin
        else []
    )
    return {
        "columns": [list(c) for c in SHOWN_COLUMNS],
        "indicator": ind.name,
        "file": ind.id,
        "about": [
            ["Andel (%)", f"Andelen af målgruppen, der {ind.got}."],
            *said,
            ["Licens", f"{LICENCE.terms} {LICENCE.url}"],
            list(EMPTY_DOC),
        ],
    }


def page_setup(registry: Registry, options: Options) -> dict:
    """What compare.js needs besides a group's figures: every municipality (slug, name, page),
    alphabetically, the line styles of `charts.theme` by id, the chosen municipalities' and
    the country's, each group's download of all its figures and what the download of the
    figures shown holds (`shown_sheet`)."""
    return {
        "municipalities": [
            [m.slug, m.name, options.urls.url(addresses.municipality(m))]
            for m in sorted(registry.municipalities, key=lambda m: fmt.sort_key(m.name))
        ],
        "styles": [asdict(line_entry(s.label, s)) for s in theme.STYLES],
        "chosen": list(CHOSEN),
        "national": {"style": theme.NATIONAL, "name": NATIONAL},
        "few": options.min_persons,
        "max": MAX_CHOSEN,
        "got": registry.indicator.got,
        "downloads": {
            g.id: [options.urls.url(link.href), link.text]
            for g in registry.target_groups
            for link in [all_figures(g)]
        },
        "sheet": shown_sheet(registry, options),
    }


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
    options: Options,
    switch: tuple[Choice, ...] = (),
) -> ComparePage:
    """The comparison of `chosen` in target group `g`, as drawn before any reader picks;
    `switch`: the same comparison of the other indicators."""
    months = data.months
    month = latest_month(metrics, g)
    latest = months.index(month)
    figures = [(m, *data.get(data.municipal, m.code, g.id)) for m in chosen]
    names = [m.name for m in chosen]
    path = addresses.compare(g, options.headline_group)
    listed = listing(names)
    breaks = breaks_text(g, months)
    span = f"{fmt.month(months[0])} – {fmt.month(months[-1])}"
    # The legend above the chart names the lines; the caption says what is measured, when.
    explained = (
        f"Andel i procent, hver måned fra {fmt.month(months[0])} til {fmt.month(months[-1])}."
    )
    ind = registry.indicator
    title = ind.share_label
    national = data.get(data.national, g.id)
    styles = dict(zip((m.slug for m in chosen), CHOSEN, strict=False))
    series = [(m.name, styles[m.slug], shares, persons) for m, shares, persons in figures]
    series.append((NATIONAL, theme.NATIONAL, *national))
    rows = line_rows(months, series)
    marks = rule_rows([g], months)
    static = lines_spec(rows, marks, False)
    static["width"] = STATIC_WIDTH
    phrases = [_trend_phrase(m.name, months, shares, latest) for m, shares, _ in figures]
    phrases.append(_trend_phrase(NATIONAL, months, national[0], latest))
    chart = Chart(
        id=f"sammenlign-{g.key}",
        title=f"{g.name}: {title}",
        caption=f"{listed}, {span}. Hver kommune har sin egen farve og sin egen streg; hele "
        "landet er den tynde grå linje.",
        summary=f"Andel af {g.noun}, der {ind.got}: "
        + "; ".join(phrases)
        + "."
        + (f" Kravene blev ændret i {breaks}." if breaks else ""),
        static_spec=static,
        # compare.js puts the chosen municipalities' rows in: the spec carries none of its own.
        browser=Browser(addresses.compare_spec(path), lines_spec([], marks, True)),
        # compare.js points it at the group chosen; "Hent de viste tal" is made in the browser
        data_links=(all_figures(g),),
        legend=legend([(name, style) for name, style, _, _ in series], [g], months),
        origin=options.origins.of(ind.id),
    )
    shown = shown_months(months, month)
    return ComparePage(
        shows=(ind.id,),
        path=path,
        title=f"Sammenlign kommuner: {g.name.lower()}"
        + ("" if ind.id == DEFAULT_INDICATOR else f" ({ind.short.lower()})")
        if path != addresses.COMPARE
        else "Sammenlign kommuner",
        description=f"Sammenlign op til {MAX_CHOSEN} kommuner: hvor mange {g.noun} {ind.got}? "
        "Diagram og tabel, som kan deles med et link.",
        group_id=g.id,
        group_name=g.name,
        month=fmt.month(month),
        intro=f"Uden JavaScript viser siden de fem største kommuner efter indbyggertal: {listed}"
        " – også når linket til siden nævner andre kommuner. At vælge kommuner kræver "
        "JavaScript. De fem største i de andre målgrupper finder du i listen nederst.",
        chart_title=title,
        explained=explained,
        chart=chart,
        rows=tuple(
            CompareRow(
                name=m.name,
                href=addresses.municipality(m),
                share=fmt.pct(shares[latest]),
                persons=fmt.number(persons[latest]),
                rank=_rank_text(
                    data.ranks.get((m.code, g.id)),
                    shares[latest],
                    persons[latest],
                    options.min_persons,
                ),
            )
            for m, shares, persons in figures
        ),
        yearly=Table(
            caption=f"Andel af {g.noun}, der {ind.got}, januar hvert år og seneste måned",
            headers=("Måned", *names),
            rows=tuple(
                (fmt.month(months[i]), *(fmt.pct(shares[i]) for _, shares, _ in figures))
                for i in shown
            ),
        ),
        groups=tuple(
            GroupChoice(
                o.id, o.name, o.noun, addresses.compare(o, options.headline_group), o.id == g.id
            )
            for o in registry.target_groups
        ),
        chips=tuple(
            Chip(m.slug, m.name, line_entry(m.name, theme.STYLES[styles[m.slug]])) for m in chosen
        ),
        count=chosen_count(len(chosen)),
        chosen=",".join(m.slug for m in chosen),
        setup=json.dumps(page_setup(registry, options), ensure_ascii=False, sort_keys=True),
        data_dir=addresses.compare_data_dir(g),
        indicators=switch,
        got=ind.got,
        higher_is_better=ind.higher_is_better,
        max_chosen=MAX_CHOSEN,
        break_note=crossing_note(g.breaks_between(months[0], months[-1])),
    )


def meeting_counts(metrics: Metrics) -> dict[tuple[int, str], list[int | None]]:
    """(municipality code, group) → the persons the share counts, aligned to every month,
    None where missing (never 0)."""
    m = metrics.municipal
    if m.empty:
        return {}
    wide = (
        m.set_index(["municipality_code", "target_group", "period"])["persons_meeting"]
        .astype("Float64")
        .unstack("period")
        .reindex(columns=list(metrics.periods))
    )
    values = wide.to_numpy(dtype="float64", na_value=np.nan).tolist()
    # `v != v` holds for NaN only
    return {
        (int(code), group): [None if v != v else int(v) for v in values[i]]
        for i, (code, group) in enumerate(wide.index)
    }


def compare_data(
    g: TargetGroup,
    data: Series,
    metrics: Metrics,
    registry: Registry,
    meeting: dict[tuple[int, str], list[int | None]] | None = None,
    source: str = "",
) -> dict:
    """What compare.js loads for one group: the months, and per municipality slug the share,
    persons and persons the share counts (`meeting`) aligned to them (null where missing) and
    the rank in the latest month; `source`: where the figures come from, as the site's
    downloads say it in their `source` column."""
    month = latest_month(metrics, g)
    none = [None] * len(data.months)
    municipalities = {}
    for m in registry.municipalities:
        shares, persons = data.get(data.municipal, m.code, g.id)
        if any(v is not None for v in (*shares, *persons)):
            rank = data.ranks.get((m.code, g.id))
            municipalities[m.slug] = {
                "share": shares,
                "persons": persons,
                "meeting": (meeting or {}).get((m.code, g.id), none),
                "rank": rank[0] if rank else None,
            }
    ranked = sorted(r[1] for (_, group), r in data.ranks.items() if group == g.id)
    return {
        "group": g.id,
        "months": list(data.months),
        "latest": month,
        "ranked": ranked[0] if ranked else None,  # the same for every municipality
        "breaks": breaks_text(g, data.months),
        # the tables' footnote on the breaks (as the page writes it for its own group)
        "break_note": crossing_note(g.breaks_between(data.months[0], data.months[-1]))
        if data.months
        else "",
        "national": dict(zip(("share", "persons"), data.get(data.national, g.id), strict=True)),
        "marks": rule_rows([g], data.months),  # the chart's breaks and threshold
        # the legend's lines for the threshold and the breaks (compare.js adds the series')
        "legend": [asdict(e) for e in legend([], [g], data.months)],
        "municipalities": municipalities,
        "source": source,
    }


def breaks_text(g: TargetGroup, months: tuple[str, ...]) -> str:
    """The group's series breaks within `months`: "januar 2020, januar 2024 og juli 2026"."""
    crossed = g.breaks_between(months[0], months[-1]) if months else ()
    return listing([break_name(b) for b in crossed]) if crossed else ""


def section(
    data: Series,
    metrics: Metrics,
    registry: Registry,
    options: Options,
    switch: Callable[[TargetGroup], tuple[Choice, ...]] = lambda _: (),
) -> SitePart:
    """The comparison pages of the registry's indicator (one per target group, the five
    largest municipalities drawn), the figures `compare.js` loads for any other choice, and
    on each page the `switch` to the same comparison of the other indicators."""
    chosen = default_choice(registry)
    pages = [
        compare_page(g, chosen, data, metrics, registry, options, switch(g))
        for g in registry.target_groups
    ]
    meeting = meeting_counts(metrics)
    origin = options.origins.of(registry.indicator_id)
    source = origin.tag if origin else ""
    outputs = [
        Output(
            addresses.compare_data(g),
            spec_json(compare_data(g, data, metrics, registry, meeting, source)),
        )
        for g in registry.target_groups
    ]
    return SitePart(tuple(pages), tuple(outputs))
