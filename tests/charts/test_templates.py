"""Every chart shape the site compiles is valid Vega-Lite. A build compiles its templates
without Altair's schema validation (it cost half the build's Python time); here each one is
compiled both ways and must come out the same."""

import ast
import importlib
from pathlib import Path

import orjson
import pytest

from samtaletjek.charts import maps, ranking, share_card, specs, trends
from samtaletjek.charts.theme import MUNICIPALITY, NATIONAL, STYLES

CARD = share_card.share_card(
    "Varde",
    "82,0 % af dagpengemodtagere fik samtalerne til tiden",
    "oktober 2026 · over linjen · hele landet 80,1 %",
    "Samtaletjek",
    [
        ("Varde", STYLES[MUNICIPALITY], [(1514764800000, 80.5), (1517443200000, None)]),
        ("Hele landet", STYLES[NATIONAL], [(1514764800000, 79.0), (1517443200000, 81.0)]),
    ],
)


@pytest.mark.parametrize(
    "template, args",
    [
        (trends.trend_template, (False,)),
        (trends.trend_template, (True,)),
        (trends._lines_template, (False,)),
        (trends._lines_template, (True,)),
        (ranking._ranking_template, ((("På listen", "#b3261e"), ("Over", "#0b5394")), False)),
        (ranking._ranking_template, ((("Kommuner", "#0b5394"),), True, ranking.WIDTHS["wide"])),
        (share_card.share_card_spec, (CARD,)),
        (maps._template, (340, False, False, True)),
        (maps._template, (640, True, True, False)),
        (maps._template, (260, True, True, False, True)),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_templates_are_valid_vega_lite(template, args):
    assert template(*args, validate=True) == template(*args)


def test_spec_json_writes_the_bytes_of_the_standard_library():
    """orjson writes the specs; the bytes (and so every cache key) are json.dumps's for every
    value a spec holds (only a float written with an exponent, 1e-7, which no share or
    count is, would differ: orjson leaves out json's zero, 1e-07)."""
    import json

    from samtaletjek.charts.specs import spec_json

    spec = {
        "ø": [1, 2.5, 0.1 + 0.2, -0.0, 123456789012, None, True, False],
        "b": {"z": 'Høje-Taastrup "citat" \\ \n\t', "a": "–", "å": {"emoji": "😀"}},
        "A": 40.0,
    }
    assert spec_json(spec) == json.dumps(
        spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _fresh(key: str) -> str:
    """The shape a stored key names (`module.function(args)`), compiled now."""
    name, _, args = key.partition("(")
    module, _, function = name.rpartition(".")
    make = getattr(importlib.import_module(module), function).__wrapped__
    return make(*ast.literal_eval(f"({args}"))


def test_the_stored_shapes_are_those_the_code_compiles():
    """The build fills the stored shapes in (charts/compiled.json): stored for this code, and
    each the same as compiled now. After a change to the charts: python tools/store_charts.py"""
    store = orjson.loads(specs.STORE.read_bytes())
    assert store["code"] == specs.code_fingerprint(), "run: python tools/store_charts.py"
    assert len(store["shapes"]) >= 16  # the trend panels, lines, rankings and maps of a build
    for key, text in store["shapes"].items():
        assert text == _fresh(key), key


def test_a_store_for_other_code_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A store whose fingerprint is not the code's (the charts changed since) is left alone:
    every shape is compiled, so a stale store can make a build slower, never wrong."""
    store = orjson.loads(specs.STORE.read_bytes())
    key = "samtaletjek.charts.trends._lines_template(False,)"
    stale = {"code": "other code", "shapes": {**store["shapes"], key: '{"stale": true}'}}
    (tmp_path / "compiled.json").write_bytes(orjson.dumps(stale))
    monkeypatch.setattr(specs, "STORE", tmp_path / "compiled.json")
    monkeypatch.setattr(specs, "compiled_now", {})
    specs._stored.cache_clear()
    trends._lines_template.cache_clear()
    try:
        assert specs._stored() == {}
        assert trends._lines_template(False) == _fresh(key) == specs.compiled_now[key]
    finally:
        specs._stored.cache_clear()
        trends._lines_template.cache_clear()
