"""Fuzzing: real files in each source format (a STAR statement workbook, jobindsats CSV, API
v3 and v2 answers), mutated by hypothesis — bytes flipped, files cut short, zip entries
damaged or dropped, cells replaced by hostile text and numbers, rows repeated — and read by
`read_source` and then planned as an import. The only outcomes allowed are rows or
DataErrors/UserError, every message one line; never another exception, never a hang.

Deterministic (`derandomize`) so CI fails only on a change; to search further, run with
`FUZZ_EXAMPLES=2000` (and a random seed: `FUZZ_RANDOM=1`).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import xlsxwriter
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samtaletjek.errors import DataErrors, UserError
from samtaletjek.ingest.importer import read_existing
from samtaletjek.ingest.plan import Existing, plan_import
from samtaletjek.ingest.readers import read_source

# A falsifying example is a whole file: hypothesis warns that its repr is large.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
IMPORT = FIXTURES / "import"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
HANG = 20  # seconds one example may take before it counts as a hang

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a slow example is timed by `no_hang`, which also stops a real hang
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def shared_strings_workbook() -> bytes:
    """A statement as XlsxWriter saves it: texts in the shared-strings part, a percent
    format, two sheets."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    percent = wb.add_format({"num_format": "0.0%"})
    ws = wb.add_worksheet("Sygedagpenge juni 2018")
    ws.write_row(0, 0, ["Sygedagpengemodtagere, juni 2018"])
    ws.write_row(2, 0, ["Kommune", "Antal personer", "Andel med mindst 4 samtaler (pct.)"])
    for row, (name, persons, share) in enumerate(
        [("København", 5000, 0.753), ("Varde", 300, 0.8), ("Hele landet", 5300, 0.756)], 3
    ):
        ws.write(row, 0, name)
        ws.write(row, 1, persons)
        ws.write(row, 2, share, percent)
    other = wb.add_worksheet("Forside")
    other.write_row(0, 0, ["Opgørelse for juni 2018", None, 2018])
    wb.close()
    return out.getvalue()


SEEDS = {
    "xlsx": [
        (IMPORT / "statement-2018-06.xlsx").read_bytes(),
        (IMPORT / "tidlig-indsats-2024-06.xlsx").read_bytes(),
        shared_strings_workbook(),
    ],
    "csv": [
        (IMPORT / "jobindsats-kontanthjaelp.csv").read_bytes(),
        (IMPORT / "jobindsats-passivandel.csv").read_bytes(),
    ],
    "json": [
        (FIXTURES / "v3" / "data-y14ti01-saved.json").read_bytes(),
        (IMPORT / "jobindsats-dagpenge.json").read_bytes(),
    ],
}

HOSTILE_TEXT = [
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e999",
    "1,234",
    "1.234,5",
    "12,3,4",
    "-0",
    "0,5 %",
    "99999999999999999999999",
    "2018-06xyz",
    "2018M13",
    "2018M06",
    "juni 2018",
    "Hele landet",
    "Varde",
    "Varde *",
    "Dagpengemodtagere",
    "..",
    "\x00",
    "\n",
    "\r\n",
    '"',
    ";",
    "\t",
    "\ufeff",
    "\u2028",
    "Ø😀",
    "=1+1",
    "x" * 5000,
]
# JSON values, and bare tokens JSON's parser in Python takes (`NaN`, `Infinity`).
HOSTILE_JSON = [
    *HOSTILE_TEXT,
    0,
    -1,
    2**53,
    2**63,
    2**64,
    10**400,
    1e308,
    -0.0,
    True,
    None,
    [],
    {},
    [[[]]],
    {"a": 1},
]
TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "1" * 5000, "-" + "9" * 30]


@contextmanager
def no_hang(seconds: int = HANG):
    """Fail an example that runs longer than `seconds` (a hang), rather than wait for it."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"an example ran over {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def existing() -> Existing:
    """What the small fixture's data directory holds: figures an import may revise."""
    return read_existing(FIXTURES / "small")


