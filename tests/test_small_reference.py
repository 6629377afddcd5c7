"""The small fixture's reference data is what tests/fixtures/small/make_reference.py cuts from
samtaletjek/reference/ now: a rule changed there is a rule changed in every test site."""

from __future__ import annotations

import importlib.util
import json

from conftest import SMALL, SMALL_REFERENCE

from samtaletjek.store.reference import load_registry, load_topology


def maker():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("make_reference", SMALL / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_small_reference_is_cut_from_the_projects_as_it_is_now():
    make = maker()
    stale = [
        name
        for name in (*make.CSV_FILES, *make.COPIED)
        if (SMALL_REFERENCE / name).read_text(encoding="utf-8")
        != (
            make.cut_csv((make.SOURCE / name).read_text(encoding="utf-8"))
            if name in make.CSV_FILES
            else (make.SOURCE / name).read_text(encoding="utf-8")
        )
    ]
    source = json.loads((make.SOURCE / "kommuner.topojson").read_text(encoding="utf-8"))
    if load_topology(SMALL_REFERENCE) != make.cut_topology(source):
        stale.append("kommuner.topojson")
    assert not stale, f"run python3 tests/fixtures/small/make_reference.py ({', '.join(stale)})"


def test_the_small_reference_has_its_municipalities_and_their_boundaries(registry):
    small = load_registry(SMALL_REFERENCE)
    codes = [m.code for m in small.municipalities]
    assert codes == sorted(maker().CODES)
    assert {m.region for m in small.municipalities} == {m.region for m in registry.municipalities}
    assert small.target_groups == registry.target_groups
    assert small.indicators == registry.indicators
    topology = load_topology(SMALL_REFERENCE)
    geometries = topology["objects"]["kommuner"]["geometries"]
    assert sorted(g["properties"]["kode"] for g in geometries) == codes

    def arcs(node: object) -> list[int]:
        return [a for n in node for a in arcs(n)] if isinstance(node, list) else [node]

    used = {a if a >= 0 else ~a for g in geometries for a in arcs(g["arcs"])}
    assert used == set(range(len(topology["arcs"])))  # every arc used, every reference valid
