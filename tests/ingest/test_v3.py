"""API v3 without the network: the data reader on saved answers, the catalogue parser, the
indicator's keyword rules and the discovery that picks tables by what their labels say."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from samtaletjek.cli import cli
from samtaletjek.errors import DataErrors
from samtaletjek.ingest.catalogue import (
    CatalogueError,
    Entry,
    Measure,
    parse_catalogue,
    parse_table,
)
from samtaletjek.ingest.discover import assess, choose
from samtaletjek.ingest.indicators import SAMTALER
from samtaletjek.ingest.plan import read_incoming
from samtaletjek.ingest.readers import read_source
from samtaletjek.ingest.readers.jobindsats_v3 import Selection, read_jobindsats_v3
from samtaletjek.ingest.values import map_target_groups
from samtaletjek.settings import FetchTable

V3 = FIXTURES / "v3"
SAVED = V3 / "data-y14ti01-saved.json"
TODAY = "2026-11-02"


def answer(columns: list[str], rows: list[list]) -> bytes:
    return json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False).encode()


def test_a_saved_v3_answer_imports(tmp_path: Path):
    data = tmp_path / "data"
    result = CliRunner().invoke(cli, ["import", str(SAVED), "--data", str(data), "--date", TODAY])
    assert result.exit_code == 0, result.output
    expected = (V3 / "data-y14ti01-saved.expected.csv").read_text(encoding="utf-8")
    assert (data / "samtaler.csv").read_text(encoding="utf-8") == expected
    out = result.stdout
    assert "read 12 rows: 8 added, 0 revised, 0 unchanged, 4 skipped" in out
    assert "read as jobindsats API v3 JSON" in out
    assert "skipped 1 × Ydelsesgrupper 'Ydelsesgrupper i alt': a total over target groups" in out
    assert "skipped 1 × Ydelsesgrupper 'Ledighedsydelse': not one of the target groups" in out
    assert "skipped 1 × 'Uoplyst område' is not one of the 98 municipalities" in out
    assert "skipped 1 × the national figure, used only as a cross-check" in out


def test_the_reader_keeps_values_as_written_and_rows_in_their_order():
    source = read_jobindsats_v3(SAVED.read_bytes(), "a.json")
    (table,) = source.tables
    assert table.labels == {
        "municipality": "Område",
        "period": "Periode",
        "persons": "Jobsamtaler: Antal personer",
        "persons_meeting": "Jobsamtaler: Antal personer med mindst 4 jobsamtaler",
        "share_pct": "Jobsamtaler: Andel med mindst 4 jobsamtaler (pct.)",
        "target_group": "Ydelsesgrupper",
    }
    first = table.frame.iloc[0]
    assert (first["period"], first["municipality"], first["target_group"]) == (
        "2026M09",
        "Vesthimmerlands",
        "dagpenge",
    )
    assert first["share_pct"] == 80.2
    assert table.frame.set_index("municipality").loc["Læsø", "persons_meeting"] is None


def test_measure_groups_that_name_target_groups_become_one_table_each(registry):
    columns = [
        "Periode",
        "Område",
        "Dagpengemodtagere: Antal personer",
        "Dagpengemodtagere: Andel med mindst 4 jobsamtaler (pct.)",
        "Sygedagpengemodtagere: Antal personer",
        "Sygedagpengemodtagere: Andel med mindst 4 jobsamtaler (pct.)",
        "Tilbud: Antal personer",
        "Tilbud: Andel med aktivt tilbud (pct.)",
    ]
    rows = [["2026M09", "Varde", 87, 44.8, 300, 80.0, 50, 30.0]]
    source = read_jobindsats_v3(answer(columns, rows), "g.json")
    assert [t.file for t in source.tables] == [
        "g.json[Dagpengemodtagere]",
        "g.json[Sygedagpengemodtagere]",
    ]
    read = read_incoming([source], registry, today=TODAY)
    got = read.frame.set_index("target_group")[["persons", "persons_meeting", "share_pct"]]
    assert got.loc["dagpenge"].tolist() == [87, 39, 44.8]
    assert got.loc["sygedagpenge"].tolist() == [300, 240, 80.0]


def test_other_measures_in_the_answer_are_not_mistaken_for_samtaler():
    columns = ["Periode", "Område", "Ydelsesgrupper", "Antal personer", "Andel med tilbud (pct.)"]
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_v3(answer(columns, [["2026M09", "Varde", "A-dagpenge", 87, 44.8]]), "t")
    (error,) = exc.value.errors
    assert "no columns of persons; persons_meeting or share_pct found by their labels" in str(error)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"code": 422, "cause": "Unknown period type: M", "request_id": "x"},
            "this is jobindsats.dk's error answer (code 422: Unknown period type: M), not data",
        ),
        ({"columns": ["Periode"], "rows": 3}, "not a jobindsats v3 data answer"),
        (
            {"columns": ["Periode", "Antal personer"], "rows": []},
            "no column of areas ('Område')",
        ),
        (
            {
                "columns": ["Periode", "Område", "Antal personer", "Andel med mindst 4 samtaler"],
                "rows": [["2026M09", "Varde", 87]],
            },
            "e.json[rows]:1: has 3 values; columns names 4",
        ),
    ],
)
def test_what_is_not_a_v3_data_answer_is_said(tmp_path: Path, raw, message):
    path = tmp_path / "e.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataErrors) as exc:
        read_source(path)
    assert any(message in str(e) for e in exc.value.errors), exc.value.errors


def test_a_pinned_selection_wins_over_meaning():
    columns = ["Periode", "Område", "Ydelsesgrupper", "Borgere", "Andel (pct.)"]
    rows = [
        ["2026M09", "Varde", "A-dagpenge", 87, 44.8],
        ["2026M09", "Varde", "Sygedagpenge", 300, 80.0],
    ]
    select = Selection(
        measures={"persons": ("Borgere",), "share_pct": ("Andel (pct.)",)},
        groups={"A-dagpenge": "dagpenge"},
    )
    source = read_jobindsats_v3(answer(columns, rows), "p.json", select)
    (table,) = source.tables
    assert list(table.frame["target_group"]) == ["dagpenge"]
    assert [s.reason for s in source.skipped] == [
        "Ydelsesgrupper 'Sygedagpenge': not a group fetched from this table"
    ]


# ---- the indicator's keyword rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "column"),
    [
        ("Antal personer", "persons"),
        ("Antal personer med mindst 4 jobsamtaler", "persons_meeting"),
        ("Andel med mindst 4 jobsamtaler (pct.)", "share_pct"),
        ("Andel med mindst 6 samtaler (pct.)", "share_pct"),
        ("Gns. antal jobsamtaler", "mean_conversations"),
        ("Ændring i andel med mindst 4 jobsamtaler (procentpoint)", None),
        ("Samtaler i alt", None),
        ("Fysiske samtaler", None),
        ("Antal personer, tilgang", None),
        ("Antal personer med aktivt tilbud", None),
        ("Andel med aktivt tilbud (pct.)", None),
        ("Ledige fuldtidspersoner i pct. af arbejdsstyrken 16-66 år", None),
    ],
)
def test_measures_are_read_by_meaning(label, column):
    assert SAMTALER.column(label) == column


def test_group_labels_map_to_target_groups():
    mapping, why = map_target_groups(
        [
            "Ydelsesgrupper i alt",
            "A-dagpenge",
            "Jobparate kontanthjælpsmodtagere",
            "Aktivitetsparate kontanthjælpsmodtagere",
            "Kontanthjælp",
            "Sygedagpenge",
            "Sygedagpengemodtagere",
            "Ledighedsydelse",
        ]
    )
    assert mapping == {
        "A-dagpenge": "dagpenge",
        "Jobparate kontanthjælpsmodtagere": "kontanthjaelp-jobparate",
        "Aktivitetsparate kontanthjælpsmodtagere": "kontanthjaelp-aktivitetsparate",
    }
    assert why == {
        "Ydelsesgrupper i alt": "a total over target groups",
        "Kontanthjælp": "names several target groups (kontanthjaelp-aktivitetsparate, "
        "kontanthjaelp-jobparate)",
        "Sygedagpenge": "looks like sygedagpenge, as does 'Sygedagpengemodtagere'",
        "Sygedagpengemodtagere": "looks like sygedagpenge, as does 'Sygedagpenge'",
        "Ledighedsydelse": "not one of the target groups",
    }


# ---- catalogue and discovery ---------------------------------------------------------------------


def catalogue() -> dict[str, Entry]:
    raw = json.loads((V3 / "tables.json").read_text(encoding="utf-8"))
    return {e.id: e for e in parse_catalogue(raw)}


def described(table_id: str):
    return parse_table(json.loads((V3 / f"table-{table_id}.json").read_text("utf-8")), table_id)


def test_the_catalogue_lists_every_table_with_its_subject_and_group():
    entries = catalogue()
    assert len(entries) == 8
    smt02 = entries["smt02"]
    assert (smt02.name, smt02.subject, smt02.group) == (
        "Samtaleformer i a-kassen",
        "Tilbud og samtaler",
        "Samtaler",
    )
    assert smt02.slug == "samtaleformer-i-a-kassen"
    candidates = sorted(e.id for e in entries.values() if SAMTALER.is_candidate(e.texts))
    assert candidates == ["smt02", "y14smt01", "y14ti01", "y14ti02", "y30e22ak"]
    with pytest.raises(CatalogueError, match="not a jobindsats v3 table list"):
        parse_catalogue({"Forkert nøgle": ""})
    with pytest.raises(CatalogueError, match="not a jobindsats v3 table description"):
        parse_table([], "x")


def test_the_samtale_table_is_assessed_by_its_labels(registry):
    a = assess(catalogue()["y14ti01"], described("y14ti01"), SAMTALER, registry)
    assert a.usable, a.problems
    assert a.area == "_nykom" and a.group_hierarchy == "_ygrp"
    assert a.columns == ("persons", "persons_meeting", "share_pct")
    assert a.fills == (
        "dagpenge",
        "kontanthjaelp-aktivitetsparate",
        "kontanthjaelp-jobparate",
        "sygedagpenge",
    )
    assert len(a.months) == 16


@pytest.mark.parametrize(
    ("table_id", "why"),
    [
        ("smt02", "counts samtaler by form, not persons with the required samtaler"),
        ("smt02", "about samtaler in the a-kasse, not the municipality's"),
        ("y30e22ak", "no kommune hierarchy (hierarchies: _hele_landet, _akasse)"),
        ("y14smt01", "no measure of persons nor of persons_meeting or share_pct"),
        ("y14ti02", "no measure of persons_meeting or share_pct"),
    ],
)
def test_decoys_are_not_mistaken_for_samtale_shares(registry, table_id, why):
    a = assess(catalogue()[table_id], described(table_id), SAMTALER, registry)
    assert not a.usable
    assert any(why in p for p in a.problems), a.problems


def test_each_group_is_taken_from_the_table_that_gives_most(registry):
    info = described("y14ti01")
    full = assess(catalogue()["y14ti01"], info, SAMTALER, registry)
    shares_only = dataclasses.replace(
        info, measures=tuple(m for m in info.measures if not m.name.startswith("Antal personer "))
    )
    partial = assess(Entry("y99a", "Jobsamtaler, andel"), shares_only, SAMTALER, registry)
    assert partial.usable and partial.columns == ("persons", "share_pct")
    one_group = assess(
        Entry("y99b", "Jobsamtaler i jobafklaringsforløb"),
        shares_only,
        SAMTALER,
        registry,
        pin=FetchTable(id="y99b", target_group="jobafklaring"),
    )
    choices = choose([partial, one_group, full])
    assert [(c.assessment.entry.id, c.groups) for c in choices] == [
        ("y14ti01", full.fills),
        ("y99b", ("jobafklaring",)),
    ]


def test_measure_groups_can_name_the_target_groups(registry):
    info = described("y14ti01")

    def group(name: str) -> list[Measure]:
        return [
            Measure(f"{name}-1", "Antal personer", name, name),
            Measure(f"{name}-2", "Andel med mindst 4 jobsamtaler (pct.)", name, name),
        ]

    by_group = dataclasses.replace(
        info,
        hierarchies=tuple(h for h in info.hierarchies if h.id != "_ygrp"),
        measures=(*group("Dagpengemodtagere"), *group("Sygedagpengemodtagere"), *group("Tilbud")),
    )
    a = assess(Entry("y99g", "Jobsamtaler efter målgruppe"), by_group, SAMTALER, registry)
    assert a.usable, a.problems
    assert a.group_source == "measure groups" and a.group_hierarchy == ""
    assert a.fills == ("dagpenge", "sygedagpenge")
    assert dict(a.seen_groups) == {"Tilbud": "not one of the target groups"}


def test_the_dimension_of_groups_is_found_by_its_name_or_by_the_description():
    rows = [["2026M09", "Varde", "A-dagpenge", 87, 44.8]]
    columns = ["Periode", "Område", "Målgrupper (tidlig indsats)", "Antal personer", "Andel (pct.)"]
    source = read_jobindsats_v3(
        answer(columns, rows),
        "m.json",
        Selection(measures={"persons": ("Antal personer",), "share_pct": ("Andel (pct.)",)}),
    )
    assert source.tables[0].labels["target_group"] == "Målgrupper (tidlig indsats)"
    columns[2] = "Gruppe"  # says nothing by itself; the table's description names it
    source = read_jobindsats_v3(
        answer(columns, rows),
        "m.json",
        Selection(
            measures={"persons": ("Antal personer",), "share_pct": ("Andel (pct.)",)},
            columns={"target_group": "Gruppe"},
        ),
    )
    assert list(source.tables[0].frame["target_group"]) == ["dagpenge"]
