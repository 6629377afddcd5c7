"""The summary a person reads after an import or fetch: what was read, added, revised and
skipped, per indicator, and what was written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.dataset import Release, Revision
from ..errors import one_line
from ..store import CONTEXT_FILE, DATA_FILE, MANIFEST_FILE
from .indicators import DEFAULT
from .interpret import measured
from .readers.shapes import Skipped


@dataclass(frozen=True)
class ImportSummary:
    data_dir: str
    files: tuple[str, ...]
    formats: tuple[str, ...]
    read: int
    added: int
    revised: int
    unchanged: int
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    periods: tuple[str, ...]
    target_groups: tuple[str, ...]  # of every indicator
    revisions: tuple[Revision, ...] = ()
    made_missing: tuple[Revision, ...] = ()  # published figures now missing (--allow-missing)
    # (indicator, its target groups, added, revised, unchanged), samtaler first
    indicators: tuple[tuple[str, tuple[str, ...], int, int, int], ...] = ()
    # (indicator, rows): the demo rows the import replaced, per indicator
    replaced_demo: tuple[tuple[str, int], ...] = ()
    demo_left: tuple[str, ...] = ()  # indicators whose figures are still demo figures
    # Months between a target group's first and last month that no source holds (unknown).
    unknown: tuple[tuple[str, tuple[str, ...]], ...] = ()
    release: Release | None = None
    rows_after: int = 0
    context_rows_after: int = 0  # rows of ledighed.csv after the import (0: not written)

    @property
    def changed(self) -> bool:
        return self.added + self.revised > 0

    def lines(self) -> list[str]:
        """Return the summary a person reads after an import, one line each."""
        skipped_rows = sum(1 for s in self.skipped if s.row is not None)
        counts = (
            f"read {self.read} rows: {self.added} added, {self.revised} revised, "
            f"{self.unchanged} unchanged, {skipped_rows} skipped"
        )
        if not self.changed:
            lines = [f"No new data: {counts}; nothing was written to {self.data_dir}."]
        else:
            lines = [f"Imported {', '.join(self.files)} into {self.data_dir}:", f"  {counts}"]
        lines.append(f"  read as {', '.join(self.formats)}")
        if [i for i, *_ in self.indicators] in ([], [DEFAULT]):
            groups = ", ".join(self.target_groups) or "–"
            lines.append(f"  months {_span(self.periods)}; target groups {groups}")
        else:  # which indicators, and each one's groups and counts
            lines.append(f"  months {_span(self.periods)}; indicators {len(self.indicators)}:")
            for indicator, groups, added, revised, unchanged in self.indicators:
                what = f"target groups {', '.join(groups)}" if groups else CONTEXT_FILE
                lines.append(
                    f"    {indicator}: {what}; {added} added, {revised} revised, "
                    f"{unchanged} unchanged"
                )
        lines += _unknown_lines(self.unknown)
        for reason, where in _grouped(self.skipped):
            lines.append(f"  skipped {len(where)} × {reason}: {_places(where)}")
        notes = _condensed(self.notes)
        lines += [f"  note: {n}" for n in notes[:20]]
        if len(notes) > 20:
            lines.append(f"  … and {len(notes) - 20} more notes")
        if self.made_missing:  # every one, however many: the user allowed them unseen
            lines.append(
                f"  {len(self.made_missing)} published figure(s) now missing (--allow-missing):"
            )
            lines += [f"    {_revision(r)}" for r in self.made_missing]
        lost = set(self.made_missing)
        others = [r for r in self.revisions if r not in lost]
        lines += [f"  revised {_revision(r)}" for r in others[:20]]
        if len(others) > 20:
            lines.append(f"  … and {len(others) - 20} more revisions (see releases.json)")
        lines += [
            f"  replaced the demo data of {indicator} ({rows} rows) with real figures"
            for indicator, rows in self.replaced_demo
        ]
        if self.replaced_demo:
            lines.append(
                f"  demo figures remain for {', '.join(self.demo_left)}"
                if self.demo_left
                else "  the directory now holds real figures only"
            )
        if self.release is not None:
            lines.append(
                f"  wrote {DATA_FILE} ({self.rows_after} rows), {MANIFEST_FILE} and releases.json "
                f"(release {self.release.id})"
            )
            if self.context_rows_after:
                lines.append(f"  wrote {CONTEXT_FILE} ({self.context_rows_after} rows)")
        # Names and labels come from the files: whatever they hold, a line stays one line.
        return [one_line(line) for line in lines]


def _revision(r: Revision) -> str:
    return (
        f"{r.period} {r.municipality_code} {measured(r.indicator, r.target_group)} {r.column}: "
        f"{r.old or '–'} → {r.new or '–'}"
    )


def _condensed(notes: Sequence[str], shown: int = 3) -> list[str]:
    """Return the notes with cross-checks that match, or cannot be made, counted after the
    first few instead of listed; a cross-check that differs is always listed."""
    kept: list[str] = []
    counts = {"(matches)": 0, "not comparable": 0}
    for note in notes:
        kind = next((k for k in counts if note.startswith("cross-check") and k in note), None)
        if kind is not None:
            counts[kind] += 1
            if counts[kind] > shown:
                continue
        kept.append(note)
    said = {
        "(matches)": ("matches the municipalities", "match the municipalities"),
        "not comparable": ("cannot be compared", "cannot be compared"),
    }
    for kind, count in counts.items():
        if (n := count - shown) > 0:
            figures = f"{n} more national or regional figure{'s' if n > 1 else ''}"
            kept.append(f"cross-check: {figures} {said[kind][n > 1]}")
    return kept


def _unknown_lines(unknown: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Return "unknown months …" lines: one for all target groups when they lack the same
    months, else one per group."""
    if not any(months for _, months in unknown):
        return []
    said = "no source holds them; nothing is filled in"

    def listed(months: Sequence[str]) -> str:
        return ", ".join(months[:12]) + (f" … ({len(months)} in all)" if len(months) > 12 else "")

    if len({months for _, months in unknown}) == 1:
        return [f"  unknown months ({said}): {listed(unknown[0][1])}"]
    return [
        f"  unknown months of {group} ({said}): {listed(months)}"
        for group, months in unknown
        if months
    ]


def _span(periods: Sequence[str]) -> str:
    if not periods:
        return "–"
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]} ({len(periods)})"


def _grouped(skipped: Sequence[Skipped]) -> list[tuple[str, list[Skipped]]]:
    groups: dict[str, list[Skipped]] = {}
    for s in skipped:
        reason = re.sub(r"^'[^']*': ", "", s.reason)  # group "'Hele landet': …" by what it is
        groups.setdefault(reason, []).append(s)
    return list(groups.items())


def _places(where: list[Skipped]) -> str:
    """Return "a.xlsx[Ark] rows 5, 16; b.csv row 3" (at most six rows per file)."""
    rows: dict[str, dict[int, None]] = {}  # a dict keeps the order and each row once
    for s in where:
        rows.setdefault(s.file, {})
        if s.row is not None:  # side by side: one row, two tables
            rows[s.file][s.row] = None
    parts = []
    for file, seen in rows.items():
        numbers = list(seen)
        listed = ", ".join(map(str, numbers[:6])) + (", …" if len(numbers) > 6 else "")
        parts.append(f"{file} row{'s' if len(numbers) > 1 else ''} {listed}" if numbers else file)
    return "; ".join(parts)
