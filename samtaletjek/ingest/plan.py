"""Pure: everything an import decides before anything is written.

`read_incoming` turns read source files into canonical rows (or raises every problem at once);
`plan_import` merges them with what the data directory holds, validates the result and returns
the frame, manifest and release log to write, and the summary a person reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..domain.dataset import COLUMNS, ROW, Manifest, Release, Revision, next_release_id
from ..domain.periods import missing_between, month_index
from ..domain.registry import Registry
from ..domain.validate import duplicate_pairs, validate
from ..errors import DataError, DataErrors, one_line
from ..store import DATA_FILE, MANIFEST_FILE
from .indicators import DEFAULT
from .interpret import Interpreted, interpret, measured, resolve_table_context
from .merge import indicator_order, merge
from .readers.shapes import MAX_ERRORS, Skipped, SourceFile
from .values import check_period

# What the site's footer says the figures come from once real data are imported.
SOURCE = "STAR / jobindsats.dk"


def _sorted_with_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` in the order `write_canonical` writes it, ROW = its line in that file."""
    order = ["period", "indicator", "target_group", "municipality_code"]
    ordered = frame.sort_values(order).reset_index(drop=True)
    return ordered.assign(**{ROW: range(2, len(ordered) + 2)})


def unknown_months(frame: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (target group, months) for every indicator's group ("dagpenge" for samtaler,
    "tilbud/dagpenge" for another, as `interpret.measured` names them): the months no row
    holds between the group's first and last month. They are unknown, not zero; nothing is
    invented for them."""
    if frame.empty:
        return ()
    indexed = frame.assign(_m=month_index(frame["period"]))
    if "indicator" not in indexed.columns:
        indexed = indexed.assign(indicator=DEFAULT)
    by = sorted(
        indexed.groupby(["indicator", "target_group"])["_m"],
        key=lambda item: (indicator_order(str(item[0][0])), str(item[0][1])),
    )
    return tuple(
        (measured(str(indicator), str(group)), tuple(missing_between(set(months))))
        for (indicator, group), months in by
    )


def _duplicates(incoming: pd.DataFrame) -> tuple[list[DataError], bool]:
    """Return the first MAX_ERRORS rows that repeat an earlier one, and whether there are more."""
    errors = []
    pairs = duplicate_pairs(incoming)
    for later, first in pairs[:MAX_ERRORS]:
        r, f = incoming.iloc[later], incoming.iloc[first]
        where = f"row {f[ROW]}" if f["file"] == r["file"] else f"{f['file']} row {f[ROW]}"
        errors.append(
            DataError(
                r["file"],
                int(r[ROW]),
                None,
                f"duplicate of {where}: {r['municipality']} {r['period']} "
                f"{measured(r['indicator'], r['target_group'])} twice",
            )
        )
    return errors, len(pairs) > MAX_ERRORS


@dataclass(frozen=True)
class Existing:
    """What the data directory holds before the import."""

    frame: pd.DataFrame  # COLUMNS; empty for a new directory
    manifest: Manifest | None
    releases: tuple[Release, ...] = ()


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
    replaced_demo: int = 0  # rows of demo data the import replaced
    # Months between a target group's first and last month that no source holds (unknown).
    unknown: tuple[tuple[str, tuple[str, ...]], ...] = ()
    release: Release | None = None
    rows_after: int = 0

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
            lines += [
                f"    {indicator}: target groups {', '.join(groups)}; {added} added, "
                f"{revised} revised, {unchanged} unchanged"
                for indicator, groups, added, revised, unchanged in self.indicators
            ]
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
        if self.replaced_demo:
            lines.append(
                f"  replaced the demo data ({self.replaced_demo} rows): the directory now holds "
                "real figures only (manifest.json demo: false)"
            )
        if self.release is not None:
            lines.append(
                f"  wrote {DATA_FILE} ({self.rows_after} rows), {MANIFEST_FILE} and releases.json "
                f"(release {self.release.id})"
            )
        # Names and labels come from the files: whatever they hold, a line stays one line.
        return [one_line(line) for line in lines]


def _revision(r: Revision) -> str:
    return (
        f"{r.period} {r.municipality_code} {measured(r.indicator, r.target_group)} {r.column}: "
        f"{r.old or '–'} → {r.new or '–'}"
    )


def _made_missing(lost: Sequence[Revision], incoming: pd.DataFrame) -> list[DataError]:
    """One error per published figure the import would make missing, at the row saying so."""
    where = {
        (r["period"], int(r["municipality_code"]), r["indicator"], r["target_group"]): (
            r["file"],
            int(r[ROW]),
        )
        for r in incoming[
            ["period", "municipality_code", "indicator", "target_group", "file", ROW]
        ].to_dict("records")
    }
    errors = []
    for r in lost:
        file, row = where[(r.period, r.municipality_code, r.indicator, r.target_group)]
        errors.append(
            DataError(
                file,
                row,
                r.column,
                f"would make the published figure {r.old} missing "
                f"({r.period} {r.municipality_code} {measured(r.indicator, r.target_group)}); "
                "import with --allow-missing to accept",
            )
        )
    return errors


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


@dataclass(frozen=True)
class Plan:
    summary: ImportSummary
    frame: pd.DataFrame | None  # None: nothing to write
    manifest: Manifest | None
    releases: tuple[Release, ...]


def read_incoming(
    sources: Sequence[SourceFile],
    registry: Registry,
    *,
    today: str,
    target_group: str | None = None,
    period: str | None = None,
) -> Interpreted:
    """Return the canonical rows of every table in `sources`, or raise DataErrors. Pure."""
    out = Interpreted(frame=pd.DataFrame())
    frames = []
    for src in sources:
        out.skipped += src.skipped
        out.read += sum(1 for s in src.skipped if s.row is not None)  # rows a reader left out
        found = 0
        for table in src.tables:
            month, group, problems = resolve_table_context(
                table, src, period=period, target_group=target_group
            )
            if month is not None and (why := check_period(month, today)):
                problems.append(DataError(table.file, None, None, why))
            out.errors += problems
            if problems:
                continue
            result = interpret(table, registry, today=today, period=month, target_group=group)
            out.errors += result.errors
            if result.stopped or len(out.errors) >= MAX_ERRORS:
                raise DataErrors(out.errors, stopped=True)
            out.skipped += result.skipped
            out.notes += result.notes
            out.read += result.read
            frames.append(result.frame)
            found += len(result.frame)
        if not out.errors and not found:
            out.errors.append(
                DataError(src.name, None, None, "holds no municipality rows (only totals or notes)")
            )
    if out.errors:
        raise DataErrors(out.errors)
    incoming = pd.concat(frames, ignore_index=True)
    errors, more = _duplicates(incoming)
    # A month or group column in the file wins over the options only if they agree.
    for column, option, flag in (
        ("period", period, "--period"),
        ("target_group", target_group, "--target-group"),
    ):
        if option is not None:
            errors += [
                DataError(
                    r["file"], int(r[ROW]), None, f"says {r[column]}, but {flag} says {option}"
                )
                for r in incoming[incoming[column] != option].head(MAX_ERRORS).to_dict("records")
            ]
            more = more or int((incoming[column] != option).sum()) > MAX_ERRORS
    if errors:
        raise DataErrors(errors, stopped=more)
    out.frame = incoming
    return out


def plan_import(
    sources: Sequence[SourceFile],
    existing: Existing,
    registry: Registry,
    *,
    today: str,
    source: str,
    data_dir: str,
    target_group: str | None = None,
    period: str | None = None,
    allow_missing: bool = False,
) -> Plan:
    """Return what an import into `data_dir` would write, or raise DataErrors naming every
    problem. Pure: `existing` is what the directory holds, `today` the import date.

    A published figure the import would make missing (a count now suppressed, a cell now
    empty) is refused, one line each, unless `allow_missing`; then the summary lists each."""
    read = read_incoming(sources, registry, today=today, target_group=target_group, period=period)
    incoming, notes = read.frame, list(read.notes)
    # Real figures never mix with demo figures: they replace them, and the summary says so.
    demo = existing.manifest is not None and existing.manifest.demo
    merged = merge(existing.frame.iloc[0:0] if demo else existing.frame, incoming)
    lost = tuple(r for r in merged.revisions if r.old and not r.new)
    if lost and not allow_missing:
        raise DataErrors(_made_missing(lost, incoming))
    after = _sorted_with_rows(merged.frame)
    label = f"{Path(data_dir) / DATA_FILE} (after the import)"
    errors = validate(after, registry, label)
    if not errors and not (after["indicator"] == DEFAULT).any():
        # The site is built around samtaler (`build` refuses a table without them): a first
        # import of tilbud or passivandel alone would leave a directory that cannot be built.
        errors.append(
            DataError(
                label,
                None,
                "indicator",
                f"would hold no {DEFAULT} rows, and the site is built around them; import "
                "samtale figures too (in the same import, or first)",
            )
        )
    if errors:
        raise DataErrors(errors)

    releases = () if demo else existing.releases
    release = None
    if merged.added + merged.revised:
        release = Release(
            id=next_release_id(releases, today),
            date=today,
            source=source,
            periods=merged.periods,
            added=merged.added,
            revised=merged.revised,
            files=tuple(Path(s.name).name for s in sources),
            revisions=merged.revisions,
        )
        if demo and existing.releases:
            notes.append(f"dropped the demo data's release log ({len(existing.releases)})")
    summary = ImportSummary(
        data_dir=data_dir,
        files=tuple(s.name for s in sources),
        formats=tuple(dict.fromkeys(s.format for s in sources)),
        read=read.read,
        added=merged.added,
        revised=merged.revised,
        unchanged=merged.unchanged,
        skipped=tuple(read.skipped),
        notes=tuple(notes),
        periods=tuple(sorted(set(incoming["period"]))),
        target_groups=tuple(sorted(set(incoming["target_group"]))),
        revisions=merged.revisions,
        made_missing=lost,
        indicators=tuple(
            (
                indicator,
                tuple(
                    sorted(set(incoming.loc[incoming["indicator"] == indicator, "target_group"]))
                ),
                added,
                revised,
                unchanged,
            )
            for indicator, added, revised, unchanged in merged.by_indicator
        ),
        replaced_demo=len(existing.frame) if demo else 0,
        unknown=unknown_months(after),
        release=release,
        rows_after=len(after),
    )
    if release is None:
        return Plan(summary, None, None, existing.releases)
    manifest = Manifest(
        source=SOURCE,
        release_date=today,
        demo=False,
        description=f"Tal fra STAR (jobindsats.dk), senest indlæst {today}.",
        licence="" if demo or existing.manifest is None else existing.manifest.licence,
    )
    return Plan(summary, after[list(COLUMNS)], manifest, (*releases, release))
