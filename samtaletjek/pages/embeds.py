"""The embed pages and what a municipality page offers for reuse: an iframe snippet per chart
and a citation.

`embed/<slug>/<group>/` is one small page per municipality and target group, made to sit in
an iframe. 784 SVGs would double the build, so these pages carry their figures as a table and
as inline JSON, and `assets/embed.js` draws the chart from one shared template spec.
"""

from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass
from typing import ClassVar

from ..charts import theme
from ..charts.specs import spec_json
from ..charts.trends import lines_spec
from ..domain import danish as fmt
from ..domain.metrics import NO_MUNICIPAL, Metrics, MunicipalRow
from ..domain.registry import DEFAULT_INDICATOR, Municipality, Registry, TargetGroup
from . import addresses
from .base import NATIONAL, LegendEntry, Options, Output, SitePart, Table
from .figures import legend, rule_rows
from .rules import measure_phrase, of_group
from .series import Series, latest_month, shown_months
from .status import Status, status

# Tall enough for the figure, the legend, the chart and the source line at 320 px wide without
# a scroll bar; wider, embed.js gives the chart the height the text leaves (no band of white).
EMBED_HEIGHT = 760


@dataclass(frozen=True)
class EmbedSnippet:
    group: str  # "Dagpengemodtagere"
    id: str  # HTML id of the snippet's text field
    href: str  # the embed page, relative to the site root (a preview link)
    code: str  # the <iframe> element to copy


@dataclass(frozen=True)
class UseFigures:
    """The "Brug tallene" section of a municipality page."""

    url: str  # the page's address as cited: absolute when site_url is set, else from base_url
    snippets: tuple[EmbedSnippet, ...]
    compare_href: str  # the comparison page with this municipality chosen


def iframe_code(src: str, title: str) -> str:
    """Return the iframe element a newsroom pastes into its article."""
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="100%" '
        f'height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>'
    )


def use_figures(
    m: Municipality,
    page_path: str,
    registry: Registry,
    options: Options,
    others: tuple[Registry, ...] = (),
) -> UseFigures:
    """Return the embed snippets (one per target group of samtaler and of the indicators
    `others`) and the address to cite for `m`'s page at `page_path`."""
    snippets = tuple(
        EmbedSnippet(
            group=_embed_name(g, view),
            id=f"indlejr-{g.key}",
            href=addresses.embed(m, g),
            code=iframe_code(
                options.urls.absolute(addresses.embed(m, g)),
                f"{_embed_name(g, view)} i {m.name} – {options.title}",
            ),
        )
        for view in (registry, *others)
        for g in view.target_groups
    )
    return UseFigures(options.urls.absolute(page_path), snippets, addresses.compare_with(m))


@dataclass(frozen=True)
class EmbedPage:
    template: ClassVar[str] = "embed.html"
    path: str
    title: str  # "Dagpengemodtagere i Varde"
    description: str
    name: str
    month: str
    figure: str  # the latest share, "62,1 %" or "–"
    sentence: str  # the latest figures in a sentence
    status: Status  # the latest month against its rule, as every page says it
    caption: str  # what the chart's lines are
    municipality_href: str
    table: Table
    data_json: str  # the chart's figures for embed.js; "<" is escaped, so it is safe inline
    chart_template: str  # the shared chart spec, relative to the site root
    legend: tuple[LegendEntry, ...] = ()  # what each line of the chart is
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def _embed_name(g: TargetGroup, registry: Registry) -> str:
    """ "Dagpengemodtagere", "Dagpengemodtagere: tilbud inden for 6 måneder" """
    if g.indicator == DEFAULT_INDICATOR:
        return g.name
    return f"{g.name}: {registry.indicator.name[:1].lower()}{registry.indicator.name[1:]}"


# 784 embed tables format the same few hundred shares again and again.
_pct = functools.lru_cache(maxsize=4096)(fmt.pct)


