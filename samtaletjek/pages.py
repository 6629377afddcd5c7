"""Pure: metrics + registry → one frozen context per page, with its charts as Altair specs.

Templates receive only what is here: strings already formatted in Danish, numbers already
rounded, links already resolved. No pandas and no arithmetic reach Jinja.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from . import charts, fmt
from .embeds import UseFigures, use_figures
from .metrics import Metrics, band_label, records, shift_period
from .registry import Municipality, Registry, Rule, TargetGroup
from .releases import Release
from .settings import Settings
from .sources.canonical import COLUMN_DOCS, Manifest

NATIONAL = "Hele landet"


# ---- contexts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class Table:
    """A data table behind a chart, so no figure is shown only as a picture."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A chart: rendered to inline SVG at build time, upgraded by vega-embed in the browser."""

    id: str
    title: str
    caption: str  # what the chart shows, in a line, visible under the title
    summary: str  # factual sentences generated from the data: the SVG's text alternative
    static_spec: dict = field(repr=False, compare=False)
    interactive_spec: dict = field(repr=False, compare=False)
    spec_path: str  # where the interactive spec is written, relative to the site root
    data_links: tuple[Link, ...]  # "Hent data": the CSV files behind the chart
    table: Table | None = None


@dataclass(frozen=True)
class Site:
    """What every page shows: navigation, source, demo banner."""

    title: str
    base_url: str
    site_url: str
    demo: bool
    source: str
    release_date: str  # "2. november 2026"
    latest_month: str  # "oktober 2026"
    nav: tuple[Link, ...]
    municipalities: tuple[Link, ...]  # for the search field on every page: slug path, name
    flag_rule: str  # the "markant under" rule in one Danish sentence
    min_persons: int


@dataclass(frozen=True)
class GroupSummary:
    name: str
    href: str
    month: str
    national_share: str
    change_ref: str
    flagged: str  # "41 af 98"
    rule_text: str


@dataclass(frozen=True)
class RankRow:
    rank: str
    rank_sort: str
    name: str
    href: str
    share: str
    share_sort: str  # machine-readable value for client-side sorting ("" when missing)
    persons: str
    persons_sort: str
    change_ref: str
    change_ref_sort: str
    flagged: bool
    small: bool
    frikommune: bool


@dataclass(frozen=True)
class OverviewPage:
    path: str
    title: str
    description: str
    headline_group: str
    headline_href: str
    month: str
    reference_month: str
    crosses_rule_change: bool
    groups: tuple[GroupSummary, ...]
    rows: tuple[RankRow, ...]
    chart: Chart
    rule_change_note: str
    og_image: str
    map_chart: Chart | None
    og_spec: dict = field(repr=False, compare=False)


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
    path: str
    title: str
    description: str
    name: str
    slug: str
    region: str
    amk: str
    population: str
    reference_month: str
    crosses_rule_change: bool
    frikommune_notes: tuple[str, ...]
    rows: tuple[MunicipalityGroupRow, ...]
    band: str  # "40.000–59.999 indbyggere"
    band_size: int  # municipalities in the band
    peers: tuple[PeerRow, ...]
    chart: Chart
    og_image: str  # the share image's path in the site
    og_spec: dict = field(repr=False, compare=False)
    rule_change_note: str
    use_figures: UseFigures  # "Brug tallene": embed snippets and the citation (embeds.py)


@dataclass(frozen=True)
class RuleText:
    period: str  # "Før 1. januar 2020", "Fra 1. januar 2020"
    requirement: str
    threshold: str
    legal_source: str
    uncertain_note: str


@dataclass(frozen=True)
class TargetGroupPage:
    path: str
    title: str
    description: str
    name: str
    id: str
    group_description: str
    month: str
    reference_month: str
    crosses_rule_change: bool
    rules: tuple[RuleText, ...]
    national_share: str
    flagged: str
    spread: str  # "Fra 38,2 % til 100,0 %; halvdelen mellem 61,0 % og 82,5 %."
    rows: tuple[RankRow, ...]
    ranking_chart: Chart
    trend_chart: Chart
    rule_change_note: str
    later_change_note: str


