"""Reader of the reference data in `site_data/reference/`, read once, at the edge, and passed in.

Formats: `kommuner.csv` (UTF-8 CSV: kode, navn, region, regionskode, amk, dagi_navn),
`frikommuner.csv` (kode and one 0/1 column per frikommune experiment), `population.csv`
(kode, folketal), `maalgrupper.toml` and `indikatorer.toml` (the indicators, their target
groups and their rules by period; TOML tables `indicator`, `flag_rule`, `target_group`,
`rule`, the last two with an `indicator` key that defaults to samtaler) and
`kommuner.topojson` (TopoJSON boundaries, object `kommuner`, properties `kode` and `navn`).
"""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

from ..domain.danish import slugify
from ..domain.registry import (
    DEFAULT_INDICATOR,
    FlagRule,
    Indicator,
    Municipality,
    Registry,
    Rule,
    TargetGroup,
)
from ..errors import DataError, DataErrors

TOPOLOGY_FILE = "kommuner.topojson"
# The indicators, their target groups and their rules by period: samtaler in the first, the
# active offer and passivity in the second (which also says how the site speaks of each).
RULE_FILES = ("maalgrupper.toml", "indikatorer.toml")

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

    specs = [(str(reference_dir / name), _read_toml(reference_dir / name)) for name in RULE_FILES]
    return _registry(tuple(municipalities), specs)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataErrors([DataError(str(path), None, None, "reference file is missing")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataErrors([DataError(str(path), None, None, f"not valid TOML: {exc}")]) from None


def _registry(municipalities: tuple[Municipality, ...], specs: list[tuple[str, dict]]) -> Registry:
    """Build the Registry from the rule files' tables (`RULE_FILES`, read as one: a flag rule
    of one may be used by the other); a reference to an unknown indicator, flag rule or target
    group is an error naming the file it is in."""
    flags: dict[str, FlagRule] = {}
    indicators: dict[str, Indicator] = {}
    for path, spec in specs:
        try:
            flags.update({raw["id"]: FlagRule(**raw) for raw in spec.get("flag_rule", [])})
            indicators.update({raw["id"]: Indicator(**raw) for raw in spec.get("indicator", [])})
        except (KeyError, TypeError) as exc:
            raise DataErrors([DataError(path, None, None, f"not a valid table: {exc}")]) from None
    groups: list[TargetGroup] = []
    for path, spec in specs:
        try:
            groups += _groups(spec, flags, indicators)
        except (KeyError, TypeError, ValueError) as exc:
            error = DataError(path, None, None, f"not a valid rule table: {exc}")
            raise DataErrors([error]) from None
    ordered = tuple(sorted(indicators.values(), key=lambda i: i.order))
    samtaler = tuple(g for g in groups if g.indicator == DEFAULT_INDICATOR)
    return Registry(municipalities, samtaler, tuple(flags.values()), ordered, tuple(groups))


def _groups(
    spec: dict, flags: dict[str, FlagRule], indicators: dict[str, Indicator]
) -> list[TargetGroup]:
    rules: dict[tuple[str, str], list[Rule]] = {}
    known = set()
    for raw in spec.get("target_group", []):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        if indicator not in indicators:
            raise ValueError(f"target_group {raw.get('id')}: unknown indicator {indicator!r}")
        known.add((indicator, raw["id"]))
    for n, raw in enumerate(spec.get("rule", []), start=1):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        start = raw.get("valid_from") or "–"
        where = f"rule {n} ({indicator}, {raw.get('target_group')}, from {start})"
        if (indicator, raw.get("target_group")) not in known:
            raise ValueError(f"{where}: unknown target_group")
        if raw.get("flag") not in flags:
            raise ValueError(f"{where}: flag {raw.get('flag')!r} is not a [[flag_rule]] id")
        rules.setdefault((indicator, raw["target_group"]), []).append(
            Rule(**{**raw, "flag": flags[raw["flag"]]})
        )
    groups = []
    for raw in spec.get("target_group", []):
        indicator = raw.get("indicator", DEFAULT_INDICATOR)
        own = tuple(sorted(rules.get((indicator, raw["id"]), []), key=lambda r: r.valid_from))
        folder = "maalgruppe" if indicator == DEFAULT_INDICATOR else indicators[indicator].slug
        groups.append(TargetGroup(**raw, rules=own, folder=folder))
    return groups


def load_topology(reference_dir: Path) -> dict:
    """Read the simplified municipality boundaries (TopoJSON) from the reference data."""
    return json.loads((reference_dir / TOPOLOGY_FILE).read_text(encoding="utf-8"))
