"""Pure: everything an import decides before anything is written.

`read_incoming` turns read source files into canonical rows (or raises every problem at once);
`plan_import` merges them with what the data directory holds, validates the result and returns
the frame, manifest and release log to write, and the summary a person reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..domain.dataset import (
    COLUMNS,
    CONTEXT_COLUMNS,
    CONTEXT_KEY,
    CONTEXT_SOURCE,
    ROW,
    Manifest,
    Release,
    Revision,
    Source,
    next_release_id,
)
from ..domain.periods import missing_between, month_index
from ..domain.registry import Registry
from ..domain.validate import duplicate_pairs, validate, validate_context
from ..errors import DataError, DataErrors
from ..store import CONTEXT_FILE, DATA_FILE
from .context import context_frame, interpret_context
from .indicators import DEFAULT
from .interpret import Interpreted, canonical_frame, interpret, measured
from .merge import indicator_order, merge, merge_context
from .readers.shapes import MAX_ERRORS, SourceFile
from .resolve import resolve_table_context
from .summary import ImportSummary
from .values import check_period

# What the site's footer says the figures come from once real data are imported.
SOURCE = "STAR / jobindsats.dk"
REAL_SOURCE = "STAR, jobindsats.dk"  # the source of an indicator's imported figures


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
        errors.append(duplicate(r, f, measured(r["indicator"], r["target_group"])))
    return errors, len(pairs) > MAX_ERRORS


def duplicate(r: Mapping, f: Mapping, what: str) -> DataError:
    """The error of row `r` that repeats the earlier row `f` (of the same file or another)."""
    where = f"row {f[ROW]}" if f["file"] == r["file"] else f"{f['file']} row {f[ROW]}"
    return DataError(
        r["file"],
        int(r[ROW]),
        None,
        f"duplicate of {where}: {r['municipality']} {r['period']} {what} twice",
    )


@dataclass(frozen=True)
class Existing:
    """What the data directory holds before the import."""

    frame: pd.DataFrame  # COLUMNS; empty for a new directory
    manifest: Manifest | None
    releases: tuple[Release, ...] = ()
    context: pd.DataFrame | None = None  # ledighed.csv (CONTEXT_COLUMNS); None: there is none


def _made_missing(
    lost: Sequence[Revision], incoming: pd.DataFrame, context: pd.DataFrame
) -> list[DataError]:
    """One error per published figure the import would make missing, at the row saying so."""
    where = {
        (r["period"], int(r["municipality_code"]), CONTEXT_SOURCE, ""): (r["file"], int(r[ROW]))
        for r in context.to_dict("records")
    } | {
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


@dataclass(frozen=True)
class Plan:
    summary: ImportSummary
    frame: pd.DataFrame | None  # None: nothing to write
    manifest: Manifest | None
    releases: tuple[Release, ...]
    context: pd.DataFrame | None = None  # ledighed.csv to write (None: leave it as it is)


def read_incoming(
    sources: Sequence[SourceFile],
    registry: Registry,
    *,
    today: str,
    target_group: str | None = None,
    period: str | None = None,
) -> Interpreted:
    """Return the canonical rows of every table in `sources` (and the context rows, in
    `context`), or raise DataErrors. Pure."""
    out = Interpreted(frame=pd.DataFrame())
    frames, contexts = [], []
    for src in sources:
        out.skipped += src.skipped
        out.notes += src.notes
        out.read += sum(1 for s in src.skipped if s.row is not None)  # rows a reader left out
        found = 0
        for table in src.tables:
            month, group, problems = resolve_table_context(
                table,
                src,
                period=period,
                target_group=target_group,
                groups=_group_words(registry),
                own=registry.group_ids(table.indicator),
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
        for context_table in src.context_tables:
            result = interpret_context(context_table, registry, today=today)
            out.errors += result.errors
            if result.stopped or len(out.errors) >= MAX_ERRORS:
                raise DataErrors(out.errors, stopped=True)
            out.skipped += result.skipped
            out.read += result.read
            contexts.append(result.context)
            found += len(result.context)
        if not out.errors and not found:
            out.errors.append(
                DataError(src.name, None, None, "holds no municipality rows (only totals or notes)")
            )
    if out.errors:
        raise DataErrors(out.errors)
    incoming = (
        pd.concat(frames, ignore_index=True) if frames else canonical_frame([], "", False).iloc[0:0]
    )
    errors, more = _duplicates(incoming)
    if contexts:
        out.context = pd.concat(contexts, ignore_index=True)
        errors += _context_duplicates(out.context)
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


def _group_words(registry: Registry) -> dict[str, tuple[str, ...]]:
    """Return every target group's id → the words naming it (id, name, short name, noun)."""
    words: dict[str, tuple[str, ...]] = {}
    for g in registry.every_group:
        words[g.id] = tuple(dict.fromkeys((*words.get(g.id, ()), g.id, g.name, g.short, g.noun)))
    return words