@dataclass(frozen=True)
class SitePart:
    """A section of the site built by its own module (map, comparison, embeds): its pages as
    (template, context) pairs, the charts to render to SVG, and any further files."""

    pages: tuple[tuple[str, object], ...] = ()
    charts: tuple[Chart, ...] = ()
    outputs: tuple = ()  # render.Output instances: data files the section's pages load


# ---- helpers ----------------------------------------------------------------------------------


def municipality_path(m: Municipality) -> str:
    return f"kommune/{m.slug}/"


def group_path(g: TargetGroup) -> str:
    return f"maalgruppe/{g.id}/"


def _sort_value(value: object) -> str:
    return "" if fmt.number(value, 1) == fmt.MISSING else f"{float(value):.1f}"


def _persons(value: object) -> str:
    return fmt.number(value, 0)


def measure_phrase(rule: Rule | None) -> str:
    """What the share counts, for sentences: "mindst 6 samtaler" or "det krævede antal samtaler"."""
    if rule is not None and rule.threshold:
        return f"mindst {rule.threshold} samtaler"
    return "det krævede antal samtaler"


def flag_rule_text(settings: Settings) -> str:
    threshold = fmt.number(settings.flag_threshold_pct, 0)
    return (
        f"En kommune er markant under, når andelen har ligget under {threshold} % i mindst "
        f"{settings.flag_months} måneder i træk. Kun måneder med mindst {settings.min_persons} "
        "personer tæller. Det er STAR's egen opfølgningsregel for den tidlige indsats fra 2020."
    )


def _yearly_table(
    caption: str, rows: list[dict], groups: tuple[TargetGroup, ...], periods: tuple[str, ...]
) -> Table:
    """A table of the share in January of each year and the latest month, one column per group."""
    share = {(r["target_group"], r["period"]): r["share"] for r in rows}
    shown = [p for p in periods if p.endswith("-01")]
    if periods and periods[-1] not in shown:
        shown.append(periods[-1])
    return Table(
        caption=caption,
        headers=("Måned", *(g.short for g in groups)),
        rows=tuple((fmt.month(p), *(fmt.pct(share.get((g.id, p))) for g in groups)) for p in shown),
    )


def _rank_text(rank: object, ranked: object) -> str:
    if rank is None or ranked is None:
        return fmt.MISSING
    return f"nr. {fmt.number(rank)} af {fmt.number(ranked)}"


def _span(metrics: Metrics) -> str:
    return f"{fmt.month(metrics.periods[0])} – {fmt.month(metrics.periods[-1])}"


def crosses(reference_month: str, month: str, rule_change: str) -> bool:
    return reference_month < rule_change <= month


def rule_change_note(registry: Registry) -> str:
    return (
        f"Kravene blev ændret fra {fmt.month(registry.rule_change)}. Tal før og efter "
        "kan ikke sammenlignes direkte: det er et databrud, ikke nødvendigvis en forbedring "
        "eller forværring."
    )


def _trend_values(parts: list[tuple[str, list[dict]]], group_names: dict[str, str]) -> list[dict]:
    """Return the rows `charts.trend_panels` draws: t (ms, UTC), panel, series, share, persons."""
    return [
        {
            "t": _ms(r["period"]),
            "panel": group_names[r["target_group"]],
            "series": series,
            "share": None if r["share"] is None else round(r["share"], 1),
            "persons": r["persons"],
        }
        for series, rows in parts
        for r in rows
        if r["target_group"] in group_names
    ]


