"""Hostile and damaged input, as a user meets it through `import`: every case ends in the rows
or in one line per problem naming the place, exit 1, and the data directory byte-identical.
No figure that was known is changed without the user asking for it."""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from conftest import FIXTURES
from openpyxl import Workbook
from test_import_cli import STATEMENT, digest, run

from samtaletjek.errors import DataErrors
from samtaletjek.ingest.plan import Existing, plan_import
from samtaletjek.ingest.readers import read_source
from samtaletjek.ingest.readers.workbook import UNSAVED
from samtaletjek.ingest.values import parse_number

V3 = FIXTURES / "v3" / "data-y14ti01-saved.json"
DATE = "2026-11-02"
HEADER = ["Kommune", "Antal personer", "Andel med mindst 6 samtaler (pct.)"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory holding the statement of June 2018 (Varde dagpenge: 87 persons)."""
    target = tmp_path / "data"
    code, output = run("import", str(STATEMENT), "--data", str(target), "--date", DATE)
    assert code == 0, output
    return target


def refused(data: Path, *args: str) -> list[str]:
    """Import `args` into `data`; assert it is refused with one line per problem and leaves
    `data` as it was; return the error lines."""
    before = digest(data)
    date = () if "--date" in args else ("--date", DATE)
    code, output = run("import", *args, "--data", str(data), *date)
    assert code == 1, output
    assert "Traceback" not in output
    assert digest(data) == before
    assert [p.name for p in data.iterdir() if p.name.startswith(".")] == []
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert errors or output.startswith("Error: "), output
    return errors or [output.strip()]


def only(errors: list[str]) -> str:
    assert len(errors) == 1, errors
    return errors[0]


def samtaler(data: Path) -> list[str]:
    return (data / "samtaler.csv").read_text(encoding="utf-8").splitlines()


def workbook(rows: list[list], title: str = "Dagpenge juni 2018") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return wb


def saved(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezipped(data: bytes, edit) -> bytes:  # noqa: ANN001 - (part name, bytes) → bytes
    """The workbook `data` with each part passed through `edit`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, edit(info.filename, source.read(info.filename)))
    return out.getvalue()


def xlsxwriter_workbook(rows: list[list], formulas: list[tuple] = ()) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("Dagpenge juni 2018")
    for i, row in enumerate(rows):
        ws.write_row(i, 0, row)
    for row, column, formula, value in formulas:
        ws.write_formula(row, column, formula, None, value)
    wb.close()
    return out.getvalue()


def write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


# ---- 1. formula cells without a saved value ----------------------------------------------


def _without_calc_on_load(part: str, content: bytes) -> bytes:
    return re.sub(rb"<calcPr[^>]*/>", b"", content) if part == "xl/workbook.xml" else content


def formula_by_openpyxl() -> bytes:
    """A script's workbook: openpyxl writes the formula with an empty value."""
    return saved(workbook([HEADER, ["Varde", "=40+47", 45.0], ["Billund", 60, 50]]))


def formula_without_value() -> bytes:
    """No <v> at all, and no request to recalculate on opening."""

    def edit(part: str, content: bytes) -> bytes:
        content = _without_calc_on_load(part, content)
        return content.replace(b"<v />", b"") if part.startswith("xl/worksheets/") else content

    return rezipped(formula_by_openpyxl(), edit)


def formula_by_xlsxwriter() -> bytes:
    """XlsxWriter saves 0 as the formula's value and asks Excel to recalculate on opening."""
    rows = [HEADER, ["Varde", 0, 45.0], ["Billund", 60, 50]]
    return xlsxwriter_workbook(rows, [(1, 1, "=40+47", 0)])


@pytest.mark.parametrize(
    "make",
    [formula_by_openpyxl, formula_without_value, formula_by_xlsxwriter],
    ids=lambda f: f.__name__,
)
def test_a_formula_without_a_saved_value_is_an_error_not_a_missing_figure(data, tmp_path, make):
    file = write(tmp_path, "formula.xlsx", make())
    line = only(refused(data, file))
    assert line == f"error: {file}[Dagpenge juni 2018]:2: column B: {UNSAVED}"
    assert UNSAVED == (
        "formula without a saved value; open and save the file in Excel, or export values"
    )
    assert "2018-06,573,Varde,dagpenge,87," in "\n".join(samtaler(data))


