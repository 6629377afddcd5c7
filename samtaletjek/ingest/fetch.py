"""Fetch new figures from jobindsats.dk's API v3 and import them.

Without `[[fetch_tables]]`, the tables of every indicator (samtaler, tilbud, passivandel,
aktivering) are found in the catalogue (`GET /tables`): each candidate's description (`GET
/table/<id>`, asked for once however many indicators it is a candidate for) is checked by
`discover`, and for each indicator and target group the best usable table is fetched with `GET
/data/<id>?mgroup.*=*&period.M=latest:N&hierarchy.<kommune>=*&hierarchy.<groups>=*`, asking
only for months the table has (and for every value of a dimension the indicator must not sum
over, of which the reader keeps one). A table chosen for two indicators is downloaded once. No
samtale table is an error; no table of another indicator is said, and the rest is fetched.
Pinned tables skip the catalogue.

Aktivering's tables (one per benefit) give the share and the activation degree but not the
persons: each is fetched with the sibling table of its benefit that counts them, every other
dimension of both asked for at its total (`discover_split.assess_split`), and the two answers are
joined by month and area. The v3 catalogue scanned in July 2026 has no passivandel table: where
none is found, that is said as a note, and the rest is fetched.

Every answer is read before anything is stored; the raw answers are archived under
`<data>/raw/jobindsats/` in the same step as the import, and an answer identical to one
already archived is not stored twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..domain.danish import fold
from ..domain.registry import Registry
from ..errors import DataError, DataErrors, UserError
from ..settings import FetchTable, Settings
from ..store.atomic import atomic_write_bytes
from .api import Api, FetchError, Refused, open_api
from .catalogue import CatalogueError, Entry, TableInfo, parse_catalogue, parse_table
from .discover import Assessment, Choice, assess, choose, unplaced
from .discover_split import assess_split, sibling_of
from .fetch_list import ORDER, choice_lines, nothing_fits
from .importer import import_sources
from .indicators import DEFAULT, INDICATORS, IndicatorWords
from .plan import SOURCE, ImportSummary
from .readers.jobindsats_v3 import Selection, read_v3_answer
from .readers.shapes import SourceFile, header_meaning

ARCHIVE_DIR = Path("raw") / "jobindsats"
T = TypeVar("T")
_AVAILABLE = re.compile(r"only (\d{1,6}) periods? (?:are|is) available", re.IGNORECASE)


@dataclass(frozen=True)
class Survey:
    """The catalogue's tables and what each candidate would give, per indicator."""

    url: str
    tables: int
    assessments: tuple[Assessment, ...]  # one per table and indicator it is a candidate for
    indicators: tuple[str, ...] = (DEFAULT,)  # the indicators surveyed

    def of(self, indicator: str) -> tuple[Assessment, ...]:
        return tuple(a for a in self.assessments if a.indicator == indicator)

    def counts(self) -> str:
        """ "5 for samtaler, 4 for tilbud, 3 for passivandel, 5 for aktivering" """
        return ", ".join(f"{len(self.of(i))} for {i}" for i in self.indicators)


def _metadata(api: Api, path: str, parse: Callable[[object], T]) -> T:
    url, _, raw = api.get(path)
    try:
        return parse(raw)
    except CatalogueError as exc:
        raise FetchError(f"{url}: {exc}") from None


def table_info(api: Api, table_id: str) -> TableInfo:
    """Return what `GET /table/<id>` says the table holds."""
    return _metadata(api, f"table/{table_id}", lambda raw: parse_table(raw, table_id))


