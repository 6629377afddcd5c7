"""A municipality's page: every target group against its region, similar municipalities and
the country, its trend chart, and what a newsroom needs to reuse the figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..charts import theme
from ..charts.share_card import Card
from ..domain import danish as fmt
from ..domain.metrics import NO_MUNICIPAL, Metrics, MunicipalRow, band_label
from ..domain.registry import Municipality, Registry
from . import addresses
from .base import (
    NATIONAL,
    Chart,
    Link,
    Options,
    ShareImage,
    rank_text,
    span,
    yearly_table,
)
from .cards import GroupFamily, families, group_card
from .context import ContextFact
from .embeds import UseFigures, use_figures
from .figures import Part, legend, share_card, trend_specs
from .rules import (
    RuleNote,
    measure_phrase,
    of_group,
    rules_in_force,
)
from .spreadsheets import workbook_links
from .status import SMALL, line_of, other_verdict, status, verdict


@dataclass(frozen=True)
class PeerRow:
    name: str
    share: str
    band_share: str
    band_rank: str  # "nr. 3 af 36"
    region_share: str
    region_rank: str


@dataclass(frozen=True)
class MunicipalityPage:
    template: ClassVar[str] = "kommune.html"
    path: str
    title: str
    description: str
    name: str
    region: str
    amk_name: str  # "Arbejdsmarkedskontor Syd"
    official_name: str  # "Københavns Kommune"
    population: str
    verdict: tuple[str, ...]  # the page's first sentences: the municipality summed up
    list_href: str  # its row on the list, where any of its figures puts it there; else ""
    feed_href: str
    frikommune_notes: tuple[str, ...]
    families: tuple[GroupFamily, ...]  # each group's cards of every indicator, side by side
    band: str  # "40.000–59.999 indbyggere"
    band_size: int  # municipalities in the band
    peers: tuple[PeerRow, ...]
    chart: Chart
    rules: tuple[RuleNote, ...]
    share_image: ShareImage
    use_figures: UseFigures  # "Brug tallene": embed snippets and the citation (embeds.py)
    context: tuple[ContextFact, ...] = ()  # recipients and unemployment, to weigh the shares by
    shows: tuple[str, ...] = ()  # the indicators whose figures it shows (provenance.py)


def real_figures(
    m: Municipality, others: tuple[tuple[Registry, Metrics], ...], options: Options
) -> tuple[str, ...]:
    """A sentence for each group of an indicator with STAR's real figures and no line (which
    the verdict's sentences, about lines, leave out): "Aktivering (STAR's tal): i juli 2026 var
    42,4 % af kontanthjælpsmodtagerne i Varde i et aktivt tilbud …; hele landet 42,6 %."."""
    said = []
    for view, metrics in others:
        origin = options.origins.of(view.indicator_id)
        if (
            origin is None
            or origin.demo
            or any(line_of(r) for g in view.target_groups for r in g.rules)
        ):
            continue
        ind = view.indicator
        verb, _, what = ind.got.partition(" ")
        own = metrics.latest_of(metrics.rows_of(m.code))
        for g in view.target_groups:
            row = own.get(g.id)
            if row is None or row.share is None:
                continue
            country = metrics.national_row(g.id, row.period)
            own_figure = " (STAR's eget landstal)" if country.published else ""
            said.append(
                f"{ind.name} (STAR's tal): i {fmt.month(row.period)} {verb} {fmt.pct(row.share)} "
                f"af {g.noun} i {m.name} {what}; hele landet {fmt.pct(country.share)}{own_figure}."
            )
    return tuple(said)


