"""Readers, one per source format: STAR's statement workbook (`star_xlsx`), jobindsats.dk
API v3 answers (`jobindsats_v3`), the API v2 answers users have archived (`jobindsats_v2`)
jobindsats' CSV export (`jobindsats_csv`) and tidy CSV files of jobindsats figures, one row
per month and area (`tidy_csv`). `read_source` tells them apart by content.

Whatever a file holds, reading it ends in a SourceFile or in DataErrors (one line each), within
the limits of `shapes` (MAX_FILE_BYTES and the rest)."""

from __future__ import annotations

import stat
from pathlib import Path

from ...errors import DataError, DataErrors
from .jobindsats_csv import read_jobindsats_csv
from .jobindsats_v2 import read_v2_answer
from .jobindsats_v3 import is_v3_answer, read_v3_answer
from .shapes import MAX_FILE_BYTES, SourceFile, load_json, text_encoding
from .star_xlsx import read_star_xlsx
from .tidy_csv import is_tidy_csv, read_tidy_csv

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
    if data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptionInfo".encode("utf-16-le") in data:
        raise DataErrors(
            [
                DataError(
                    name,
                    None,
                    None,
                    "is a password-protected (encrypted) Excel workbook; remove the password "
                    "in Excel and save it again",
                )
            ]
        )
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
    start = data[:4000].decode(text_encoding(data), errors="ignore").lstrip("\ufeff \t\r\n")[:1]
    if start in ("[", "{"):
        return "json"
    if suffix == ".json":
        raise DataErrors(
            [DataError(name, None, None, "is named .json but does not hold JSON (no [ or { first)")]
        )
    return "csv"


def read_source(path: Path) -> SourceFile:
    """Read one source file, whichever of the three formats it is."""
    name = str(path)

    def fail(message: str) -> DataErrors:
        return DataErrors([DataError(name, None, None, message)])

    try:
        # The size first: a file over the limit is refused before a byte of it is read.
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise fail("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise fail("is not a regular file (a pipe or a device); save the data to a file")
        if info.st_size > MAX_FILE_BYTES:
            raise fail(
                f"is {info.st_size / 2**20:,.0f} MB; the import reads files of at most "
                f"{MAX_FILE_BYTES // 2**20} MB (a statement or an export of STAR's figures is "
                "far smaller)"
            )
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since
    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("cannot be read (permission denied)") from None
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is larger than {MAX_FILE_BYTES // 2**20} MB, the most the import reads")
    readers = {"xlsx": read_star_xlsx, "json": read_json, "csv": read_csv}
    return readers[detect_format(data, name)](data, name)


def read_csv(data: bytes, name: str) -> SourceFile:
    """Read a CSV file: a tidy file (`period,area,…`) or jobindsats' export."""
    return read_tidy_csv(data, name) if is_tidy_csv(data) else read_jobindsats_csv(data, name)


def read_json(data: bytes, name: str) -> SourceFile:
    """Read a jobindsats.dk API answer: v3 (`{"columns", "rows"}`) or v2 (`[{"Variables",
    "Data"}]`)."""
    raw = load_json(data, name)
    return read_v3_answer(raw, name) if is_v3_answer(raw) else read_v2_answer(raw, name)
