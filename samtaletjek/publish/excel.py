"""The Excel download: the canonical table with Danish headers as an .xlsx (openpyxl).

Kept free of pandas and the rest of the package, so a worker process can write it while the
charts are drawn; it is the slowest file to make after the charts.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from typing import Protocol

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .cache import key

# Part of the cache key: bump when `workbook` changes what it writes.
VERSION = "2"
WIDTHS = (10, 13, 18, 34, 15, 18, 18, 14)


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


def workbook(headers: list[str], rows: list[list], about: list[list], release_date: str) -> bytes:
    """Return an .xlsx with the sheets "Samtaler" (`headers` and `rows`) and "Om tallene"
    (`about`), byte-identical for the same input (fixed document dates and zip timestamps)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Samtaler")
    sheet.freeze_panes = "A2"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("Om tallene")
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 90
    for row in about:
        notes.append(row)
    stamp = datetime.fromisoformat(release_date)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "Samtaletjek"
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _reproducible(data: bytes, modified: str) -> bytes:
    """Rewrite an .xlsx so its bytes depend only on its content.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
    by fixed values (the release date, and 1980-01-01 for the zip entries).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()
