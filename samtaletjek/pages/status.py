"""What a figure means for a reader: its status against the rule in force (in words, a symbol
and a colour class), its recent direction, and the verdict that sums a municipality up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..domain import danish as fmt
from ..domain.periods import shift_period
from ..domain.registry import Rule, TargetGroup
from .rules import capitalised, listing

# Statuses, worst first: the order a verdict names them in.
FLAGGED, BELOW, OK, SMALL, MISSING = "flagged", "below", "ok", "small", "missing"
UNJUDGED = "unjudged"  # a figure no line is set for (passivity): shown, not judged
SYMBOLS = {FLAGGED: "▼", BELOW: "!", OK: "✓", SMALL: "·", MISSING: "–", UNJUDGED: "○"}
# A change of less than this (percentage points) is "næsten uændret".
STEADY = 1.0
TREND_MONTHS = 3


@dataclass(frozen=True)
class Status:
    kind: str  # FLAGGED, BELOW, OK, SMALL or MISSING: also the card's colour class
    symbol: str
    text: str  # "Under lovens krav på 75 %", "Over STAR's grænse på 80 %"


def status(
    share: float | None,
    persons: int | None,
    flagged: bool,
    below_run: int | None,
    rule: Rule | None,
    missing_reason: str = "",
) -> Status:
    """The status of one figure against the rule its month is held against."""
    if share is None or rule is None:
        return Status(MISSING, SYMBOLS[MISSING], missing_reason or "Ingen tal")
    f = rule.flag
    if f.kind == "none":
        return Status(UNJUDGED, SYMBOLS[UNJUDGED], "Ingen fastsat grænse: vises, vurderes ikke")
    if persons is None or persons < f.min_persons:
        return Status(
            SMALL, SYMBOLS[SMALL], f"For få personer til at vurdere (under {f.min_persons})"
        )
    line = f"{fmt.number(f.pct)} %"
    if flagged:
        return Status(FLAGGED, SYMBOLS[FLAGGED], capitalised(f.label))
    if share < f.pct:
        run = int(below_run or 1)
        months = "denne måned" if run <= 1 else f"i {run} måneder i træk"
        return Status(BELOW, SYMBOLS[BELOW], f"Under {line} {months} (tæller fra {f.months})")
    name = "lovens krav" if f.kind == "share" else "grænsen"
    return Status(OK, SYMBOLS[OK], f"Over {name} på {line}")


@dataclass(frozen=True)
class Trend:
    arrow: str  # "↑", "↓", "→" or "" (no comparison)
    text: str  # "+4,2 pct.-point siden juli 2026"
    direction: str  # "up", "down", "steady" or ""


class Judged(NamedTuple):
    """What a verdict needs of a card: its group, latest month, status and trend."""

    group: TargetGroup
    month: str | None
    status: Status
    trend: Trend


NO_TREND = Trend("", "", "")


def trend(group: TargetGroup, month: str, shares: dict[str, float]) -> Trend:
    """The share's direction over the last three months, never across a series break: a break
    in between moves the comparison to the month the rule began."""
    if month not in shares:
        return NO_TREND
    start = shift_period(month, -TREND_MONTHS)
    crossed = group.breaks_between(start, month)
    if crossed:
        start = crossed[-1].month
    if start == month or start not in shares:
        return NO_TREND
    diff = round(shares[month] - shares[start], 1)
    if abs(diff) < STEADY:
        arrow, direction = "→", "steady"
    else:
        arrow, direction = ("↑", "up") if diff > 0 else ("↓", "down")
    return Trend(arrow, f"{fmt.pp(diff)} siden {fmt.month(start)}", direction)


def _judged(rows: list[Judged]) -> list[Judged]:
    """The rows held against a line: over, below, or below long enough to be flagged."""
    return [r for r in rows if r.status.kind in (OK, BELOW, FLAGGED)]


def _of(rows: list[Judged], judged: list[Judged]) -> str:
    """ "de 8 målgrupper", or "5 målgrupper med tal" where some were not judged."""
    if len(judged) == len(rows):
        return f"de {fmt.count(len(rows), 'målgruppe', 'målgrupper')}"
    return f"{fmt.count(len(judged), 'målgruppe', 'målgrupper')} med tal"


def _flagged(rows: list[Judged]) -> list[str]:
    """ "dagpengemodtagere (under lovens krav på 75 %)" for each flagged row."""
    return [
        f"{g.noun} ({s.text[0].lower() + s.text[1:]})" for g, _, s, _ in rows if s.kind == FLAGGED
    ]


def verdict(name: str, rows: list[Judged]) -> tuple[str, ...]:
    """One to three plain sentences that sum a municipality up: how many target groups are
    over the rule in force, which are under, and the direction; `rows`: samtaler's, one for
    every target group.
    """
    by_kind: dict[str, list[TargetGroup]] = {}
    for g, _, s, _ in rows:
        by_kind.setdefault(s.kind, []).append(g)
    judged = _judged(rows)
    months = sorted({m for _, m, _, _ in judged if m})
    # One month named only when every group's latest figure is from it.
    when = f"I {fmt.month(months[0])}" if len(months) == 1 else "I den seneste måned med tal"
    sentences = []
    if not judged:
        small = by_kind.get(SMALL, [])
        rules = [g.rule_for(m) for g, m, _, _ in rows if m]
        if small and len(small) == len(rows) and all(rules):
            minimum = min(r.flag.min_persons for r in rules)
            sentences.append(
                f"I {name} er der under {minimum} personer i hver målgruppe, så tallene "
                "vurderes ikke: én borger mere eller mindre flytter andelen mange procentpoint."
            )
        else:
            sentences.append(
                f"Der er ingen tal for {name}, som kan vurderes: for få personer eller ingen tal."
            )
        return tuple(sentences)
    ok = len(by_kind.get(OK, []))
    sentences.append(f"{when} var {name} over grænsen for samtaler i {ok} af {_of(rows, judged)}.")
    flagged = _flagged(rows)
    if flagged:
        sentences.append(f"Under grænsen: {listing(flagged)}.")
    below = len(by_kind.get(BELOW, []))
    if below:
        sentences.append(
            f"{fmt.count(below, 'målgruppe', 'målgrupper')} ligger under grænsen denne måned, "
            "men ikke længe nok til at tælle."
        )
    ups = sum(1 for *_, t in judged if t.direction == "up")
    downs = sum(1 for *_, t in judged if t.direction == "down")
    if ups or downs:
        parts = []
        if ups:
            parts.append(f"steget i {fmt.count(ups, 'målgruppe', 'målgrupper')}")
        if downs:
            parts.append(f"faldet i {fmt.count(downs, 'målgruppe', 'målgrupper')}")
        sentences.append(f"De seneste måneder er andelen {' og '.join(parts)}.")
    small = [g.noun for g in by_kind.get(SMALL, [])]
    if small:
        sentences.append(f"For få personer til at vurdere: {listing(small)}.")
    return tuple(sentences)


def other_verdict(name: str, indicator: str, rows: list[Judged]) -> str:
    """The sentence an indicator beside samtaler adds to the verdict: how many of its judged
    groups are over the line, and those under it for long enough to count. Empty where it
    judges none (passivity has no line)."""
    judged = _judged(rows)
    if not judged:
        return ""
    ok = sum(1 for r in judged if r.status.kind == OK)
    flagged = _flagged(rows)
    under = f"; under grænsen: {listing(flagged)}" if flagged else ""
    return f"{indicator}: {name} var over grænsen i {ok} af {_of(rows, judged)}{under}."
