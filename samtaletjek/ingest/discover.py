"""Pure: which of jobindsats.dk's tables hold an indicator, and how their measures and groups
map to our columns and target groups, decided from what their labels say.

A catalogue entry is a candidate for an indicator (samtaler, tilbud, passivandel) when its
texts hold the indicator's table words (`indicators.py`); its `/table/<id>` description is
then checked: monthly periods, a kommune hierarchy (one whose values name the 98
municipalities), measures whose labels mean the required columns of that indicator (read as
the data answer will head them, `<group>: <measure>`, by `indicators.read_label`, so a
measure of another indicator or of none, such as an activation rate, is not taken), target
groups of that indicator named by a dimension's values (e.g. "Ydelsesgrupper": "A-dagpenge"
→ dagpenge), by the measure groups, or by the table's name, and dimensions that must not be
summed (look-back windows) narrowed to the one the indicator measures. One table may be
assessed for several indicators. A `[[fetch_tables]]` setting pins what it names and leaves
the rest to the same rules.

An indicator whose table gives the share but not the persons (aktivering: STAR's
"Aktiveringsgrad og andel aktiveringsberørte", one table per benefit) is assessed by
`assess_split`: the benefit its subject, group, name or page names is matched to a target group
by the groups' own names, the persons come from the sibling table of the same benefit
("Antal personer og fuldtidspersoner"), and every dimension but the area is asked for at its
total ("Visitationskategorier i alt"), chosen by its value, so that nothing is summed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.danish import fold
from ..domain.registry import Registry
from ..settings import FetchTable
from .catalogue import Entry, Hierarchy, Measure, TableInfo, Value
from .indicators import DEFAULT, IndicatorWords, read_label
from .values import classify_area, map_target_groups, match_target_groups

# A hierarchy is the kommune hierarchy when its values name at least this share of the 98.
KOMMUNE_SHARE = 0.9
PREFERRED_AREA = "_nykom"


@dataclass(frozen=True)
class Assessment:
    """What one table would give, or why it cannot be used (`problems`)."""

    entry: Entry
    indicator: str = DEFAULT  # what the table would be read as
    months: tuple[str, ...] = ()
    area: str = ""  # the kommune hierarchy's id; "" = the table has none
    area_label: str = ""  # its dimension's name, which heads its column in data answers
    measures: tuple[tuple[str, Measure], ...] = ()  # (canonical column, measure), all found
    group_source: str = ""  # what names the target groups: a dimension, "measure groups", …
    group_hierarchy: str = ""  # the hierarchy asked for with `=*` when a dimension names them
    group_label: str = ""  # … its dimension's name, which heads its column in data answers
    groups: tuple[tuple[str, str], ...] = ()  # (label in the answer, target group id)
    target_group: str = ""  # the whole table's group when nothing else names one
    seen_groups: tuple[tuple[str, str], ...] = ()  # (label, why it is not used)
    # Dimensions asked for in full, of which the reader keeps one value: (hierarchy id, its
    # dimension's name, the value kept), e.g. the last 12 months of look-back windows.
    narrowed: tuple[tuple[str, str, str], ...] = ()
    # Dimensions asked for at their total, by the total's id: (hierarchy id, its dimension's
    # name, value id, value name), e.g. ("_viskat_1int", …, "/", "Visitationskategorier i alt").
    totals: tuple[tuple[str, str, str, str], ...] = ()
    sibling: Assessment | None = None  # the table the persons come from (aktivering)
    national: str = ""  # the kommune hierarchy's national value ("Hele landet"), if it has one
    problems: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.problems

    @property
    def columns(self) -> tuple[str, ...]:
        """The canonical columns it gives (its sibling's persons first, where it has one)."""
        mine = [c for c, _ in (self.sibling.measures if self.sibling else ())]
        return tuple(dict.fromkeys(mine + [c for c, _ in self.measures]))

    @property
    def fills(self) -> tuple[str, ...]:
        """The target groups this table would fill."""
        if self.target_group:
            return (self.target_group,)
        return tuple(sorted({g for _, g in self.groups}))


def _is_kommune(hierarchy: Hierarchy, registry: Registry) -> bool:
    codes = set()
    for value in hierarchy.values:
        area = classify_area(value.name, registry)
        if area.kind == "municipality" and area.municipality is not None:
            codes.add(area.municipality.code)
    return len(codes) >= KOMMUNE_SHARE * len(registry.municipalities)


def _find_measure(info: TableInfo, wanted: str) -> Measure | None:
    key = fold(wanted)
    for measure in info.measures:
        if wanted == measure.id or key in (fold(label) for label in measure.labels):
            return measure
    return None


def _measures(
    info: TableInfo, indicator: IndicatorWords, pin: FetchTable | None, problems: list[str]
) -> list[tuple[str, Measure]]:
    """Return (canonical column, measure) for the measures of `indicator`: those pinned, then
    those whose labels speak of it, and a number of persons that names no indicator."""
    pinned = dict(pin.measures) if pin is not None else {}
    found = []
    for column, wanted in pinned.items():
        measure = _find_measure(info, wanted)
        if measure is None:
            names = ", ".join(repr(m.name) for m in info.measures) or "none"
            problems.append(f"measure {wanted!r} ({column}) is not in the table; it has {names}")
        else:
            found.append((column, measure))
    for measure in info.measures:
        label = read_label(measure.labels[0])
        mine = label.indicators == {indicator.id} or (
            not label.indicators and label.column == "persons"
        )
        if mine and label.column is not None and label.column not in pinned:
            found.append((label.column, measure))
    return found


def _map_groups(
    labels: Sequence[str], registry: Registry, indicator: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Map group labels to target groups, and say of a group the indicator does not measure
    (sygedagpenge has no offer share) that it is not one of its groups."""
    every = {g.id for g in registry.every_group}
    own = set(registry.group_ids(indicator))
    mapping, why = map_target_groups(labels, sorted(every))
    for label, group in list(mapping.items()):
        if group not in own:
            del mapping[label]
            why[label] = f"{group}, not a target group of {indicator}"
    return mapping, why


def _group_layout(
    entry: Entry,
    info: TableInfo,
    others: Sequence[Hierarchy],
    measures: list[tuple[str, Measure]],
    indicator: str,
    pin: FetchTable | None,
    registry: Registry,
) -> dict[str, object]:
    """Return how the table names its target groups: Assessment fields, or a `problem`."""
    known = registry.group_ids(indicator)
    if pin is not None and pin.target_group:
        return {"target_group": pin.target_group, "group_source": "site.toml"}
    by_group = {m.group_name for _, m in measures if m.group_name}
    if pin is not None and pin.groups:
        named_groups = {fold(g): g for g in by_group}
        if all(fold(k) in named_groups for k, _ in pin.groups):
            return {
                "group_source": "measure groups (site.toml)",
                "groups": tuple(sorted((named_groups[fold(k)], g) for k, g in pin.groups)),
            }
        for hierarchy in others:
            names = {v.id: v.name for v in hierarchy.values} | {
                fold(v.name): v.name for v in hierarchy.values
            }
            given = {names.get(k, names.get(fold(k))): g for k, g in pin.groups}
            if None not in given:
                return {
                    "group_hierarchy": hierarchy.id,
                    "group_label": hierarchy.dimension,
                    "group_source": f"{hierarchy.dimension} (site.toml)",
                    "groups": tuple(sorted(given.items())),
                }
        labels = ", ".join(k for k, _ in pin.groups)
        return {
            "problem": f"the groups given in site.toml ({labels}) are not values of a dimension"
        }
    repeated = len({c for c, _ in measures}) < len(measures)
    if repeated and len(by_group) > 1:
        mapping, why = _map_groups(sorted(by_group), registry, indicator)
        return {
            "group_source": "measure groups",
            "groups": tuple(sorted(mapping.items())),
            "seen_groups": tuple(sorted(why.items())),
        }
    best: tuple[int, Hierarchy, dict[str, str], dict[str, str]] | None = None
    for hierarchy in others:
        mapping, why = _map_groups([v.name for v in hierarchy.values], registry, indicator)
        if mapping and (best is None or len(mapping) > best[0]):
            best = (len(mapping), hierarchy, mapping, why)
    if best is not None:
        _, hierarchy, mapping, why = best
        return {
            "group_hierarchy": hierarchy.id,
            "group_label": hierarchy.dimension,
            "group_source": hierarchy.dimension,
            "groups": tuple(sorted(mapping.items())),
            "seen_groups": tuple(sorted(why.items())),
        }
    named = set().union(*(match_target_groups(t) for t in (entry.name, info.name)))
    if len(named & set(known)) == 1:
        return {"target_group": next(iter(named & set(known))), "group_source": "the table's name"}
    if len(named) == 1:
        (group,) = named
        return {"problem": f"its name says {group}, not a target group of {indicator}"}
    return {"problem": "names no target group (no dimension such as 'Ydelsesgrupper')"}


def _narrowed(
    others: Sequence[Hierarchy],
    indicator: IndicatorWords,
    pin: FetchTable | None,
    problems: list[str],
) -> tuple[tuple[str, str, str], ...]:
    """Return the dimensions the indicator must not sum over, with the value to keep."""
    filtered = {h for h, _ in pin.filters} if pin is not None else set()
    narrowed = []
    for hierarchy in others:
        if hierarchy.id in filtered:
            continue
        names = list(dict.fromkeys(v.name for v in hierarchy.values))
        for rule in indicator.narrow:
            if not rule.applies(names):
                continue
            picks = rule.pick(names)
            if len(picks) == 1:
                narrowed.append((hierarchy.id, hierarchy.dimension, picks[0]))
            else:
                problems.append(
                    f"{hierarchy.dimension} holds {', '.join(map(repr, names))} side by side, "
                    f"and {'none' if not picks else 'more than one'} is {rule.what}; pin one "
                    f'with [fetch_tables.filters] {hierarchy.id} = "<value id>"'
                )
    return tuple(narrowed)


def assess(
    entry: Entry,
    info: TableInfo,
    indicator: IndicatorWords,
    registry: Registry,
    pin: FetchTable | None = None,
) -> Assessment:
    """Return what `entry`'s table would give for `indicator`, or why it cannot."""
    problems: list[str] = []
    if pin is None:
        problems += indicator.avoided((entry.name, entry.slug))
    months = info.period_ids("M")
    if not months:
        kinds = ", ".join(t for t, _ in info.periods) or "none"
        problems.append(f"no monthly figures (period types: {kinds})")
    areas = [h.id for h in info.hierarchies if _is_kommune(h, registry)]
    if pin is not None and pin.area:
        area = pin.area if any(h.id == pin.area for h in info.hierarchies) else ""
        if not area:
            problems.append(f"no hierarchy {pin.area!r} (site.toml area)")
    else:
        area = PREFERRED_AREA if PREFERRED_AREA in areas else next(iter(areas), "")
        if not area:
            held = ", ".join(h.id for h in info.hierarchies) or "none"
            problems.append(f"no kommune hierarchy (hierarchies: {held})")
    measures = _measures(info, indicator, pin, problems)
    lacks = indicator.lacks(c for c, _ in measures)
    if lacks:
        names = ", ".join(repr(m.name) for m in info.measures) or "none"
        problems.append(
            f"no measure of {' nor of '.join(lacks)} of {indicator.id} (measures: {names})"
        )
    others = [h for h in info.hierarchies if h.id != area]
    narrowed = _narrowed(others, indicator, pin, problems)
    kept = {h for h, _, _ in narrowed}
    layout = _group_layout(
        entry, info, [h for h in others if h.id not in kept], measures, indicator.id, pin, registry
    )
    if "problem" in layout:
        problems.append(str(layout.pop("problem")))
    elif not layout.get("groups") and not layout.get("target_group"):
        problems.append(
            f"none of the values of {layout['group_source']} names a target group of {indicator.id}"
        )
    by_groups = str(layout.get("group_source", "")).startswith("measure groups")
    if not by_groups and len({c for c, _ in measures}) < len(measures):
        twice = sorted({c for c, _ in measures if sum(c == d for d, _ in measures) > 1})
        problems.append(
            f"several measures look like {', '.join(twice)}; pin one in site.toml "
            "([[fetch_tables]] persons/persons_meeting/share)"
        )
    return Assessment(
        entry=entry,
        indicator=indicator.id,
        months=months,
        area=area,
        area_label=next((h.dimension for h in info.hierarchies if h.id == area), ""),
        measures=tuple(measures),
        narrowed=narrowed,
        problems=tuple(problems),
        **layout,  # type: ignore[arg-type]
    )


_TOTAL = ("ialt", "total")


def _total(hierarchy: Hierarchy) -> Value | None:
    """Return the value that is the hierarchy's total: id "/" (v3's total), else the one value
    whose name says "i alt" or "total"."""
    top = [v for v in hierarchy.values if v.id == "/"]
    named = [v for v in hierarchy.values if fold(v.name).endswith(_TOTAL)]
    found = top or named
    return found[0] if len(found) == 1 else None


def totals(
    info: TableInfo, area: str, problems: list[str]
) -> tuple[tuple[str, str, str, str], ...]:
    """Return, for each dimension but the area's, its total to ask for by id (one hierarchy
    per dimension); a dimension without one total is a problem."""
    area_dimension = next((h.dimension for h in info.hierarchies if h.id == area), None)
    seen = set()
    chosen = []
    for hierarchy in info.hierarchies:
        if hierarchy.dimension in (area_dimension, *seen):
            continue
        seen.add(hierarchy.dimension)
        total = _total(hierarchy)
        if total is None:
            names = ", ".join(repr(v.name) for v in hierarchy.values[:8]) or "none"
            problems.append(
                f"{hierarchy.dimension} ({hierarchy.id}) has no single total value ('… i alt') "
                f"to ask for, and its values must not be added up (values: {names})"
            )
        else:
            chosen.append((hierarchy.id, hierarchy.dimension, total.id, total.name))
    return tuple(chosen)


def benefit_group(entry: Entry, registry: Registry, indicator: str) -> tuple[str, str]:
    """Return (target group, the text naming it), or ("", why not): the group of `indicator`
    whose id or short name the entry's subject (else its group, name or page) holds, the
    longer name first ("sygedagpenge" is not "dagpenge")."""
    keys = sorted(
        {(fold(k), g.id) for g in registry.groups_of(indicator) for k in (g.id, g.short)},
        key=lambda kg: -len(kg[0]),
    )
    for text in (entry.subject, entry.group, entry.name, entry.slug):
        rest = fold(text)
        found = set()
        for key, group in keys:
            if key and key in rest:
                found.add(group)
                rest = rest.replace(key, " ")
        if len(found) == 1:
            return next(iter(found)), text
        if found:
            return "", f"{text!r} names several target groups ({', '.join(sorted(found))})"
    said = entry.subject or entry.name
    return "", f"its benefit ({said!r}) is not a target group of {indicator}"


def sibling_of(
    entry: Entry, entries: Sequence[Entry], indicator: IndicatorWords, registry: Registry
) -> Entry | None:
    """Return the table of the same benefit whose texts name `indicator.persons_table`: by
    label and benefit; of several, the one whose id shares the most of the entry's."""
    group, _ = benefit_group(entry, registry, indicator.id)
    same = [
        e
        for e in entries
        if e.id != entry.id
        and any(w in fold(t) for t in e.texts for w in indicator.persons_table)
        and (
            e.subject == entry.subject
            or (group and benefit_group(e, registry, indicator.id)[0] == group)
        )
    ]

    return min(
        same, key=lambda e: (-len(os.path.commonprefix([e.id, entry.id])), e.id), default=None
    )


def assess_split(
    entry: Entry,
    info: TableInfo,
    sibling: tuple[Entry, TableInfo] | None,
    indicator: IndicatorWords,
    registry: Registry,
) -> Assessment:
    """Return what a share table whose persons are in a sibling table would give, with the
    sibling's assessment (its persons measure, area and totals), or why it cannot."""
    problems: list[str] = list(indicator.avoided((entry.name, entry.slug)))
    group, said = benefit_group(entry, registry, indicator.id)
    seen: tuple[tuple[str, str], ...] = ()
    if not group:
        seen = ((entry.subject or entry.name, said),)
        problems.append(said)
    found = _split_part(info, indicator, registry, problems, ("share_pct", "activation_degree"))
    other = None
    if sibling is None:
        words = " or ".join(repr(w) for w in indicator.persons_table)
        problems.append(f"no table of the persons of the same benefit (a name holding {words})")
    else:
        mine: list[str] = []
        s_entry, s_info = sibling
        part = _split_part(s_info, indicator, registry, mine, ("persons",))
        if mine:
            problems.append(f"its persons table {s_entry.id}: {'; '.join(mine)}")
        other = Assessment(entry=s_entry, indicator=indicator.id, problems=tuple(mine), **part)
    lacks = indicator.lacks(
        [c for c, _ in found["measures"]] + ([c for c, _ in other.measures] if other else [])
    )
    if lacks and not any("measure" in p for p in problems):
        problems.append(f"no measure of {' nor of '.join(lacks)} of {indicator.id}")
    return Assessment(
        entry=entry,
        indicator=indicator.id,
        target_group=group,
        group_source=f"the benefit {said!r}" if group else "",
        seen_groups=seen,
        sibling=other,
        problems=tuple(problems),
        **found,
    )


def _split_part(
    info: TableInfo,
    indicator: IndicatorWords,
    registry: Registry,
    problems: list[str],
    columns: Sequence[str],
) -> dict:
    """Return the Assessment fields of one of the two tables: months, area, the measures of
    `columns` (by the indicator's own rules) and the totals of its other dimensions."""
    months = info.period_ids("M")
    if not months:
        kinds = ", ".join(t for t, _ in info.periods) or "none"
        problems.append(f"no monthly figures (period types: {kinds})")
    areas = [h.id for h in info.hierarchies if _is_kommune(h, registry)]
    area = PREFERRED_AREA if PREFERRED_AREA in areas else next(iter(areas), "")
    if not area:
        held = ", ".join(h.id for h in info.hierarchies) or "none"
        problems.append(f"no kommune hierarchy (hierarchies: {held})")
    measures = []
    for measure in info.measures:
        column = indicator.column(measure.name) or indicator.column(measure.labels[0])
        if column in columns:
            measures.append((column, measure))
    for column in columns:
        if sum(c == column for c, _ in measures) > 1:
            names = ", ".join(repr(m.name) for c, m in measures if c == column)
            problems.append(f"several measures look like {column}: {names}")
    if columns[0] not in (c for c, _ in measures):
        names = ", ".join(repr(m.name) for m in info.measures) or "none"
        problems.append(f"no measure of {columns[0]} of {indicator.id} (measures: {names})")
    hierarchy = next((h for h in info.hierarchies if h.id == area), None)
    national = next(
        (
            v.name
            for v in (hierarchy.values if hierarchy else ())
            if classify_area(v.name, registry).kind == "national"
        ),
        "",
    )
    return {
        "months": months,
        "area": area,
        "national": national,
        "area_label": hierarchy.dimension if hierarchy else "",
        "measures": tuple(measures),
        "totals": totals(info, area, problems) if area else (),
    }


def _ranked(assessments: Sequence[Assessment]) -> list[Assessment]:
    """Best first: counts and share, then the mean, then more months, then the latest
    update, then the id."""
    by_id = sorted(assessments, key=lambda a: a.entry.id)
    by_update = sorted(by_id, key=lambda a: a.entry.updated, reverse=True)
    return sorted(
        by_update,
        key=lambda a: (
            -len(set(a.columns) & {"persons_meeting", "share_pct"}),
            "mean_conversations" not in a.columns,
            -len(a.months),
        ),
    )


@dataclass(frozen=True)
class Choice:
    """A table to fetch for one indicator and the target groups to take from it."""

    assessment: Assessment
    groups: tuple[str, ...]
    passed_over: tuple[tuple[str, str], ...] = field(default=())  # (group, better table id)

    @property
    def indicator(self) -> str:
        return self.assessment.indicator


def choose(assessments: Sequence[Assessment], order: Sequence[str] = ()) -> list[Choice]:
    """Return the tables to fetch: for each indicator and target group the usable table that
    gives most (counts and share, then the mean, then more months, then the latest update).
    Indicators come in `order` (then by name), each indicator's tables best first."""
    indicators = sorted(
        {a.indicator for a in assessments},
        key=lambda i: (list(order).index(i) if i in order else len(order), i),
    )
    choices = []
    for indicator in indicators:
        ranked = _ranked([a for a in assessments if a.usable and a.indicator == indicator])
        best: dict[str, Assessment] = {}
        for a in ranked:
            for group in a.fills:
                best.setdefault(group, a)
        for a in (a for a in ranked if any(b is a for b in best.values())):
            mine = tuple(g for g in a.fills if best[g] is a)
            others = tuple((g, best[g].entry.id) for g in a.fills if best[g] is not a)
            choices.append(Choice(a, mine, others))
    return choices