def _context_duplicates(context: pd.DataFrame) -> list[DataError]:
    """One error per context row that repeats an earlier one's month and area."""
    repeated = context.duplicated(CONTEXT_KEY, keep=False)
    errors, first = [], {}
    for r in context[repeated].to_dict("records"):
        key = (r["period"], int(r["municipality_code"]))
        if key not in first:
            first[key] = r
            continue
        errors.append(duplicate(r, first[key], "ledighed"))
    return errors[:MAX_ERRORS]


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
    retrieved: str | None = None,
    tables: Mapping[str, Sequence[str]] | Sequence[str] = (),
) -> Plan:
    """Return what an import into `data_dir` would write, or raise DataErrors naming every
    problem. Pure: `existing` is what the directory holds, `today` the import date.

    A published figure the import would make missing (a count now suppressed, a cell now
    empty) is refused, one line each, unless `allow_missing`; then the summary lists each.
    Each indicator the import brings rows for (and "ledighed" for context rows) gets its
    source in the manifest: the table ids its tables name (else `tables`), `retrieved`
    (default `today`) and `today`. Demo rows of those indicators are replaced; every other
    indicator's rows are left alone."""
    read = read_incoming(sources, registry, today=today, target_group=target_group, period=period)
    incoming, notes = read.frame, list(read.notes)
    old = existing.manifest
    brought = tuple(sorted(set(incoming["indicator"]), key=indicator_order))
    # Real figures never mix with demo figures within an indicator: they replace them, and
    # the summary says so per indicator.
    replaced = tuple(
        (indicator, int((existing.frame["indicator"] == indicator).sum()))
        for indicator in brought
        if old is not None and old.source_of(indicator).demo
    )
    replaced = tuple((i, n) for i, n in replaced if n)
    gone = [i for i, _ in replaced]
    kept = existing.frame[~existing.frame["indicator"].isin(gone)]
    merged = merge(kept, incoming)
    context = None
    if not read.context.empty:
        context = merge_context(_existing_context(existing), read.context)
    revisions = merged.revisions + (context.revisions if context else ())
    lost = tuple(r for r in revisions if r.old and not r.new)
    if lost and not allow_missing:
        raise DataErrors(_made_missing(lost, incoming, read.context))
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
    context_after = None
    if context is not None:
        context_after = context.frame.sort_values(CONTEXT_KEY).reset_index(drop=True)
        context_after = context_after.assign(**{ROW: range(2, len(context_after) + 2)})
        errors += validate_context(
            context_after, registry, f"{Path(data_dir) / CONTEXT_FILE} (after the import)"
        )
    if errors:
        raise DataErrors(errors)

    sources_after = _sources(
        old,
        sorted(set(after["indicator"])),
        brought,
        context is not None or not _existing_context(existing).empty,
        context is not None,
        _table_ids(sources, tables),
        retrieved or today,
        today,
    )
    demo_left = any(s.demo for s in sources_after.values())
    releases = _kept_releases(existing, demo_left)
    if dropped := len(existing.releases) - len(releases):
        notes.append(f"dropped the demo data's release log ({dropped})")
    added = merged.added + (context.added if context else 0)
    revised = merged.revised + (context.revised if context else 0)
    release = None
    if added + revised:
        release = Release(
            id=next_release_id(releases, today),
            date=today,
            source=source,
            periods=tuple(sorted({*merged.periods, *(context.periods if context else ())})),
            added=added,
            revised=revised,
            files=tuple(Path(s.name).name for s in sources),
            revisions=revisions,
        )
    by_indicator = [
        (
            indicator,
            tuple(sorted(set(incoming.loc[incoming["indicator"] == indicator, "target_group"]))),
            a,
            r,
            u,
        )
        for indicator, a, r, u in merged.by_indicator
    ]
    if context is not None:
        by_indicator.append((CONTEXT_SOURCE, (), context.added, context.revised, context.unchanged))
    summary = ImportSummary(
        data_dir=data_dir,
        files=tuple(s.name for s in sources),
        formats=tuple(dict.fromkeys(s.format for s in sources)),
        read=read.read,
        added=added,
        revised=revised,
        unchanged=merged.unchanged + (context.unchanged if context else 0),
        skipped=tuple(read.skipped),
        notes=tuple(notes),
        periods=tuple(sorted({*incoming["period"], *(read.context["period"] if context else ())})),
        target_groups=tuple(sorted(set(incoming["target_group"]))),
        revisions=revisions,
        made_missing=lost,
        indicators=tuple(by_indicator),
        replaced_demo=replaced,
        demo_left=tuple(
            sorted((k for k, s in sources_after.items() if s.demo), key=indicator_order)
        ),
        unknown=unknown_months(after),
        release=release,
        rows_after=len(after),
        context_rows_after=0 if context_after is None else len(context_after),
    )
    if release is None:
        return Plan(summary, None, None, existing.releases)
    manifest = Manifest(
        source=SOURCE,
        release_date=today,
        demo=False,
        description=f"Tal fra STAR (jobindsats.dk), senest indlæst {today}.",
        licence="" if old is None or old.demo else old.licence,
        sources=sources_after,
    )
    out_context = None if context_after is None else context_after[list(CONTEXT_COLUMNS)]
    # Oldest first: demo releases kept beside real ones may be dated after today.
    log = tuple(sorted((*releases, release), key=lambda r: r.date))
    return Plan(summary, after[list(COLUMNS)], manifest, log, out_context)


