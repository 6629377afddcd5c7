"""What `fetch` says about the tables it found: the `--list` view and the reasons a table is
or is not used, in the words of the catalogue's labels (the fetching itself is `fetch.py`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .api import FetchError
from .discover import Assessment, Choice, choose, unplaced
from .indicators import DEFAULT, INDICATORS

if TYPE_CHECKING:  # fetch.py makes a Survey and imports this module
    from .fetch import Survey

ORDER = tuple(INDICATORS)  # samtaler, tilbud, passivandel, aktivering


def choice_lines(choices: Sequence[Choice], seen: Survey | None) -> list[str]:
    """Return what `fetch` chose and why, as a person reads it."""
    lines = []
    tables = len({c.assessment.entry.id for c in choices})
    if seen is not None:
        lines.append(
            f"Found candidate tables among {seen.tables} in {seen.url} ({seen.counts()}); "
            f"fetching {tables}:"
        )
    else:
        lines.append(f"Fetching {tables} table(s) pinned in site.toml:")
    for c in choices:
        a = c.assessment
        lines.append(f"  {a.entry.id} {a.entry.name!r} for {a.indicator}: {', '.join(c.groups)}")
        lines.append(f"    why: {reasons(a)}")
        for group, other in c.passed_over:
            lines.append(f"    {group} is taken from {other} instead (it gives more)")
    if seen is not None:
        for indicator in seen.indicators:
            if not any(c.indicator == indicator for c in choices):
                lines.append(f"  {_none_fits(seen, indicator)}")
        chosen = {(c.assessment.entry.id, c.indicator) for c in choices}
        for a in seen.assessments:
            if (a.entry.id, a.indicator) not in chosen and a.usable:
                lines.append(
                    f"  not used for {a.indicator}: {a.entry.id} {a.entry.name!r}: another "
                    "table gives the same groups"
                )
            elif (a.entry.id, a.indicator) not in chosen:
                lines.append(
                    f"  not used for {a.indicator}: {a.entry.id} {a.entry.name!r}: "
                    f"{'; '.join(a.problems)}"
                )
    return lines


def reasons(a: Assessment) -> str:
    """Return why a usable table fits: its area, months, measures and groups."""
    measures = ", ".join(f"{c} = {m.name!r}" for c, m in a.measures)
    if a.target_group:
        groups = f"the whole table is {a.target_group} ({a.group_source})"
    else:
        mapped = ", ".join(f"{label!r} → {g}" for label, g in a.groups)
        groups = f"target groups from {a.group_source!r}: {mapped}"
        if a.seen_groups:
            groups += "; not used: " + ", ".join(f"{k!r} ({v})" for k, v in a.seen_groups)
    span = f"{a.months[0]}–{a.months[-1]}" if a.months else "–"
    kept = "".join(f"; only {dimension} {value!r}" for _, dimension, value in a.narrowed)
    if a.sibling is not None:
        s = a.sibling
        if a.national:
            kept += f"; STAR's own national figure {a.national!r} with the municipalities"
        else:
            kept += f"; {a.area} has no national figure: none is fetched"
        persons = ", ".join(f"{c} = {m.name!r}" for c, m in s.measures)
        kept += (
            f"; {persons} from {s.entry.id} {s.entry.name!r} (kommune hierarchy {s.area}), "
            "joined by month and area"
        )
    chosen = [(a.entry.id, t) for t in a.totals]
    chosen += [(a.sibling.entry.id, t) for t in (a.sibling.totals if a.sibling else ())]
    if chosen:
        said = ", ".join(
            f"{dimension} {name!r} ({hierarchy}={value}) in {table}"
            for table, (hierarchy, dimension, value, name) in chosen
        )
        kept += f"; totals chosen, not summed: {said}"
    return (
        f"kommune hierarchy {a.area}; {len(a.months)} months ({span}); measures {measures}; "
        f"{groups}{kept}"
    )


def _none_fits(seen: Survey, indicator: str) -> str:
    """Return what fetch says of an indicator without a usable table: a note where v3 is
    known to lack it (passivandel)."""
    if INDICATORS[indicator].not_on_v3:
        return f"note: {INDICATORS[indicator].not_on_v3} ({_candidates(seen, indicator)})"
    return f"no {indicator} table fits: {_candidates(seen, indicator)}"


def _candidates(seen: Survey, indicator: str) -> str:
    listed = "; ".join(f"{a.entry.id} ({', '.join(a.problems)})" for a in seen.of(indicator))
    return f"candidates: {listed or 'none'}"


def nothing_fits(seen: Survey) -> FetchError:
    """Return the one-line error for a catalogue without a usable samtale table."""
    # What to do comes before the candidates, which can be many: a line is cut at its end.
    return FetchError(
        f"no samtale table fits among the {seen.tables} tables of {seen.url}; pin one with "
        "[[fetch_tables]] in site.toml (see README, 'Publicér rigtige tal', and `fetch --list`) "
        f"({_candidates(seen, DEFAULT)})"
    )


_LIST_COLUMNS = (
    ("id", 9),
    ("indicator", 11),
    ("kommune", 7),
    ("name (subject / group)", 30),
    ("measures → columns", 32),
    ("would fill", 30),
)


def list_lines(seen: Survey) -> list[str]:
    """Return `fetch --list`: the candidate tables of every indicator as a table, then why each
    unusable one is, then what `fetch` would take."""
    lines = [
        f"{len(seen.assessments)} candidate table(s) among the {seen.tables} tables of "
        f"{seen.url} ({seen.counts()}):",
        "",
    ]
    rows = [[name for name, _ in _LIST_COLUMNS], ["-" * width for _, width in _LIST_COLUMNS]]
    for a in seen.assessments:
        e = a.entry
        where = " / ".join(t for t in (e.subject, e.group) if t)
        persons = [(c, m, a.sibling.entry.id) for c, m in a.sibling.measures] if a.sibling else []
        measures = "; ".join(
            [f"{m.name} ({table}) → {c}" for c, m, table in persons]
            + [f"{m.name} → {c}" for c, m in a.measures]
        )
        measures = measures or "–"
        fills = f"{', '.join(a.fills)} ({', '.join(a.columns)})" if a.usable else "–"
        kommune = "yes" if a.area else "no"
        name = f"{e.name} ({where})" if where else e.name
        rows.append([e.id, a.indicator, kommune, name, measures, fills])
    for row in rows:
        cells = [
            textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
            for text, (_, width) in zip(row, _LIST_COLUMNS, strict=True)
        ]
        for k in range(max(len(c) for c in cells)):
            parts = [
                (c[k] if k < len(c) else "").ljust(width)
                for c, (_, width) in zip(cells, _LIST_COLUMNS, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    unusable = [a for a in seen.assessments if not a.usable]
    if unusable:
        lines.append("")
    lines += [
        f"{a.entry.id} is not usable for {a.indicator}: {'; '.join(a.problems)}" for a in unusable
    ]
    chosen = choose(seen.assessments, ORDER)
    lines.append("")
    if not any(c.indicator == DEFAULT for c in chosen):
        lines.append(
            "fetch would find no samtale table and stop; pin a table with [[fetch_tables]]."
        )
        return lines
    picks = [f"{c.assessment.entry.id} for {c.indicator}: {', '.join(c.groups)}" for c in chosen]
    missing = [i for i in seen.indicators if not any(c.indicator == i for c in chosen)]
    picks += [f"no table for {i}" for i in missing if not INDICATORS[i].not_on_v3]
    lines.append(f"fetch would take {'; '.join(picks)}.")
    lines += [f"{INDICATORS[i].not_on_v3}." for i in missing if INDICATORS[i].not_on_v3]
    for c in chosen:  # labels fetch stops on rather than leave out unsaid
        for label, why in unplaced(c.assessment):
            lines.append(
                f"fetch would stop: {c.assessment.entry.id} {c.assessment.group_label} "
                f"{label!r} is {why}."
            )
    split = [c for c in chosen if c.assessment.sibling is not None]
    if split:
        lines += ["", "Tables whose persons are in a sibling table of the same benefit:"]
    for c in split:
        a = c.assessment
        assert a.sibling is not None
        lines.append(
            f"  {a.entry.id} {a.entry.name!r} ({a.entry.subject}) for {a.indicator}: "
            f"{', '.join(c.groups)}, persons from {a.sibling.entry.id} {a.sibling.entry.name!r}"
        )
        lines.append(f"    why: {reasons(a)}")
    return lines
