"""The ranking reads on a phone and a wide screen: a picture for each width, 11 px labels and
every bar's figure with a decimal comma; with many municipalities only the first and last
15, the rest in the table under it, as the caption says."""

import json
import re

import pytest
from conftest import canonical_frame

from samtaletjek.build import options
from samtaletjek.charts import theme
from samtaletjek.charts.ranking import WIDTHS, ranking_spec
from samtaletjek.domain.metrics import compute
from samtaletjek.pages.status import bar_statuses
from samtaletjek.pages.target_group import SHOWN, _bars, target_group_page
from samtaletjek.publish import draw
from samtaletjek.settings import Settings

STATUSES = bar_statuses(True, 6)
MONTH = "2026-10"


def bars(n: int) -> list[dict]:
    """`n` municipalities' bars, highest share first, as the page orders them."""
    return [
        {
            "municipality": f"Kommune {k}",
            "share": round(99.5 - k * 0.7, 1),
            "persons": 100,
            "status": STATUSES[2][0],
        }
        for k in range(n)
    ]


def test_many_bars_become_the_first_and_last_15_and_a_row_for_the_rest():
    shown, left_out = _bars(bars(98))
    assert left_out == 98 - 2 * SHOWN == 68
    assert len(shown) == 2 * SHOWN + 1
    assert [r["order"] for r in shown] == list(range(len(shown)))
    names = [r["municipality"] for r in shown]
    assert names[:SHOWN] == [f"Kommune {k}" for k in range(SHOWN)]
    assert names[-SHOWN:] == [f"Kommune {k}" for k in range(98 - SHOWN, 98)]
    gap = shown[SHOWN]
    assert gap["share"] is None and gap["note"] == "68 flere i tabellen"


def test_a_few_bars_are_all_shown():
    shown, left_out = _bars(bars(2 * SHOWN + 4))  # leaving out 4 would hide too little
    assert left_out == 0 and len(shown) == 2 * SHOWN + 4
    assert not [r for r in shown if "note" in r]


@pytest.fixture(scope="module")
def page(registry):
    """The dagpenge page of a month with all 98 municipalities, each with its own share."""
    rows = [
        (MONTH, m.code, "dagpenge", 200, 60 + k)
        for k, m in enumerate(sorted(registry.municipalities, key=lambda m: m.code))
    ]
    metrics = compute(canonical_frame(rows), registry, 10)
    return target_group_page(
        registry.target_group("dagpenge"), metrics, registry, options(Settings())
    )


def test_the_page_says_which_bars_the_chart_shows(page):
    chart = page.ranking_chart
    assert chart.title == f"De {SHOWN} højeste og de {SHOWN} laveste andele, oktober 2026"
    assert f"de {SHOWN} kommuner øverst og de {SHOWN} nederst" in chart.caption
    assert "resten står i tabellen nedenfor" in chart.caption
    assert len(page.rows) == 98  # the table under it has them all
    ranked = sorted(chart.static_spec["datasets"]["ranking"], key=lambda r: r["order"])
    assert len(ranked) == 2 * SHOWN + 1
    shares = [r["share"] for r in ranked if r["share"] is not None]
    assert shares == sorted(shares, reverse=True)  # the highest share on top
    # a picture for the phone, the tablet and the wide screen, each as wide as its screen
    assert chart.static_spec["width"] == WIDTHS["narrow"] <= 328
    assert {v.screen: v.static_spec["width"] for v in chart.variants} == {
        "medium": WIDTHS["medium"],
        "wide": WIDTHS["wide"],
    }


def test_the_bars_keep_the_sites_status_colours(page):
    colour = page.ranking_chart.static_spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"] == [c for _, c in STATUSES]
    assert theme.FLAG_COLOUR in colour["range"] and theme.BELOW_COLOUR in colour["range"]
    legend = [e for e in page.ranking_chart.legend if e.kind == "bar"]
    assert [(e.label, e.colour) for e in legend] == list(STATUSES)


def text_sizes(spec: dict) -> list[float]:
    """The font size of every text mark and axis label of a spec (the theme's where unset)."""
    sizes = [
        layer["mark"].get("fontSize", 11)
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text"
    ]
    axes = [layer["encoding"].get("y", {}).get("axis") or {} for layer in spec["layer"]]
    sizes += [a["labelFontSize"] for a in axes if "labelFontSize" in a]
    return sizes + [spec["config"]["axis"]["labelFontSize"]]


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_labels_are_11_px_and_figures_have_a_decimal_comma(screen):
    rows, _ = _bars(bars(40))
    references = [
        {"value": 75.0, "part": theme.LIMIT, "label": "Lovens krav på 75 %"},
        {"value": 78.0, "part": "land", "label": "Hele landet 78,0 %"},
    ]
    spec = ranking_spec(rows, references, STATUSES, False, WIDTHS[screen])
    assert min(text_sizes(spec)) >= theme.LABEL_SIZE == 11
    svg = draw.render(("svg", json.dumps(spec))).decode()  # as the build draws it, in Danish
    # the whole picture is the screen's width: shown unscaled, its 11 px text stays 11 px
    assert re.match(rf'<svg [^>]*width="{WIDTHS[screen]}"', svg)
    figures = re.findall(r">(\d+[.,]\d)</text>", svg)
    assert "99,5" in figures and not [f for f in figures if "." in f]
    assert "Lovens krav på 75 %" in svg and "Hele landet 78,0 %" in svg
    assert "10 flere i tabellen" in svg
    sizes = {float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)}
    assert min(sizes) >= 11