def one_line(text: str) -> None:
    assert "\n" not in text and "\r" not in text, repr(text)


def only_rows_or_one_line_errors(
    content: bytes, name: str, tmp: Path, registry, existing: Existing
) -> None:
    """Read and plan `content` as a file called `name`: rows or one-line errors, nothing else."""
    path = tmp / name
    path.write_bytes(content)
    with no_hang():
        try:
            source = read_source(path)
        except (DataErrors, UserError) as exc:
            _said(exc)
            return
        for empty in (False, True):
            try:
                plan = plan_import(
                    [source],
                    Existing(existing.frame.iloc[0:0], None) if empty else existing,
                    registry,
                    today="2026-11-02",
                    source="fuzz",
                    data_dir="data",
                )
            except (DataErrors, UserError) as exc:
                _said(exc)
                continue
            for line in plan.summary.lines():
                one_line(line)


def _said(exc: DataErrors | UserError) -> None:
    if isinstance(exc, DataErrors):
        assert exc.errors
        for line in exc.format_lines():
            one_line(line)
    else:
        one_line(exc.format_message())


# ---- mutations -----------------------------------------------------------------------------


@st.composite
def byte_mutations(draw: st.DrawFn, content: bytes) -> bytes:
    """Flip, insert, delete or repeat bytes, or cut the file short."""
    data = bytearray(content)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "cut"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        else:
            del data[at:]
    return bytes(data)


