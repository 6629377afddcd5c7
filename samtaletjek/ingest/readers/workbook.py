"""Reading an Excel workbook within bounds: its zip directory checked before anything is
unpacked, every XML part streamed through expat before openpyxl sees it, sheets read with
openpyxl's read-only parser within MAX_SHEET_ROWS rows, `shapes.MAX_COLUMNS` columns and the
whole workbook within MAX_CELLS cells; a formula without a saved value is an error. Used by
the statement reader (`star_xlsx`).

Format: an Office Open XML workbook (.xlsx): a zip archive of XML parts, sheets in
`xl/worksheets/`, texts in `xl/sharedStrings.xml`, cells with a formula and the value Excel
saved with it."""

from __future__ import annotations

import dataclasses
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from ...errors import DataError, DataErrors
from .shapes import MAX_COLUMNS, MAX_ERRORS

MAX_SHEET_ROWS = 50_000  # a statement sheet has a few hundred


MAX_CELLS = 300_000  # cells (and three times as many XML elements) in the whole workbook


MAX_UNPACKED_BYTES = 128 * 2**20  # every part of the workbook, unpacked


MAX_SHEET_BYTES = 32 * 2**20  # one sheet's XML


MAX_PART_BYTES = 8 * 2**20  # any other XML part: openpyxl parses them whole


_MAX_DEPTH = 32  # XML nesting in a sheet (a real one nests some 8 deep)


_MAX_ROW_ELEMENTS = 20 * MAX_COLUMNS  # XML elements in one row (cells, values, text runs)


# What openpyxl, the zip module and the XML parser raise on a damaged workbook.
BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    struct.error,
    InvalidFileException,
    ParseError,
    expat.ExpatError,
    KeyError,
    IndexError,
    LookupError,  # an XML declaration naming an unknown encoding
    ValueError,  # also UnicodeDecodeError
    TypeError,
    AttributeError,
    OverflowError,
    NotImplementedError,  # a compression method zipfile does not have
    RuntimeError,  # an encrypted zip entry
    OSError,
)


UNSAVED = "formula without a saved value; open and save the file in Excel, or export values"


class Refused(Exception):
    """The workbook is beyond a limit or broken; the message says where and why."""

    def __init__(self, file: str, row: int | None, message: str) -> None:
        super().__init__(message)
        self.error = DataError(file, row, None, message)


def unreadable(name: str, exc: BaseException, file: str | None = None) -> DataErrors:
    reason = _reason(exc)
    where = f" ({file.removeprefix(name)})" if file else ""
    return DataErrors(
        [DataError(name, None, None, f"not a readable Excel workbook{where}: {reason}")]
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ParseError | expat.ExpatError | LookupError):
        return f"its XML is broken or cut short ({exc})"
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return f"the zip archive is damaged ({(str(exc) or type(exc).__name__).splitlines()[0]})"
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    text = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return text.removeprefix("Unable to read workbook: ")


def check_archive(data: bytes, name: str) -> None:
    """Refuse a zip that is not an Excel workbook, or that would unpack to too much, from its
    directory alone (nothing is unpacked; zipfile reads no entry past the size it declares)."""

    def fail(message: str) -> DataErrors:
        return DataErrors([DataError(name, None, None, message)])

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except BROKEN as exc:
        raise fail(f"not a readable Excel workbook: {_reason(exc)}") from None
    if "[Content_Types].xml" not in names:
        kind = next(
            (
                what
                for part, what in (
                    ("word/document.xml", "a Word document"),
                    ("ppt/presentation.xml", "a PowerPoint presentation"),
                )
                if part in names
            ),
            None,
        )
        if b"opendocument" in mimetype:
            raise fail(
                "is an OpenDocument file (LibreOffice .ods), not an Excel workbook; save it as "
                ".xlsx"
            )
        shown = ", ".join(sorted(names)[:3]) + (", …" if len(names) > 3 else "")
        raise fail(
            f"is a zip archive but not an Excel workbook: it holds {kind or shown or 'nothing'}"
        )
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise fail("is a Word or PowerPoint file, not an Excel workbook")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise fail(
            f"unpacks to {total / 2**20:,.0f} MB; the import reads workbooks of at most "
            f"{MAX_UNPACKED_BYTES // 2**20} MB unpacked (a statement is far smaller)"
        )
    parts = [info for info in infos if info.filename.endswith((".xml", ".rels"))]
    for info in parts:
        sheet = info.filename.startswith("xl/worksheets/")
        limit = MAX_SHEET_BYTES if sheet else MAX_PART_BYTES
        if info.file_size > limit:
            raise fail(
                f"{info.filename} unpacks to {info.file_size / 2**20:,.0f} MB; the import "
                f"reads at most {limit // 2**20} MB of it (a statement is far smaller)"
            )
    budget = _Budget()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in parts:
                _prescan(archive, info.filename, budget)
    except Refused as exc:
        raise DataErrors([dataclasses.replace(exc.error, file=name)]) from None
    except (expat.ExpatError, LookupError) as exc:
        raise fail(f"not a readable Excel workbook ({info.filename}): {_reason(exc)}") from None
    except BROKEN as exc:  # what unpacking the part raised: the zip is damaged
        reason = (str(exc) or type(exc).__name__).splitlines()[0]
        raise fail(
            f"not a readable Excel workbook ({info.filename}): the zip archive is damaged "
            f"({reason})"
        ) from None


