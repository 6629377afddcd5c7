"""The reference vocabulary: municipalities, frikommune flags, population, target groups and
their rules by period.

Pure: `samtaletjek.store.reference` reads the files in `samtaletjek/reference/` and builds the
Registry; nothing here is hard-coded but the shape of the data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .danish import fold
from .periods import shift_period


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
    official_name: str = ""  # "Københavns Kommune", "Bornholms Regionskommune"
    notes: tuple[str, ...] = ()  # what its frikommune experiments meant, from the reference data


DEFAULT_INDICATOR = "samtaler"  # what a row without an indicator measures
# The population figures of population.csv (samtaletjek/reference/README.md), as pages credit them.
POPULATION_SOURCE = "Danmarks Statistik (FOLK1A, 1. januar 2025)"


@dataclass(frozen=True)
class Indicator:
    """What a share measures, and how the site speaks of it: samtaler (the required job
    conversations), tilbud (an active offer within 6 months) or passivandel (no active effort
    in the last 12 months)."""

    id: str
    name: str  # "Tilbud inden for 6 måneder"
    short: str  # for switches and tabs: "Tilbud"
    slug: str  # its pages' folder: "tilbud"
    got: str  # what the counted persons did, after "andel der": "fik et tilbud inden for 6 måneder"
    counted: str  # the counted persons, as a column heading: "Personer med et tilbud"
    question: str  # the page's question: "Får de ledige et tilbud i tide?"
    description: str  # what is measured, for the method text
    source: str  # where the figures come from
    higher_is_better: bool = True  # passivity: lower is better
    verb: str = "fik"  # before the rule's measure: "fik mindst 4 samtaler", "havde ingen …"
    order: int = 0

    @property
    def share_label(self) -> str:
        """ "andel der fik et tilbud inden for 6 måneder" """
        return f"andel der {self.got}"


@dataclass(frozen=True)
class FlagRule:
    """The rule a month's share is held against: STAR's follow-up line or the law's share.

    kind "run": STAR's follow-up line, `pct` (a municipality under it for `months` months
    running is contacted); kind "share": the law's share, `pct`, for every month; kind
    "none": no line is set (passivity, and samtaler before 2020), so no month is judged.
    Only months with at least `min_persons` persons are judged.
    """

    id: str
    kind: str
    pct: float
    months: int
    min_persons: int
    label: str  # what a month under it is: "under lovens krav på 75 %"
    name: str  # the rule's name: "Lovens krav"
    explanation: str
    source: str
    uncertain: bool = False
    uncertain_note: str = ""
    follow_up: str = ""  # what the authority does today with a municipality under the line

    @property
    def sets_line(self) -> bool:
        """False for a rule that sets no line: its months are shown, not judged."""
        return self.kind != "none"

    @property
    def line(self) -> str:
        """The threshold in one phrase: "lovens krav på 75 %", "STAR's grænse på 80 % i 6
        måneder"."""
        return self.label.removeprefix("under ")


@dataclass(frozen=True)
class Break:
    """A series break: the requirement changed in `month`, so figures before and after do not
    measure the same thing."""

    month: str  # YYYY-MM
    label: str  # short, for charts: "Regler 2020"
    uncertain: bool = False
    expected: bool = False


@dataclass(frozen=True)
class Rule:
    """What the law required of one target group in one period, and the line its months are
    held against."""

    target_group: str
    requirement: str
    legal_source: str
    flag: FlagRule
    indicator: str = DEFAULT_INDICATOR
    measure: str = ""  # what the share counts, where `measured` does not say it
    valid_from: str = ""  # YYYY-MM-DD, empty = open
    valid_to: str = ""
    measured: int | None = None  # the N in "andel med mindst N samtaler"
    series_break: bool = False  # the requirement changed when this rule began
    break_label: str = ""
    break_uncertain: bool = False  # whether the requirement changed then is not settled
    expected: bool = False  # announced, not yet in force
    uncertain: bool = False
    uncertain_note: str = ""

    def applies_to(self, period: str) -> bool:
        """Return True if the rule was in force in the month `period` (YYYY-MM)."""
        start = self.valid_from[:7] or "0000-00"
        end = self.valid_to[:7] or "9999-99"
        return start <= period <= end

    @property
    def first_month(self) -> str:
        return self.valid_from[:7]


