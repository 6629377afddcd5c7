"""Pure: an indicator whose table gives the share but not the persons (aktivering: STAR's
"Aktiveringsgrad og andel aktiveringsberørte", one table per benefit). The benefit its subject,
group, name or page names is matched to a target group by the groups' own names, the persons
come from the sibling table of the same benefit ("Antal personer og fuldtidspersoner"), and
every dimension but the area is asked for at its total ("Visitationskategorier i alt"), chosen
by its value, so that nothing is summed. The rest of discovery is in `discover.py`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..domain.danish import fold
from ..domain.registry import Registry
from .catalogue import Entry, Hierarchy, TableInfo, Value
from .discover import PREFERRED_AREA, Assessment, _is_kommune
from .indicators import IndicatorWords
from .values import classify_area

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
