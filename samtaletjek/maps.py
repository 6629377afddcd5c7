"""The map: a choropleth of Denmark by share, one per target group (the pages under `kort/`).

`choropleth` is the chart, pure like those in charts.py; `section` builds the pages, the data
files their month slider loads and the boundary file the interactive maps load. The boundaries
are `site_data/reference/kommuner.topojson`, simplified from DAGI by
`scripts/simplify_boundaries.py`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from . import charts, fmt, pages
from .metrics import Metrics
from .registry import Registry, TargetGroup
from .render import Output, spec_json
from .settings import Settings

TOPOLOGY_FILE = "kommuner.topojson"
FEATURE = "kommuner"  # the object in the TopoJSON; properties `kode` (int) and `navn`
CREDIT = "Kommunegrænser: DAGI, Geodatastyrelsen og Danske Kommuner (forenklet)."
PATH = "kort/"
MAP_WIDTH = 720
SMALL_WIDTH = 340

# Classes of ten points, so a reader can match a colour to the legend; the flag threshold of
# 80 % is one of the breaks. Viridis stays ordered in lightness for colour-blind readers and in
# greyscale; "Ingen tal" is a neutral grey outside the scheme.
BREAKS = (50, 60, 70, 80, 90)
CLASSES = ("under 50", "50–60", "60–70", "70–80", "80–90", "90–100")
COLOURS = ("#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725")
NO_DATA = "Ingen tal"
NO_DATA_COLOUR = "#c4c4c4"
BORDER_COLOUR = "#ffffff"

# Insets: Bornholm beside the rest of the country, and the small municipalities around
# Copenhagen (Byen København, Københavns omegn, Furesø, Rudersdal, Hørsholm) drawn larger.
BORNHOLM = 400
CAPITAL = (101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 185, 187)
CAPITAL += (190, 223, 230)


def _class_expression() -> str:
    """A Vega expression giving the legend class of `datum.share` (0–100 or missing)."""
    expr = json.dumps(CLASSES[-1], ensure_ascii=False)
    for limit, label in reversed(list(zip(BREAKS, CLASSES, strict=False))):
        expr = f"datum.share < {limit} ? {json.dumps(label, ensure_ascii=False)} : {expr}"
    return f"isValid(datum.share) ? ({expr}) : {json.dumps(NO_DATA, ensure_ascii=False)}"


# "45,3 %" whatever locale the renderer formats numbers in.
_SHARE_TEXT = (
    "isValid(datum.share) ? replace(format(datum.share, '.1f'), '.', ',') + ' %' : "
    + json.dumps(NO_DATA, ensure_ascii=False)
)


def choropleth(
    topology: dict | str,
    values: pd.DataFrame | alt.Data,
    width: int = 640,
    interactive: bool = False,
    insets: bool = True,
) -> alt.HConcatChart | alt.Chart:
    """A map of the municipalities coloured by share in classes, with a Danish legend.

    `topology` is the TopoJSON itself (inlined, for the static SVG) or its URL. `values`
    columns: `kode` (municipality code), `share` (0–100, may be missing: drawn grey as
    "Ingen tal") and, for the interactive variant, `href` (the municipality page), where a
    click goes. The interactive variant also has a tooltip with name and share.

    With `insets`, Bornholm and the municipalities around Copenhagen get boxes of their own
    to the right of the map; each box is fitted to what it shows.
    """
    fmt_ = alt.DataFormat(type="topojson", feature=FEATURE)
    geo = (
        alt.UrlData(url=topology, format=fmt_)
        if isinstance(topology, str)
        else alt.InlineData(values=topology, format=fmt_)
    )
    fields = ["share", "href"] if interactive else ["share"]
    encoding: dict = {
        "color": alt.Color(
            "klasse:N",
            scale=alt.Scale(domain=[*CLASSES, NO_DATA], range=[*COLOURS, NO_DATA_COLOUR]),
            legend=alt.Legend(
                title="Andel (%)",
                orient="top",
                direction="horizontal",
                columns=len(CLASSES) + 1 if width >= 480 else 4,
                symbolType="square",
                symbolStrokeWidth=0,
                symbolSize=180,
                labelFontSize=12,
                titleFontSize=12,
                titleFontWeight="normal",
            ),
        )
    }
    if interactive:
        encoding["tooltip"] = [
            alt.Tooltip("properties.navn:N", title="Kommune"),
            alt.Tooltip("andel:N", title="Andel"),
        ]
        encoding["href"] = alt.Href("href:N")
    base = (
        alt.Chart(geo)
        .transform_lookup(
            lookup="properties.kode", from_=alt.LookupData(data=values, key="kode", fields=fields)
        )
        .transform_calculate(klasse=_class_expression(), andel=_SHARE_TEXT)
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.5 if width >= 480 else 0.3)
        .encode(**encoding)
        .project("transverseMercator")
    )
    if not insets:
        return base.properties(width=width, height=round(width * 0.8))
    main_width = round(width * 0.68)
    side = width - main_width - 16
    frame = alt.ViewBackground(stroke="#d0d7de", strokeWidth=1)
    inset_title = {"fontSize": 11, "fontWeight": "normal", "color": charts.MUTED, "anchor": "start"}
    main = base.transform_filter(f"datum.properties.kode != {BORNHOLM}").properties(
        width=main_width, height=round(main_width * 1.2)
    )
    bornholm = base.transform_filter(f"datum.properties.kode == {BORNHOLM}").properties(
        width=round(side * 0.45),
        height=round(side * 0.4),
        view=frame,
        title=alt.Title("Bornholm", **inset_title),
    )
    capital = base.transform_filter(
        f"indexof({json.dumps(list(CAPITAL))}, datum.properties.kode) >= 0"
    ).properties(
        width=side,
        height=round(side * 0.95),
        view=frame,
        title=alt.Title("Hovedstadsområdet", **inset_title),
    )
    return alt.hconcat(main, alt.vconcat(bornholm, capital, spacing=14), spacing=16)


# ---- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupLink:
    href: str
    text: str
    current: bool


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str


@dataclass(frozen=True)
class MapPage:
    path: str
    title: str
    description: str
    name: str  # the target group
    group_href: str
    month: str  # "oktober 2026"
    summary: str
    chart: pages.Chart
    groups: tuple[GroupLink, ...]
    months: tuple[str, ...]  # YYYY-MM the month slider steps through; empty: no slider
    last_month_index: int
    values_href: str  # the shares of every month, for the slider (kort/<id>/andele.json)
    legend: tuple[LegendItem, ...]  # the map's legend again, readable on a phone
    credit: str


def load_topology(reference_dir: Path) -> dict:
    """Read the simplified municipality boundaries (TopoJSON) from the reference data."""
    return json.loads((reference_dir / TOPOLOGY_FILE).read_text(encoding="utf-8"))


_PLACEHOLDER = "__topology__"


@functools.lru_cache(maxsize=8)
def _template(width: int, interactive: bool, insets: bool) -> str:
    """The compiled spec with a placeholder for the boundaries and a named dataset "andele".

    Validating a spec with the boundaries inline takes Altair about half a second; compiled
    once per shape, each map only fills in its data.
    """
    chart = choropleth(_PLACEHOLDER, alt.NamedData("andele"), width, interactive, insets)
    return json.dumps(chart.to_dict(), ensure_ascii=False, sort_keys=True)


def _spec(
    topology: dict | str, rows: list[dict], width: int, interactive: bool, insets: bool
) -> dict:
    """Return the map's Vega-Lite spec for `rows` (kode, share, href), boundaries filled in."""
    spec = json.loads(_template(width, interactive, insets))

    def fill(node: object) -> None:
        if isinstance(node, dict):
            if node.get("url") == _PLACEHOLDER:
                del node["url"]
                node.update(
                    {"url": topology} if isinstance(topology, str) else {"values": topology}
                )
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)

    fill(spec)
    spec["datasets"] = {
        "andele": [r if interactive else {"kode": r["kode"], "share": r["share"]} for r in rows]
    }
    return spec