@dataclass(frozen=True)
class TargetGroup:
    id: str
    name: str
    short: str
    noun: str
    description: str
    rules: tuple[Rule, ...] = ()
    indicator: str = DEFAULT_INDICATOR  # the same group may be measured by several indicators
    folder: str = "maalgruppe"  # where its pages are: maalgruppe/<id>/, tilbud/<id>/
    valid_from: str = ""  # YYYY-MM the group begins; empty = always existed
    valid_to: str = ""  # YYYY-MM the group ends (e.g. merged by a reform); empty = open
    continues: str = ""  # the id of the group of the same indicator this one carries on

    @property
    def within(self) -> str:
        """Where the group's pages go inside a folder every indicator shares (kort/,
        sammenlign/, embed/<kommune>/): "" for samtaler's groups, "tilbud/" for tilbud's."""
        return "" if self.indicator == DEFAULT_INDICATOR else f"{self.folder}/"

    @property
    def key(self) -> str:
        """Unique across indicators: "dagpenge" for samtaler, "tilbud-dagpenge" for tilbud."""
        return self.id if self.indicator == DEFAULT_INDICATOR else f"{self.indicator}-{self.id}"

    def rule_for(self, period: str) -> Rule | None:
        """Return the rule in force in `period`, or None."""
        return next((r for r in self.rules if r.applies_to(period)), None)

    def lines_between(self, start: str, end: str) -> tuple[tuple[FlagRule, str, str], ...]:
        """The lines months `start` … `end` were held against, in order, each with its first
        and last month (months under lines of the same height are one stretch). Worked out
        from the rules' periods, not month by month: the rules of a group never overlap."""
        stretches: list[tuple[FlagRule, str, str]] = []
        for rule in sorted(self.rules, key=lambda r: r.valid_from):
            if not rule.flag.sets_line:
                continue
            first = max(start, rule.valid_from[:7] or start)
            last_month = min(end, rule.valid_to[:7] or end)
            if first > last_month:
                continue
            last = stretches[-1] if stretches else None
            if last and last[0].pct == rule.flag.pct and last[2] == shift_period(first, -1):
                stretches[-1] = (last[0], last[1], last_month)
            else:
                stretches.append((rule.flag, first, last_month))
        return tuple(stretches)

    def first_line(self, month: str) -> bool:
        """True when `month` is the first month held against a line (the month before has
        none): a run that starts there may have begun before anyone counted."""
        rule, before = self.rule_for(month), self.rule_for(shift_period(month, -1))
        has_line = rule is not None and rule.flag.sets_line
        return has_line and (before is None or not before.flag.sets_line)

    def exists_in(self, period: str) -> bool:
        """True if the group existed in the month `period`."""
        return (self.valid_from or "0000-00") <= period <= (self.valid_to or "9999-99")

    @property
    def breaks(self) -> tuple[Break, ...]:
        """Every series break of the group, oldest first."""
        return tuple(
            Break(r.first_month, r.break_label, r.break_uncertain, r.expected)
            for r in self.rules
            if r.series_break and r.valid_from
        )

    def breaks_between(self, start: str, end: str) -> tuple[Break, ...]:
        """The breaks a comparison of `start` with `end` crosses (start < break month ≤ end)."""
        low, high = min(start, end), max(start, end)
        return tuple(b for b in self.breaks if low < b.month <= high)


