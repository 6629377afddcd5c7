"""What a figure means for a reader, in words: its status against the rule of its own month
(from the one judgement of `domain.metrics.add_judgements`: under the line, the run of months
under it, on STAR's list), its one change, and the verdict that sums a municipality up.

Every page, chart, feed and download says a month's status with these words, so no two places
can tell a reader different things.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

from ..charts.ranking import SMALL_COLOUR
from ..charts.theme import BELOW_COLOUR, FLAG_COLOUR, MUNICIPALITY_COLOUR, OK_COLOUR
from ..domain import danish as fmt
from ..domain.periods import shift_period
from ..domain.registry import FlagRule, Rule, TargetGroup
from ..domain.rows import MapRow, MunicipalRow, NationalRow
from .rules import Change, capitalised, listing

# Statuses, worst first: the order a verdict names them in.
ON_LIST, BELOW, OK, SMALL, MISSING = "on-list", "below", "ok", "small", "missing"
UNJUDGED = "unjudged"  # a figure no line is set for (passivity; samtaler before 2020)
JUDGED = (ON_LIST, BELOW, OK)
SYMBOLS = {ON_LIST: "▼", BELOW: "!", OK: "✓", SMALL: "·", MISSING: "–", UNJUDGED: "○"}
# The short words a table cell or a bar's colour says it with.
SHORT = {
    ON_LIST: "På listen",
    BELOW: "Under",
    OK: "Over",
    SMALL: "Få personer",
    MISSING: "Ingen tal",
}
# The colour of each judged status, as a card shows it (assets/style.css: --flag, --warn, --ok).
COLOURS = {ON_LIST: FLAG_COLOUR, BELOW: BELOW_COLOUR, OK: OK_COLOUR}


@dataclass(frozen=True)
class Status:
    kind: str  # ON_LIST, BELOW, OK, SMALL, MISSING or UNJUDGED: also the colour class
    symbol: str
    text: str  # "Under 80 % i 11 måneder i træk – på listen", "Over lovens krav på 75 %"

    @property
    def short(self) -> str:
        """ "På listen", "Under", "Over", "Få personer", or "" (a badge in a table)."""
        return SHORT.get(self.kind, "")


def lines_phrase(g: TargetGroup, start: str, end: str) -> str:
    """The lines months `start` … `end` were held against: "80 %", "80 % og derefter 75 %"."""
    pcts = list(dict.fromkeys(_line_pct(f.pct, 0) for f, _, _ in g.lines_between(start, end)))
    return " og derefter ".join(pcts)


# A line's height as a run's words say it, "80 %": a build says it some 12,000 times.
_line_pct = functools.lru_cache(maxsize=64)(fmt.pct)


def stretches_phrase(g: TargetGroup, start: str, end: str) -> str:
    """Each line of a run with its months: "under 80 % i december 2025–juni 2026 og under
    75 % i juli–oktober 2026"."""
    return " og ".join(
        f"under {fmt.number(f.pct)} % i {fmt.month_span(first, last)}"
        for f, first, last in g.lines_between(start, end)
    )


def run_start(month: str, run: int) -> str:
    """The first month of a run of `run` months that ends in `month`."""
    return shift_period(month, -(run - 1))


def since_phrase(g: TargetGroup, start: str) -> str:
    """ "siden december 2025", or "mindst siden januar 2020" where the run starts at the first
    month held against a line (it may have begun before anyone counted)."""
    return f"{'mindst ' if g.first_line(start) else ''}siden {fmt.month(start)}"


def missing_reason(row: MunicipalRow | MapRow) -> str:
    """Why a figure is "–": no row, no persons, a hidden (suppressed) figure or no report."""
    if row.period is None:
        return "Ingen tal for kommunen i denne måned."
    if row.share is not None:
        return ""
    persons = row.persons
    if persons == 0:
        return "Ingen personer i målgruppen i denne måned."
    if persons is not None:
        return "Tallet er skjult af STAR, fordi der er for få personer til at offentliggøre det."
    return "Kommunen har ikke indberettet tal for måneden."


def unruled_words(month: str) -> str:
    """ "Ingen kendt regel for februar 2027": a month the reference data have no rule for."""
    return f"Ingen kendt regel for {fmt.month(month)}"


def status(
    g: TargetGroup, month: str | None, row: MunicipalRow | MapRow, rule: Rule | None
) -> Status:
    """The status of a municipality's figure in `g` and `month` (`row`) against the rule of
    that month."""
    share, persons = row.share, row.persons
    if share is None or month is None:
        return Status(MISSING, SYMBOLS[MISSING], missing_reason(row) or "Ingen tal")
    small = persons is None or (rule is not None and persons < rule.flag.min_persons)
    facts = (small, bool(row.below), bool(row.on_list), int(row.run or 0))
    # The same few words stand for most of the 190,000 figures a build states: each is made
    # once, keyed by the group's and rule's identity (hashing a group walks all its rules),
    # which the entry keeps alive so no other object can take their ids.
    key = (id(g), month, id(rule), facts)
    entry = _JUDGED.get(key)
    if entry is None:
        if len(_JUDGED) > _KEEP:
            _JUDGED.clear()
        entry = _JUDGED[key] = (g, rule, _judged(g, month, rule, *facts))
    return entry[2]