def _prescan(archive: zipfile.ZipFile, part: str, budget: _Budget) -> None:
    """Stream one XML part of the workbook through the limits before openpyxl parses it:
    openpyxl holds some parts whole, and parses a sheet without a declared size to its end
    while it loads. expat's callbacks build nothing, so memory stays flat."""
    depth = rows = below = 0

    def start(tag: str, attributes: object) -> None:
        nonlocal depth, rows, below
        local = tag.rpartition(":")[2]
        budget.take(part, local == "c")
        depth += 1
        below += 1
        rows += local == "row"
        if depth > _MAX_DEPTH or below > _MAX_ROW_ELEMENTS:
            raise Refused(part, None, f"{part} nests too deep or holds too much in one place")
        if rows > MAX_SHEET_ROWS:
            raise Refused(part, None, _too_large(f"{part} holds more than {MAX_SHEET_ROWS:,} rows"))

    def end(tag: str) -> None:
        nonlocal depth, below
        depth -= 1
        if depth <= 2:  # a row (or another part of a sheet) has ended
            below = 0

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with archive.open(part) as source:
        parser.ParseFile(source)


# A row: its number in the sheet, and its non-empty cells by column number (1 = A), each the
# value as saved and its style id (for the number format).
Row = tuple[int, dict[int, tuple[object, int]]]


class _Budget:
    """The cells and XML elements the workbook may still take; over it, reading stops."""

    def __init__(self) -> None:
        self.cells = MAX_CELLS
        self.elements = 3 * MAX_CELLS

    def take(self, file: str, cell: bool) -> None:
        self.elements -= 1
        self.cells -= cell
        if self.cells < 0 or self.elements < 0:
            raise Refused(
                file,
                None,
                f"the workbook holds more than {MAX_CELLS:,} cells (or {3 * MAX_CELLS:,} XML "
                "elements); a statement holds far fewer: delete what lies beyond the tables "
                "and save it again",
            )


class _SheetParser(WorkSheetParser):
    """openpyxl's parser of a sheet's XML, as its read-only mode runs it (within the limits
    `_prescan` has checked), with two changes: a formula cell whose saved value is missing
    (openpyxl would read it as empty) is marked `unsaved`, and a text cell pointing past the
    workbook's texts is an error rather than another text."""

    def __init__(self, sheet, file: str, stale: bool) -> None:  # noqa: ANN001
        workbook = sheet.parent
        super().__init__(
            sheet._get_source(),
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        self.file = file
        self.stale = stale  # the workbook asks to be recalculated: no formula's value holds

    def parse_cell(self, element):  # noqa: ANN001, ANN201 - openpyxl's signature
        kind = element.get("t", "n")
        saved = element.find(VALUE_TAG)
        if kind == "s" and saved is not None and saved.text:
            index = int(saved.text)
            if not 0 <= index < len(self.shared_strings):
                raise Refused(
                    self.file,
                    self.row_counter,
                    f"cell {element.get('r') or ''} points at text number {index}, but the "
                    f"workbook holds {len(self.shared_strings)} texts: the file is damaged",
                )
        cell = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None and (
            self.stale or saved is None or (not saved.text and kind != "str")
        ):
            cell["unsaved"] = True
        return cell

    def rows(self) -> Iterator[tuple[int, list[dict]]]:
        """Yield (row number, cells as openpyxl reads them) for each row of the sheet."""
        try:
            yield from self.parse()  # each row is cleared once read
        finally:
            self.source.close()


def sheet_rows(sheet, file: str, stale: bool) -> tuple[list[Row], list]:  # noqa: ANN001
    """Return the rows of a sheet that hold something, and its formula cells without a saved
    value as errors; refuse a sheet beyond MAX_SHEET_ROWS rows or MAX_COLUMNS columns."""
    declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > MAX_SHEET_ROWS or declared_columns > MAX_COLUMNS:
        span = f"A1:{get_column_letter(min(declared_columns, 18278))}{declared_rows}"
        raise Refused(
            file,
            None,
            _too_large(
                f"the sheet says it spans {declared_rows:,} rows and {declared_columns:,} "
                f"columns ({span})"
            ),
        )
    rows: list[Row] = []
    unsaved: list[DataError] = []
    for number, cells in _SheetParser(sheet, file, stale).rows():
        kept = {}
        for cell in cells:
            value = cell["value"]
            if cell.get("unsaved"):
                letter = get_column_letter(min(cell["column"], 18278))
                unsaved.append(DataError(file, number, letter, UNSAVED))
                if len(unsaved) >= MAX_ERRORS:
                    return rows, unsaved
            elif value is not None and not (isinstance(value, str) and not value.strip()):
                kept[cell["column"]] = (value, cell["style_id"])
        if not kept:
            continue
        if number > MAX_SHEET_ROWS or max(kept) > MAX_COLUMNS:
            where = f"{get_column_letter(min(max(kept), 18278))}{number}"
            raise Refused(file, number, _too_large(f"cell {where} lies beyond the table"))
        rows.append((number, kept))
    return rows, unsaved


def _too_large(what: str) -> str:
    return (
        f"{what}; the import reads at most {MAX_SHEET_ROWS:,} rows and {MAX_COLUMNS} columns "
        f"(to column {get_column_letter(MAX_COLUMNS)}) of a sheet: delete what lies beyond the "
        "table and save it again"
    )
