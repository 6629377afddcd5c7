"""A choropleth of Denmark's municipalities by share, in colour classes of its own measure and
month (`Bins`), with Bornholm and the capital area in boxes of their own under the country.

The boundaries are the simplified DAGI TopoJSON in the reference data: object `kommuner`,
properties `kode` (int) and `navn`. Each municipality's colour comes with its row
(`farve`), so the page draws the legend and a month slider only swaps the rows.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..domain import danish as fmt
from .lazy import alt
from .specs import compiled, fill, placeholder, shape
from .theme import MUTED

FEATURE = "kommuner"  # the object in the TopoJSON; properties `kode` (int) and `navn`

NO_DATA = "Ingen tal"
# A light neutral grey outside every scale below, so "no figure" never reads as a class.
NO_DATA_COLOUR = "#dcdcdc"
BORDER_COLOUR = "#ffffff"

# Where the month has a line: under it, the next NEAR points over it (a lighter shade of the
# colour over the line) and the rest.
NEAR = 5.0
DECIMALS = 1  # a share is given to one decimal
NEAR_TINT = 0.4  # the share of white in the lighter shade
# Where it has none: about as many municipalities in each of QUANTILES classes, in one hue from
# light to dark (ColorBrewer's Blues, its lightest steps left out so "Ingen tal" stays apart);
# the dark end is always the better one.
QUANTILES = 5
SEQUENTIAL = ("#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")

# The columns of a map's rows (`choropleth`), static and interactive.
STATIC_FIELDS = ("kode", "farve", "tekst")
# A static map with its boundaries inline says so: it differs from another of its shape only
# in its colours and words, so publish/mapfill.py draws the shapes once and writes those in.
FRAMED = {"picture": "map"}
INTERACTIVE_FIELDS = ("kode", "farve", "navn", "andel", "status", "personer", "maaned", "href")

# Insets: Bornholm, and the small municipalities around Copenhagen (Byen København, Københavns
# omegn, Furesø, Rudersdal, Hørsholm) drawn larger, in a row under the rest of the country.
BORNHOLM = 400
CAPITAL = (101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 185, 187)
CAPITAL += (190, 223, 230)
# The page's content is this wide on a 360 px phone; the map is scaled down to fit it, and the
# insets' labels must still be READABLE px high there.
PHONE_WIDTH = 328
READABLE = 11.5


@dataclass(frozen=True)
class Bins:
    """A map's colour classes: class i holds the shares from `breaks[i - 1]` (included) up to
    `breaks[i]` (not included); a missing share is in no class ("Ingen tal")."""

    breaks: tuple[float, ...]
    labels: tuple[str, ...]  # one more than the breaks, unless there are no figures at all
    colours: tuple[str, ...]

    def index(self, share: float | None) -> int | None:
        """The class of `share`, None for a missing share."""
        if share is None or not self.labels:
            return None
        return bisect.bisect_right(self.breaks, share)

    def colour(self, share: float | None) -> str:
        i = self.index(share)
        return NO_DATA_COLOUR if i is None else self.colours[i]

    @property
    def legend(self) -> tuple[tuple[str, str], ...]:
        """(label, colour) of every class, lowest share first, and then "Ingen tal"."""
        return (*zip(self.labels, self.colours, strict=True), (NO_DATA, NO_DATA_COLOUR))


def tint(colour: str, white: float) -> str:
    """`colour` (#rrggbb) mixed with `white` (0–1) parts of white."""
    rgb = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * white):02x}" for c in rgb)


