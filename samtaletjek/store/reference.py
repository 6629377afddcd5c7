"""Reader of the reference data in `site_data/reference/`, read once, at the edge, and passed in.

Formats: `kommuner.csv` (UTF-8 CSV: kode, navn, region, regionskode, amk, dagi_navn),
`frikommuner.csv` (kode and one 0/1 column per frikommune experiment), `population.csv`
(kode, folketal), `maalgrupper.toml` (the target groups and their rules by period) and
`kommuner.topojson` (TopoJSON boundaries, object `kommuner`, properties `kode` and `navn`).
"""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

from ..domain.danish import slugify
from ..domain.registry import Municipality, Registry, Rule, TargetGroup
from ..errors import DataError, DataErrors

TOPOLOGY_FILE = "kommuner.topojson"

# Spellings seen in sources (DOMAIN.md) that folding alone does not reconcile.
_EXTRA_ALIASES: dict[int, tuple[str, ...]] = {
    400: ("Bornholms Regionskommune", "Bornholms"),
    480: ("Nordfyns",),
    820: ("Vesthimmerlands",),
    751: ("Århus",),
    169: ("Høje Taastrup",),
    101: ("Københavns", "Københavns Kommune"),
}


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "reference file is missing")]) from None


def load_registry(reference_dir: Path) -> Registry:
    """Read the reference files in `reference_dir` into a Registry."""
    population = {
        int(r["kode"]): int(r["folketal"]) for r in _read_csv(reference_dir / "population.csv")
    }
    fri = {int(r["kode"]): r for r in _read_csv(reference_dir / "frikommuner.csv")}
    municipalities = []
    for row in _read_csv(reference_dir / "kommuner.csv"):
        code = int(row["kode"])
        flags = fri.get(code, {})
        aliases = {row["dagi_navn"], *_EXTRA_ALIASES.get(code, ())} - {row["navn"]}
        municipalities.append(
            Municipality(
                code=code,
                name=row["navn"],
                slug=slugify(row["navn"]),
                region=row["region"],
                region_code=int(row["regionskode"]),
                amk=row["amk"],
                population=population.get(code),
                frikommune_i=flags.get("frikommune_I_beskaeftigelse_2012_2019") == "1",
                frikommune_ii_nord=flags.get("frikommune_II_nordjysk_beskaeftigelse_2017_2021")
                == "1",
                frikommune_ii_plan=flags.get("frikommune_II_en_plan_2017_2020") == "1",
                aliases=tuple(sorted(aliases)),
            )
        )
    municipalities.sort(key=lambda m: m.code)

    path = reference_dir / "maalgrupper.toml"
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "reference file is missing")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataErrors([DataError(str(path), None, None, f"not valid TOML: {exc}")]) from None
    rules: dict[str, list[Rule]] = {}
    for raw in spec.get("rule", []):
        rules.setdefault(raw["target_group"], []).append(Rule(**raw))
    groups = tuple(
        TargetGroup(
            **raw, rules=tuple(sorted(rules.get(raw["id"], []), key=lambda r: r.valid_from))
        )
        for raw in spec["target_group"]
    )
    return Registry(
        municipalities=tuple(municipalities),
        target_groups=groups,
        rule_change=spec["rule_change"],
        rule_change_label=spec["rule_change_label"],
        later_change_note=spec.get("later_change_note", ""),
    )


def load_topology(reference_dir: Path) -> dict:
    """Read the simplified municipality boundaries (TopoJSON) from the reference data."""
    return json.loads((reference_dir / TOPOLOGY_FILE).read_text(encoding="utf-8"))
