"""Fetch new figures from jobindsats.dk's API v3 and import them.

Without `[[fetch_tables]]`, the samtale tables are found in the catalogue (`GET /tables`):
the candidates' descriptions (`GET /table/<id>`) are checked by `discover`, and for each
target group the best usable table is fetched with `GET /data/<id>?mgroup.*=*&period.M=
latest:N&hierarchy.<kommune>=*&hierarchy.<groups>=*`, asking only for months the table has.
Pinned tables skip the catalogue. Every answer is read before anything is stored; the raw
answers are archived under `<data>/raw/jobindsats/` in the same step as the import, and an
answer identical to one already archived is not stored twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..domain.registry import Registry
from ..errors import UserError
from ..settings import FetchTable, Settings
from ..store.atomic import atomic_write_bytes
from .api import Api, FetchError, Refused, open_api
from .catalogue import CatalogueError, Entry, TableInfo, parse_catalogue, parse_table
from .discover import Assessment, Choice, assess, choose
from .importer import import_sources
from .indicators import SAMTALER, Indicator
from .plan import SOURCE, ImportSummary
from .readers.jobindsats_v3 import Selection, read_v3_answer
from .readers.shapes import SourceFile

ARCHIVE_DIR = Path("raw") / "jobindsats"
T = TypeVar("T")
_AVAILABLE = re.compile(r"only (\d+) periods? (?:are|is) available", re.IGNORECASE)


@dataclass(frozen=True)
class Survey:
    """The catalogue's tables and what each candidate would give."""

    url: str
    tables: int
    assessments: tuple[Assessment, ...]


def _metadata(api: Api, path: str, parse: Callable[[object], T]) -> T:
    url, _, raw = api.get(path)
    try:
        return parse(raw)
    except CatalogueError as exc:
        raise FetchError(f"{url}: {exc}") from None


def table_info(api: Api, table_id: str) -> TableInfo:
    """Return what `GET /table/<id>` says the table holds."""
    return _metadata(api, f"table/{table_id}", lambda raw: parse_table(raw, table_id))


def survey(api: Api, registry: Registry, indicator: Indicator = SAMTALER) -> Survey:
    """Read the catalogue and assess every table whose texts make it a candidate."""
    entries = _metadata(api, "tables", parse_catalogue)
    assessments = []
    for entry in dict((e.id, e) for e in entries if indicator.is_candidate(e.texts)).values():
        assessments.append(assess(entry, table_info(api, entry.id), indicator, registry))
    return Survey(api.base, len(entries), tuple(assessments))


def pinned(api: Api, tables: Sequence[FetchTable], registry: Registry) -> list[Choice]:
    """Return the tables site.toml pins, checked against their descriptions."""
    choices = []
    for n, table in enumerate(tables, start=1):
        if table.target_group and table.target_group not in registry.target_group_ids:
            raise UserError(
                f"setting fetch_tables[{n}]: target_group {table.target_group!r} is not one of: "
                f"{', '.join(registry.target_group_ids)}"
            )
        wrong = sorted({g for _, g in table.groups} - set(registry.target_group_ids))
        if wrong:
            raise UserError(
                f"setting fetch_tables[{n}]: groups name {', '.join(wrong)}, not one of: "
                f"{', '.join(registry.target_group_ids)}"
            )
        info = table_info(api, table.id)
        found = assess(Entry(table.id, info.name or table.id), info, SAMTALER, registry, pin=table)
        if found.problems:
            raise UserError(f"setting fetch_tables[{n}] ({table.id}): {'; '.join(found.problems)}")
        choices.append(Choice(found, found.fills))
    return choices


def data_params(choice: Choice, months: int, pin: FetchTable | None) -> list[tuple[str, str]]:
    """Return the query of one table's data: every measure, the latest months it has, every
    municipality (and the country), and every value of the dimension of target groups."""
    a = choice.assessment
    params = [
        ("mgroup.*", "*"),
        ("period.M", f"latest:{min(months, len(a.months))}"),
        (f"hierarchy.{a.area}", "*"),
    ]
    if a.group_hierarchy:
        params.append((f"hierarchy.{a.group_hierarchy}", "*"))
    params += [(f"hierarchy.{h}", selection) for h, selection in (pin.filters if pin else ())]
    return params


