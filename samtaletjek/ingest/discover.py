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

An indicator whose table gives the share but not the persons (aktivering) is assessed by
`discover_split.assess_split`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.danish import fold
from ..domain.registry import Registry
from ..settings import FetchTable
from .catalogue import Entry, Hierarchy, Measure, TableInfo
from .indicators import DEFAULT, IndicatorWords, read_label
from .values import NO_GROUP, UNPLACED, classify_area, map_target_groups, match_target_groups

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
    for label, reason in list(why.items()):
        if reason == NO_GROUP and not registry.is_other_label(label):
            why[label] = UNPLACED  # a new group (2027's?) or a benefit nobody placed yet
    return mapping, why


def unplaced(a: Assessment) -> list[tuple[str, str]]:
    """(label, why) of each of the table's group labels that names no target group and is not
    a listed other benefit group: fetch stops on them rather than leave them out unsaid."""
    return [(label, why) for label, why in a.seen_groups if why == UNPLACED]


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
