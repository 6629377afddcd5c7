"""The rule's line (the threshold a share is held against) is not a figure: it has a style no
series has on any chart of the site, and its name at the end of its current segment."""

import json
import re

import pandas as pd
import pytest

from samtaletjek.charts import theme
from samtaletjek.charts.ranking import COUNTRY, ranking
from samtaletjek.charts.specs import ms
from samtaletjek.charts.theme import BREAK_STYLE, LIMIT, REFERENCE, STYLES
from samtaletjek.charts.trends import lines_over_time, trend_panel
from samtaletjek.pages.figures import rule_rows, series_rows
from samtaletjek.pages.rules import limit_label
from samtaletjek.publish import draw

STATUSES = (("På listen", theme.FLAG_COLOUR), ("Over reglen", theme.MUNICIPALITY_COLOUR))


def months(first: str, last: str) -> tuple[str, ...]:
    out, (y, m) = [], (int(first[:4]), int(first[5:]))
    while f"{y}-{m:02d}" <= last:
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


def lines_and_rules(spec: dict) -> list[dict]:
    """Every layer of a spec that draws a line or a rule."""
    layers = spec.get("layer") or spec["spec"]["layer"]
    return [layer for layer in layers if layer["mark"]["type"] in ("line", "rule")]


def is_threshold(layer: dict) -> bool:
    return any(LIMIT in json.dumps(t, ensure_ascii=False) for t in layer.get("transform", []))


def dashes_of(layer: dict) -> list[tuple]:
    """The dash patterns a layer may draw: its own, or the range of its dash scale."""
    if "strokeDash" in layer["mark"]:
        return [tuple(layer["mark"]["strokeDash"])]
    dash = layer.get("encoding", {}).get("strokeDash")
    if dash:
        return [tuple(d) for d in dash["scale"]["range"]]
    return [(1, 0)]  # solid


def test_the_reference_style_is_no_series_style():
    series = {s.dash for s in STYLES}
    assert REFERENCE.dash not in series and REFERENCE.dash != (1, 0)
    assert REFERENCE.dash != BREAK_STYLE.dash  # nor a series break's
    assert REFERENCE.colour not in {s.colour for s in STYLES}
    assert REFERENCE.width <= min(s.width for s in STYLES)  # thin


@pytest.mark.parametrize(
    "chart",
    [
        lambda: trend_panel(alt_rows()),
        lambda: lines_over_time(pd.DataFrame([{"t": 0, "series": "A", "style": 0}]), alt_rows()),
        lambda: ranking(
            pd.DataFrame([{"municipality": "A", "order": 0, "share": 80.0}]),
            pd.DataFrame(
                [
                    {"value": 75.0, "part": LIMIT, "label": "L"},
                    {"value": 70.0, "part": COUNTRY, "label": "H"},
                ]
            ),
            STATUSES,
        ),
    ],
    ids=["trend panel", "lines over time", "ranking"],
)
def test_every_chart_draws_the_threshold_and_only_it_in_the_reference_style(chart):
    layers = lines_and_rules(chart().to_dict())
    threshold = [layer for layer in layers if is_threshold(layer)]
    assert len(threshold) == 1
    (limit,) = threshold
    assert limit["mark"]["color"] == REFERENCE.colour
    assert limit["mark"]["strokeWidth"] == REFERENCE.width
    assert dashes_of(limit) == [REFERENCE.dash]
    for layer in layers:
        if layer is not limit:  # the series, the country, the breaks: never the reference dash
            assert REFERENCE.dash not in dashes_of(layer), layer["mark"]


def alt_rows() -> pd.DataFrame:
    """A group's rule rows over 2019-06 … 2026-10 as `rule_rows` makes them (a threshold of 80
    from 2020, then 75): a stand-in for the tests of the specs' shape."""
    return pd.DataFrame(
        [
            {"t": ms("2020-01"), "part": LIMIT, "share": 80.0, "seg": "a"},
            {"t": ms("2026-10"), "part": LIMIT, "share": 80.0, "seg": "a", "label": "L"},
            {"t": ms("2020-01"), "part": theme.BREAK, "label": "Regler 2020"},
        ]
    )