def download_data(
    api: Api, choice: Choice, params: list[tuple[str, str]]
) -> tuple[str, bytes, object]:
    """Return (url, body, JSON) of one table's data; a 422 saying fewer periods are available
    is asked again for those."""
    path = f"data/{choice.assessment.entry.id}"
    try:
        return api.get(path, params)
    except Refused as exc:
        match = _AVAILABLE.search(exc.cause)
        if not match or int(match[1]) < 1:
            raise
        fewer = [(k, f"latest:{match[1]}" if k == "period.M" else v) for k, v in params]
        return api.get(path, fewer)


def selection(choice: Choice, pin: FetchTable | None) -> Selection:
    """Return what the reader must take from the answer beyond what its labels say."""
    a = choice.assessment
    measures = {}
    if pin is not None:
        measures = {c: m.labels for c, m in a.measures if c in pin.measures}
    groups = None
    if (pin is not None and pin.groups) or choice.passed_over:
        groups = {label: g for label, g in a.groups if g in choice.groups}
    columns = {"municipality": a.area_label}
    if a.group_label:
        columns["target_group"] = a.group_label
    return Selection(measures, groups, a.target_group, columns)


def choice_lines(choices: Sequence[Choice], seen: Survey | None) -> list[str]:
    """Return what `fetch` chose and why, as a person reads it."""
    lines = []
    if seen is not None:
        lines.append(
            f"Found {len(seen.assessments)} candidate samtale table(s) among {seen.tables} in "
            f"{seen.url}; fetching {len(choices)}:"
        )
    else:
        lines.append(f"Fetching {len(choices)} table(s) pinned in site.toml:")
    for c in choices:
        a = c.assessment
        lines.append(f"  {a.entry.id} {a.entry.name!r} for {', '.join(c.groups)}")
        lines.append(f"    why: {reasons(a)}")
        for group, other in c.passed_over:
            lines.append(f"    {group} is taken from {other} instead (it gives more)")
    if seen is not None:
        chosen = {c.assessment.entry.id for c in choices}
        for a in seen.assessments:
            if a.entry.id not in chosen:
                why = "; ".join(a.problems) or "another table gives the same groups"
                lines.append(f"  not used: {a.entry.id} {a.entry.name!r}: {why}")
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
    return (
        f"kommune hierarchy {a.area}; {len(a.months)} months ({span}); measures {measures}; "
        f"{groups}"
    )


def nothing_fits(seen: Survey) -> FetchError:
    """Return the one-line error for a catalogue without a usable samtale table."""
    listed = "; ".join(f"{a.entry.id} ({', '.join(a.problems)})" for a in seen.assessments)
    return FetchError(
        f"no samtale table fits among the {seen.tables} tables of {seen.url} (candidates: "
        f"{listed or 'none'}); pin one with [[fetch_tables]] in site.toml (see README, "
        "'Publicér rigtige tal')"
    )


_LIST_COLUMNS = (
    ("id", 9),
    ("kommune", 7),
    ("name (subject / group)", 32),
    ("measures → columns", 34),
    ("would fill", 32),
)


def list_lines(seen: Survey) -> list[str]:
    """Return `fetch --list`: the candidate tables as a table, then why each unusable one is."""
    lines = [
        f"{len(seen.assessments)} candidate samtale table(s) among the {seen.tables} tables of "
        f"{seen.url}:",
        "",
    ]
    rows = [[name for name, _ in _LIST_COLUMNS], ["-" * width for _, width in _LIST_COLUMNS]]
    for a in seen.assessments:
        e = a.entry
        where = " / ".join(t for t in (e.subject, e.group) if t)
        measures = "; ".join(f"{m.name} → {c}" for c, m in a.measures) or "–"
        fills = f"{', '.join(a.fills)} ({', '.join(a.columns)})" if a.usable else "–"
        kommune = "yes" if a.area else "no"
        rows.append([e.id, kommune, f"{e.name} ({where})" if where else e.name, measures, fills])
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
    lines += [f"{a.entry.id} is not usable: {'; '.join(a.problems)}" for a in unusable]
    chosen = choose(seen.assessments)
    lines.append("")
    if chosen:
        picks = "; ".join(f"{c.assessment.entry.id} for {', '.join(c.groups)}" for c in chosen)
        lines.append(f"fetch would take {picks}.")
    else:
        lines.append("fetch would find nothing to take; pin a table with [[fetch_tables]].")
    return lines


