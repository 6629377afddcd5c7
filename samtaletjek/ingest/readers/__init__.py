"""Readers, one per source format: STAR's statement workbook (`star_xlsx`), jobindsats.dk
API v3 answers (`jobindsats_v3`), the API v2 answers users have archived (`jobindsats_v2`)
and jobindsats' CSV export (`jobindsats_csv`). `read_source` tells them apart by content."""

from __future__ import annotations

from pathlib import Path

from ...errors import DataError, DataErrors
from .jobindsats_csv import read_jobindsats_csv
from .jobindsats_v2 import read_v2_answer
from .jobindsats_v3 import is_v3_answer, read_v3_answer
from .shapes import SourceFile, load_json
from .star_xlsx import read_star_xlsx

_IMAGES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}


def detect_format(data: bytes, name: str) -> str:
    """Return "xlsx", "json" or "csv" from a file's content (and name); raise if it is neither."""
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise DataErrors([DataError(name, None, None, "the file is empty")])
    for magic, kind in _IMAGES.items():
        if data.startswith(magic):
            raise DataErrors(
                [DataError(name, None, None, f"is {kind}, not a data file (.xlsx, .json or .csv)")]
            )
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise DataErrors([DataError(name, None, None, "is a WebP image, not a data file")])
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    "is an old Excel 97–2003 (.xls) file; open it in Excel and save it as .xlsx",
                )
            ]
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix in (".xlsx", ".xlsm"):
        raise DataErrors(
            [
                DataError(
                    name, None, None, f"is named {suffix} but is not an Excel workbook (not a zip)"
                )
            ]
        )
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if start in (b"[", b"{"):
        return "json"
    if suffix == ".json":
        raise DataErrors(
            [DataError(name, None, None, "is named .json but does not hold JSON (no [ or { first)")]
        )
    return "csv"


def read_source(path: Path) -> SourceFile:
    """Read one source file, whichever of the three formats it is."""
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataErrors([DataError(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise DataErrors([DataError(name, None, None, "is a directory, not a file")]) from None
    readers = {"xlsx": read_star_xlsx, "json": read_json, "csv": read_jobindsats_csv}
    return readers[detect_format(data, name)](data, name)


def read_json(data: bytes, name: str) -> SourceFile:
    """Read a jobindsats.dk API answer: v3 (`{"columns", "rows"}`) or v2 (`[{"Variables",
    "Data"}]`)."""
    raw = load_json(data, name)
    return read_v3_answer(raw, name) if is_v3_answer(raw) else read_v2_answer(raw, name)