def test_the_rule_is_named_once_at_the_end_of_its_current_segment(registry):
    dagpenge = registry.target_group("dagpenge")  # STAR's 80 % from 2020, the law's 75 % later
    rows = [r for r in rule_rows([dagpenge], months("2019-06", "2026-10")) if r["part"] == LIMIT]
    segments = sorted({r["seg"] for r in rows})
    assert len(segments) == 2
    named = [r for r in rows if r.get("label")]
    assert len(named) == 1
    (name,) = named
    current = [r for r in rows if r["seg"] == segments[-1]]
    assert name in current and name["t"] == max(r["t"] for r in current) == ms("2026-10")
    # the words are the rule's own, as the rest of the site says them
    assert name["label"] == limit_label(dagpenge.rule_for("2026-10").flag)
    assert name["label"] == "Lovens krav på 75 %" and name["share"] == 75.0
    assert name["below"] is True  # the higher line before it would run through the words
    # before the change, STAR's line is the current one, named above it
    earlier = rule_rows([dagpenge], months("2019-06", "2026-05"))
    (before,) = [r for r in earlier if r["part"] == LIMIT and r.get("label")]
    assert before["label"] == "STAR's grænse på 80 %" and before["below"] is False


def test_a_group_without_a_line_has_neither_line_nor_name(registry):
    view = registry.for_indicator("passivandel")
    groups = list(view.target_groups)
    rows = rule_rows(groups, months("2025-01", "2026-10"), panels=True)
    limits = [r for r in rows if r["part"] == LIMIT]
    # one row a panel keeps its threshold layers from being empty: a point, no words
    assert sorted(r["pi"] for r in limits) == list(range(len(groups)))
    assert {r["label"] for r in limits} == {""}
    first = pd.DataFrame([r for r in rows if r["pi"] == 0])
    svg = draw.render(("svg", json.dumps(trend_panel(first).to_dict()))).decode()
    drawn = re.findall(rf'<path [^>]*d="([^"]*)"[^>]*stroke="{REFERENCE.colour}"', svg)
    assert all("L" not in d for d in drawn)  # no line to see


def test_the_name_is_drawn_at_the_line_end_over_the_series(registry):
    dagpenge = registry.target_group("dagpenge")
    span = months("2025-01", "2026-10")
    values = rule_rows([dagpenge], span, panels=True)
    spec = trend_panel(pd.DataFrame(values)).to_dict()
    layers = spec["layer"]
    named = [i for i, layer in enumerate(layers) if "datum.label" in json.dumps(layer)]
    series = next(
        i for i, layer in enumerate(layers) if layer["encoding"].get("color", {}).get("field")
    )
    assert named and min(named) > series  # drawn after (over) the series
    svg = draw.render(("svg", json.dumps(spec))).decode()
    words = re.findall(
        r'<text text-anchor="end" transform="translate\(([\d.]+),[\d.]+\)"[^>]*>'
        r"Lovens krav på 75 %</text>",
        svg,
    )
    assert len(words) == 2  # the words on their white halo
    # the line's last point: the end of the threshold's dashed path
    paths = re.findall(rf'<path [^>]*d="([^"]*)"[^>]*stroke="{REFERENCE.colour}"', svg)
    last_x = max(float(x) for path in paths for x in re.findall(r"[ML]([\d.]+),", path))
    assert all(abs(float(x) - last_x) < 1 for x in words)
    assert f'stroke-dasharray="{",".join(map(str, REFERENCE.dash))}"' in svg


def test_each_panel_keeps_its_layers_from_being_empty(registry):
    groups = [registry.target_group("dagpenge"), registry.target_group("sygedagpenge")]
    span = months("2025-01", "2025-03")  # no break in the span, no lone figure
    values = rule_rows(groups, span, panels=True)
    assert {r["pi"] for r in values if r["part"] == theme.BREAK and r.get("ghost")} == {0, 1}
    national = [
        type("Row", (), {"target_group": g.id, "period": p, "share": 60.0, "persons": 100})()
        for g in groups
        for p in span
    ]
    rows = series_rows([("Hele landet", theme.NATIONAL, national)], groups, span)
    assert {r["pi"] for r in rows if r.get("part") == theme.DOT and r.get("ghost")} == {0, 1}
