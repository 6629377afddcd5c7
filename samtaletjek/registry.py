"""Reference data: municipalities, frikommune flags, population, target groups and their rules.

Everything here is read from `<data>/reference/` (CSV and TOML copied from the project's
domain notes); nothing is hard-coded but the shape of the files.
"""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, DataErrors

_SLUG_MAP = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slugify(name: str) -> str:
    """Return the URL slug of a Danish name: `Høje-Taastrup` → `hoeje-taastrup`."""
    text = name.lower().translate(_SLUG_MAP)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def fold(text: str) -> str:
    """Return text folded for matching: lower case, æøå spelled out, accents and spacing gone."""
    return slugify(text).replace("-", "")


@dataclass(frozen=True)
class Municipality:
    code: int
    name: str
    slug: str
    region: str
    region_code: int
    amk: str
    population: int | None
    frikommune_i: bool
    frikommune_ii_nord: bool
    frikommune_ii_plan: bool
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    target_group: str
    requirement: str
    legal_source: str
    valid_from: str = ""  # YYYY-MM-DD, empty = open
    valid_to: str = ""
    threshold: int | None = None
    uncertain: bool = False
    uncertain_note: str = ""

    def applies_to(self, period: str) -> bool:
        """Return True if the rule was in force in the month `period` (YYYY-MM)."""
        start = self.valid_from[:7] or "0000-00"
        end = self.valid_to[:7] or "9999-99"
        return start <= period <= end


@dataclass(frozen=True)
class TargetGroup:
    id: str
    name: str
    short: str
    noun: str
    description: str
    rules: tuple[Rule, ...] = ()

    def rule_for(self, period: str) -> Rule | None:
        """Return the rule in force in `period`, or None."""
        return next((r for r in self.rules if r.applies_to(period)), None)


@dataclass(frozen=True)
class Registry:
    municipalities: tuple[Municipality, ...]
    target_groups: tuple[TargetGroup, ...]
    rule_change: str  # YYYY-MM of the series break
    rule_change_label: str
    later_change_note: str
    _by_code: dict[int, Municipality] = field(default_factory=dict, repr=False, compare=False)
    _by_folded: dict[str, Municipality] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({m.code: m for m in self.municipalities})
        for m in self.municipalities:
            for alias in (m.name, *m.aliases):
                self._by_folded[fold(alias)] = m

    def municipality(self, code: int) -> Municipality:
        return self._by_code[code]

    def has_code(self, code: int) -> bool:
        return code in self._by_code

    def find_municipality(self, name: str) -> Municipality | None:
        """Return the municipality a source name means (variants, `*` marker, case), or None."""
        cleaned = name.strip().rstrip("*").strip()
        return self._by_folded.get(fold(cleaned))

    def target_group(self, group_id: str) -> TargetGroup:
        return next(g for g in self.target_groups if g.id == group_id)

    @property
    def target_group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.target_groups)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({m.region for m in self.municipalities}))


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