def _existing_context(existing: Existing) -> pd.DataFrame:
    if existing.context is None:
        return context_frame([]).drop(columns=[ROW])
    return existing.context.drop(columns=[ROW], errors="ignore")


def _table_ids(
    sources: Sequence[SourceFile], fallback: Mapping[str, Sequence[str]] | Sequence[str]
) -> dict[str, tuple]:
    """Return indicator (or "ledighed") → the table ids its tables name, else `fallback`
    (one list for all, or by indicator)."""
    ids: dict[str, dict[str, None]] = {}
    for src in sources:
        for table in src.tables:
            ids.setdefault(table.indicator, {}).update(dict.fromkeys(table.table_ids))
        for context_table in src.context_tables:
            ids.setdefault(CONTEXT_SOURCE, {}).update(dict.fromkeys(context_table.table_ids))

    def given(key: str) -> tuple:
        return tuple(fallback.get(key, ()) if isinstance(fallback, Mapping) else fallback)

    return {key: tuple(found) or given(key) for key, found in ids.items()}


def _sources(
    old: Manifest | None,
    present: Sequence[str],
    brought: Sequence[str],
    has_context: bool,
    brought_context: bool,
    tables: dict[str, tuple],
    retrieved: str,
    today: str,
) -> dict[str, Source]:
    """Return the manifest's sources after an import: a real source for what it brought, the
    old one (from `old`'s entry or its top level) for every other indicator present."""
    out: dict[str, Source] = {}
    keys = [*present, *([CONTEXT_SOURCE] if has_context else [])]
    for key in keys:
        before = None if old is None else old.source_of(key)
        if key in brought or (key == CONTEXT_SOURCE and brought_context):
            # A real source's earlier table ids stay: its rows are still in the table.
            earlier = () if before is None or before.demo else before.tables
            out[key] = Source(
                demo=False,
                source=REAL_SOURCE,
                tables=tuple(dict.fromkeys((*tables.get(key, ()), *earlier))),
                retrieved=retrieved,
                release_date=today,
            )
        elif before is not None:
            out[key] = before
    return out


def _kept_releases(existing: Existing, demo_left: bool) -> tuple[Release, ...]:
    """The release log to keep: demo releases only while some indicator has demo figures (a
    log written before releases said so is all demo where the whole manifest was)."""
    old = existing.manifest
    all_demo = old is not None and old.demo and not any(not s.demo for s in old.sources.values())
    marked = tuple(
        dataclasses.replace(r, demo=True) if all_demo and not r.demo else r
        for r in existing.releases
    )
    return marked if demo_left else tuple(r for r in marked if not r.demo)