_JUDGED: dict[tuple, tuple[TargetGroup, Rule | None, Status]] = {}
_KEEP = 1 << 16


def _judged(
    g: TargetGroup, month: str, rule: Rule | None, small: bool, below: bool, on_list: bool, run: int
) -> Status:
    """The status of a figure by what judges it (`status`)."""
    if rule is None:  # a month no known rule covers is shown, never judged by another's
        return Status(UNJUDGED, SYMBOLS[UNJUDGED], f"{unruled_words(month)}: vurderes ikke")
    f = rule.flag
    if not f.sets_line:
        return Status(UNJUDGED, SYMBOLS[UNJUDGED], f"{capitalised(f.name)}: vises, vurderes ikke")
    if small:
        return Status(
            SMALL, SYMBOLS[SMALL], f"For få personer til at vurdere (under {f.min_persons})"
        )
    if rule.expected:  # judged against an announced rule, and said so; it counts to no list
        words = f"den forventede grænse på {fmt.number(f.pct)} % (reglen er ikke vedtaget)"
        if below:
            return Status(BELOW, SYMBOLS[BELOW], f"Under {words}")
        return Status(OK, SYMBOLS[OK], f"Over {words}")
    if on_list:
        lines = lines_phrase(g, run_start(month, run), month)
        return Status(
            ON_LIST, SYMBOLS[ON_LIST], f"Under {lines} i {run} måneder i træk – på listen"
        )
    if below:
        if run <= 1:
            return Status(BELOW, SYMBOLS[BELOW], f"{capitalised(f.label)} denne måned")
        lines = lines_phrase(g, run_start(month, run), month)
        return Status(BELOW, SYMBOLS[BELOW], f"Under {lines} i {run} måneder i træk")
    return Status(OK, SYMBOLS[OK], f"Over {f.line}")


@dataclass(frozen=True)
class Counts:
    """How many municipalities were under the rule of one group's month, and how many are on
    the list: the same two numbers on every page that counts them."""

    below: str  # "37 af 96", "–" where the month is not judged
    on_list: str  # "26", "–" where the month is not judged
    judged: bool
    expected: bool = False  # the month's rule is announced, not in force

    @property
    def sentence(self) -> str:
        """ "37 af 96 kommuner under reglen denne måned; 26 på listen", "" if not judged."""
        if not self.judged:
            return ""
        if self.expected:
            return (
                f"{self.below} kommuner under den forventede grænse denne måned (reglen er ikke "
                "vedtaget, så ingen kommer på listen)"
            )
        return f"{self.below} kommuner under reglen denne måned; {self.on_list} på listen"


def counts(row: NationalRow, rule: Rule | None) -> Counts:
    """The counts of the country's row of a group and month (`domain.metrics`)."""
    if line_of(rule) is None or row.reporting is None:
        return Counts(fmt.MISSING, fmt.MISSING, False)
    return Counts(
        f"{fmt.number(row.below)} af {fmt.number(row.reporting)}",
        fmt.number(row.on_list),
        True,
        rule.expected,
    )


SMALL_WORDS = "Få personer (vurderes ikke)"


def bar_statuses(judged: bool, list_months: int) -> tuple[tuple[str, str], ...]:
    """The words and colours of a ranking's bars, by status (the legend's order)."""
    small = (SMALL_WORDS, SMALL_COLOUR)
    if not judged:
        return (("Kommuner", MUNICIPALITY_COLOUR), small)
    return (
        (f"På listen: under reglen {list_months} måneder i træk eller mere", FLAG_COLOUR),
        ("Under reglen denne måned", BELOW_COLOUR),
        ("Over reglen", MUNICIPALITY_COLOUR),
        small,
    )


def bar_status(kind: str, statuses: tuple[tuple[str, str], ...]) -> str:
    """The words of a bar of status `kind` (one of `bar_statuses`)."""
    if kind == SMALL:
        return statuses[-1][0]
    if len(statuses) == 2:
        return statuses[0][0]
    return {ON_LIST: statuses[0][0], BELOW: statuses[1][0]}.get(kind, statuses[2][0])


def line_of(rule: Rule | None) -> FlagRule | None:
    """The flag rule of `rule` where it sets a line, else None."""
    return rule.flag if rule is not None and rule.flag.sets_line else None


class Judged(NamedTuple):
    """What a verdict needs of a card: its group, latest month, status, change and run."""

    group: TargetGroup
    month: str | None
    status: Status
    change: Change
    run: int = 0


