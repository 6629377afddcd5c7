"""A choropleth of Denmark's municipalities by share, in classes of ten points.

The boundaries are the simplified DAGI TopoJSON in the reference data: object `kommuner`,
properties `kode` (int) and `navn`.
"""

from __future__ import annotations

import functools
import json

import altair as alt
import pandas as pd

from .specs import compiled, fill, placeholder
from .theme import MUTED

FEATURE = "kommuner"  # the object in the TopoJSON; properties `kode` (int) and `navn`

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
    geo: alt.Data,
    values: pd.DataFrame | alt.Data,
    width: int = 640,
    interactive: bool = False,
    insets: bool = True,
    legend_title: str = "Andel (%)",
) -> alt.HConcatChart | alt.Chart:
    """A map of the municipalities coloured by share in classes, with a Danish legend.

    `geo` is the TopoJSON boundaries (`geo_data`: inlined for the static SVG, or its URL). `values`
    columns: `kode` (municipality code), `share` (0–100, may be missing: drawn grey as
    "Ingen tal") and, for the interactive variant, `href` (the municipality page), where a
    click goes. The interactive variant also has a tooltip with name and share.

    With `insets`, Bornholm and the municipalities around Copenhagen get boxes of their own
    to the right of the map; each box is fitted to what it shows.
    """
    fields = ["share", "href"] if interactive else ["share"]
    encoding: dict = {
        "color": alt.Color(
            "klasse:N",
            scale=alt.Scale(domain=[*CLASSES, NO_DATA], range=[*COLOURS, NO_DATA_COLOUR]),
            legend=alt.Legend(
                title=legend_title,
                orient="top",
                direction="horizontal",
                columns=len(CLASSES) + 1 if width >= 480 else 3,
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
    inset_title = {"fontSize": 11, "fontWeight": "normal", "color": MUTED, "anchor": "start"}
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


def geo_data(topology: dict | str, inline: bool) -> alt.Data:
    """The boundaries as chart data: the TopoJSON itself (`inline`) or its URL."""
    fmt_ = alt.DataFormat(type="topojson", feature=FEATURE)
    return alt.InlineData(values=topology, format=fmt_) if inline else alt.UrlData(topology, fmt_)


@functools.lru_cache(maxsize=8)
def _template(
    width: int, interactive: bool, insets: bool, inline: bool, validate: bool = False
) -> str:
    """The compiled spec with a placeholder for the boundaries and a named dataset "andele".

    Validating a spec with the boundaries inline takes Altair about half a second; compiled
    once per shape, each map only fills in its data.
    """
    geo = geo_data(placeholder("topology"), inline)
    legend = placeholder("legend")
    return compiled(
        choropleth(geo, alt.NamedData("andele"), width, interactive, insets, legend), validate
    )


def map_spec(
    topology: dict | str,
    rows: list[dict],
    width: int,
    interactive: bool,
    insets: bool,
    legend_title: str = "Andel (%)",
) -> dict:
    """Return the map's Vega-Lite spec for `rows` (kode, share, href): the boundaries inlined
    (`topology` a TopoJSON object) or loaded from a URL (`topology` a string)."""
    inline = not isinstance(topology, str)
    return fill(
        _template(width, interactive, insets, inline),
        {"andele": [r if interactive else {"kode": r["kode"], "share": r["share"]} for r in rows]},
        values={"topology": topology, "legend": legend_title},
    )