@functools.lru_cache(maxsize=4096)
def _ms(period: str) -> int:
    """Milliseconds since 1970 (UTC) at the start of the month `period`."""
    return int(pd.Timestamp(period + "-01", tz="UTC").value // 1_000_000)


def _compiled(chart: alt.TopLevelMixin) -> str:
    return json.dumps(chart.to_dict(), ensure_ascii=False, sort_keys=True)


# Altair builds and validates a spec once per chart shape, not once per page: the shapes are
# compiled with placeholder names and named datasets, and each page fills in its own. That is
# what keeps a build of 98 municipality pages fast.
@functools.lru_cache(maxsize=32)
def _trend_template(
    n_series: int,
    panels: tuple[str, ...],
    rule_change: str,
    label: str,
    columns: int,
    interactive: bool,
) -> str:
    names = [f"__series{i}__" for i in range(n_series)]
    return _compiled(
        charts.trend_panels(
            alt.NamedData("trend"),
            names,
            list(panels),
            _ms(rule_change),
            label,
            columns,
            interactive,
        )
    )


@functools.lru_cache(maxsize=8)
def _ranking_template(threshold_pct: float, interactive: bool) -> str:
    return _compiled(
        charts.ranking(
            alt.NamedData("ranking"), alt.NamedData("references"), threshold_pct, interactive
        )
    )


def _fill(
    template: str,
    datasets: dict[str, list[dict]],
    names: list[str] = (),
    texts: dict[str, str] | None = None,
) -> dict:
    """Return a compiled spec with its placeholders and named datasets filled in.

    `names` replace `__series0__`, `__series1__`, … (also inside expressions, so they may not
    contain quotes); `texts` replace `__<key>__` placeholders that stand alone as strings.
    """
    for i, name in enumerate(names):
        if '"' in name or "\\" in name:
            raise ValueError(f"series name {name!r} cannot be placed in a chart expression")
        template = template.replace(f"__series{i}__", name)
    for placeholder, text in (texts or {}).items():
        template = template.replace(f'"__{placeholder}__"', json.dumps(text, ensure_ascii=False))
    spec = json.loads(template)
    spec["datasets"] = datasets
    return spec


@functools.lru_cache(maxsize=4)
def _card_template(n_series: int) -> str:
    names = [f"__series{i}__" for i in range(n_series)]
    return _compiled(
        charts.share_card(
            alt.NamedData("trend"), names, "__title__", "__headline__", "__subline__", "__footer__"
        )
    )


def share_card_spec(
    title: str,
    headline: str,
    subline: str,
    parts: list[tuple[str, list[dict]]],
    group: TargetGroup,
    demo: bool,
) -> dict:
    """The Open Graph image of a page: its headline figure and the trend for one group."""
    values = [
        {"t": v["t"], "series": v["series"], "share": v["share"]}
        for v in _trend_values(parts, {group.id: group.short})
    ]
    footer = "Samtaletjek" + (" · Eksempeldata – ikke officielle tal" if demo else "")
    texts = {"title": title, "headline": headline, "subline": subline, "footer": footer}
    return _fill(_card_template(len(parts)), {"trend": values}, [s for s, _ in parts], texts)


def _trend_specs(
    parts: list[tuple[str, list[dict]]],
    groups: list[TargetGroup],
    registry: Registry,
    columns: int,
):  # noqa: ANN202 - returns the `specs` callable `_chart` takes
    """Return interactive → the Vega-Lite spec of `charts.trend_panels` for these series.

    Both variants share one list of data rows: with 98 municipality pages that is the
    difference between holding the data once and twice.
    """
    values = _trend_values(parts, {g.id: g.short for g in groups})
    names = [series for series, _ in parts]
    shorts = tuple(g.short for g in groups)

    def spec(interactive: bool) -> dict:
        template = _trend_template(
            len(parts),
            shorts,
            registry.rule_change,
            registry.rule_change_label,
            columns,
            interactive,
        )
        return _fill(template, {"trend": values}, names)

    return spec


def _chart(
    id: str,
    title: str,
    caption: str,
    summary: str,
    specs,  # noqa: ANN001 - callable(interactive: bool) -> Vega-Lite dict
    spec_path: str,
    data_links: tuple[Link, ...],
    table: Table | None,
) -> Chart:
    return Chart(
        id=id,
        title=title,
        caption=caption,
        summary=summary,
        static_spec=specs(False),
        interactive_spec=specs(True),
        spec_path=spec_path,
        data_links=data_links,
        table=table,
    )


# ---- page builders ----------------------------------------------------------------------------


def site_context(
    settings: Settings,
    manifest: Manifest,
    metrics: Metrics,
    registry: Registry,
    nav: tuple[Link, ...],
) -> Site:
    return Site(
        title=settings.title,
        base_url=settings.base_url,
        site_url=settings.site_url,
        demo=manifest.demo,
        source=manifest.source,
        release_date=fmt.date(manifest.release_date),
        latest_month=fmt.month(metrics.periods[-1]) if metrics.periods else fmt.MISSING,
        nav=nav,
        municipalities=tuple(
            Link(municipality_path(m), m.name)
            for m in sorted(registry.municipalities, key=lambda m: fmt_key(m.name))
        ),
        flag_rule=flag_rule_text(settings),
        min_persons=settings.min_persons,
    )


def _rank_rows(latest: pd.DataFrame, registry: Registry) -> tuple[RankRow, ...]:
    """One row per municipality, ranked first; municipalities without a figure last, with "–"."""
    by_code = {r["municipality_code"]: r for r in records(latest)}
    empty: dict = {}
    rows = []
    for m in registry.municipalities:
        r = by_code.get(m.code, empty)
        rows.append(
            RankRow(
                rank=fmt.number(r.get("rank")),
                rank_sort=_sort_value(r.get("rank")),
                name=m.name,
                href=municipality_path(m),
                share=fmt.pct(r.get("share")),
                share_sort=_sort_value(r.get("share")),
                persons=_persons(r.get("persons")),
                persons_sort=_sort_value(r.get("persons")),
                change_ref=fmt.pp(r.get("change_ref")),
                change_ref_sort=_sort_value(r.get("change_ref")),
                flagged=bool(r.get("flagged")),
                small=bool(r.get("small")),
                frikommune=m.frikommune_i,
            )
        )
    rows.sort(
        key=lambda row: (row.rank == fmt.MISSING, float(row.rank_sort or 0), fmt_key(row.name))
    )
    return tuple(rows)


def overview_page(
    metrics: Metrics,
    registry: Registry,
    settings: Settings,
    demo: bool = False,
    map_chart: Chart | None = None,
) -> OverviewPage:
    """The national overview: every target group at a glance and the headline group's ranking."""
    national = metrics.national_by_key
    summaries = []
    for g in registry.target_groups:
        month = metrics.latest.get(g.id)
        row = national.get((g.id, month), {})
        summaries.append(
            GroupSummary(
                name=g.name,
                href=group_path(g),
                month=fmt.month(month) if month else fmt.MISSING,
                national_share=fmt.pct(row.get("share")),
                change_ref=fmt.pp(row.get("change_ref")),
                flagged=f"{fmt.number(row.get('flagged'))} af {fmt.number(row.get('reporting'))}"
                if row
                else fmt.MISSING,
                rule_text=measure_phrase(g.rule_for(month)) if month else "",
            )
        )

    headline = registry.target_group(settings.headline_group)
    month = metrics.latest.get(headline.id, metrics.periods[-1])
    m = metrics.municipal
    latest = m[(m["target_group"] == headline.id) & (m["period"] == month)]

    last_rows = [
        f"{s.name}: {s.national_share} ({s.month})"
        for s in summaries
        if s.national_share != fmt.MISSING
    ]
    chart = _chart(
        id="landstal",
        title="Landstal for hver målgruppe over tid",
        caption=f"Andel i hele landet, der fik de krævede samtaler, {_span(metrics)}. "
        "Den stiplede streg markerer de nye regler fra januar 2020.",
        summary="Andelen i hele landet, der har fået de krævede samtaler, seneste måned: "
        + "; ".join(last_rows)
        + ".",
        specs=_trend_specs(
            [(NATIONAL, metrics.national_records)], list(registry.target_groups), registry, 4
        ),
        spec_path="landstal.vl.json",
        data_links=(Link("data/landstal.csv", "Hent landstallene (CSV)"),),
        table=_yearly_table(
            "Andel i hele landet, januar hvert år og seneste måned",
            metrics.national_records,
            registry.target_groups,
            metrics.periods,
        ),
    )
    head = summaries[registry.target_group_ids.index(headline.id)]
    return OverviewPage(
        path="",
        title="Får de ledige og sygemeldte deres samtaler?",
        description="Kommune for kommune og målgruppe for målgruppe: hvor mange borgere på "
        "dagpenge, kontanthjælp og sygedagpenge fik de samtaler med jobcentret, loven kræver.",
        headline_group=headline.name,
        headline_href=group_path(headline),
        month=fmt.month(month),
        reference_month=fmt.month(settings.reference_month),
        crosses_rule_change=crosses(settings.reference_month, month, registry.rule_change),
        groups=tuple(summaries),
        rows=_rank_rows(latest, registry),
        chart=chart,
        rule_change_note=rule_change_note(registry),
        og_image="deling.png",
        map_chart=map_chart,
        og_spec=share_card_spec(
            "Får de ledige deres samtaler?",
            f"{head.national_share} af {headline.noun} i hele landet",
            f"{fmt.month(month)} · {head.flagged} kommuner markant under",
            [(NATIONAL, metrics.national_records)],
            headline,
            demo,
        ),
    )


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
                persons=_persons(r.get("persons")),
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
                band_rank=_rank_text(r.get("band_rank"), r.get("band_ranked")),
                region_share=fmt.pct(rg.get("share")),
                region_rank=_rank_text(r.get("region_rank"), r.get("region_ranked")),
                small=bool(r.get("small", False)),
            )
        )
        if has_share and month:
            sentences.append(
                f"I {fmt.month(month)} fik {fmt.pct(share)} af {_persons(r.get('persons'))} "
                f"{g.noun} i {m.name} {measure_phrase(g.rule_for(month))}; landstallet var "
                f"{fmt.pct(n.get('share'))}."
            )

    region_name = m.region
    parts = [
        (m.name, records(mun)),
        (region_name, metrics.regional_records.get(m.region, [])),
        (NATIONAL, metrics.national_records),
    ]
    chart = _chart(
        id=f"trend-{m.slug}",
        title=f"Udviklingen i {m.name} for hver målgruppe",
        caption=f"Andel der fik de krævede samtaler i {m.name} (fuldt optrukket), "
        f"{region_name} (stiplet) og hele landet (prikket), {_span(metrics)}.",
        summary=" ".join(sentences) or f"Der er ingen tal for {m.name}.",
        specs=_trend_specs(parts, list(registry.target_groups), registry, 2),
        spec_path=f"{municipality_path(m)}trend.vl.json",
        data_links=(
            Link(f"data/kommune/{m.slug}.csv", f"Hent tallene for {m.name} (CSV)"),
            Link("data/regioner.csv", "regionerne (CSV)"),
            Link("data/landstal.csv", "hele landet (CSV)"),
        ),
        table=_yearly_table(
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
        reference_month=fmt.month(settings.reference_month),
        crosses_rule_change=crosses(settings.reference_month, month_any, registry.rule_change),
        frikommune_notes=_frikommune_notes(m),
        rows=tuple(rows),
        band=band,
        band_size=sum(
            band_label(o.population, settings.peer_bands) == band for o in registry.municipalities
        ),
        peers=tuple(peers),
        chart=chart,
        rule_change_note=rule_change_note(registry),
        use_figures=use_figures(m, municipality_path(m), registry, settings),
        og_image=f"{municipality_path(m)}deling.png",
        og_spec=_municipality_card(m, own, parts, metrics, registry, settings, demo),
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
            "label": charts.threshold_label(settings.flag_threshold_pct),
        }
    ]
    if nat.get("share") is not None:
        references.append({"value": round(nat["share"], 1), "label": NATIONAL})
    n_flagged = int(latest["flagged"].sum())
    rows = _rank_rows(latest, registry)
    ranking_chart = _chart(
        id=f"rang-{g.id}",
        title=f"Alle kommuner, {fmt.month(month)}",
        caption=f"Andel af {g.noun}, der fik de krævede samtaler, i hver kommune. Røde "
        "søjler er kommuner, der er markant under.",
        summary=f"I {fmt.month(month)} fik {fmt.pct(nat.get('share'))} af {g.noun} i hele landet "
        f"{measure_phrase(g.rule_for(month))}. {spread} {n_flagged} kommuner var markant under.",
        specs=lambda interactive: _fill(
            _ranking_template(settings.flag_threshold_pct, interactive),
            {"ranking": rank_values, "references": references},
        ),
        spec_path=f"{group_path(g)}rang.vl.json",
        data_links=(Link(f"data/maalgruppe/{g.id}.csv", f"Hent alle tal for {g.noun} (CSV)"),),
        table=None,  # the ranking table on the page holds the same figures
    )
    national = metrics.national[metrics.national["target_group"] == g.id]
    first = national.dropna(subset=["share"]).head(1).to_dict("records")
    trend_chart = _chart(
        id=f"trend-{g.id}",
        title=f"Landstallet for {g.noun} over tid",
        caption=f"Andel i hele landet, {_span(metrics)}. Den stiplede streg markerer de nye "
        "regler fra januar 2020.",
        summary=(
            f"Landstallet gik fra {fmt.pct(first[0]['share'])} i {fmt.month(first[0]['period'])} "
            f"til {fmt.pct(nat.get('share'))} i {fmt.month(month)}; kravene blev ændret i "
            f"{fmt.month(registry.rule_change)}."
            if first
            else "Ingen tal."
        ),
        specs=_trend_specs([(NATIONAL, records(national))], [g], registry, 1),
        spec_path=f"{group_path(g)}trend.vl.json",
        data_links=(Link("data/landstal.csv", "Hent landstallene (CSV)"),),
        table=Table(
            caption=f"Landstallet for {g.noun}, januar hvert år og seneste måned",
            headers=("Måned", "Andel", "Personer", "Markant under"),
            rows=tuple(
                (
                    fmt.month(r["period"]),
                    fmt.pct(r["share"]),
                    _persons(r["persons"]),
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
        reference_month=fmt.month(settings.reference_month),
        crosses_rule_change=crosses(settings.reference_month, month, registry.rule_change),
        rules=_rule_texts(g),
        national_share=fmt.pct(nat.get("share")),
        flagged=f"{n_flagged} af {len(shares)}",
        spread=spread,
        rows=rows,
        ranking_chart=ranking_chart,
        trend_chart=trend_chart,
        rule_change_note=rule_change_note(registry),
        later_change_note=registry.later_change_note,
    )


@dataclass(frozen=True)
class IndexEntry:
    href: str
    name: str
    detail: str


@dataclass(frozen=True)
class IndexSection:
    heading: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class IndexPage:
    path: str
    title: str
    description: str
    intro: str
    sections: tuple[IndexSection, ...]


def group_index(groups: list[TargetGroupPage]) -> IndexPage:
    """The list of target groups with their latest national figure."""
    entries = tuple(
        IndexEntry(
            p.path,
            p.name,
            f"{p.national_share} i hele landet i {p.month}; {p.flagged} kommuner markant under.",
        )
        for p in groups
    )
    return IndexPage(
        path="maalgruppe/",
        title="Målgrupper",
        description="De otte målgrupper i kontaktforløbet og kravene til samtaler for hver.",
        intro="Loven stiller forskellige krav til samtaler for hver målgruppe. Vælg en gruppe "
        "for at se reglerne og alle 98 kommuner.",
        sections=(IndexSection("Alle målgrupper", entries),),
    )


def municipality_index(registry: Registry) -> IndexPage:
    """All 98 municipalities by region, alphabetically."""
    sections = []
    for region in registry.regions:
        members = sorted(
            (m for m in registry.municipalities if m.region == region),
            key=lambda m: fmt_key(m.name),
        )
        sections.append(
            IndexSection(
                region,
                tuple(IndexEntry(municipality_path(m), m.name, "") for m in members),
            )
        )
    return IndexPage(
        path="kommune/",
        title="Alle kommuner",
        description="Find din kommune: de 98 kommuner fordelt på regioner.",
        intro="Vælg en kommune for at se, om borgerne får de samtaler, loven kræver.",
        sections=tuple(sections),
    )


@dataclass(frozen=True)
class PlainPage:
    """A page with no data of its own (the 404 page)."""

    path: str
    title: str
    description: str


@dataclass(frozen=True)
class Sitemap:
    path: str
    paths: tuple[str, ...]  # every HTML page, relative to the site root
    lastmod: str  # YYYY-MM-DD: the data's release date


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def fmt_key(name: str) -> str:
    """Return a sort key that puts æ, ø, å after z, as Danish readers expect."""
    return name.lower().replace("aa", "å").translate(_DANISH_ORDER)


# ---- releases: the "Nyt" page and the Atom feeds ----------------------------------------------


@dataclass(frozen=True)
class RevisionRow:
    month: str
    municipality: str
    href: str
    group: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class NewsEntry:
    id: str
    date: str  # "2. november 2026"
    iso_date: str
    title: str  # "Tal for oktober 2026"
    summary: str  # one factual sentence about the headline group
    group_lines: tuple[str, ...]
    source: str
    added: str
    revisions: tuple[RevisionRow, ...]


@dataclass(frozen=True)
class NewsPage:
    path: str
    title: str
    description: str
    entries: tuple[NewsEntry, ...]
    feed_href: str


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: str  # RFC 3339
    link: str
    summary: str


@dataclass(frozen=True)
class Feed:
    path: str
    id: str
    title: str
    subtitle: str
    updated: str
    alternate: str  # the HTML page the feed belongs to
    entries: tuple[FeedEntry, ...]


def _flag_phrase(now: int, before: int | None) -> str:
    if before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "samme antal som måneden før"
    return f"{abs(diff)} {'flere' if diff > 0 else 'færre'} end måneden før"


def _group_line(g: TargetGroup, period: str, metrics: Metrics, headline: bool) -> str | None:
    row = metrics.national_by_key.get((g.id, period))
    if not row or row["reporting"] is None:
        return None
    before = metrics.national_by_key.get((g.id, shift_period(period, -1)), {}).get("flagged")
    change = _flag_phrase(int(row["flagged"]), None if before is None else int(before))
    subject = (
        f"{fmt.number(row['flagged'])} af {fmt.number(row['reporting'])} kommuner markant under"
    )
    tail = f", {change}" if change else ""
    if headline:
        return f"Tal for {fmt.month(period)}: {subject} for {g.noun}{tail}."
    return f"{g.name}: {subject}{tail}; landstal {fmt.pct(row['share'])}."


def news_page(
    releases: tuple[Release, ...], metrics: Metrics, registry: Registry, settings: Settings
) -> NewsPage:
    """What each release brought, newest first, with revisions of earlier months."""
    headline = registry.target_group(settings.headline_group)
    names = {g.id: g.name for g in registry.target_groups}
    entries = []
    for release in reversed(releases):
        newest = max(release.periods) if release.periods else None
        if newest is None:
            continue
        summary = _group_line(headline, newest, metrics, headline=True) or (
            f"Tal for {fmt.month(newest)}."
        )
        lines = tuple(
            line
            for g in registry.target_groups
            if g != headline and (line := _group_line(g, newest, metrics, headline=False))
        )
        revisions = []
        for v in release.revisions:
            m = (
                registry.municipality(v.municipality_code)
                if registry.has_code(v.municipality_code)
                else None
            )
            revisions.append(
                RevisionRow(
                    month=fmt.month(v.period),
                    municipality=m.name if m else str(v.municipality_code),
                    href=municipality_path(m) if m else "",
                    group=names.get(v.target_group, v.target_group),
                    column=COLUMN_DOCS.get(v.column, (v.column,))[0],
                    old=v.old or fmt.MISSING,
                    new=v.new or fmt.MISSING,
                )
            )
        span = (
            fmt.month(release.periods[0])
            if len(release.periods) == 1
            else f"{fmt.month(min(release.periods))} – {fmt.month(newest)}"
        )
        entries.append(
            NewsEntry(
                id=release.id,
                date=fmt.date(release.date),
                iso_date=release.date,
                title=f"Tal for {fmt.month(newest)}",
                summary=summary,
                group_lines=lines,
                source=release.source,
                added=f"{fmt.number(release.added)} nye rækker ({span})",
                revisions=tuple(revisions),
            )
        )
    return NewsPage(
        path="nyt/",
        title="Nyt",
        description="Hver udgivelse af nye tal: hvad der kom til, og hvilke tidligere tal der "
        "blev rettet.",
        entries=tuple(entries),
        feed_href="feed.xml",
    )


def _rfc3339(date: str) -> str:
    return f"{date}T00:00:00Z"


def site_feed(news: NewsPage, manifest: Manifest, settings: Settings) -> Feed:
    """The Atom feed of releases."""
    entries = tuple(
        FeedEntry(
            id=f"urn:samtaletjek:release:{e.id}",
            title=e.title,
            updated=_rfc3339(e.iso_date),
            link=f"{news.path}#udgivelse-{e.id}",
            summary=" ".join((e.summary, *e.group_lines)),
        )
        for e in news.entries
    )
    return Feed(
        path="feed.xml",
        id="urn:samtaletjek:feed:releases",
        title=f"{settings.title}: nye tal",
        subtitle="Nye månedstal om samtaler med ledige og sygemeldte",
        updated=entries[0].updated if entries else _rfc3339(manifest.release_date),
        alternate=news.path,
        entries=entries,
    )


def municipality_feed(
    m: Municipality,
    releases: tuple[Release, ...],
    metrics: Metrics,
    registry: Registry,
    manifest: Manifest,
) -> Feed:
    """The Atom feed of one municipality: an entry per release with its figures."""
    own = {
        (r["target_group"], r["period"]): r
        for r in records(metrics.municipal_by_code.get(m.code, metrics.municipal.iloc[:0]))
    }
    entries = []
    for release in reversed(releases):
        if not release.periods:
            continue
        newest = max(release.periods)
        parts = []
        for g in registry.target_groups:
            row = own.get((g.id, newest))
            if row and row["share"] is not None:
                national = metrics.national_by_key.get((g.id, newest), {}).get("share")
                parts.append(f"{g.name}: {fmt.pct(row['share'])} (landet {fmt.pct(national)})")
        if not parts:
            continue
        entries.append(
            FeedEntry(
                id=f"urn:samtaletjek:kommune:{m.code}:release:{release.id}",
                title=f"{m.name}: tal for {fmt.month(newest)}",
                updated=_rfc3339(release.date),
                link=municipality_path(m),
                summary=f"Andel der fik de krævede samtaler i {fmt.month(newest)}. "
                + "; ".join(parts)
                + ".",
            )
        )
    return Feed(
        path=f"{municipality_path(m)}feed.xml",
        id=f"urn:samtaletjek:feed:kommune:{m.code}",
        title=f"{m.name}: nye tal fra Samtaletjek",
        subtitle=f"Nye månedstal om samtaler med ledige og sygemeldte i {m.name}",
        updated=entries[0].updated if entries else _rfc3339(manifest.release_date),
        alternate=municipality_path(m),
        entries=tuple(entries),
    )