def _groups(n: int) -> str:
    return fmt.count(n, "målgruppe", "målgrupper")


def _expected(r: Judged) -> bool:
    """True where the card's month is held against an announced rule, not yet in force."""
    rule = r.group.rule_for(r.month) if r.month else None
    return rule is not None and rule.expected


def _over_under(name: str, rows: list[Judged]) -> str:
    """ "Varde var over reglen i 5 af 8 målgrupper", "… under reglen i alle 8 målgrupper";
    "den forventede grænse" where every judged month is held against an announced rule."""
    judged = [r for r in rows if r.status.kind in JUDGED]
    over = sum(1 for r in judged if r.status.kind == OK)
    total = len(judged)
    counted = "" if total == len(rows) else " med tal"
    rule = "den forventede grænse" if judged and all(map(_expected, judged)) else "reglen"
    if over == total:
        return f"var {name} over {rule} i {'alle ' if total > 1 else ''}{_groups(total)}{counted}"
    if over == 0:
        return f"var {name} under {rule} i {'alle ' if total > 1 else ''}{_groups(total)}{counted}"
    return f"var {name} over {rule} i {over} af {_groups(total)}{counted}"


def _on_list(rows: list[Judged]) -> list[str]:
    """ "dagpengemodtagere (11 måneder)" for each group on the list, longest run first."""
    on = sorted((r for r in rows if r.status.kind == ON_LIST), key=lambda r: -r.run)
    return [f"{r.group.noun} ({r.run} måneder)" for r in on]


def _below(rows: list[Judged]) -> list[str]:
    """ "sygedagpengemodtagere (2 måneder)" for each group under the line, not on the list."""
    below = sorted((r for r in rows if r.status.kind == BELOW), key=lambda r: -r.run)
    return [
        f"{r.group.noun} ({'denne måned' if r.run <= 1 else f'{r.run} måneder'})" for r in below
    ]


def verdict(name: str, rows: list[Judged], list_months: int) -> tuple[str, ...]:
    """One to four plain sentences that sum a municipality up in samtaler: over or under the
    rule of the latest month, the groups on the list and those under it for a shorter time,
    and the direction; `rows`: one for every target group."""
    judged = [r for r in rows if r.status.kind in JUDGED]
    months = sorted({r.month for r in judged if r.month})
    # One month named only when every group's latest figure is from it.
    when = f"I {fmt.month(months[0])}" if len(months) == 1 else "I den seneste måned med tal"
    small = [r.group.noun for r in rows if r.status.kind == SMALL]
    if not judged:
        rules = [r.group.rule_for(r.month) for r in rows if r.month]
        if small and len(small) == len(rows) and all(rules):
            minimum = min(r.flag.min_persons for r in rules if r)
            return (
                f"I {name} er der under {minimum} personer i hver målgruppe, så tallene "
                "vurderes ikke: én borger mere eller mindre flytter andelen mange procentpoint.",
            )
        return (f"Der er ingen tal for {name}, som kan vurderes: for få personer eller ingen tal.",)
    sentences = [f"{when} {_over_under(name, rows)}."]
    on_list = _on_list(rows)
    if on_list:
        sentences.append(
            f"Under reglen i {list_months} måneder i træk eller mere og dermed på listen: "
            f"{listing(on_list)}."
        )
    below = _below([r for r in rows if not _expected(r)])
    if below:
        sentences.append(f"Under reglen i kortere tid: {listing(below)}.")
    announced = [r for r in rows if r.status.kind in JUDGED and _expected(r)]
    if announced:
        under = [r.group.noun for r in announced if r.status.kind == BELOW]
        said = f"Under den forventede grænse: {listing(under)}. " if under else ""
        sentences.append(
            f"{said}Reglen for {fmt.month(announced[0].month)} er kun forventet, ikke vedtaget, "
            "så måneden tæller ikke med til listen."
        )
    ups = sum(1 for r in judged if r.change.direction == "up")
    downs = sum(1 for r in judged if r.change.direction == "down")
    if ups or downs:
        parts = [f"steget i {_groups(ups)}"] if ups else []
        parts += [f"faldet i {_groups(downs)}"] if downs else []
        sentences.append(
            f"Det seneste år (eller siden reglen skiftede) er andelen {' og '.join(parts)}."
        )
    if small:
        sentences.append(f"For få personer til at vurdere: {listing(small)}.")
    return tuple(sentences)


def other_verdict(name: str, indicator: str, rows: list[Judged]) -> str:
    """The sentence an indicator beside samtaler adds to the verdict; empty where it judges
    none (passivity has no line)."""
    if not any(r.status.kind in JUDGED for r in rows):
        return ""
    on_list = _on_list(rows)
    tail = f"; på listen: {listing(on_list)}" if on_list else ""
    return f"For {indicator[:1].lower()}{indicator[1:]} {_over_under(name, rows)}{tail}."
