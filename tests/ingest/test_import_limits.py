"""Bounded work: small files that unpack or parse into something huge, and huge files, each
end an import in seconds and a few hundred MB with rows or one line. Measured in a child
process with a hard timeout: its wall time per file and its peak memory (`ru_maxrss`)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

from samtaletjek.ingest.readers.shapes import MAX_FILE_BYTES, MAX_ROWS, MAX_VALUES
from samtaletjek.ingest.readers.workbook import (
    MAX_SHEET_BYTES,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
)

ROOT = Path(__file__).parents[2]
SECONDS = 30  # per file: the ceiling the issue sets
MEGABYTES = 500

# Imports each file in turn into one data directory, and reports each one's time, exit code
# and output, and the process's peak memory after it (a high-water mark: it only grows).
# VmHWM, not ru_maxrss: Linux carries the parent's peak into a child's ru_maxrss over exec.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from click.testing import CliRunner
from samtaletjek.cli import cli

def peak_mb():
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

data, files = sys.argv[1], sys.argv[2:]
for file in files:
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["import", file, "--data", data, "--date", "2026-11-02"])
    crashed = result.exception if not isinstance(result.exception, SystemExit) else None
    print(json.dumps({
        "file": file,
        "seconds": time.monotonic() - start,
        "code": result.exit_code,
        "output": result.output,
        "crashed": repr(crashed) if crashed else None,
        "peak_mb": peak_mb(),
    }), flush=True)
"""


def import_each(data: Path, files: list[Path]) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=SECONDS * len(files),
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def statement(**cells: object) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dagpenge juni 2018"
    ws.append(["Kommune", "Antal personer", "Andel med mindst 6 samtaler (pct.)"])
    ws.append(["Varde", 87, 45.0])
    for where, value in cells.items():
        ws[where] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_sheet_data(rows: bytes, dimension: bool = False) -> bytes:
    """The statement with its sheet's rows replaced by `rows` (and no declared size)."""
    source = zipfile.ZipFile(io.BytesIO(statement()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = content.partition(b"<sheetData>")
                if not dimension:
                    head = head.replace(b'<dimension ref="A1:C2" />', b"")
                content = (
                    head + b"<sheetData>" + rows + b"</sheetData>" + rest.split(b"</sheetData>")[1]
                )
            archive.writestr(info.filename, content)
    return out.getvalue()


def zip_bomb(path: Path) -> None:
    """A workbook whose sheet unpacks to more than MAX_UNPACKED_BYTES (written as a stream)."""
    source = zipfile.ZipFile(io.BytesIO(statement()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * 2**20
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 2):
                sheet.write(chunk)


def test_small_files_that_unpack_into_something_huge_end_quickly_in_one_line(tmp_path):
    files = {
        # 5 KB: one cell at the last row and column, declared as the sheet's size …
        "xfd.xlsx": statement(XFD1048576=1),
        # … and not declared
        "xfd-undeclared.xlsx": with_sheet_data(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>Kommune</t></is></c></row>'
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        ),
        # some 70 KB that unpack to a million rows
        "million-rows.xlsx": with_sheet_data(b"<row><c><v>1</v></c></row>" * 1_000_000),
        # a million rows with their addresses: more XML than a sheet may unpack to
        "million-addressed.xlsx": with_sheet_data(
            b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 10**6))
        ),
        # a million cells in one row
        "million-cells.xlsx": with_sheet_data(
            b"<row>" + b"<c><v>1</v></c>" * 1_000_000 + b"</row>"
        ),
    }
    paths = []
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    zip_bomb(tmp_path / "bomb.xlsx")
    paths.append(tmp_path / "bomb.xlsx")

    results = import_each(tmp_path / "data", paths)
    said = {}
    for result in results:
        assert result["crashed"] is None, result
        assert result["code"] == 1, result
        errors = [line for line in result["output"].splitlines() if line.startswith("error:")]
        assert len(errors) == 1, result["output"]
        said[Path(result["file"]).name] = errors[0].split(": ", 2)[-1]
        assert result["seconds"] < SECONDS / 3, result
    assert results[-1]["peak_mb"] < MEGABYTES
    print({Path(r["file"]).name: (round(r["seconds"], 1), round(r["peak_mb"])) for r in results})
    rows = f"{MAX_SHEET_ROWS:,} rows"
    assert said["xfd.xlsx"].startswith("the sheet says it spans 1,048,576 rows and 16,384 columns")
    assert said["xfd-undeclared.xlsx"].startswith("cell XFD1048576 lies beyond the table")
    assert said["million-rows.xlsx"].startswith(f"xl/worksheets/sheet1.xml holds more than {rows}")
    assert said["million-addressed.xlsx"].startswith(
        f"xl/worksheets/sheet1.xml unpacks to 47 MB; the import reads at most "
        f"{MAX_SHEET_BYTES // 2**20} MB of it"
    )
    assert said["million-cells.xlsx"] == (
        "xl/worksheets/sheet1.xml nests too deep or holds too much in one place"
    )
    assert said["bomb.xlsx"].startswith("unpacks to 130 MB; the import reads workbooks of at most")


def test_huge_and_long_text_files_are_refused_before_they_are_parsed(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as file:
        file.write(b"Kommune;Periode;Antal personer;Andel (pct.)\n")
        file.truncate(200 * 2**20)  # 200 MB: refused by its size, before a byte is read
    long = tmp_path / "long.csv"
    lines = ["Kommune;Periode;Målgruppe;Antal personer;Andel (pct.)"]
    lines += ["Varde;2018M06;Dagpengemodtagere;87;45,0"] * (MAX_ROWS + 10)
    long.write_text("\n".join(lines), encoding="utf-8")
    values = tmp_path / "values.json"
    values.write_text("[" + "0," * MAX_VALUES + "0]", encoding="utf-8")
    wide = tmp_path / "wide.csv"  # few lines of many fields: as many values as long lines
    row = ";".join(["Varde", "2018M06", "Dagpengemodtagere", "87", "45,0"] * 99)
    wide.write_text("\n".join([lines[0], *[row] * (MAX_VALUES // 495 + 1)]), encoding="utf-8")

    results = import_each(tmp_path / "data", [big, long, values, wide])
    for result in results:
        assert result["crashed"] is None and result["code"] == 1, result
        assert result["seconds"] < SECONDS / 3, result
    print({Path(r["file"]).name: (round(r["seconds"], 1), round(r["peak_mb"])) for r in results})
    # The 200 MB file was not read: the process's peak is its imports' (~100 MB), not 200 MB.
    assert results[0]["peak_mb"] < 200
    assert results[-1]["peak_mb"] < MEGABYTES
    lines = [r["output"].splitlines()[0] for r in results]
    assert lines[0] == (
        f"error: {big}: is 200 MB; the import reads files of at most {MAX_FILE_BYTES // 2**20} MB "
        "(a statement or an export of STAR's figures is far smaller)"
    )
    assert lines[1] == (
        f"error: {long}:{MAX_ROWS + 1}: the file goes on beyond {MAX_ROWS:,} lines, the most the "
        "import reads from one file; import it in parts"
    )
    assert lines[2].startswith(f"error: {values}: holds some 2,000,001 values; the import reads")
    assert lines[3] == (
        f"error: {wide}:{(MAX_VALUES - 5) // 495 + 2}: the file goes on beyond "
        f"{MAX_VALUES:,} fields, the most the import reads from one file; import it in parts"
    )