def survey(
    api: Api, registry: Registry, indicators: Sequence[IndicatorWords] = tuple(INDICATORS.values())
) -> Survey:
    """Read the catalogue and assess every table whose texts make it a candidate for one of
    `indicators`, for each of them; each candidate is described once."""
    entries = _metadata(api, "tables", parse_catalogue)
    unique = list(dict((e.id, e) for e in entries).values())
    infos: dict[str, TableInfo] = {}

    def described(table_id: str) -> TableInfo:
        if table_id not in infos:
            infos[table_id] = table_info(api, table_id)
        return infos[table_id]

    assessments = []
    for entry in unique:
        for indicator in indicators:
            if not indicator.is_candidate(entry.texts):
                continue
            info = described(entry.id)
            if indicator.persons_table:
                sibling = sibling_of(entry, unique, indicator, registry)
                pair = None if sibling is None else (sibling, described(sibling.id))
                assessments.append(assess_split(entry, info, pair, indicator, registry))
            else:
                assessments.append(assess(entry, info, indicator, registry))
    order = [i.id for i in indicators]
    assessments.sort(key=lambda a: order.index(a.indicator))
    return Survey(api.base, len(entries), tuple(assessments), tuple(order))


def pinned(api: Api, tables: Sequence[FetchTable], registry: Registry) -> list[Choice]:
    """Return the tables site.toml pins, checked against their descriptions."""
    choices = []
    infos: dict[str, TableInfo] = {}
    for n, table in enumerate(tables, start=1):
        where = f"setting fetch_tables[{n}]"
        if table.indicator not in INDICATORS:
            raise UserError(
                f"{where}: indicator {table.indicator!r} is not one of: {', '.join(INDICATORS)}"
            )
        if INDICATORS[table.indicator].persons_table:
            raise UserError(
                f"{where}: {table.indicator}'s tables are found in the catalogue with the table "
                "of their persons; they cannot be pinned (leave out [[fetch_tables]])"
            )
        own = registry.group_ids(table.indicator)
        if table.target_group and table.target_group not in own:
            raise UserError(
                f"{where}: target_group {table.target_group!r} is not one of {table.indicator}'s "
                f"target groups: {', '.join(own)}"
            )
        wrong = sorted({g for _, g in table.groups} - set(own))
        if wrong:
            raise UserError(
                f"{where}: groups name {', '.join(wrong)}, not one of {table.indicator}'s "
                f"target groups: {', '.join(own)}"
            )
        if table.id not in infos:
            infos[table.id] = table_info(api, table.id)
        info = infos[table.id]
        entry = Entry(table.id, info.name or table.id)
        found = assess(entry, info, INDICATORS[table.indicator], registry, pin=table)
        if found.problems:
            raise UserError(f"{where} ({table.id}, {table.indicator}): {'; '.join(found.problems)}")
        choices.append(Choice(found, found.fills))
    return choices


def data_params(choice: Choice, months: int, pin: FetchTable | None) -> list[tuple[str, str]]:
    """Return the query of one table's data: every measure, the latest months it has, every
    municipality (and the country), every value of the dimension of target groups, and every
    value of a dimension the reader narrows to one (look-back windows)."""
    a = choice.assessment
    params = [
        ("mgroup.*", "*"),
        ("period.M", f"latest:{min(months, len(a.months))}"),
        (f"hierarchy.{a.area}", "*"),
    ]
    if a.group_hierarchy:
        params.append((f"hierarchy.{a.group_hierarchy}", "*"))
    params += [(f"hierarchy.{h}", "*") for h, _, _ in a.narrowed]
    params += [(f"hierarchy.{h}", selection) for h, selection in (pin.filters if pin else ())]
    params += [(f"hierarchy.{h}", value) for h, _, value, _ in a.totals]
    return params


def sibling_params(choice: Choice, months: int) -> list[tuple[str, str]]:
    """Return the query of the persons table beside a share table: the same months and areas,
    its other dimensions at their totals."""
    s = choice.assessment.sibling
    assert s is not None
    return [
        ("mgroup.*", "*"),
        ("period.M", f"latest:{min(months, len(s.months))}"),
        (f"hierarchy.{s.area}", "*"),
        *((f"hierarchy.{h}", value) for h, _, value, _ in s.totals),
    ]


def _keys(raw: dict, area_label: str, name: str) -> tuple[int, int]:
    """Return the indexes of the period and area columns of a v3 answer already read."""
    labels = [str(c) for c in raw["columns"]]
    area = next((i for i, c in enumerate(labels) if fold(c) == fold(area_label)), None)
    if area is None:
        area = next(i for i, c in enumerate(labels) if header_meaning(c) == "municipality")
    period = next((i for i, c in enumerate(labels) if header_meaning(c) == "period"), None)
    if period is None:
        raise DataErrors([DataError(name, None, "columns", "no column of months ('Periode')")])
    return period, area