def _entries(content: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _zipped(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return out.getvalue()


_CELL_VALUE = re.compile(rb"(<v>)([^<]*)(</v>)|(<t[^>]*>)([^<]*)(</t>)")
_ROW = re.compile(rb"<row[^>]*>.*?</row>", re.DOTALL)


@st.composite
def xlsx_mutations(draw: st.DrawFn, content: bytes) -> bytes:
    """Damage one part of the workbook: its XML bytes, a cell's value or text, its rows
    repeated, or the part gone; or the zip itself."""
    entries = [(info.filename, data) for info, data in _entries(content)]
    kind = draw(st.sampled_from(["part bytes", "cell", "rows", "drop", "zip bytes"]))
    if kind == "zip bytes":
        return draw(byte_mutations(content))
    at = draw(st.integers(0, len(entries) - 1))
    if kind != "part bytes":  # the sheets and texts are where cells and rows are
        parts = [i for i, (n, _) in enumerate(entries) if "sheet" in n or "sharedStrings" in n]
        at = draw(st.sampled_from(parts)) if kind != "drop" else at
    name, data = entries[at]
    if kind == "part bytes":
        data = draw(byte_mutations(data))
    elif kind == "drop":
        del entries[at]
        return _zipped(entries)
    elif kind == "cell":
        matches = list(_CELL_VALUE.finditer(data))
        if matches:
            match = draw(st.sampled_from(matches))
            group = 2 if match.group(2) is not None else 5
            value = draw(st.sampled_from(HOSTILE_TEXT)).encode("utf-8")
            value = value.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
            data = data[: match.start(group)] + value + data[match.end(group) :]
    else:  # rows repeated
        rows = list(_ROW.finditer(data))
        if rows:
            row = draw(st.sampled_from(rows))
            data = data[: row.end()] + row[0] * draw(st.integers(1, 3)) + data[row.end() :]
    entries[at] = (name, data)
    return _zipped(entries)


@st.composite
def csv_mutations(draw: st.DrawFn, content: bytes) -> bytes:
    """Replace cells by hostile text, repeat or drop lines, or damage the bytes."""
    kind = draw(st.sampled_from(["cells", "lines", "bytes"]))
    if kind == "bytes":
        return draw(byte_mutations(content))
    lines = content.decode("utf-8-sig").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "lines":
            if draw(st.booleans()):
                lines.insert(at, lines[at])
            else:
                del lines[at]
            if not lines:
                break
            continue
        cells = lines[at].split(";")
        cell = draw(st.integers(0, len(cells) - 1))
        cells[cell] = draw(st.sampled_from(HOSTILE_TEXT))
        lines[at] = ";".join(cells)
    return "\n".join(lines).encode("utf-8")


def _cells(value: object) -> list[tuple[list, int]]:
    """Every (list, index) of a value in a JSON answer's rows, labels and variables."""
    found = []
    if isinstance(value, list):
        found += [(value, i) for i in range(len(value))]
        for item in value:
            found += _cells(item)
    elif isinstance(value, dict):
        for item in value.values():
            found += _cells(item)
    return found


@st.composite
def json_mutations(draw: st.DrawFn, content: bytes) -> bytes:
    """Replace values by hostile ones (and bare NaN, Infinity, 1e999, huge integers), repeat
    or drop rows, or damage the bytes."""
    kind = draw(st.sampled_from(["values", "tokens", "rows", "bytes"]))
    if kind == "bytes":
        return draw(byte_mutations(content))
    answer = json.loads(content)
    cells = _cells(answer)
    marks = []
    for n in range(draw(st.integers(1, 4))):
        where, at = draw(st.sampled_from(cells))
        if kind == "values":
            where[at] = draw(st.sampled_from(HOSTILE_JSON))
        elif kind == "tokens":
            where[at] = f"@@{n}@@"
            marks.append((f'"@@{n}@@"', draw(st.sampled_from(TOKENS))))
        elif isinstance(where[at], list) and draw(st.booleans()):
            where.insert(at, where[at])  # a row repeated
        else:
            del where[at]
            cells = _cells(answer)
            if not cells:
                break
    text = json.dumps(answer, ensure_ascii=draw(st.booleans()))
    for mark, token in marks:
        text = text.replace(mark, token)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16"])))


def _seeded(kind: str, mutate) -> st.SearchStrategy[bytes]:  # noqa: ANN001
    return st.sampled_from(SEEDS[kind]).flatmap(mutate)


# ---- the properties ------------------------------------------------------------------------


@FUZZ
@given(content=_seeded("xlsx", xlsx_mutations))
def test_a_damaged_workbook_gives_rows_or_one_line_errors(
    content, tmp_path_factory, registry, existing
):
    only_rows_or_one_line_errors(
        content, "s.xlsx", tmp_path_factory.mktemp("x"), registry, existing
    )


@FUZZ
@given(content=_seeded("csv", csv_mutations))
def test_a_damaged_csv_export_gives_rows_or_one_line_errors(
    content, tmp_path_factory, registry, existing
):
    only_rows_or_one_line_errors(content, "e.csv", tmp_path_factory.mktemp("c"), registry, existing)


@FUZZ
@given(content=_seeded("json", json_mutations))
def test_a_damaged_api_answer_gives_rows_or_one_line_errors(
    content, tmp_path_factory, registry, existing
):
    only_rows_or_one_line_errors(
        content, "a.json", tmp_path_factory.mktemp("j"), registry, existing
    )


@FUZZ
@given(
    kind=st.sampled_from(sorted(SEEDS)),
    seed=st.integers(0, 2),
    name=st.sampled_from(["f.xlsx", "f.csv", "f.json", "f"]),
    data=st.data(),
)
def test_any_file_under_any_name_gives_rows_or_one_line_errors(
    kind, seed, name, data, tmp_path_factory, registry, existing
):
    content = SEEDS[kind][seed % len(SEEDS[kind])]
    content = data.draw(byte_mutations(content))
    only_rows_or_one_line_errors(content, name, tmp_path_factory.mktemp("a"), registry, existing)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_the_seeds_themselves_import(kind, tmp_path, registry, existing):
    """The mutations start from files that read: a failure below is the mutation's doing."""
    for n, content in enumerate(SEEDS[kind]):
        path = tmp_path / f"seed{n}.{kind}"
        path.write_bytes(content)
        assert read_source(path).tables
