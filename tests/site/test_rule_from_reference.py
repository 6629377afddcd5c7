"""The rule's words come from the reference data: a site built with the law's 75 % changed to
70 % in a copy of the reference data says 70 % wherever it states the rule, and 75 % nowhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SMALL_REFERENCE, build_site
from stand_in import STAND_IN

from samtaletjek import store
from samtaletjek.ingest import demo
from samtaletjek.store.reference import load_registry

LAW = 'id = "lov"\nkind = "share"\npct = 75'
# "75 %" as a rule says it; a figure is written with a decimal ("75,0 %").
STATED = re.compile(r"(?<![\d,.])(7[05]) %")


@pytest.fixture(scope="module")
def seventy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seventy")
    reference = root / "reference"
    shutil.copytree(SMALL_REFERENCE, reference)
    rules = reference / "maalgrupper.toml"
    text = rules.read_text(encoding="utf-8")
    assert LAW in text
    rules.write_text(text.replace(LAW, LAW[:-2] + "70"), encoding="utf-8")
    tilbud = reference / "indikatorer.toml"
    law_offer = 'id = "lov-tilbud"\nkind = "share"\npct = 75'
    text = tilbud.read_text(encoding="utf-8")
    assert law_offer in text
    tilbud.write_text(text.replace(law_offer, law_offer[:-2] + "70"), encoding="utf-8")
    registry = load_registry(reference)
    frame = demo.generate(registry, start="2026-01", end="2026-10")
    store.write_data(root / "data", frame, demo.demo_manifest(), [])
    return build_site(
        root / "data", root / "output", root / "cache", STAND_IN, reference_dir=reference
    )


def test_the_law_is_stated_as_70_everywhere_and_75_nowhere(seventy: Path):
    stated: dict[str, set[str]] = {}
    for path in sorted(seventy.rglob("*")):
        if path.suffix not in (".html", ".xml", ".csv", ".md", ".json", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        for number in set(STATED.findall(text)):
            stated.setdefault(number, set()).add(path.relative_to(seventy).as_posix())
    assert "75" not in stated, sorted(stated.get("75", ()))[:10]
    places = stated["70"]
    for page in (
        "maalgruppe/dagpenge/index.html",  # its rules and key figures
        "kommune/varde/index.html",  # the cards and the rules under them
        "metode/index.html",  # the method page, made from the reference data
        "kort/dagpenge/index.html",  # the map's legend and rule
        "data/README.md",  # the downloads' documentation
        "tilbud/index.html",  # the offer's page
    ):
        assert page in places, page
    assert "lovens krav på 70 %" in (seventy / "maalgruppe/dagpenge/index.html").read_text("utf-8")