def join_persons(choice: Choice, main: object, persons: object, names: tuple[str, str]) -> dict:
    """Return the share table's answer with the persons of its sibling's answer as one more
    column, joined by month and area (None where the sibling has no row: missing). Both are
    read first, so that a malformed answer is an error naming its file."""
    a = choice.assessment
    s = a.sibling
    assert s is not None
    persons_measure = next(m for c, m in s.measures if c == "persons")
    for raw, name, found, area_label in (
        (main, names[0], a, a.area_label),
        (persons, names[1], s, s.area_label),
    ):
        measures = {c: m.labels for c, m in found.measures}
        read_v3_answer(
            raw,
            name,
            Selection(measures, None, a.target_group, {"municipality": area_label}, a.indicator),
        )
    assert isinstance(main, dict) and isinstance(persons, dict)
    p_period, p_area = _keys(persons, s.area_label, names[1])
    labels = [str(c) for c in persons["columns"]]
    column = next(
        i for i, c in enumerate(labels) if fold(c) in {fold(x) for x in persons_measure.labels}
    )
    by_key: dict[tuple[str, str], object] = {}
    for n, row in enumerate(persons["rows"], start=1):
        key = (str(row[p_period]), str(row[p_area]))
        if key in by_key:
            raise DataErrors(
                [
                    DataError(
                        f"{names[1]}[rows]",
                        n,
                        None,
                        f"a second row for {key[0]} {key[1]}: the persons must be one figure per "
                        "month and area (a dimension was not asked for at its total)",
                    )
                ]
            )
        by_key[key] = row[column]
    m_period, m_area = _keys(main, a.area_label, names[0])
    rows = [[*row, by_key.get((str(row[m_period]), str(row[m_area])))] for row in main["rows"]]
    return {"columns": [*main["columns"], persons_measure.labels[0]], "rows": rows}


def download_data(
    api: Api, table_id: str, params: list[tuple[str, str]]
) -> tuple[str, bytes, object]:
    """Return (url, body, JSON) of one table's data; a 422 saying fewer periods are available
    is asked again for those."""
    path = f"data/{table_id}"
    try:
        return api.get(path, params)
    except Refused as exc:
        match = _AVAILABLE.search(exc.cause)
        if not match or int(match[1]) < 1:
            raise
        fewer = [(k, f"latest:{match[1]}" if k == "period.M" else v) for k, v in params]
        return api.get(path, fewer)


