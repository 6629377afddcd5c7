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
from ..domain.registry import FlagRule, Municipality, Registry, Rule, TargetGroup
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


# Official names where they are not "<navn> Kommune" (the genitive, or a region municipality).
_OFFICIAL_NAMES: dict[int, str] = {
    101: "Københavns Kommune",
    400: "Bornholms Regionskommune",
    480: "Nordfyns Kommune",
    820: "Vesthimmerlands Kommune",
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
                official_name=_OFFICIAL_NAMES.get(code, f"{row['navn']} Kommune"),
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
    return _registry(tuple(municipalities), spec, str(path))


def _registry(municipalities: tuple[Municipality, ...], spec: dict, path: str) -> Registry:
    """Build the Registry from `maalgrupper.toml`'s tables; a reference to an unknown flag rule
    or target group is an error naming the file."""
    try:
        flags = {raw["id"]: FlagRule(**raw) for raw in spec.get("flag_rule", [])}
        rules: dict[str, list[Rule]] = {}
        groups_known = {raw["id"] for raw in spec["target_group"]}
        for n, raw in enumerate(spec.get("rule", []), start=1):
            where = f"rule {n} ({raw.get('target_group')}, from {raw.get('valid_from') or '–'})"
            if raw.get("target_group") not in groups_known:
                raise ValueError(f"{where}: unknown target_group")
            if raw.get("flag") not in flags:
                raise ValueError(f"{where}: flag {raw.get('flag')!r} is not a [[flag_rule]] id")
            rules.setdefault(raw["target_group"], []).append(
                Rule(**{**raw, "flag": flags[raw["flag"]]})
            )
        groups = tuple(
            TargetGroup(
                **raw, rules=tuple(sorted(rules.get(raw["id"], []), key=lambda r: r.valid_from))
            )
            for raw in spec["target_group"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataErrors([DataError(path, None, None, f"not a valid rule table: {exc}")]) from None
    return Registry(municipalities, groups, tuple(flags.values()))


def load_topology(reference_dir: Path) -> dict:
    """Read the simplified municipality boundaries (TopoJSON) from the reference data."""
    return json.loads((reference_dir / TOPOLOGY_FILE).read_text(encoding="utf-8"))