def test_a_formula_saved_with_its_value_is_read(tmp_path):
    """What Excel saves: the formula and its value, no request to recalculate."""

    def edit(part: str, content: bytes) -> bytes:
        content = _without_calc_on_load(part, content)
        return content.replace(b"<f>40+47</f><v />", b"<f>40+47</f><v>87</v>")

    file = write(tmp_path, "excel.xlsx", rezipped(formula_by_openpyxl(), edit))
    (table,) = read_source(Path(file)).tables
    assert list(table.frame["persons"]) == [87, 60]


# ---- 2. shares: rescaled only where the source says they are fractions -------------------


def share_csv(label: str, shares: tuple[str, str]) -> str:
    return (
        f"Område;Periode;Målgruppe;Antal personer;{label}\n"
        f"Varde;2018M06;Dagpengemodtagere;1000;{shares[0]}\n"
        f"Billund;2018M06;Dagpengemodtagere;2000;{shares[1]}\n"
    )


@pytest.mark.parametrize(
    "label",
    [
        "Andel med mindst 6 samtaler (pct.)",
        "Andel med mindst 6 samtaler i %",
        "Andel med mindst 6 samtaler, procent",
        "Pct. med mindst 6 samtaler",
    ],
)
def test_shares_labelled_pct_or_percent_are_never_rescaled(tmp_path, label):
    data = tmp_path / "data"
    file = write(tmp_path, "shares.csv", share_csv(label, ("0,5", "0,8")))
    code, output = run("import", file, "--data", str(data), "--date", DATE)
    assert code == 0, output
    assert "×100" not in output
    assert samtaler(data)[1:] == [
        # the share as published; its count (0,5 % of 1000 persons) worked out and said so
        "2018-06,530,Billund,dagpenge,2000,16,0.8,,samtaler,persons_meeting,",
        "2018-06,573,Varde,dagpenge,1000,5,0.5,,samtaler,persons_meeting,",
    ]


def test_a_share_whose_label_says_share_and_not_percent_is_read_as_a_fraction(tmp_path):
    data = tmp_path / "data"
    file = write(tmp_path, "shares.csv", share_csv("Andel med mindst 6 samtaler", ("0,5", "0,8")))
    code, output = run("import", file, "--data", str(data), "--date", DATE)
    assert code == 0, output
    assert "shares were written as 0–1 (Andel med mindst 6 samtaler); ×100" in output
    assert (
        samtaler(data)[2] == "2018-06,573,Varde,dagpenge,1000,500,50.0,,samtaler,persons_meeting,"
    )


def test_a_cell_formatted_as_a_percentage_is_read_as_shown_and_not_rescaled_again(tmp_path):
    wb = workbook([["Kommune", "Antal personer", "Andel med mindst 6 samtaler"]])
    for name, persons, share in (("Varde", 1000, 0.005), ("Billund", 2000, 0.008)):
        wb.active.append([name, persons, share])  # shown as 0,5 % and 0,8 %
        wb.active.cell(wb.active.max_row, 3).number_format = "0.0%"
    data = tmp_path / "data"
    code, output = run("import", write(tmp_path, "p.xlsx", saved(wb)), "--data", str(data))
    assert code == 0, output
    assert [r.split(",")[6] for r in samtaler(data)[1:]] == ["0.8", "0.5"]  # Billund, Varde


def test_a_percent_sign_in_quotes_in_a_number_format_does_not_scale(tmp_path):
    wb = workbook([HEADER, ["Varde", 87, 45.3]])
    wb.active["C2"].number_format = '0.0" %"'  # shows 45,3 % without scaling the value
    (table,) = read_source(Path(write(tmp_path, "q.xlsx", saved(wb)))).tables
    assert list(table.frame["share_pct"]) == [45.3]
    assert not table.shares_as_shown


# ---- 3. numbers JSON has and no figure can be ---------------------------------------------


def v3_with(token: str) -> str:
    """The saved v3 answer with `token` as the persons of its first row."""
    text = V3.read_text(encoding="utf-8")
    answer = json.loads(text)
    answer["rows"][0][3] = "@@"
    return json.dumps(answer, ensure_ascii=False).replace('"@@"', token)