def selection(choice: Choice, pin: FetchTable | None) -> Selection:
    """Return what the reader must take from the answer beyond what its labels say: the
    indicator it was chosen for, pinned measures, and the groups where not all are taken."""
    a = choice.assessment
    measures = {}
    if pin is not None:
        measures = {c: m.labels for c, m in a.measures if c in pin.measures}
    if a.sibling is not None:  # the joined answer (`join_persons`): every measure by its label
        measures = {c: m.labels for c, m in (*a.sibling.measures, *a.measures)}
    groups = None
    if (pin is not None and pin.groups) or choice.passed_over:
        groups = {label: g for label, g in a.groups if g in choice.groups}
    columns = {"municipality": a.area_label}
    if a.group_label:
        columns["target_group"] = a.group_label
    return Selection(measures, groups, a.target_group, columns, a.indicator)


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
    """Return the catalogue's candidate tables of every indicator and what each would give
    (`--list`)."""
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
    allow_missing: bool = False,
) -> ImportSummary:
    """Find (or take the pinned) tables of every indicator, download them, archive the answers
    and import them into the data directory; the summary says "No new data" when nothing
    changed. `allow_missing`: a published figure may become missing (see `plan_import`)."""
    client, api = _open(settings, token, sleep)
    pins = {(t.id, t.indicator): t for t in settings.fetch_tables}
    with client:
        seen = None
        if pins:
            choices = pinned(api, settings.fetch_tables, registry)
        else:
            seen = survey(api, registry)
            choices = choose(seen.assessments, ORDER)
            if not any(c.indicator == DEFAULT for c in choices):
                raise nothing_fits(seen)
        for line in choice_lines(choices, seen):
            say(line)
        stop = [
            DataError(
                f"{settings.api_url or 'API v3'} table {c.assessment.entry.id}",
                None,
                c.assessment.group_label or None,
                f"{label!r} is {why}",
            )
            for c in choices
            for label, why in unplaced(c.assessment)
        ]
        if stop:  # a label no one placed: no import on a guess (exit 3 in the CLI)
            raise DataErrors(stop)
        # One download per table and query: a table chosen for two indicators is asked once.
        downloads: dict[tuple, tuple[str, bytes, object]] = {}
        answers = []
        for choice in choices:
            a = choice.assessment
            pin = pins.get((a.entry.id, choice.indicator))
            wanted = [(a.entry.id, data_params(choice, settings.fetch_months, pin))]
            if a.sibling is not None:
                wanted.append((a.sibling.entry.id, sibling_params(choice, settings.fetch_months)))
            keys = []
            for table_id, params in wanted:
                key = (table_id, tuple(params))
                if key not in downloads:
                    downloads[key] = download_data(api, table_id, params)
                keys.append(key)
            answers.append((choice, pin, keys[0], keys[1] if len(keys) > 1 else None))

    # Every answer must be a readable table before anything is stored; messages then name
    # the archived file, which the user can open. An answer read for several indicators is
    # one source file with the tables of each. A share table's answer is read joined with
    # its persons table's (both archived), and named by the share table's archived file.
    read: dict[tuple, list[SourceFile]] = {}
    for choice, pin, key, persons in answers:
        url, _, raw = downloads[key]
        if persons is not None:
            raw = join_persons(choice, raw, downloads[persons][2], (url, downloads[persons][0]))
        read.setdefault(key, []).append(read_v3_answer(raw, url, selection(choice, pin)))
    archive = {}
    paths = {}
    for key, (_, content, _) in downloads.items():
        paths[key] = archive_path(settings.data_dir, key[0], content, today)
        archive[paths[key]] = content
    sources = [_as_archived(_joined(parts), str(paths[key])) for key, parts in read.items()]
    tables = source_tables(choices)
    ids = list(dict.fromkeys(t for found in tables.values() for t in found))

    def store_answers() -> None:
        for path, content in archive.items():
            if not path.exists():
                atomic_write_bytes(path, content)

    return import_sources(
        sources,
        settings.data_dir,
        registry,
        today=today,
        source=f"{SOURCE}: hentet fra API v3 ({_tables_da(ids)})",
        before_write=store_answers,
        lock_timeout=settings.lock_timeout,
        allow_missing=allow_missing,
        tables=tables,
    )


def source_tables(choices: Sequence[Choice]) -> dict[str, tuple[str, ...]]:
    """Return the ids of the tables each indicator's figures come from (a share table's
    persons table beside it), for the manifest's sources."""
    tables: dict[str, list[str]] = {}
    for c in choices:
        a = c.assessment
        found = tables.setdefault(c.indicator, [])
        found += [a.entry.id] + ([a.sibling.entry.id] if a.sibling is not None else [])
    return {i: tuple(dict.fromkeys(ids)) for i, ids in tables.items()}


def _tables_da(ids: Sequence[str]) -> str:
    """How the release log names the tables, in Danish: "tabel a", "tabeller a, b og c"."""
    if len(ids) == 1:
        return f"tabel {ids[0]}"
    return f"tabeller {', '.join(ids[:-1])} og {ids[-1]}"


def _joined(parts: Sequence[SourceFile]) -> SourceFile:
    """One source file of the same answer read for several indicators."""
    if len(parts) == 1:
        return parts[0]
    return dataclasses.replace(
        parts[0],
        tables=tuple(t for p in parts for t in p.tables),
        skipped=tuple(s for p in parts for s in p.skipped),
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