def _shares(metrics: Metrics, group_id: str, months: tuple[str, ...], codes: list[int]) -> dict:
    """Municipality code → its shares in `months` (None where missing)."""
    m = metrics.municipal
    frame = m.loc[m["target_group"] == group_id, ["municipality_code", "period", "share"]]
    table = frame.pivot(index="municipality_code", columns="period", values="share").reindex(
        index=codes, columns=list(months)
    )
    out = {}
    for code, values in zip(codes, table.to_numpy(dtype=object, na_value=None), strict=True):
        out[code] = [None if v is None else round(float(v), 1) for v in values]
    return out


def _months(metrics: Metrics, group_id: str, latest: str) -> tuple[str, ...]:
    """The months from the group's first figure to its latest."""
    m = metrics.municipal
    known = m.loc[(m["target_group"] == group_id) & m["share"].notna(), "period"]
    if known.empty:
        return ()
    first = known.min()
    return tuple(p for p in metrics.periods if first <= p <= latest)


def summary_sentence(
    g: TargetGroup, month: str, named_shares: list[tuple[str, float | None]], flagged: int
) -> str:
    """One factual sentence about the map: the lowest and highest share and how many are flagged.

    `named_shares`: (municipality, share or None) for every municipality, in any order.
    """
    known = sorted((s, pages.fmt_key(n), n) for n, s in named_shares if s is not None)
    when = fmt.month(month)
    if not known:
        return f"Der er ingen tal for {g.noun} i {when}."
    low, high = known[0], min(known, key=lambda k: (-k[0], k[1]))
    if len(known) == 1:
        spread = f"fik {fmt.pct(low[0])} af {g.noun} i {low[2]} de krævede samtaler"
    elif low[0] == high[0]:
        spread = (
            f"var andelen af {g.noun}, der fik de krævede samtaler, {fmt.pct(low[0])} i alle "
            "kommuner med tal"
        )
    else:
        spread = (
            f"lå andelen af {g.noun}, der fik de krævede samtaler, mellem {fmt.pct(low[0])} i "
            f"{low[2]} og {fmt.pct(high[0])} i {high[2]}"
        )
    return (
        f"I {when} {spread}. {len(known)} af {len(named_shares)} kommuner har tal; "
        f"{flagged} var markant under."
    )


