"""`import`: the I/O shell around the pure plan. It reads the source files and the data
directory, calls `plan_import`, and writes `samtaler.csv`, `manifest.json`, `releases.json`
and, where the sources hold registered unemployment, `ledighed.csv` as one unit only when
every check has passed, so bad input leaves the data directory exactly as it was."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from .. import store
from ..domain.dataset import COLUMNS, ROW
from ..domain.periods import PERIOD_PATTERN
from ..domain.registry import Registry
from ..errors import DataErrors, UserError
from ..store.atomic import current
from . import demo
from .merge import typed
from .plan import SOURCE, Existing, ImportSummary, plan_import
from .readers import read_source
from .readers.shapes import SourceFile


def read_existing(data_dir: Path) -> Existing:
    """Return what a data directory holds; a missing or empty directory holds nothing."""
    if not any(current(data_dir, name).exists() for name in (store.DATA_FILE, store.MANIFEST_FILE)):
        return Existing(pd.DataFrame(columns=list(COLUMNS)).pipe(typed), None, ())
    manifest = store.read_manifest(data_dir)
    frame, errors = store.read_canonical(data_dir)
    context, context_errors = store.read_context(data_dir)
    if errors or context_errors:
        raise DataErrors(errors + context_errors)
    return Existing(
        frame.drop(columns=[ROW]),
        manifest,
        store.read_releases(data_dir),
        context.drop(columns=[ROW]) if current(data_dir, store.CONTEXT_FILE).exists() else None,
    )


def write_demo(
    data_dir: Path, registry: Registry, *, force: bool, lock_timeout: float = store.LOCK_TIMEOUT
) -> demo.Regenerated:
    """Write demo figures for every indicator whose figures are not real (all with `force`,
    which also empties `ledighed.csv`), keeping the real ones; return what was written."""
    with store.writing(data_dir, lock_timeout):
        frame, manifest, releases, has_context = None, None, (), False
        if current(data_dir, store.MANIFEST_FILE).exists() and not force:
            existing = read_existing(data_dir)
            frame, manifest, releases = existing.frame, existing.manifest, existing.releases
            has_context = existing.context is not None and not existing.context.empty
        out = demo.regenerate(
            registry, frame, manifest, releases, has_context=has_context, force=force
        )
        context = None
        if force and current(data_dir, store.CONTEXT_FILE).exists():
            context = store.read_context(data_dir)[0].iloc[0:0]
        store.write_data(data_dir, out.frame, out.manifest, out.releases, context)
    return out


def _is_day(text: str) -> bool:
    """True for a real day written YYYY-MM-DD."""
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and bool(date.fromisoformat(text))
    except ValueError:
        return False


def check_options(registry: Registry, target_group: str | None, period: str | None) -> None:
    """Raise UserError for a --target-group or --period the import cannot use."""
    # Any indicator's group; whether the file's indicator measures it is checked per table.
    known = tuple(dict.fromkeys(g.id for g in registry.every_group))
    if target_group is not None and target_group not in known:
        raise UserError(f"--target-group {target_group!r} is not one of: {', '.join(known)}")
    # fullmatch: "2018-06xyz" or "2018-06\n" is no month.
    if period is not None and not re.fullmatch(PERIOD_PATTERN, period):
        raise UserError(f"--period {period!r} is not a month written YYYY-MM")


def import_sources(
    sources: Sequence[SourceFile],
    data_dir: Path,
    registry: Registry,
    *,
    today: str,
    source: str,
    target_group: str | None = None,
    period: str | None = None,
    before_write: Callable[[], None] | None = None,
    lock_timeout: float = store.LOCK_TIMEOUT,
    allow_missing: bool = False,
    retrieved: str | None = None,
    tables: Mapping[str, Sequence[str]] | Sequence[str] = (),
) -> ImportSummary:
    """Merge read sources into `data_dir` and write it, or raise and leave it untouched.

    The data directory is locked from the read to the write, so a second import waits for
    this one and plans on top of what it wrote. `before_write` runs once every check has
    passed, before the data are written (fetch archives the raw answers there).
    `allow_missing`: a published figure may become missing (see `plan_import`).
    `retrieved` (YYYY-MM-DD, default `today`) and `tables` (the source's table ids, for
    tables that do not name their own: one list, or by indicator as fetch knows them) go into
    the manifest's source of each indicator."""
    check_options(registry, target_group, period)
    with store.writing(data_dir, lock_timeout):
        existing = read_existing(data_dir)
        plan = plan_import(
            sources,
            existing,
            registry,
            today=today,
            source=source,
            data_dir=str(data_dir),
            target_group=target_group,
            period=period,
            allow_missing=allow_missing,
            retrieved=retrieved,
            tables=tables,
        )
        if before_write is not None:
            before_write()
        if plan.frame is not None and plan.manifest is not None:
            # Every check has passed: the files are replaced together, or not at all.
            store.write_data(data_dir, plan.frame, plan.manifest, plan.releases, plan.context)
    return plan.summary


def import_files(
    paths: Sequence[Path],
    data_dir: Path,
    registry: Registry,
    *,
    today: str,
    target_group: str | None = None,
    period: str | None = None,
    lock_timeout: float = store.LOCK_TIMEOUT,
    allow_missing: bool = False,
    retrieved: str | None = None,
) -> ImportSummary:
    """Import STAR statement workbooks and jobindsats JSON/CSV files into `data_dir`;
    `retrieved` is the day the figures were taken from the source (default `today`)."""
    check_options(registry, target_group, period)
    if retrieved is not None and not _is_day(retrieved):
        raise UserError(f"--retrieved {retrieved!r} is not a date written YYYY-MM-DD")
    if retrieved is not None and retrieved > today:
        raise UserError(f"--retrieved {retrieved} is after the import date {today}")
    sources, errors, stopped = [], [], False
    for path in paths:
        try:
            sources.append(read_source(path))
        except DataErrors as exc:
            errors.extend(exc.errors)
            stopped = stopped or exc.stopped
    if errors:
        raise DataErrors(errors, stopped=stopped)
    return import_sources(
        sources,
        data_dir,
        registry,
        today=today,
        source=f"{SOURCE} (indlæste filer)",
        target_group=target_group,
        period=period,
        lock_timeout=lock_timeout,
        allow_missing=allow_missing,
        retrieved=retrieved,
    )