def archive_path(data_dir: Path, table_id: str, content: bytes, today: str) -> Path:
    """Return where an answer is archived: `<data>/raw/jobindsats/<date>_<table>_<hash>.json`,
    or the path of the same answer (same table, same bytes) archived before."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    folder = data_dir / ARCHIVE_DIR
    safe_id = "".join(c for c in table_id if c.isalnum() or c in "-_")
    earlier = sorted(folder.glob(f"*_{safe_id}_{digest}.json"))
    return earlier[0] if earlier else folder / f"{today}_{safe_id}_{digest}.json"


def _open(settings: Settings, token: str, sleep: Callable[[float], None]):  # noqa: ANN202
    if settings.api_url.endswith("/v2"):
        raise UserError(
            f"{settings.api_url}: jobindsats.dk's API v2 was retired after 30 September 2026; "
            "use the v3 base, https://api.jobindsats.dk/v3"
        )
    return open_api(
        settings.api_url,
        token,
        timeout=settings.fetch_timeout,
        retries=settings.fetch_retries,
        backoff=settings.fetch_backoff,
        sleep=sleep,
    )


def list_survey(
    settings: Settings, registry: Registry, token: str, sleep: Callable[[float], None] = time.sleep
) -> Survey:
    """Return the catalogue's candidate samtale tables and what each would give (`--list`)."""
    client, api = _open(settings, token, sleep)
    with client:
        return survey(api, registry)


def fetch(
    settings: Settings,
    registry: Registry,
    token: str,
    *,
    today: str,
    say: Callable[[str], None] = lambda line: None,
    sleep: Callable[[float], None] = time.sleep,
) -> ImportSummary:
    """Find (or take the pinned) samtale tables, download them, archive the answers and import
    them into the data directory; the summary says "No new data" when nothing changed."""
    client, api = _open(settings, token, sleep)
    pins = {t.id: t for t in settings.fetch_tables}
    with client:
        seen = None
        if pins:
            choices = pinned(api, settings.fetch_tables, registry)
        else:
            seen = survey(api, registry)
            choices = choose(seen.assessments)
            if not choices:
                raise nothing_fits(seen)
        for line in choice_lines(choices, seen):
            say(line)
        answers = []
        for choice in choices:
            pin = pins.get(choice.assessment.entry.id)
            params = data_params(choice, settings.fetch_months, pin)
            answers.append((choice, pin, *download_data(api, choice, params)))

    # Every answer must be a readable table before anything is stored; messages then name
    # the archived file, which the user can open.
    read = [
        (read_v3_answer(raw, url, selection(c, pin)), c, content)
        for c, pin, url, content, raw in answers
    ]
    archive = {}
    sources = []
    for source, choice, content in read:
        path = archive_path(settings.data_dir, choice.assessment.entry.id, content, today)
        archive[path] = content
        sources.append(_as_archived(source, str(path)))
    ids = ", ".join(c.assessment.entry.id for c in choices)

    def store_answers() -> None:
        for path, content in archive.items():
            if not path.exists():
                atomic_write_bytes(path, content)

    return import_sources(
        sources,
        settings.data_dir,
        registry,
        today=today,
        source=f"{SOURCE}: hentet fra API v3 (tabel {ids})",
        before_write=store_answers,
    )


def _as_archived(source: SourceFile, name: str) -> SourceFile:
    """Name a fetched table by its archived file."""
    tables = tuple(
        dataclasses.replace(t, file=name + t.file.removeprefix(source.name)) for t in source.tables
    )
    skipped = tuple(
        dataclasses.replace(s, file=name + s.file.removeprefix(source.name)) for s in source.skipped
    )
    return dataclasses.replace(source, name=name, tables=tables, skipped=skipped)
