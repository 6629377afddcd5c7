"""A municipality's page: every target group against its region, similar municipalities and
the country, its trend chart, and what a newsroom needs to reuse the figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..domain import danish as fmt
from ..domain.metrics import Metrics, band_label, records
from ..domain.registry import Municipality, Registry
from ..settings import Settings
from .base import (
    NATIONAL,
    Chart,
    Link,
    ShareImage,
    Since,
    group_path,
    make_chart,
    measure_phrase,
    municipality_path,
    persons_text,
    rank_text,
    since,
    span,
    yearly_table,
)
from .embeds import UseFigures, use_figures
from .figures import share_card_spec, trend_specs


@dataclass(frozen=True)
class MunicipalityGroupRow:
    name: str
    href: str
    month: str
    share: str
    persons: str
    national: str
    regional: str
    rank: str  # "nr. 12 af 97"
    change_ref: str
    change_12m: str
    flagged: bool
    small: bool
    missing_reason: str  # why the share is "–", empty when it is there


@dataclass(frozen=True)
class PeerRow:
    name: str
    share: str
    band_share: str
    band_rank: str  # "nr. 3 af 36"
    region_share: str
    region_rank: str
    small: bool


@dataclass(frozen=True)
class MunicipalityPage:
    template: ClassVar[str] = "kommune.html"
    path: str
    title: str
    description: str
    name: str
    slug: str
    region: str
    amk: str
    population: str
    since: Since
    frikommune_notes: tuple[str, ...]
    rows: tuple[MunicipalityGroupRow, ...]
    band: str  # "40.000–59.999 indbyggere"
    band_size: int  # municipalities in the band
    peers: tuple[PeerRow, ...]
    chart: Chart
    share_image: ShareImage
    use_figures: UseFigures  # "Brug tallene": embed snippets and the citation (embeds.py)


def _frikommune_notes(m: Municipality) -> tuple[str, ...]:
    notes = []
    if m.frikommune_i:
        notes.append(
            f"{m.name} var frikommune i Frikommuneforsøg I om beskæftigelse (forlænget til "
            "1. januar 2020) og var delvist fritaget fra reglerne om kontaktforløb. Kommunen "
            "blev derfor ikke holdt op på de samme krav som andre. Det er sandsynligt, men ikke "
            "bekræftet, at det er disse kommuner, STAR markerer med * i opgørelsen fra 2018."
        )
    if m.frikommune_ii_nord:
        notes.append(
            f"{m.name} deltog i Frikommuneforsøg II i det nordjyske beskæftigelsesnetværk "
            "(2017–2021). Om kommunen dermed var fritaget fra samtalekravene, ved vi ikke."
        )
    return tuple(notes)


def municipality_page(
    m: Municipality, metrics: Metrics, registry: Registry, settings: Settings, demo: bool = False
) -> MunicipalityPage:
    """One municipality: every target group against its region and the country."""
    mun = metrics.municipal_by_code.get(m.code, metrics.municipal.iloc[:0])
    own = metrics.latest_rows(mun)
    nat = metrics.national_by_key

    rows, sentences, peers = [], [], []
    band = band_label(m.population, settings.peer_bands)
    for g in registry.target_groups:
        month = metrics.latest.get(g.id)
        r = own.get(g.id, {})
        n = nat.get((g.id, month), {})
        rg = metrics.regional_by_key.get((m.region, g.id, month), {})
        share = r.get("share")
        has_share = fmt.pct(share) != fmt.MISSING
        if not r:
            reason = "Ingen tal for kommunen i denne måned."
        elif not has_share and fmt.number(r.get("persons")) != fmt.MISSING:
            reason = "Tallet er diskretioneret (for få personer til at blive offentliggjort)."
        elif not has_share:
            reason = "Kommunen har ikke indberettet tal for måneden."
        else:
            reason = ""
        rows.append(
            MunicipalityGroupRow(
                name=g.name,
                href=group_path(g),
                month=fmt.month(month) if month else fmt.MISSING,
                share=fmt.pct(share),
                persons=persons_text(r.get("persons")),
                national=fmt.pct(n.get("share")),
                regional=fmt.pct(rg.get("share")),
                rank=f"nr. {fmt.number(r['rank'])} af {fmt.number(r['ranked'])}"
                if has_share
                else fmt.MISSING,
                change_ref=fmt.pp(r.get("change_ref")),
                change_12m=fmt.pp(r.get("change_12m")),
                flagged=bool(r.get("flagged", False)),
                small=bool(r.get("small", False)),
                missing_reason=reason,
            )
        )
        peer = metrics.peers_by_key.get((band, g.id, month), {})
        peers.append(
            PeerRow(
                name=g.name,
                share=fmt.pct(share),
                band_share=fmt.pct(peer.get("share")),
                band_rank=rank_text(r.get("band_rank"), r.get("band_ranked")),
                region_share=fmt.pct(rg.get("share")),
                region_rank=rank_text(r.get("region_rank"), r.get("region_ranked")),
                small=bool(r.get("small", False)),
            )
        )
        if has_share and month:
            sentences.append(
                f"I {fmt.month(month)} fik {fmt.pct(share)} af {persons_text(r.get('persons'))} "
                f"{g.noun} i {m.name} {measure_phrase(g.rule_for(month))}; landstallet var "
                f"{fmt.pct(n.get('share'))}."
            )

    region_name = m.region
    parts = [
        (m.name, records(mun)),
        (region_name, metrics.regional_records.get(m.region, [])),
        (NATIONAL, metrics.national_records),
    ]
    chart = make_chart(
        id=f"trend-{m.slug}",
        title=f"Udviklingen i {m.name} for hver målgruppe",
        caption=f"Andel der fik de krævede samtaler i {m.name} (fuldt optrukket), "
        f"{region_name} (stiplet) og hele landet (prikket), {span(metrics)}.",
        summary=" ".join(sentences) or f"Der er ingen tal for {m.name}.",
        specs=trend_specs(parts, list(registry.target_groups), registry, 2),
        spec_path=f"{municipality_path(m)}trend.vl.json",
        data_links=(
            Link(f"data/kommune/{m.slug}.csv", f"Hent tallene for {m.name} (CSV)"),
            Link("data/regioner.csv", "regionerne (CSV)"),
            Link("data/landstal.csv", "hele landet (CSV)"),
        ),
        table=yearly_table(
            f"Andel i {m.name}, januar hvert år og seneste måned",
            parts[0][1],
            registry.target_groups,
            metrics.periods,
        ),
    )
    month_any = max(metrics.latest.values()) if metrics.latest else settings.reference_month
    latest_persons = sum(int(r["persons"]) for r in own.values() if r["persons"] is not None)
    return MunicipalityPage(
        path=municipality_path(m),
        title=f"{m.name} Kommune",
        description=f"Får ledige og sygemeldte i {m.name} de samtaler, loven kræver? "
        f"Seneste tal for {latest_persons:,} borgere i otte målgrupper.".replace(",", "."),
        name=m.name,
        slug=m.slug,
        region=m.region,
        amk=m.amk,
        population=fmt.number(m.population),
        since=since(settings, registry, month_any),
        frikommune_notes=_frikommune_notes(m),
        rows=tuple(rows),
        band=band,
        band_size=sum(
            band_label(o.population, settings.peer_bands) == band for o in registry.municipalities
        ),
        peers=tuple(peers),
        chart=chart,
        use_figures=use_figures(m, municipality_path(m), registry, settings),
        share_image=ShareImage(
            f"{municipality_path(m)}deling.png",
            _municipality_card(m, own, parts, metrics, registry, settings, demo),
        ),
    )


def _municipality_card(
    m: Municipality,
    own: dict[str, dict],
    parts: list[tuple[str, list[dict]]],
    metrics: Metrics,
    registry: Registry,
    settings: Settings,
    demo: bool,
) -> dict:
    g = registry.target_group(settings.headline_group)
    month = metrics.latest.get(g.id)
    row = own.get(g.id, {})
    national = metrics.national_by_key.get((g.id, month), {}).get("share")
    if row.get("share") is not None and month:
        headline = f"{fmt.pct(row['share'])} af {g.noun} fik {measure_phrase(g.rule_for(month))}"
    else:
        headline = f"Ingen tal for {g.noun}"
    subline = f"{fmt.month(month) if month else ''} · hele landet {fmt.pct(national)}"
    return share_card_spec(m.name, headline, subline, [parts[0], parts[2]], g, demo)