def _inline_json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed_page(
    m: Municipality,
    g: TargetGroup,
    data: Series,
    metrics: Metrics,
    registry: Registry,
    row: MunicipalRow = NO_MUNICIPAL,
) -> EmbedPage:
    """The page an iframe shows: `m`'s share in `g` against its region and the country, and
    its status in the latest month (`row`: its metrics row then)."""
    ind = registry.indicator
    months = data.months
    month = latest_month(metrics, g)
    latest = months.index(month)
    lines = [
        (m.name, *data.get(data.municipal, m.code, g.id)),
        (m.region, *data.get(data.regional, m.region, g.id)),
        (NATIONAL, *data.get(data.national, g.id)),
    ]
    styles = (theme.MUNICIPALITY, theme.REGION, theme.NATIONAL)
    share, persons = lines[0][1][latest], lines[0][2][latest]
    if share is not None:
        sentence = (
            f"I {fmt.month(month)} {ind.verb} {fmt.pct(share)} {of_group(persons, g.noun)} i "
            f"{m.name} {measure_phrase(g.rule_for(month), ind)}. {m.region}: "
            f"{fmt.pct(lines[1][1][latest])}. Hele landet: {fmt.pct(lines[2][1][latest])}."
        )
    elif persons is not None:
        sentence = (
            f"Tallet for {m.name} i {fmt.month(month)} er skjult af STAR, fordi der er for få "
            f"personer til at offentliggøre det. Hele landet: {fmt.pct(lines[2][1][latest])}."
        )
    else:
        sentence = f"Ingen tal for {g.noun} i {m.name} i {fmt.month(month)}."
    title = f"{_embed_name(g, registry)} i {m.name}"
    judged = status(g, month, row, g.rule_for(month))
    return EmbedPage(
        shows=(ind.id,),
        path=addresses.embed(m, g),
        title=title,
        description=f"Andel af {g.noun} i {m.name}, der {ind.got}: "
        f"{fmt.pct(share)} i {fmt.month(month)}.",
        name=m.name,
        month=fmt.month(month),
        figure=fmt.pct(share),
        sentence=sentence,
        status=judged,
        caption=f"Andel der {ind.got}, {fmt.month(months[0])} – {fmt.month(months[-1])}.",
        municipality_href=addresses.municipality(m),
        table=Table(
            caption=f"Andel af {g.noun}, der {ind.got}, januar hvert år og seneste måned",
            headers=("Måned", m.name, m.region, NATIONAL),
            rows=tuple(
                (fmt.month(months[i]), *(_pct(shares[i]) for _, shares, _ in lines))
                for i in shown_months(months, month)
            ),
        ),
        data_json=_inline_json(
            {
                # the first month: the arrays run from it, a month a step (embed.js)
                "start": months[0],
                "series": [
                    {"name": name, "style": style, "share": shares, "persons": persons}
                    for (name, shares, persons), style in zip(lines, styles, strict=True)
                ],
            }
        ),
        chart_template=addresses.embed_spec(g),
        legend=legend(
            [(name, style) for (name, _, _), style in zip(lines, styles, strict=True)], [g], months
        ),
    )


def section(data: Series, metrics: Metrics, registry: Registry) -> SitePart:
    """The embed pages of the registry's indicator (98 per target group) and the chart spec
    each group's pages share."""
    latest = {
        (r.municipality_code, g.id): r
        for g in registry.target_groups
        for r in metrics.month_rows(g.id, latest_month(metrics, g))
    }
    pages = [
        embed_page(m, g, data, metrics, registry, latest.get((m.code, g.id), NO_MUNICIPAL))
        for m in registry.municipalities
        for g in registry.target_groups
    ]
    # Each group's chart spec with its breaks and threshold but without figures: embed.js fills
    # in the figures inlined in each page.
    templates = [
        Output(
            addresses.embed_spec(g), spec_json(lines_spec([], rule_rows([g], data.months), True))
        )
        for g in registry.target_groups
    ]
    return SitePart(tuple(pages), tuple(templates))