@functools.lru_cache(maxsize=64)
def line_bins(line: float, under: str, over: str) -> Bins:
    """Classes around a line: under it (`under`), the next `NEAR` points (a lighter `over`),
    and the rest (`over`): for 75 %, "Under 75 %", "75,0–79,9 %", "80,0 % og derover".

    The line is said as a rule says it; the other edges as figures are, with their decimal
    (a share is given to one), so no edge reads as a rule of its own.
    """
    rule, step = f"Under {fmt.pct(line, 0)}", 10**-DECIMALS
    top = line + NEAR
    if top >= 100:
        return Bins((line,), (rule, f"{fmt.pct(line)} og derover"), (under, over))
    return Bins(
        (line, top),
        (rule, f"{fmt.number(line, 1)}–{fmt.pct(top - step)}", f"{fmt.pct(top)} og derover"),
        (under, tint(over, NEAR_TINT), over),
    )


def quantile_bins(shares: Iterable[float | None], higher_is_better: bool = True) -> Bins:
    """About as many municipalities in each of up to `QUANTILES` classes, cut at the month's
    quantiles (to one decimal, as the shares are given); labelled by the lowest and highest
    share in each, light to dark towards the better end."""
    values = sorted(s for s in shares if s is not None)
    if not values:
        return Bins((), (), ())
    quantiles = np.quantile(values, [i / QUANTILES for i in range(1, QUANTILES)])
    cuts = sorted({round(float(q), 1) for q in quantiles})
    breaks: list[float] = []
    for cut in cuts:  # no empty class: ties and few figures give fewer classes
        below = breaks[-1] if breaks else -math.inf
        if any(below <= v < cut for v in values) and any(v >= cut for v in values):
            breaks.append(cut)
    classes: list[list[float]] = [[] for _ in range(len(breaks) + 1)]
    for v in values:
        classes[bisect.bisect_right(breaks, v)].append(v)
    labels = tuple(
        fmt.pct(c[0]) if c[0] == c[-1] else f"{fmt.number(c[0], 1)}–{fmt.pct(c[-1])}"
        for c in classes
    )
    n = len(classes)
    steps = [round(i * (len(SEQUENTIAL) - 1) / (n - 1)) for i in range(n)] if n > 1 else [2]
    colours = tuple(SEQUENTIAL[i] for i in steps)
    return Bins(tuple(breaks), labels, colours if higher_is_better else colours[::-1])


def inset_label_size(width: int) -> int:
    """The font size of the insets' labels in a map `width` wide: readable on a phone, where
    the map is scaled down to the page's width."""
    return max(11, math.ceil(width * READABLE / PHONE_WIDTH))


