"""The reference vocabulary: municipalities, frikommune flags, population, target groups and
their rules by period.

Pure: `samtaletjek.store.reference` reads the files in `site_data/reference/` and builds the
Registry; nothing here is hard-coded but the shape of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .danish import fold


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
