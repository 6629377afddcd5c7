"""The Excel downloads: one workbook per municipality, target group and indicator, made from
the Danish table (`pages.spreadsheets`) by `xlsx`, or taken from the cache when the table and
the notes are as a build before left them (the cache key hashes both)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pandas as pd

from ..pages.base import Output
from ..pages.spreadsheets import COLUMNS, NOTES, SHEET, Workbook, header
from .cache import Cache, key
from .xlsx import row_cells, workbook

# Part of the cache key: bump when `xlsx` changes what it writes.
VERSION = "5"


def workbooks(table: pd.DataFrame, books: Iterable[Workbook], cache: Cache) -> Iterator[Output]:
    """Each of `books` as an .xlsx of the rows of the Danish table `table` it names; with the
    same table, rows and notes as before, from the cache."""
    table_key = hashlib.sha256(pd.util.hash_pandas_object(table, index=False).to_numpy())
    table_key = table_key.hexdigest()
    columns = [(header(c), kind, width) for c, kind, width in COLUMNS]
    templates = None
    for book in books:
        entry = key(VERSION, table_key, book.path, book.rows.tobytes(), repr(book.notes))
        data = cache.get("xlsx", entry)
        if data is None:
            if templates is None:  # made once, only when a workbook is not in the cache
                templates = row_cells(table, columns)
            data = workbook(SHEET, columns, [templates[r] for r in book.rows], NOTES, book.notes)
            cache.put("xlsx", entry, data)
        yield Output(book.path, data)
