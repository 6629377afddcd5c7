"""Fetch new figures from jobindsats.dk's API v2 and import them.

Each table in `settings.fetch_tables` is asked for with `POST <api>/data/<id>/json` and the
header `Authorization: <token>` (the raw key, no "Bearer"). A 5xx answer, a timeout or a
cut-off answer is tried again after a growing pause; a refused key is said at once. Every
answer is archived under `<data>/raw/jobindsats/` before it is imported, and an answer
identical to one already archived is not stored twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from ..domain.registry import Registry
from ..errors import UserError
from ..settings import FetchTable, Settings
from ..store.atomic import atomic_write_bytes
from .importer import import_sources
from .plan import SOURCE, ImportSummary
from .readers.jobindsats_v2 import is_wrong_token_answer, read_jobindsats_json
from .readers.shapes import SourceFile

TOKEN_VARIABLE = "JOBINDSATS_TOKEN"
ARCHIVE_DIR = Path("raw") / "jobindsats"


class FetchError(UserError):
    """The API could not be asked, or refused to answer; one line, never the token."""


def request_body(table: FetchTable) -> dict[str, object]:
    """Return the JSON filters for one table: all areas, the configured months and filters."""
    period = list(table.period) if isinstance(table.period, tuple) else table.period
    body: dict[str, object] = {"area": "*", "period": period}
    for name, value in table.filters:
        body[name] = list(value) if isinstance(value, tuple) else value
    return body


def download(
    client: httpx.Client,
    url: str,
    body: dict[str, object],
    *,
    retries: int,
    backoff: float,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """Return the answer's bytes; retry 5xx answers, timeouts and cut-off answers."""
    for attempt in range(retries + 1):
        try:
            response = client.post(url, json=body)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(f"{url}: not a usable URL ({exc}); check --api-url") from None
        except httpx.TimeoutException:
            problem = f"no answer within {client.timeout.read} s"
        except httpx.TransportError as exc:
            # Includes an answer cut off before its announced length (RemoteProtocolError).
            problem = f"the connection failed or the answer was cut off ({type(exc).__name__})"
        else:
            if response.status_code in (401, 403) or _wrong_token(response.content):
                raise FetchError(
                    f"{url}: jobindsats.dk refused the API key in {TOKEN_VARIABLE} "
                    f"(HTTP {response.status_code}: wrong or expired key); get a new one at "
                    "jobindsats.dk"
                )
            if response.status_code < 400:
                return response.content
            if response.status_code < 500:
                raise FetchError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}; check the "
                    "table id and filters in site.toml"
                )
            problem = f"HTTP {response.status_code} {response.reason_phrase}"
        if attempt < retries:
            sleep(backoff * 2**attempt)
    raise FetchError(f"{url}: {problem} ({retries + 1} attempts); try again later")


def _wrong_token(content: bytes) -> bool:
    if len(content) > 1000:
        return False
    try:
        return is_wrong_token_answer(json.loads(content.decode("utf-8-sig")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def archive_path(data_dir: Path, table_id: str, content: bytes, today: str) -> Path:
    """Return where an answer is archived: `<data>/raw/jobindsats/<date>_<table>_<hash>.json`,
    or the path of the same answer (same table, same bytes) archived before."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    folder = data_dir / ARCHIVE_DIR
    safe_id = "".join(c for c in table_id if c.isalnum() or c in "-_")
    earlier = sorted(folder.glob(f"*_{safe_id}_{digest}.json"))
    return earlier[0] if earlier else folder / f"{today}_{safe_id}_{digest}.json"


def write_archive(path: Path, content: bytes) -> None:
    """Store an answer's bytes atomically, unless they are stored already."""
    if not path.exists():
        atomic_write_bytes(path, content)


def fetch(
    settings: Settings,
    registry: Registry,
    token: str,
    *,
    today: str,
    sleep: Callable[[float], None] = time.sleep,
) -> ImportSummary:
    """Download every configured table, archive the answers and import them into the data
    directory; the summary says "No new data" when nothing changed."""
    if not settings.fetch_tables:
        raise UserError(
            "no tables to fetch: add [[fetch_tables]] to site.toml "
            "(see README, 'Publicér rigtige tal')"
        )
    for n, table in enumerate(settings.fetch_tables, start=1):
        if table.target_group not in registry.target_group_ids:
            raise UserError(
                f"setting fetch_tables[{n}]: target_group {table.target_group!r} is not one of: "
                f"{', '.join(registry.target_group_ids)}"
            )
    answers = []
    headers = {"Authorization": token, "Accept": "application/json"}
    with httpx.Client(timeout=settings.fetch_timeout, headers=headers) as client:
        for table in settings.fetch_tables:
            url = f"{settings.api_url}/data/{table.id}/json"
            content = download(
                client,
                url,
                request_body(table),
                retries=settings.fetch_retries,
                backoff=settings.fetch_backoff,
                sleep=sleep,
            )
            answers.append((url, table, content))

    # Every answer must be a readable table before anything is stored; once stored, messages
    # name the archived file, which the user can open.
    read = [
        (read_jobindsats_json(content, url, table.measures), table, content)
        for url, table, content in answers
    ]
    sources = []
    for source, table, content in read:
        path = archive_path(settings.data_dir, table.id, content, today)
        write_archive(path, content)
        sources.append(_as_archived(source, str(path), table.target_group))
    ids = ", ".join(t.id for t in settings.fetch_tables)
    return import_sources(
        sources,
        settings.data_dir,
        registry,
        today=today,
        source=f"{SOURCE}: hentet fra API v2 (tabel {ids})",
    )


def _as_archived(source: SourceFile, name: str, group: str) -> SourceFile:
    """Name a fetched table by its archived file; its configured target group holds for
    every row."""
    tables = tuple(
        dataclasses.replace(
            t,
            file=name + t.file.removeprefix(source.name),
            frame=t.frame.assign(target_group=group),
        )
        for t in source.tables
    )
    return dataclasses.replace(source, name=name, tables=tables)
