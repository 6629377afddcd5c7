"""The Excel download: the canonical table with Danish headers as an .xlsx, made from the
cache or by a worker process while the charts are drawn (it is the slowest file to make
after the charts). The writing itself is in `xlsx`, which a worker imports alone.
"""

from __future__ import annotations

import json
from concurrent.futures import Executor
from typing import Protocol

from .cache import Cache, key
from .xlsx import workbook

# Part of the cache key: bump when `workbook` changes what it writes.
VERSION = "3"


class Content(Protocol):
    headers: list[str]
    rows: list[list]
    about: list[list]
    release_date: str


def job(content: Content) -> tuple[str, tuple]:
    """Return (cache key, arguments of `workbook`): the key hashes everything the workbook is
    made from."""
    arguments = (content.headers, content.rows, content.about, content.release_date)
    return key(VERSION, json.dumps(arguments, ensure_ascii=False, default=str)), arguments


class ExcelFile:
    """The Excel download being made: from the cache, by a worker of `pool` while the charts
    are drawn, or (without a pool) here when it is asked for."""

    def __init__(self, content: Content, pool: Executor | None, cache: Cache) -> None:
        self.key, self.arguments = job(content)
        self.cache = cache
        self.data = cache.get("xlsx", self.key)
        self.future = None
        if self.data is None and pool is not None:
            self.future = pool.submit(workbook, *self.arguments)

    def result(self) -> bytes:
        if self.data is None:
            self.data = self.future.result() if self.future else workbook(*self.arguments)
            self.cache.put("xlsx", self.key, self.data)
        return self.data
