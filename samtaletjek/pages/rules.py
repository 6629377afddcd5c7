"""How pages say which rule a figure is held against, and which series breaks a comparison
crosses: the words for rules, statuses and changes."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import danish as fmt
from ..domain.metrics import CHANGE_MONTHS
from ..domain.periods import shift_period
from ..domain.registry import Break, FlagRule, Indicator, Registry, Rule, TargetGroup

STEADY = 1.0  # percentage points: a smaller change is "uændret" (→)


@dataclass(frozen=True)
class Change:
    """A figure's one change, in percentage points: over the last 12 months, or since the
    rule changed within them (`metrics.change_start`), with the note that qualifies it."""

    figure: str  # "+2,5" or "–"
    since: str  # "oktober 2025"; "" where there is no figure to change
    note: str = ""  # "Regelændringen i juli 2026: …"; "Ingen tal for …"
    direction: str = ""  # "up", "down", "steady" or "" (no change to show)

    @property
    def text(self) -> str:
        """ "+2,5 procentpoint siden oktober 2025" or "–"."""
        if self.figure == fmt.MISSING:
            return fmt.MISSING
        return f"{self.figure} procentpoint siden {self.since}"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "steady": "→"}.get(self.direction, "")


NO_CHANGE = Change(fmt.MISSING, "")


def change(group: TargetGroup, month: str | None, row: object) -> Change:
    """The change of `row` (a metrics row of `group` in `month`: its `share`, `change` and
    `change_since`) in words. Where a rule changed within the year the note names it; where
    the month it is measured from has no figure, the note says so."""
    share, value, since = (getattr(row, k, None) for k in ("share", "change", "change_since"))
    if not month or share is None or not since:
        return NO_CHANGE
    rule_note = rule_change_note(group, month)
    when = fmt.month(since)
    if since == month:
        return Change(
            fmt.MISSING, when, f"{rule_note} Der er endnu ingen måned at sammenligne med."
        )
    if value is None:
        return Change(
            fmt.MISSING, when, f"{rule_note} Ingen tal for {when} at sammenligne med.".strip()
        )
    direction = "steady" if abs(value) < STEADY else "up" if value > 0 else "down"
    return Change(fmt.pp(value).removesuffix(" procentpoint"), when, rule_note, direction)


def rule_change_note(group: TargetGroup, month: str) -> str:
    """What a change to `month` must say where the rule changed within the year before it
    (the change is then measured from that month); "" where it did not."""
    crossed = group.breaks_between(shift_period(month, -CHANGE_MONTHS), month)
    if not crossed:
        return ""
    return f"Regnet fra regelændringen i {break_name(crossed[-1])}, ikke 12 måneder tilbage."


def listing(items: list[str]) -> str:
    """Return "a", "a og b", "a, b og c" ("" for none)."""
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def break_name(b: Break) -> str:
    """ "januar 2020", "juli 2026 (usikkert)", "januar 2027 (forventet)"."""
    extra = " (forventet)" if b.expected else " (usikkert)" if b.uncertain else ""
    return fmt.month(b.month) + extra


def crossing_note(breaks: tuple[Break, ...]) -> str:
    """The footnote of a comparison that crosses `breaks`, naming them."""
    if not breaks:
        return ""
    names = listing([break_name(b) for b in breaks])
    which = "regelændringen i" if len(breaks) == 1 else "regelændringerne i"
    return (
        f"Sammenligningen krydser {which} {names}. Kravet før og efter er ikke det samme, så "
        "ændringen er et databrud, ikke nødvendigvis en forbedring eller forværring."
    )


def measure_phrase(rule: Rule | None, indicator: Indicator | None = None) -> str:
    """What the share counts, for sentences, without the verb: the rule's own phrase ("et
    aktivt tilbud inden for 6 måneder"), "mindst 6 samtaler" where it names a number, else as
    the indicator says it ("de krævede samtaler"), so a month with no rule never borrows
    another measure's words."""
    if rule is not None and rule.measure:
        return rule.measure
    if rule is not None and rule.measured:
        return f"mindst {rule.measured} samtaler"
    if indicator is not None:
        return indicator.got.removeprefix(f"{indicator.verb} ")
    return "de krævede samtaler"


def ended_phrase(g: TargetGroup) -> str:
    """ "Målgruppen ophørte efter december 2026" for a group with an end, else ""."""
    return f"Målgruppen ophørte efter {fmt.month(g.valid_to)}" if g.valid_to else ""


def judges(rule: Rule | None) -> bool:
    """False for no rule and for one that sets no line (passivity): its figures are shown, not
    judged."""
    return rule is not None and rule.flag.sets_line


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class RuleNote:
    """A rule a page's figures are held against, and which target groups it applies to."""

    name: str  # "Lovens krav"
    groups: str  # "dagpengemodtagere og jobparate kontanthjælpsmodtagere"
    explanation: str
    source: str
    uncertain_note: str


def rules_in_force(pairs: list[tuple[TargetGroup, str]]) -> tuple[RuleNote, ...]:
    """The flag rules the months of `pairs` (group, month) are held against, each once."""
    used: dict[str, tuple[FlagRule, list[str]]] = {}
    for g, month in pairs:
        rule = g.rule_for(month)
        if rule is not None:
            nouns = used.setdefault(rule.flag.id, (rule.flag, []))[1]
            if g.noun not in nouns:  # a group two indicators measure is named once
                nouns.append(g.noun)
    return tuple(
        RuleNote(
            name=f.name,
            groups=listing(nouns) if len(nouns) < len(pairs) or len(pairs) == 1 else "alle",
            explanation=f.explanation,
            source=f.source,
            uncertain_note=f.uncertain_note if f.uncertain else "",
        )
        for f, nouns in used.values()
    )