def choropleth(
    geo: alt.Data,
    values: pd.DataFrame | alt.Data,
    width: int = 480,
    interactive: bool = False,
    insets: bool = True,
    links: bool = False,
) -> alt.VConcatChart | alt.Chart:
    """A map of the municipalities, each in its row's colour.

    `geo` is the TopoJSON boundaries (`geo_data`: inlined for the static SVG, or its URL).
    `values` columns: `kode` (municipality code) and `farve` (its class's colour; a
    municipality without a row is grey, "Ingen tal"), and
    - for the static picture, `tekst`: what the municipality's shape says when pointed at
      (an SVG <title>);
    - for the interactive one, `navn`, `andel`, `status`, `personer`, `maaned` (the tooltip
      and the page's card) and `href` (the municipality's page: with `links`, a click goes
      there; without, the page's script decides what a click or a tap does).

    With `insets`, the capital area and Bornholm get boxes of their own, in a row under the
    rest of the country, each fitted to what it shows.
    """
    fields = list((INTERACTIVE_FIELDS if interactive else STATIC_FIELDS)[1:])
    encoding: dict = {"color": alt.Color("farve:N", scale=None)}
    missing = {"farve": f"isValid(datum.farve) ? datum.farve : {json.dumps(NO_DATA_COLOUR)}"}
    no_data = json.dumps(NO_DATA, ensure_ascii=False)
    if interactive:
        encoding["tooltip"] = [
            alt.Tooltip("properties.navn:N", title="Kommune"),
            alt.Tooltip("andel:N", title="Andel"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("personer:N", title="Personer"),
            alt.Tooltip("maaned:N", title="Måned"),
        ]
        missing["andel"] = f"isValid(datum.andel) ? datum.andel : {no_data}"
        if links:
            encoding["href"] = alt.Href("href:N")
    else:
        # Drawn as the shape's <title> (publish/draw.py): a tooltip without JavaScript.
        encoding["description"] = alt.Description("tekst:N")
        missing["tekst"] = (
            f"isValid(datum.tekst) ? datum.tekst : datum.properties.navn + ': ' + {no_data}"
        )
    base = (
        alt.Chart(geo)
        .transform_lookup(
            lookup="properties.kode", from_=alt.LookupData(data=values, key="kode", fields=fields)
        )
        .transform_calculate(**missing)
        .mark_geoshape(
            stroke=BORDER_COLOUR,
            strokeWidth=0.5 if width >= 400 else 0.3,
            aria=not interactive,
            **({"cursor": "pointer"} if interactive else {}),
        )
        .encode(**encoding)
        .project("transverseMercator")
    )
    if not insets:
        return base.properties(width=width, height=round(width * 1.2))
    gap = 16
    frame = alt.ViewBackground(stroke="#d0d7de", strokeWidth=1)
    size = inset_label_size(width)
    inset_title = {"fontSize": size, "fontWeight": "normal", "color": MUTED, "anchor": "start"}
    main = base.transform_filter(f"datum.properties.kode != {BORNHOLM}").properties(
        width=width, height=round(width * 1.2)
    )
    capital_width = round((width - gap) * 0.62)
    capital = base.transform_filter(
        f"indexof({json.dumps(list(CAPITAL))}, datum.properties.kode) >= 0"
    ).properties(
        width=capital_width,
        height=round(capital_width * 0.95),
        view=frame,
        title=alt.Title("Hovedstadsområdet", **inset_title),
    )
    bornholm_width = width - gap - capital_width
    bornholm = base.transform_filter(f"datum.properties.kode == {BORNHOLM}").properties(
        width=bornholm_width,
        height=round(bornholm_width * 0.85),
        view=frame,
        title=alt.Title("Bornholm", **inset_title),
    )
    return alt.vconcat(main, alt.hconcat(capital, bornholm, spacing=gap), spacing=12)


def geo_data(topology: dict | str, inline: bool) -> alt.Data:
    """The boundaries as chart data: the TopoJSON itself (`inline`) or its URL."""
    fmt_ = alt.DataFormat(type="topojson", feature=FEATURE)
    return alt.InlineData(values=topology, format=fmt_) if inline else alt.UrlData(topology, fmt_)


@shape
def _template(
    width: int,
    interactive: bool,
    insets: bool,
    inline: bool,
    links: bool = False,
    validate: bool = False,
) -> str:
    """The compiled spec with a placeholder for the boundaries and a named dataset "andele".

    Validating a spec with the boundaries inline takes Altair about half a second; compiled
    once per shape, each map only fills in its data.
    """
    geo = geo_data(placeholder("topology"), inline)
    chart = choropleth(geo, alt.NamedData("andele"), width, interactive, insets, links)
    if inline and not interactive:
        chart = chart.properties(usermeta=FRAMED)
    return compiled(chart, validate)


def map_spec(
    topology: dict | str,
    rows: list[dict],
    width: int,
    interactive: bool,
    insets: bool,
    links: bool = False,
) -> dict:
    """Return the map's Vega-Lite spec for `rows` (the columns `choropleth` names): the
    boundaries inlined (`topology` a TopoJSON object) or loaded from a URL (`topology` a
    string). The static picture keeps only the columns it draws."""
    inline = not isinstance(topology, str)
    fields = INTERACTIVE_FIELDS if interactive else STATIC_FIELDS
    wanted = [{k: r[k] for k in fields} for r in rows]
    return fill(
        _template(width, interactive, insets, inline, links),
        {"andele": wanted},
        values={"topology": topology},
    )