@dataclass(frozen=True)
class Registry:
    """The reference vocabulary, seen through one indicator: `target_groups` are that
    indicator's groups (samtaler's by default); `for_indicator` gives the view of another."""

    municipalities: tuple[Municipality, ...]
    target_groups: tuple[TargetGroup, ...]
    flag_rules: tuple[FlagRule, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    all_groups: tuple[TargetGroup, ...] = ()  # every indicator's groups
    # Labels of benefit groups a source names that are none of the site's target groups on
    # purpose (`[[other_label]]`); any other such label stops an import.
    other_labels: tuple[str, ...] = ()
    indicator_id: str = DEFAULT_INDICATOR
    _by_code: dict[int, Municipality] = field(default_factory=dict, repr=False, compare=False)
    _by_folded: dict[str, Municipality] = field(default_factory=dict, repr=False, compare=False)
    _others_folded: set[str] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({m.code: m for m in self.municipalities})
        for m in self.municipalities:
            for alias in (m.name, *m.aliases):
                self._by_folded[fold(alias)] = m
        self._others_folded.update(fold(o) for o in self.other_labels)

    def is_other_label(self, label: str) -> bool:
        """True for a benefit group label the site does not follow on purpose (`other_labels`),
        however it is spelt."""
        return fold(label) in self._others_folded

    @property
    def indicator(self) -> Indicator:
        """The indicator this view is of."""
        return self.indicator_by_id(self.indicator_id)

    def indicator_by_id(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def for_indicator(self, indicator_id: str) -> Registry:
        """The same registry seen through another indicator: its groups and rules."""
        groups = self.groups_of(indicator_id)
        return dataclasses.replace(self, target_groups=groups, indicator_id=indicator_id)

    def measured(self, pairs: set[tuple[str, str]]) -> Registry:
        """The registry without the groups of other indicators than samtaler that have no
        figures (`pairs`: the (indicator, target group) pairs with rows): a group the source
        does not cover gets no empty pages. Samtaler's groups all stay: their pages say where
        figures are missing."""
        kept = tuple(
            g
            for g in self.every_group
            if g.indicator == DEFAULT_INDICATOR or (g.indicator, g.id) in pairs
        )
        view = dataclasses.replace(self, all_groups=kept)
        return view.for_indicator(self.indicator_id)

    @property
    def every_group(self) -> tuple[TargetGroup, ...]:
        """Every indicator's groups (a registry made without them, as in tests: its own)."""
        return self.all_groups or self.target_groups

    def groups_of(self, indicator_id: str) -> tuple[TargetGroup, ...]:
        return tuple(g for g in self.every_group if g.indicator == indicator_id)

    def group_ids(self, indicator_id: str) -> tuple[str, ...]:
        """The ids of the target groups `indicator_id` measures, in the registry's order."""
        return tuple(g.id for g in self.groups_of(indicator_id))

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

    def predecessor(self, g: TargetGroup) -> TargetGroup | None:
        """The group of this view that `g` carries on (`continues`), if any."""
        return next((o for o in self.target_groups if g.continues and o.id == g.continues), None)

    def successors(self, g: TargetGroup) -> tuple[TargetGroup, ...]:
        """The groups of this view that carry `g` on."""
        return tuple(n for n in self.target_groups if n.continues == g.id)

    @property
    def target_group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.target_groups)

    @property
    def breaks(self) -> tuple[Break, ...]:
        """The series breaks of any group, by month (one per month: the first group's label)."""
        seen: dict[str, Break] = {}
        for g in self.target_groups:
            for b in g.breaks:
                seen.setdefault(b.month, b)
        return tuple(seen[m] for m in sorted(seen))

    @property
    def list_months(self) -> int:
        """Months in a row under the line that put a municipality on STAR's list: the length
        of STAR's follow-up rule (the flag rule of kind "run")."""
        return max((f.months for f in self.flag_rules if f.kind == "run"), default=6)

    def first_month_of(self, flag: FlagRule) -> str:
        """The first month any target group's months were held against `flag`."""
        return min(
            r.first_month or "0000-01" for g in self.every_group for r in g.rules if r.flag == flag
        )

    def flag_rule(self, rule_id: str) -> FlagRule:
        return next(f for f in self.flag_rules if f.id == rule_id)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({m.region for m in self.municipalities}))