def limit_label(flag: FlagRule) -> str:
    """The threshold line's legend label, as the rule names itself: "Lovens krav på 75 %"."""
    return capitalised(flag.line)


@dataclass(frozen=True)
class RuleText:
    period: str  # "Til og med 31. december 2019", "Fra 1. juli 2026"
    requirement: str
    measured: str  # "Det, der tælles: mindst 4 samtaler."
    held_against: str  # "Holdes op mod lovens krav på 75 %."
    legal_source: str
    series_break: bool
    uncertain_note: str
    expected: bool


def rule_texts(g: TargetGroup) -> tuple[RuleText, ...]:
    """The group's rules by period, for reading."""
    out = []
    for r in g.rules:
        if r.valid_from and r.valid_to:
            period = f"Fra {fmt.date(r.valid_from)} til {fmt.date(r.valid_to)}"
        elif r.valid_from:
            period = f"Fra {fmt.date(r.valid_from)}"
        elif r.valid_to:
            period = f"Til og med {fmt.date(r.valid_to)}"
        else:
            period = "Hele perioden"
        f = r.flag
        held = f"Månederne holdes op mod {f.line}"
        if not f.sets_line:
            held = "Der er ingen fastsat grænse; tallene vises, men vurderes ikke"
        out.append(
            RuleText(
                period=period,
                requirement=r.requirement,
                measured=f"Det, der tælles: {measure_phrase(r)}."
                if r.measured or r.measure
                else "",
                held_against=held + ".",
                legal_source=r.legal_source,
                series_break=r.series_break,
                uncertain_note=r.uncertain_note if r.uncertain else "",
                expected=r.expected,
            )
        )
    return tuple(out)


def _period(start: str, end: str) -> str:
    if start and end:
        return f"{fmt.date(start)} – {fmt.date(end)}"
    if start:
        return f"fra {fmt.date(start)}"
    return f"til og med {fmt.date(end)}" if end else "hele perioden"


def rules_table(registry: Registry) -> str:
    """A Markdown table of the lines the months of the registry's indicator are held against,
    by period and target group, with the least number of persons a month is judged on."""
    used: dict[str, list[Rule]] = {}
    for g in registry.target_groups:
        for r in g.rules:
            used.setdefault(r.flag.id, []).append(r)
    lines = [
        "| Periode | Reglen | Vurderes ved | Gælder for | Kilde |",
        "|---|---|---|---|---|",
    ]
    ordered = sorted(used.items(), key=lambda item: min(r.valid_from for r in item[1]))
    for flag_id, rules in ordered:
        f = registry.flag_rule(flag_id)
        starts = [r.valid_from for r in rules]
        ends = [r.valid_to for r in rules]
        period = _period(min(starts), "" if "" in ends else max(ends))
        groups = {r.target_group for r in rules}
        names = [g.noun for g in registry.target_groups if g.id in groups]
        who = "alle målgrupper" if len(names) == len(registry.target_groups) else listing(names)
        line = capitalised(f.line) + (" *(usikkert)*" if f.uncertain else "")
        judged = f"mindst {f.min_persons} personer" if f.sets_line else "vurderes ikke"
        lines.append(f"| {capitalised(period)} | {line} | {judged} | {who} | {f.source} |")
    return "\n".join(lines)


def lines_list(registry: Registry) -> str:
    """A Markdown list of the lines of every indicator, each with its period, the groups it
    holds for and its explanation (the reference data's words and numbers)."""
    items = []
    for ind in registry.indicators:
        view = registry.for_indicator(ind.id)
        used: dict[str, list[Rule]] = {}
        for g in view.target_groups:
            for r in g.rules:
                used.setdefault(r.flag.id, []).append(r)
        for flag_id, rules in sorted(used.items(), key=lambda i: min(r.valid_from for r in i[1])):
            f = registry.flag_rule(flag_id)
            ends = [r.valid_to for r in rules]
            period = _period(min(r.valid_from for r in rules), "" if "" in ends else max(ends))
            names = [g.noun for g in view.target_groups if g.id in {r.target_group for r in rules}]
            who = "" if len(names) == len(view.target_groups) else f", {listing(names)}"
            uncertain = f" *Usikkert: {f.uncertain_note}*" if f.uncertain else ""
            items.append(
                f"- **{ind.name}, {period}{who}**: {f.explanation} Kilde: {f.source}.{uncertain}"
            )
    return "\n".join(items)


def breaks_table(registry: Registry) -> str:
    """A Markdown list of every target group's series breaks."""
    return "\n".join(
        f"- **{g.name}**: {listing([break_name(b) for b in g.breaks])}"
        for g in registry.target_groups
    )


def of_group(persons: int | None, noun: str) -> str:
    """ "af de 87 dagpengemodtagere", "af den ene person i målgruppen"; "" without a count."""
    if persons is None:
        return ""
    if int(persons) == 1:
        return "af den ene person i målgruppen"
    return f"af de {fmt.number(persons)} {noun}"