@pytest.mark.parametrize(
    ("token", "said"),
    [
        ("NaN", "NaN is not a number (a missing figure is null or empty)"),
        ("Infinity", "Infinity is not a number (a missing figure is null or empty)"),
        ("-Infinity", "-Infinity is not a number (a missing figure is null or empty)"),
        ("1e999", "1e999 is out of range for a figure"),
        ("-1e999", "-1e999 is out of range for a figure"),
        ("18446744073709551616", "18446744073709551616 is out of range for a figure"),
        ("9223372036854775807", "9223372036854775807 is out of range for a figure"),
        ("1" * 5000, f"{'1' * 39}… is out of range for a figure"),
        ("1e300", "1e+300 is out of range for a figure"),
    ],
)
def test_numbers_no_figure_can_be_are_one_line_at_their_row_and_column(tmp_path, token, said):
    data = tmp_path / "data"
    assert run("import", str(V3), "--data", str(data), "--date", DATE)[0] == 0
    file = write(tmp_path, "answer.json", v3_with(token))
    line = only(refused(data, file))
    assert line == f"error: {file}[rows]:1: column Jobsamtaler: Antal personer: {said}"


def test_json_nested_100000_deep_is_one_line(data, tmp_path):
    file = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    line = only(refused(data, file))
    assert line.startswith(f"error: {file}:1: not a jobindsats answer: arrays or objects nested")


def test_json_nan_in_a_v2_answer_is_one_line(data, tmp_path):
    text = (FIXTURES / "import" / "jobindsats-dagpenge.json").read_text(encoding="utf-8")
    answer = json.loads(text)
    answer[0]["Data"][2][2] = "@@"
    file = write(tmp_path, "v2.json", json.dumps(answer).replace('"@@"', "NaN"))
    line = only(refused(data, file))
    assert line == (
        f"error: {file}[Data]:3: column _dp69ant (Dagpengemodtagere 6-9 mdr.: Antal personer): "
        "NaN is not a number (a missing figure is null or empty)"
    )


def test_a_float_nan_from_any_source_is_not_missing():
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(float("nan"))
    with pytest.raises(ValueError, match="out of range"):
        parse_number(2**63)


# ---- 4. a published figure turned into missing ---------------------------------------------


def test_an_import_that_would_make_published_figures_missing_is_refused_one_line_each(
    registry,
):
    from test_import_merge import canonical, source, table

    codes = {"Varde": 573, "Billund": 530, "Vejle": 630}
    known = canonical(
        [("2018-06", code, name, "dagpenge", 100, 45, 45.0, None) for name, code in codes.items()]
    )
    suppressed = table([(name, "..", "..") for name in codes])
    existing = Existing(known, None)
    options = {"today": DATE, "source": "test", "data_dir": "data"}
    with pytest.raises(DataErrors) as exc:
        plan_import([source(suppressed)], existing, registry, **options)
    lines = [str(e) for e in exc.value.errors]
    assert len(lines) == 3 * 3  # persons, persons_meeting and share of each
    assert lines[0] == (
        "t.csv:2: column persons: would make the published figure 100 missing "
        "(2018-06 573 dagpenge); import with --allow-missing to accept"
    )
    plan = plan_import([source(suppressed)], existing, registry, allow_missing=True, **options)
    summary = plan.summary.lines()
    assert "  9 published figure(s) now missing (--allow-missing):" in summary
    assert "    2018-06 573 dagpenge persons: 100 → –" in summary
    assert len([line for line in summary if line.endswith("→ –")]) == 9


# ---- 5. bounded work (the big files: test_import_limits.py) -------------------------------


def test_a_million_bad_rows_stop_after_the_first_fifty(data, tmp_path):
    lines = ["Område;Periode;Målgruppe;Antal personer;Andel med mindst 6 samtaler (pct.)"]
    lines += [f"Hjørringg;2018M06;Dagpengemodtagere;{n};45,0" for n in range(90_000)]
    errors = refused(data, write(tmp_path, "bad.csv", "\n".join(lines)))
    assert len(errors) == 51
    assert errors[-1] == "error: … stopped looking after the first 50 problems; there may be more"


def test_many_notes_and_totals_take_linear_time(tmp_path):
    """Rows skipped and national rows are many in a hostile file: each is looked at once
    (listing skipped rows and cross-checking totals were quadratic)."""
    lines = ["Område;Periode;Målgruppe;Antal personer;Andel med mindst 6 samtaler (pct.)"]
    lines += [f"Note nummer {n};;;;" for n in range(30_000)]
    lines += ["Varde;2018M06;Dagpengemodtagere;87;45,0"]
    lines += ["Region Syddanmark;2018M06;Dagpengemodtagere;87;45,0"] * 20_000
    start = time.monotonic()
    code, output = run(
        "import", write(tmp_path, "n.csv", "\n".join(lines)), "--data", str(tmp_path / "d")
    )
    assert code == 0, output
    assert "skipped 30000 × note or text below the table: " in output
    assert time.monotonic() - start < 20  # some 2 s; quadratic, minutes


