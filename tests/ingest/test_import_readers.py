"""The readers on real files in the three source formats: tables found, values untouched."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from samtaletjek.errors import DataErrors
from samtaletjek.ingest.readers import detect_format
from samtaletjek.ingest.readers.jobindsats_csv import read_jobindsats_csv
from samtaletjek.ingest.readers.jobindsats_v2 import read_jobindsats_json
from samtaletjek.ingest.readers.star_xlsx import read_star_xlsx

IMPORT = FIXTURES / "import"


def read(name: str) -> bytes:
    return (IMPORT / name).read_bytes()


def problems(exc: pytest.ExceptionInfo[DataErrors]) -> list[str]:
    return [str(e) for e in exc.value.errors]


def test_statement_workbook_one_table_per_sheet():
    source = read_star_xlsx(read("statement-2018-06.xlsx"), "s.xlsx")
    assert [t.file for t in source.tables] == [
        "s.xlsx[Dagpenge 6-9 mdr]",
        "s.xlsx[Akt. kontanthjælp]",
        "s.xlsx[Sygedagpenge]",
    ]
    assert [(s.file, s.reason) for s in source.skipped] == [
        ("s.xlsx[Forside]", "no table (no row starts with 'Kommune' or 'Område')")
    ]
    assert "Opgørelse for juni 2018" in source.context

    dagpenge = source.tables[0]
    assert dagpenge.labels == {
        "municipality": "A (Kommune)",
        "persons": "B (Antal personer)",
        "mean_conversations": "C (Gns. antal samtaler)",
        "share_pct": "D (Andel med mindst 6 samtaler (pct.))",
    }
    assert dagpenge.ignored == ("E (Ændring ift. januar 2018 (procentpoint))",)
    assert dagpenge.context[:3] == (
        "Dagpenge 6-9 mdr",
        "Dagpengemodtagere med 6-9 måneders ledighed",
        "Andel med mindst 6 samtaler, juni 2018",
    )
    frame = dagpenge.frame.set_index("municipality")
    # Values as the cells hold them: numbers, Danish text, markers; rows are the sheet's rows.
    assert frame.loc["København", "persons"] == 1234
    assert frame.loc["Odense *", "persons"] == "1.012"
    assert frame.loc["Læsø", "share_pct"] == ".."
    assert frame.loc["Hele landet", "row"] == 5
    assert frame.loc["Kilde: jobindsats.dk", "row"] == 20
    assert frame["period"].isna().all() and frame["target_group"].isna().all()


def test_a_cell_formatted_as_a_percentage_is_read_as_the_percentage_shown():
    source = read_star_xlsx(read("statement-2018-06.xlsx"), "s.xlsx")
    shares = source.tables[2].frame.set_index("municipality")["share_pct"]
    assert shares["København"] == pytest.approx(75.3)


def test_jobindsats_json_columns_by_name_and_label():
    source = read_jobindsats_json(read("jobindsats-dagpenge.json"), "d.json")
    (table,) = source.tables
    assert table.file == "d.json[Data]"
    assert set(table.labels) == {"municipality", "period", "persons", "share_pct"}
    assert table.labels["persons"] == "_dp69ant (Dagpengemodtagere 6-9 mdr.: Antal personer)"
    first = table.frame.iloc[0]
    assert (first["municipality"], first["period"], first["row"]) == ("Hele landet", "2018M04", 1)
    assert any("Dagpengemodtagere" in text for text in table.context)


def test_jobindsats_json_with_configured_measures():
    data = read("jobindsats-dagpenge.json")
    source = read_jobindsats_json(
        data, "d.json", {"persons": "_DP69ANT", "share_pct": "_dp69andel"}
    )
    assert source.tables[0].labels["share_pct"].startswith("_dp69andel")
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_json(data, "d.json", {"persons": "_dp69ant", "persons_meeting": "nope"})
    assert any(
        "measure 'nope' (configured for persons_meeting) is not in" in p for p in problems(exc)
    )


def test_jobindsats_json_rows_must_match_the_variables():
    answer = [
        {
            "Variables": [
                {"Name": "area"},
                {"Name": "period"},
                {"Name": "x", "Label": "Antal personer"},
                {"Name": "y", "Label": "Andel (pct.)"},
            ],
            "Data": [["Varde", "2018M06", "87", "45,0"], ["Billund", "2018M06", "60"]],
        }
    ]
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_json(json.dumps(answer).encode(), "a.json")
    assert problems(exc) == ["a.json[Data]:2: has 3 values; Variables names 4"]


def test_jobindsats_csv_with_bom_crlf_and_title_lines():
    data = read("jobindsats-kontanthjaelp.csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    source = read_jobindsats_csv(data, "k.csv")
    (table,) = source.tables
    assert table.labels["persons_meeting"] == "Antal personer med mindst 4 samtaler"
    assert table.context[0] == "Samtaler med kontanthjælpsmodtagere"
    first = table.frame.iloc[0]
    assert first["row"] == 4  # line 3 is the header
    assert (first["municipality"], first["persons"], first["share_pct"]) == (
        "Hele landet",
        "12.400",
        "57,3",
    )
    assert first["target_group"] == "Jobparate kontanthjælpsmodtagere"


def test_jobindsats_csv_plain_lf_without_bom():
    (table,) = read_jobindsats_csv(read("no-month-no-group.csv"), "n.csv").tables
    assert list(table.frame["municipality"]) == ["Varde", "Billund"]
    assert table.frame["period"].isna().all()


def test_comma_separated_csv_is_refused_clearly():
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_csv(b"Kommune,Antal personer\nVarde,87\n", "c.csv")
    (problem,) = problems(exc)
    assert problem.startswith(
        "c.csv:1: the header 'Kommune,Antal personer' has ',' between its columns; "
        "jobindsats' CSV has ';' and a decimal comma"
    )


def test_a_table_without_the_figures_it_needs():
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_csv(b"Kommune;Noget\nVarde;1\n", "c.csv")
    assert problems(exc) == [
        "c.csv:1: no column with the number of persons (e.g. 'Antal personer')",
        "c.csv:1: no column with the share or number who had the samtaler "
        "(e.g. 'Andel med mindst 6 samtaler (pct.)')",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("statement-2018-06.xlsx", "xlsx"),
        ("jobindsats-dagpenge.json", "json"),
        ("jobindsats-kontanthjaelp.csv", "csv"),
        ("no-month-no-group.csv", "csv"),
    ],
)
def test_the_format_is_found_from_the_content(name, kind):
    assert detect_format(read(name), name) == kind
    assert detect_format(read(name), "no-suffix") == kind


# ---- the active offer and passivity, in the same formats ------------------------------------


def test_an_offer_statement_is_a_tilbud_table():
    source = read_star_xlsx(read("tilbud-2024-06.xlsx"), "t.xlsx")
    (table,) = source.tables
    assert (table.file, table.indicator, table.indicator_from) == (
        "t.xlsx[Tilbud]",
        "tilbud",
        "columns",
    )
    assert table.labels == {
        "municipality": "A (Kommune)",
        "persons": "B (Antal personer)",
        "persons_meeting": "C (Antal personer med aktivt tilbud)",
        "share_pct": "D (Andel med aktivt tilbud (pct.))",
    }
    assert table.ignored == ("E (Ændring ift. december 2023 (procentpoint))",)
    assert "Jobparate kontanthjælpsmodtagere med 6 måneders anciennitet, juni 2024" in table.context


def test_samtaler_and_tilbud_side_by_side_are_a_table_each():
    source = read_star_xlsx(read("tidlig-indsats-2024-06.xlsx"), "s.xlsx")
    assert [(t.file, t.indicator) for t in source.tables] == [
        ("s.xlsx[Dagpenge]", "samtaler"),
        ("s.xlsx[Dagpenge]", "tilbud"),
        ("s.xlsx[Akt. kontanthjælp]", "samtaler"),
        ("s.xlsx[Akt. kontanthjælp]", "tilbud"),
    ]
    samtaler, tilbud = source.tables[:2]
    # The persons are shared; each indicator has its own count and share.
    assert samtaler.labels["persons"] == tilbud.labels["persons"] == "B (Antal personer)"
    assert samtaler.labels["share_pct"] == "D (Andel med mindst 4 jobsamtaler (pct.))"
    assert tilbud.labels["share_pct"] == "F (Andel med aktivt tilbud (pct.))"
    assert tilbud.labels["persons_meeting"] == "E (Antal personer med aktivt tilbud)"


def test_passivity_from_a_csv_export_and_a_v2_answer():
    (table,) = read_jobindsats_csv(read("jobindsats-passivandel.csv"), "p.csv").tables
    assert table.indicator == "passivandel"
    assert table.labels["share_pct"] == "Passivandel i perioden i pct."
    assert table.labels["persons_meeting"] == "Antal passive personer i perioden"
    assert table.ignored == ("Aktiveringsgrad i perioden i pct.",)  # an activation rate
    (table,) = read_jobindsats_json(read("jobindsats-passivandel.json"), "p.json").tables
    assert table.indicator == "passivandel"
    assert table.labels["share_pct"] == (
        "_akpasandel (Aktivitetsparate kontanthjælpsmodtagere: Passivandel i perioden i pct.)"
    )
    assert (
        table.labels["persons"]
        == "_akpasant (Aktivitetsparate kontanthjælpsmodtagere: Antal personer)"
    )


def test_measures_of_an_indicator_too_few_to_import_are_said():
    answer = [
        {
            "Variables": [
                {"Name": "area", "Label": "Område"},
                {"Name": "period", "Label": "Periode"},
                {"Name": "ant", "Label": "Antal personer"},
                {"Name": "andel", "Label": "Andel med mindst 4 samtaler (pct.)"},
                {"Name": "tilb", "Label": "Tilbud: Antal personer"},
            ],
            "Data": [["Varde", "2024M06", "87", "45,0", "50"]],
        }
    ]
    source = read_jobindsats_json(json.dumps(answer).encode(), "a.json")
    assert [t.indicator for t in source.tables] == ["samtaler"]
    assert [(s.file, s.reason) for s in source.skipped] == [
        (
            "a.json[Data]",
            "column tilb (Tilbud: Antal personer): tilbud without the share or number who had "
            "an active offer; not imported",
        )
    ]
