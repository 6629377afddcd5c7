"""Pure: the section for journalists: the comparison page and an embed page for every chart.

`sammenlign/` compares up to five municipalities in one target group. The build draws a default
comparison for each group (an SVG for readers without JavaScript); `assets/compare.js` redraws
chart and tables from `sammenlign/<group>.json` for the choice in the address.

`embed/<slug>/<group>/` is one small page per municipality and target group, made to sit in
an iframe. 784 SVGs would double the build, so these pages carry their figures as a table and
as inline JSON, and `assets/embed.js` draws the chart from one shared template spec.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from . import charts, fmt, pages
from .embeds import COMPARE_PATH, embed_path
from .metrics import Metrics
from .registry import Municipality, Registry, TargetGroup
from .render import Output, spec_json
from .settings import Settings

MAX_CHOSEN = 5
# Okabe–Ito hues, darkened to at least 4.5:1 against white. Each series also has its own dash
# pattern, so colour is never the only signal. The first three are the municipality charts'
# municipality, region and country, so the embed charts use the same compiled spec.
PALETTE = (
    charts.MUNICIPALITY_COLOUR,
    charts.REGION_COLOUR,
    charts.NATIONAL_COLOUR,
    "#007a5a",
    "#a6497e",
)
DASHES = (*charts.DASHES, [8, 3, 2, 3], [12, 3, 2, 3, 2, 3])
EMBED_TEMPLATE = "embed/diagram.vl.json"
# Danish numbers and months for the charts vega-embed draws, carried in the spec itself so the
# page scripts need no locale of their own (vl-convert gets da-DK when it draws the SVG).
LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "time": {
        "dateTime": "%A den %d. %B %Y %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": list(fmt.MONTHS),
        "shortMonths": [m[:3] for m in fmt.MONTHS],
    },
}


# ---- the chart --------------------------------------------------------------------------------


def lines_over_time(
    data: pd.DataFrame | alt.Data,
    colours: list[str],
    dashes: list[list[int]],
    rule_change_ms: int,
    rule_change_label: str,
    interactive: bool = False,
    width: int = 680,
    height: int = 280,
) -> alt.LayerChart:
    """Share over time, one line per series, with the month the rules changed marked.

    `data` columns: `t` (first day of the month, milliseconds since 1970 UTC), `series` (its
    name), `order` (0, 1, … : the legend's order and the index into `colours` and `dashes`),
    `share` (may be missing: the line breaks there, and a figure alone between two gaps is
    a dot) and `persons`. The series come from the
    data, so one compiled spec serves every choice of series. The rule is drawn from the first
    series' row of `rule_change_ms`, so it appears only when the data span that month.
    """
    order = alt.EncodingSortField("order", op="min")
    # A UTC scale formats its labels in UTC by itself; `formatType="utc"` would only make the
    # browser's Vega-Lite warn and drop the format.
    x = alt.X(
        "t:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0),
    )
    y = alt.Y("share:Q", title="Andel (%)", scale=alt.Scale(domain=[0, 100]))
    base = alt.Chart()
    line = base.mark_line(interpolate="linear").encode(
        x=x,
        y=y,
        color=alt.Color("series:N", sort=order, scale=alt.Scale(range=colours)),
        strokeDash=alt.StrokeDash("series:N", sort=order, scale=alt.Scale(range=dashes)),
    )
    marker = base.transform_filter(f"datum.t == {int(rule_change_ms)} && datum.order == 0")
    rule = marker.mark_rule(color=charts.MUTED, strokeDash=[3, 3]).encode(x=x)
    label = marker.mark_text(
        align="left",
        baseline="top",
        dx=3,
        dy=2,
        fontSize=10,
        color=charts.MUTED,
        text=rule_change_label,
    ).encode(x=x, y=alt.value(0))
    # Dots take `fill`, not `color`: a `legend=None` on the shared colour scale would take the
    # colours out of the lines' legend.
    fill = alt.Fill("series:N", sort=order, scale=alt.Scale(range=colours), legend=None)
    # A month with a figure between two without one has no line to be part of: draw a dot.
    # Each series' first figure stays in, unseen, so the layer is never empty (an empty layer
    # makes Vega-Lite warn about an infinite extent).
    alone = (
        base.transform_window(
            before="lag(share)", after="lead(share)", groupby=["series"], sort=[{"field": "t"}]
        )
        .transform_filter("isValid(datum.share)")
        .transform_window(nth="row_number()", groupby=["series"], sort=[{"field": "t"}])
        .transform_calculate(alone="!isValid(datum.before) && !isValid(datum.after)")
        .transform_filter("datum.alone || datum.nth == 1")
        .mark_point(filled=True, size=16)
        .encode(
            x=x, y=y, fill=fill, opacity=alt.condition("datum.alone", alt.value(1), alt.value(0))
        )
    )
    layers: list[alt.Chart] = [line, alone, rule, label]
    if interactive:
        # The month nearest the pointer: its point on every line, and a tooltip. `format=""`
        # on the text field: without a format Vega-Lite reads it off the Voronoi item, not the
        # data ("Område: undefined").
        hover = alt.selection_point(
            on="pointerover", nearest=True, fields=["t"], empty=False, clear="pointerout"
        )
        points = (
            base.mark_point(filled=True, size=45)
            .encode(
                x=x,
                y=y,
                fill=fill,
                opacity=alt.condition(hover, alt.value(1), alt.value(0)),
                tooltip=[
                    alt.Tooltip("series:N", title="Område", format=""),
                    alt.Tooltip("utcyearmonth(t):T", title="Måned", format="%B %Y"),
                    alt.Tooltip("share:Q", title="Andel (%)", format=".1f"),
                    alt.Tooltip("persons:Q", title="Personer", format=",d"),
                ],
            )
            .add_params(hover)
            .transform_filter("isValid(datum.share)")
        )
        layers.append(points)
    return alt.layer(*layers, data=data).properties(width=width, height=height)


@functools.lru_cache(maxsize=8)
def _template(rule_change: str, label: str, interactive: bool) -> str:
    """The chart compiled once, its data a named dataset `lines` to fill in."""
    return pages._compiled(
        lines_over_time(
            alt.NamedData("lines"),
            list(PALETTE),
            list(DASHES),
            pages._ms(rule_change),
            label,
            interactive,
        )
    )


def chart_spec(rows: list[dict], registry: Registry, interactive: bool) -> dict:
    """Return the Vega-Lite spec of `lines_over_time` for `rows`; interactive ones speak Danish."""
    template = _template(registry.rule_change, registry.rule_change_label, interactive)
    spec = pages._fill(template, {"lines": rows})
    if interactive:
        spec.setdefault("config", {})["locale"] = LOCALE
    return spec


def chart_rows(months: tuple[str, ...], series: list[tuple[str, list, list]]) -> list[dict]:
    """Return the rows `lines_over_time` draws from (name, shares, persons) aligned to `months`."""
    return [
        {"t": pages._ms(p), "series": name, "order": o, "share": shares[i], "persons": persons[i]}
        for o, (name, shares, persons) in enumerate(series)
        for i, p in enumerate(months)
    ]


# ---- the figures, aligned to the months -------------------------------------------------------

Aligned = tuple[list, list]  # (shares with one decimal, whole persons), None where missing


def aligned(frame: pd.DataFrame, keys: list[str], months: tuple[str, ...]) -> dict[tuple, Aligned]:
    """Return keys → (shares, persons) over `months`, missing as None (never 0)."""
    if frame.empty:
        return {}
    indexed = frame.set_index([*keys, "period"])
    wide = {
        column: indexed[column].astype("Float64").unstack("period").reindex(columns=list(months))
        for column in ("share", "persons")
    }
    index = wide["share"].index
    shares = wide["share"].to_numpy(dtype="float64", na_value=np.nan).tolist()
    persons = wide["persons"].reindex(index).to_numpy(dtype="float64", na_value=np.nan).tolist()
    # `v != v` holds for NaN only; plain floats from tolist() are much faster than numpy scalars.
    return {
        key if isinstance(key, tuple) else (key,): (
            [None if v != v else round(v, 1) for v in shares[i]],
            [None if v != v else int(v) for v in persons[i]],
        )
        for i, key in enumerate(index)
    }


@dataclass(frozen=True)
class Series:
    """Every series the section shows, aligned to `months`."""

    months: tuple[str, ...]
    municipal: dict[tuple, Aligned]  # (municipality code, target group) → …
    regional: dict[tuple, Aligned]  # (region, target group) → …
    national: dict[tuple, Aligned]  # (target group,) → …
    # (municipality code, target group) → (rank, how many ranked) in the group's latest month
    ranks: dict[tuple, tuple[int, int]]

    def get(self, table: dict[tuple, Aligned], *key: object) -> Aligned:
        empty = [None] * len(self.months)
        return table.get(tuple(key), (empty, empty))


def aligned_series(metrics: Metrics) -> Series:
    """Return every municipal, regional and national series over all months."""
    m = metrics.municipal
    latest = m[m["period"] == m["target_group"].map(metrics.latest)].dropna(subset=["rank"])
    ranks = {
        (int(code), group): (int(rank), int(ranked))
        for code, group, rank, ranked in latest[
            ["municipality_code", "target_group", "rank", "ranked"]
        ].itertuples(index=False)
    }
    return Series(
        metrics.periods,
        aligned(m, ["municipality_code", "target_group"], metrics.periods),
        aligned(metrics.regional, ["region", "target_group"], metrics.periods),
        aligned(metrics.national, ["target_group"], metrics.periods),
        ranks,
    )


def shown_months(months: tuple[str, ...], latest: str) -> list[int]:
    """Indexes of January of each year up to `latest`, and of `latest` itself."""
    shown = [i for i, p in enumerate(months) if p.endswith("-01") and p <= latest]
    if latest in months and months.index(latest) not in shown:
        shown.append(months.index(latest))
    return shown


def _latest(metrics: Metrics, g: TargetGroup) -> str:
    return metrics.latest.get(g.id, metrics.periods[-1])


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
    chart: pages.Chart
    rows: tuple[CompareRow, ...]  # the latest month
    yearly: pages.Table  # January of each year and the latest month
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
        registry.municipalities, key=lambda m: (-(m.population or 0), pages.fmt_key(m.name))
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
    month = _latest(metrics, g)
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
    rows = chart_rows(months, [(m.name, shares, persons) for m, shares, persons in figures])
    chart = pages.Chart(
        id=f"sammenlign-{g.id}",
        title=f"{g.name}: {title}",
        caption=f"{listed}, {explained}",
        summary=f"Andel af {g.noun}, der fik de krævede samtaler: "
        + "; ".join(_trend_phrase(m.name, months, shares, latest) for m, shares, _ in figures)
        + f". Kravene blev ændret i {fmt.month(registry.rule_change)}.",
        static_spec=chart_spec(rows, registry, False),
        interactive_spec=chart_spec(rows, registry, True),
        spec_path=f"{path}diagram.vl.json",
        data_links=(
            pages.Link(f"data/maalgruppe/{g.id}.csv", f"Hent alle tal for {g.noun} (CSV)"),
            pages.Link(f"{COMPARE_PATH}{g.id}.json", "tallene bag sammenligningen (JSON)"),
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
                href=pages.municipality_path(m),
                share=fmt.pct(shares[latest]),
                persons=fmt.number(persons[latest]),
                rank=_rank_text(data.ranks.get((m.code, g.id))),
            )
            for m, shares, persons in figures
        ),
        yearly=pages.Table(
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
            MunicipalityChoice(m.slug, m.name, pages.municipality_path(m), m in chosen)
            for m in sorted(registry.municipalities, key=lambda m: pages.fmt_key(m.name))
        ),
        chosen=",".join(m.slug for m in chosen),
        data_dir=COMPARE_PATH,
        max_chosen=MAX_CHOSEN,
        rule_change_note=pages.rule_change_note(registry),
    )


def compare_data(g: TargetGroup, data: Series, metrics: Metrics, registry: Registry) -> dict:
    """What compare.js loads for one group: the months, and per municipality slug the share
    and persons aligned to them (null where missing) and the rank in the latest month."""
    month = _latest(metrics, g)
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


# ---- the embed pages --------------------------------------------------------------------------


@dataclass(frozen=True)
class EmbedPage:
    path: str
    title: str  # "Dagpengemodtagere i Varde"
    description: str
    name: str
    group: str
    month: str
    figure: str  # the latest share, "62,1 %" or "–"
    sentence: str  # the latest figures in a sentence
    caption: str  # what the chart's lines are
    municipality_href: str
    table: pages.Table
    data_json: str  # the chart's figures for embed.js; "<" is escaped, so it is safe inline
    template: str  # the shared chart spec, relative to the site root


# 784 embed tables format the same few hundred shares again and again.
_pct = functools.lru_cache(maxsize=4096)(fmt.pct)


def _inline_json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed_page(
    m: Municipality, g: TargetGroup, data: Series, metrics: Metrics, registry: Registry
) -> EmbedPage:
    """The page an iframe shows: `m`'s share in `g` against its region and the country."""
    months = data.months
    month = _latest(metrics, g)
    latest = months.index(month)
    lines = [
        (m.name, *data.get(data.municipal, m.code, g.id)),
        (m.region, *data.get(data.regional, m.region, g.id)),
        (pages.NATIONAL, *data.get(data.national, g.id)),
    ]
    share, persons = lines[0][1][latest], lines[0][2][latest]
    if share is not None:
        sentence = (
            f"I {fmt.month(month)} fik {fmt.pct(share)} af {fmt.number(persons)} {g.noun} i "
            f"{m.name} {pages.measure_phrase(g.rule_for(month))}. {m.region}: "
            f"{fmt.pct(lines[1][1][latest])}. Hele landet: {fmt.pct(lines[2][1][latest])}."
        )
    elif persons is not None:
        sentence = (
            f"Tallet for {m.name} i {fmt.month(month)} er diskretioneret (for få personer til at "
            f"blive offentliggjort). Hele landet: {fmt.pct(lines[2][1][latest])}."
        )
    else:
        sentence = f"Ingen tal for {g.noun} i {m.name} i {fmt.month(month)}."
    title = f"{g.name} i {m.name}"
    return EmbedPage(
        path=embed_path(m, g),
        title=title,
        description=f"Andel af {g.noun} i {m.name}, der fik de krævede samtaler: "
        f"{fmt.pct(share)} i {fmt.month(month)}.",
        name=m.name,
        group=g.name,
        month=fmt.month(month),
        figure=fmt.pct(share),
        sentence=sentence,
        caption=f"Andel der fik de krævede samtaler, {fmt.month(months[0])} – "
        f"{fmt.month(months[-1])}. Lodret stiplet streg: nye regler fra "
        f"{fmt.month(registry.rule_change)}.",
        municipality_href=pages.municipality_path(m),
        table=pages.Table(
            caption=f"Andel af {g.noun} med de krævede samtaler, januar hvert år og seneste måned",
            headers=("Måned", m.name, m.region, pages.NATIONAL),
            rows=tuple(
                (fmt.month(months[i]), *(_pct(shares[i]) for _, shares, _ in lines))
                for i in shown_months(months, month)
            ),
        ),
        data_json=_inline_json(
            {
                "months": list(months),
                "series": [
                    {"name": name, "share": shares, "persons": persons}
                    for name, shares, persons in lines
                ],
            }
        ),
        template=EMBED_TEMPLATE,
    )


# ---- the section ------------------------------------------------------------------------------


def section(metrics: Metrics, registry: Registry, settings: Settings) -> pages.SitePart:
    """The comparison pages, the 784 embed pages, and the data and template they load."""
    data = aligned_series(metrics)
    chosen = default_choice(registry)
    compare = [
        compare_page(g, chosen, data, metrics, registry, settings) for g in registry.target_groups
    ]
    embeds = [
        embed_page(m, g, data, metrics, registry)
        for m in registry.municipalities
        for g in registry.target_groups
    ]
    outputs = [
        Output(f"{COMPARE_PATH}{g.id}.json", spec_json(compare_data(g, data, metrics, registry)))
        for g in registry.target_groups
    ]
    # The embed chart's spec without data: embed.js fills in the figures inlined in each page.
    outputs.append(Output(EMBED_TEMPLATE, spec_json(chart_spec([], registry, True))))
    return pages.SitePart(
        pages=(
            *(("sammenlign.html", p) for p in compare),
            *(("embed.html", p) for p in embeds),
        ),
        charts=tuple(p.chart for p in compare),
        outputs=tuple(outputs),
    )