@dataclass(frozen=True)
class _GroupMap:
    group: TargetGroup
    month: str
    rows: list[dict]  # kode, share, href for every municipality, Danish alphabetical order
    summary: str
    table: pages.Table
    months: tuple[str, ...]
    values: dict  # andele.json


def _map_chart(
    chart_id: str,
    spec_path: str,
    gm: _GroupMap,
    topology: dict,
    settings: Settings,
    width: int,
    table: pages.Table | None,
) -> pages.Chart:
    g, url = gm.group, settings.base_url + PATH + TOPOLOGY_FILE
    return pages.Chart(
        id=chart_id,
        title=f"{g.name}, {fmt.month(gm.month)}",
        caption=f"Andel af {g.noun}, der fik de krævede samtaler, i hver kommune. Grå: ingen "
        "tal for måneden.",
        summary=gm.summary,
        static_spec=_spec(topology, gm.rows, width, interactive=False, insets=True),
        interactive_spec=_spec(url, gm.rows, width, interactive=True, insets=True),
        spec_path=spec_path,
        data_links=(
            pages.Link(f"data/maalgruppe/{g.id}.csv", f"Hent alle tal for {g.noun} (CSV)"),
        ),
        table=table,
    )


def _group_map(
    g: TargetGroup, metrics: Metrics, registry: Registry, settings: Settings
) -> _GroupMap:
    month = metrics.latest.get(g.id, metrics.periods[-1])
    municipalities = sorted(registry.municipalities, key=lambda m: pages.fmt_key(m.name))
    codes = [m.code for m in municipalities]
    months = _months(metrics, g.id, month)
    shares = _shares(metrics, g.id, months or (month,), codes)
    latest = {code: values[-1] for code, values in shares.items()}
    national = metrics.national_by_key
    flagged = int(national.get((g.id, month), {}).get("flagged") or 0)
    rows = [
        {
            "kode": m.code,
            "share": latest[m.code],
            "href": settings.base_url + pages.municipality_path(m),
        }
        for m in municipalities
    ]
    summary = summary_sentence(
        g, month, [(m.name, latest[m.code]) for m in municipalities], flagged
    )
    table = pages.Table(
        caption=f"{g.name}, {fmt.month(month)}: andel der fik de krævede samtaler",
        headers=("Kommune", "Andel"),
        rows=tuple((m.name, fmt.pct(latest[m.code])) for m in municipalities),
    )
    values = {
        "name": g.name,
        "noun": g.noun,
        "months": list(months),
        "labels": [fmt.month(p) for p in months],
        "flagged": [int(national.get((g.id, p), {}).get("flagged") or 0) for p in months],
        "kommuner": [
            {"kode": m.code, "navn": m.name, "andele": shares[m.code]} for m in municipalities
        ],
    }
    return _GroupMap(g, month, rows, summary, table, months, values)