def municipality_page(
    m: Municipality,
    metrics: Metrics,
    registry: Registry,
    options: Options,
    others: tuple[tuple[Registry, Metrics], ...] = (),
    context: tuple[ContextFact, ...] = (),
) -> MunicipalityPage:
    """One municipality: every target group against its region and the country, in samtaler
    and in the indicators `others` (each a registry view and its metrics)."""
    own_rows = metrics.rows_of(m.code)
    own = metrics.latest_of(own_rows)

    rows, sentences, peers, judged = [], [], [], []
    band = band_label(m.population, options.peer_bands)
    for g in registry.target_groups:
        card, seen = group_card(
            m, g, metrics, registry, own, options.origins.of(registry.indicator_id)
        )
        rows.append(card)
        judged.append(seen)
        month = seen.month
        r = own.get(g.id, NO_MUNICIPAL)
        share, persons = r.share, r.persons
        rg = metrics.regional_row(m.region, g.id, month)
        peer = metrics.band_row(band, g.id, month)
        peers.append(
            PeerRow(
                name=g.name,
                share=card.share,
                band_share=fmt.pct(peer.share),
                band_rank="Få personer" if card.small else rank_text(r.band_rank, r.band_ranked),
                region_share=fmt.pct(rg.share),
                region_rank="Få personer"
                if card.small
                else rank_text(r.region_rank, r.region_ranked),
            )
        )
        if share is not None and month:
            sentences.append(
                f"I {fmt.month(month)} {registry.indicator.verb} {fmt.pct(share)} "
                f"{of_group(persons, g.noun)} i {m.name} "
                f"{measure_phrase(g.rule_for(month), registry.indicator)}; "
                f"landstallet var {card.national}."
            )

    region_name = m.region
    parts: list[Part] = [
        (m.name, theme.MUNICIPALITY, own_rows),
        (region_name, theme.REGION, metrics.regional_rows.get(m.region, [])),
        (NATIONAL, theme.NATIONAL, metrics.national_rows),
    ]
    groups = list(registry.target_groups)
    page = addresses.municipality(m)
    chart_id = f"trend-{m.slug}"
    panels, browser = trend_specs(chart_id, parts, groups, metrics.periods, addresses.figures(page))
    chart = Chart(
        id=chart_id,
        title=f"Udviklingen i {m.name} for hver målgruppe",
        caption=f"Andel der fik de krævede samtaler i {m.name}, {region_name} og hele landet, "
        f"{span(metrics)}, én målgruppe i hvert felt.",
        summary=" ".join(sentences) or f"Der er ingen tal for {m.name}.",
        static_spec=None,
        panels=panels,
        browser=browser,
        data_links=(
            *workbook_links(addresses.municipality_workbook(m), f"tallene for {m.name}"),
            Link(addresses.excel_csv(addresses.REGIONAL_CSV), "regionerne (CSV til dansk Excel)"),
            Link(addresses.excel_csv(addresses.NATIONAL_CSV), "hele landet (CSV til dansk Excel)"),
        ),
        table=yearly_table(
            f"Andel i {m.name}, januar hvert år og seneste måned",
            parts[0][2],
            registry.target_groups,
            metrics.periods,
        ),
        legend=legend([(name, style) for name, style, _ in parts], groups, metrics.periods),
        origin=options.origins.of(registry.indicator_id),
    )
    latest_persons = sum(r.persons for r in own.values() if r.persons is not None)
    cards_by_group, judged_others = families(m, rows, list(others), options.origins)
    return MunicipalityPage(
        context=context,
        shows=(registry.indicator_id, *(view.indicator_id for view, _ in others)),
        path=page,
        title=m.official_name,
        description=f"Får ledige og sygemeldte i {m.official_name} de samtaler, loven kræver? "
        f"Seneste tal for {fmt.count(latest_persons, 'borger', 'borgere')} i "
        f"{len(registry.target_groups)} målgrupper.",
        name=m.name,
        official_name=m.official_name,
        region=m.region,
        amk_name=m.amk.replace("AMK", "Arbejdsmarkedskontor", 1),
        population=fmt.number(m.population),
        verdict=(
            *verdict(m.name, judged, registry.list_months),
            *filter(None, (other_verdict(m.name, i, seen) for i, seen in judged_others)),
            *real_figures(m, others, options),
        ),
        list_href=addresses.watch_row(m)
        if any(c.list_href for f in cards_by_group for c in f.cards)
        else "",
        feed_href=addresses.municipality_feed(m),
        frikommune_notes=m.notes,
        families=cards_by_group,
        band=band,
        band_size=sum(
            band_label(o.population, options.peer_bands) == band for o in registry.municipalities
        ),
        peers=tuple(peers),
        chart=chart,
        rules=rules_in_force(
            [
                (g, view_metrics.latest[g.id])
                for view, view_metrics in ((registry, metrics), *others)
                for g in view.target_groups
                if g.id in view_metrics.latest
            ]
        ),
        use_figures=use_figures(m, page, registry, options, tuple(view for view, _ in others)),
        share_image=ShareImage(
            addresses.share_image(page),
            _municipality_card(m, own, parts, metrics, registry, options),
        ),
    )


def _municipality_card(
    m: Municipality,
    own: dict[str, MunicipalRow],
    parts: list[Part],
    metrics: Metrics,
    registry: Registry,
    options: Options,
) -> Card:
    g = registry.target_group(options.headline_group)
    month = metrics.latest.get(g.id)
    row = own.get(g.id, NO_MUNICIPAL)
    national = metrics.national_row(g.id, month).share
    if row.share is not None and month:
        phrase = measure_phrase(g.rule_for(month), registry.indicator)
        headline = f"{fmt.pct(row.share)} af {g.noun} {registry.indicator.verb} {phrase}"
    else:
        headline = f"Ingen tal for {g.noun}"
    judged = status(g, month, row, g.rule_for(month) if month else None)
    said = f" · {judged.text}" if judged.short and judged.kind != SMALL else ""
    subline = f"{fmt.month(month) if month else ''}{said} · hele landet {fmt.pct(national)}"
    return share_card(
        m.name,
        headline,
        subline,
        [parts[0], parts[2]],
        g,
        metrics.periods,
        options.origins.of(registry.indicator_id),
    )