# ---- 6. damaged and unexpected files: one line, not a traceback --------------------------


def statement_bytes() -> bytes:
    return xlsxwriter_workbook([HEADER, ["Varde", 87, 45.0], ["Billund", 60, 50]])


def cut_sheet(part: str, content: bytes) -> bytes:
    return content[: len(content) // 2] if part.startswith("xl/worksheets/") else content


def bad_shared_string(part: str, content: bytes) -> bytes:
    if not part.startswith("xl/worksheets/"):
        return content
    return re.sub(rb'(<c r="A2" t="s"><v>)\d+', rb"\g<1>999", content)


def zip_of(*parts: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


CSV_HEADER = b"Kommune;Periode;M\xc3\xa5lgruppe;Antal personer;Andel (pct.)\n"
ONE_LINE_CASES = [
    (
        "cut.xlsx",
        lambda: rezipped(statement_bytes(), cut_sheet),
        ": not a readable Excel workbook (xl/worksheets/sheet1.xml): its XML is broken or cut "
        "short (unclosed token: line 2, column",
    ),
    (
        "shared.xlsx",
        lambda: rezipped(statement_bytes(), bad_shared_string),
        "[Dagpenge juni 2018]:2: cell A2 points at text number 999, but the workbook holds 5 "
        "texts: the file is damaged",
    ),
    (
        "encoding.xlsx",  # found by the fuzz tests
        lambda: rezipped(
            statement_bytes(),
            lambda part, content: (
                b'<?xml version="1.0" encoding="TTF-8"?>' + content.split(b"?>", 1)[1]
                if part.startswith("xl/worksheets/")
                else content
            ),
        ),
        ": not a readable Excel workbook (xl/worksheets/sheet1.xml): its XML is broken or cut "
        "short (unknown encoding: TTF-8)",
    ),
    (
        "notes.xlsx",
        lambda: zip_of(("notes.txt", b"hello")),
        ": is a zip archive but not an Excel workbook: it holds notes.txt",
    ),
    (
        "report.xlsx",
        lambda: zip_of(("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<x/>")),
        ": is a Word or PowerPoint file, not an Excel workbook",
    ),
    (
        "sheet.xlsx",
        lambda: zip_of(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")),
        ": is an OpenDocument file (LibreOffice .ods), not an Excel workbook; save it as .xlsx",
    ),
    (
        "cut-zip.xlsx",
        lambda: statement_bytes()[:3000],
        ": not a readable Excel workbook: the zip archive is damaged",
    ),
    (
        "locked.xlsx",
        lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"),
        ": is a password-protected (encrypted) Excel workbook; remove the password in Excel",
    ),
    (
        "cp1252.csv",
        lambda: "Område;Antal personer\nVarde – vest;87\n".encode("cp1252"),
        ":1: not UTF-8 text: byte 0xE5 ('å' in Latin-1: save the file as UTF-8)",
    ),
    (
        "comma.csv",
        lambda: b'Kommune,Periode,Antal personer,Andel (pct.)\nVarde,2018M06,87,"45,0"\n',
        ":1: the header 'Kommune,Periode,Antal personer,Andel (pct.)' has ',' between its "
        "columns; jobindsats' CSV has ';' and a decimal comma, and with ',' between columns a "
        "number such as 12,5 cannot be read: save the file with ';' between the columns",
    ),
    (
        "quote.csv",
        lambda: (
            b"Kommune;Periode;Antal personer;Andel (pct.)\n"
            b'Varde;2018M06;"87;45,0\nBillund;2018M06;60;50,0\nVejle;2018M06;70;50,0\n'
        ),
        ':2: a quote (") opens a field on this line and is not closed on it: '
        "'Varde;2018M06;\"87;45,0'",
    ),
    (
        "quote-closed-later.csv",
        lambda: (
            b"Kommune;Periode;Antal personer;Andel (pct.)\n"
            b'Varde;2018M06;"87;45,0\nBillund;2018M06;60";50,0\nVejle;2018M06;70;50,0\n'
        ),
        ':2: a quote (") opens a field on this line and is not closed on it',
    ),
    (
        "quote-end.csv",
        lambda: b'Kommune;Periode;Antal personer;Andel (pct.)\nVarde;2018M06;87;"45,0\n',
        ':2: a quote (") opens a field on this line and is not closed on it',
    ),
    (
        "thousands.csv",
        lambda: CSV_HEADER + b"Varde;2018M06;Dagpengemodtagere;1,234;45,0\n",
        ":2: column Antal personer: '1,234' is ambiguous: 1,234 is 1234 with an English "
        "thousands separator but 1.234 with a Danish decimal comma; write the number without "
        "a thousands separator",
    ),
    (
        "nul.csv",
        lambda: b"Kommune;Periode;Antal personer;Andel (pct.)\nVarde;2018M06;8\x007;45,0\n",
        ":2: holds a NUL character: not a text file",
    ),
    (
        "month.csv",
        lambda: CSV_HEADER + b"Varde;2018-06xyz;Dagpengemodtagere;87;45,0\n",
        ":2: column Periode: '2018-06xyz' is not a month (write 2018M06, 2018-06 or juni 2018)",
    ),
    (
        "tab-semicolon.csv",
        lambda: b"Noget\tandet\nog;mere\n",
        ":1: no header row: no line starts with 'Område' or 'Kommune' (the first reads "
        "'Noget\\tandet')",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), ONE_LINE_CASES, ids=[c[0] for c in ONE_LINE_CASES]
)
def test_damaged_or_unexpected_files_are_one_line(data, tmp_path, name, make, message):
    file = write(tmp_path, name, make())
    assert only(refused(data, file)).startswith(f"error: {file}{message}")


def test_a_pipe_is_refused_without_waiting_for_it(data, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    line = only(refused(data, str(fifo)))
    assert (
        line
        == f"error: {fifo}: is not a regular file (a pipe or a device); save the data to a file"
    )


UTF8 = (
    "Område;Periode;Målgruppe;Antal personer;Andel med mindst 6 samtaler (pct.)\n"
    "Varde;2018M06;Dagpengemodtagere;87;45,0\n"
    "Høje-Taastrup;2018M06;Dagpengemodtagere;240;41,3\n"
)


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-16", UTF8),  # with a byte order mark, as Excel's "Unicode text"
        ("utf-16-be", "\ufeff" + UTF8),
        ("utf-16-le", UTF8),  # without one
        ("utf-8", UTF8.replace(";", "\t")),
        ("utf-16", UTF8.replace(";", "\t")),
    ],
    ids=["utf-16", "utf-16-be", "utf-16-le-no-bom", "tab", "utf-16-tab"],
)
def test_utf16_and_tab_separated_files_are_read_as_they_are(tmp_path, encoding, text):
    same = tmp_path / "same"
    assert run("import", write(tmp_path, "u8.csv", UTF8), "--data", str(same))[0] == 0
    data = tmp_path / "data"
    file = write(tmp_path, "other.csv", text.encode(encoding))
    code, output = run("import", file, "--data", str(data), "--date", DATE)
    assert code == 0, output
    assert samtaler(data) == samtaler(same)


def test_a_utf16_json_answer_is_read(tmp_path):
    file = write(tmp_path, "a.json", V3.read_text(encoding="utf-8").encode("utf-16"))
    assert len(read_source(Path(file)).tables[0].frame) > 0


# ---- 7. months exactly, and no import date in the future --------------------------------


def test_a_period_option_must_be_exactly_a_month(data):
    file = str(FIXTURES / "import" / "no-month-no-group.csv")
    for given in ("2018-06xyz", "2018-6", "2018M06", "2018-06\n"):
        line = refused(data, file, "--period", given, "--target-group", "dagpenge")[0]
        assert line == f"Error: --period {given!r} is not a month written YYYY-MM"


def test_an_import_date_in_the_future_is_refused(data):
    (line,) = refused(data, str(STATEMENT), "--date", "2099-01-01")
    assert re.fullmatch(
        r"Error: --date 2099-01-01 is after today \(\d{4}-\d\d-\d\d\); the import date cannot "
        r"lie in the future \(months after it are refused as not yet published\)",
        line,
    )
    before = digest(data)
    code, output = run(
        "import", str(STATEMENT), "--data", str(data), env={"SOURCE_DATE_EPOCH": "4102444800"}
    )
    assert code == 1 and "SOURCE_DATE_EPOCH=4102444800 is 2100-01-01, after today" in output
    assert digest(data) == before
    code, output = run("import", str(STATEMENT), "--data", str(data), "--date", "20261102")
    assert (code, output.strip()) == (
        1,
        "Error: --date '20261102' is not a date written YYYY-MM-DD",
    )