def _page(path: str, title: str, gm: _GroupMap, chart: pages.Chart, registry: Registry) -> MapPage:
    g = gm.group
    return MapPage(
        path=path,
        title=title,
        description=f"Kort over Danmarks 98 kommuner: hvor stor en andel af {g.noun} fik de "
        f"samtaler, loven kræver, i {fmt.month(gm.month)}?",
        name=g.name,
        group_href=pages.group_path(g),
        month=fmt.month(gm.month),
        summary=gm.summary,
        chart=chart,
        groups=tuple(
            GroupLink(f"{PATH}{other.id}/", other.name, other.id == g.id)
            for other in registry.target_groups
        ),
        months=gm.months if len(gm.months) > 1 else (),
        last_month_index=max(len(gm.months) - 1, 0),
        values_href=f"{PATH}{g.id}/andele.json",
        legend=tuple(
            LegendItem(label, colour)
            for label, colour in zip((*CLASSES, NO_DATA), (*COLOURS, NO_DATA_COLOUR), strict=True)
        ),
        credit=CREDIT,
    )


def section(metrics: Metrics, registry: Registry, settings: Settings) -> pages.SitePart:
    """The map pages: `kort/` shows the headline group, `kort/<group>/` each target group.

    Reads the boundaries from `settings.reference_dir`; everything else is computed.
    """
    topology = load_topology(settings.reference_dir)
    site_pages: list[tuple[str, object]] = []
    site_charts: list[pages.Chart] = []
    outputs = [Output(PATH + TOPOLOGY_FILE, spec_json(topology))]
    for g in registry.target_groups:
        gm = _group_map(g, metrics, registry, settings)
        targets = [(f"{PATH}{g.id}/", f"kort-{g.id}", f"Kort: {g.name}")]
        if g.id == settings.headline_group:
            # kort/ shows the same map: the same spec, so one entry in the chart cache.
            targets.insert(0, (PATH, "kort", "Kort over kommunerne"))
        for path, chart_id, title in targets:
            chart = _map_chart(
                chart_id, f"{path}kort.vl.json", gm, topology, settings, MAP_WIDTH, gm.table
            )
            site_charts.append(chart)
            site_pages.append(("kort.html", _page(path, title, gm, chart, registry)))
        outputs.append(Output(f"{PATH}{g.id}/andele.json", spec_json(gm.values)))
    return pages.SitePart(tuple(site_pages), tuple(site_charts), tuple(outputs))


def overview_map(
    metrics: Metrics, registry: Registry, settings: Settings, topology: dict | None = None
) -> pages.Chart:
    """A small map of the headline group for the overview page (no table: the page's ranking
    table holds the same figures). Its boundaries are the file `section` publishes."""
    if topology is None:
        topology = load_topology(settings.reference_dir)
    gm = _group_map(registry.target_group(settings.headline_group), metrics, registry, settings)
    return _map_chart(
        "kort-overblik", f"{PATH}overblik.vl.json", gm, topology, settings, SMALL_WIDTH, None
    )
