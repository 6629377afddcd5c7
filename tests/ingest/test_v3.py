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
from samtaletjek.ingest.indicators import (
    PASSIVANDEL,
    SAMTALER,
    TILBUD,
    IndicatorWords,
    read_label,
)
from samtaletjek.ingest.plan import read_incoming
from samtaletjek.ingest.readers import read_source
from samtaletjek.ingest.readers.jobindsats_v3 import Selection, read_jobindsats_v3
from samtaletjek.ingest.values import UNPLACED, map_target_groups
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
        "Dagpengemodtagere: Andel med aktivt tilbud (pct.)",
        "Sygedagpengemodtagere: Antal personer",
        "Sygedagpengemodtagere: Andel med mindst 4 jobsamtaler (pct.)",
    ]
    rows = [["2026M09", "Varde", 87, 44.8, 71.3, 300, 80.0]]
    source = read_jobindsats_v3(answer(columns, rows), "g.json")
    # The offer share of the same persons is a table of its own, of tilbud.
    assert [(t.file, t.indicator) for t in source.tables] == [
        ("g.json[Dagpengemodtagere, samtaler]", "samtaler"),
        ("g.json[Sygedagpengemodtagere]", "samtaler"),
        ("g.json[Dagpengemodtagere, tilbud]", "tilbud"),
    ]
    read = read_incoming([source], registry, today=TODAY)
    got = read.frame.set_index(["indicator", "target_group"])
    got = got[["persons", "persons_meeting", "share_pct"]]
    assert got.loc[("samtaler", "dagpenge")].tolist() == [87, 39, 44.8]
    assert got.loc[("samtaler", "sygedagpenge")].tolist() == [300, 240, 80.0]
    assert got.loc[("tilbud", "dagpenge")].tolist() == [87, 62, 71.3]  # 62 of 87 = 71.3 %


def test_a_measure_group_of_tilbud_that_names_no_target_group_asks_for_one(registry):
    columns = [
        "Periode",
        "Område",
        "Dagpengemodtagere: Antal personer",
        "Dagpengemodtagere: Andel med mindst 4 jobsamtaler (pct.)",
        "Tilbud: Antal personer",
        "Tilbud: Andel med aktivt tilbud (pct.)",
    ]
    source = read_jobindsats_v3(answer(columns, [["2026M09", "Varde", 87, 44.8, 50, 30.0]]), "g")
    assert [(t.file, t.indicator) for t in source.tables] == [
        ("g[Dagpengemodtagere]", "samtaler"),
        ("g[Tilbud]", "tilbud"),  # not mistaken for samtaler, not dropped
    ]
    with pytest.raises(DataErrors) as exc:
        read_incoming([source], registry, today=TODAY)
    assert [str(e) for e in exc.value.errors] == [
        "g[Tilbud]: does not say which target group it holds; give --target-group ID"
    ]


def test_an_offer_measure_is_read_as_tilbud_and_its_other_groups_are_skipped(registry):
    columns = ["Periode", "Område", "Ydelsesgrupper", "Antal personer", "Andel med tilbud (pct.)"]
    rows = [
        ["2026M09", "Varde", "A-dagpenge", 87, 44.8],
        ["2026M09", "Varde", "Sygedagpenge", 300, 80.0],  # sygedagpenge has no offer share
    ]
    source = read_jobindsats_v3(answer(columns, rows), "t.json")
    (table,) = source.tables
    assert (table.indicator, table.labels["share_pct"]) == ("tilbud", "Andel med tilbud (pct.)")
    read = read_incoming([source], registry, today=TODAY)
    assert read.frame[["indicator", "target_group", "persons_meeting"]].values.tolist() == [
        ["tilbud", "dagpenge", 39]
    ]
    assert [(s.row, s.reason, s.indicator) for s in read.skipped] == [
        (2, "Ydelsesgrupper: sygedagpenge is not a target group of tilbud", "tilbud")
    ]


def test_an_activation_rate_is_not_mistaken_for_any_indicator():
    columns = ["Periode", "Område", "Ydelsesgrupper", "Antal personer", "Aktiveringsgrad (pct.)"]
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_v3(answer(columns, [["2026M09", "Varde", "A-dagpenge", 87, 44.8]]), "t")
    (error,) = exc.value.errors
    assert (
        "no columns of persons; persons_meeting or share_pct found by their labels "
        "(of samtaler, tilbud, passivandel, aktivering)" in str(error)
    )


def test_samtaler_and_tilbud_side_by_side_become_a_table_each(registry):
    columns = [
        "Periode",
        "Område",
        "Ydelsesgrupper",
        "Jobsamtaler: Antal personer",
        "Jobsamtaler: Andel med mindst 4 jobsamtaler (pct.)",
        "Tilbud: Antal personer",
        "Tilbud: Antal personer med aktivt tilbud",
        "Tilbud: Andel med aktivt tilbud (pct.)",
    ]
    rows = [
        ["2026M09", "Varde", "A-dagpenge", 87, 44.8, 87, 62, 71.3],
        ["2026M09", "Varde", "Sygedagpenge", 300, 80.0, None, None, None],
        ["2026M09", "Hele landet", "A-dagpenge", 41250, 77.0, 41250, 30112, 73.0],
    ]
    source = read_jobindsats_v3(answer(columns, rows), "s.json")
    assert [(t.file, t.indicator) for t in source.tables] == [
        ("s.json[Jobsamtaler]", "samtaler"),
        ("s.json[Tilbud]", "tilbud"),
    ]
    tilbud = source.tables[1]
    assert tilbud.labels["persons"] == "Tilbud: Antal personer"
    read = read_incoming([source], registry, today=TODAY)
    got = read.frame[["indicator", "target_group", "persons", "persons_meeting", "share_pct"]]
    assert got.values.tolist() == [
        ["samtaler", "dagpenge", 87, 39, 44.8],
        ["samtaler", "sygedagpenge", 300, 240, 80.0],
        ["tilbud", "dagpenge", 87, 62, 71.3],
    ]
    assert "Ydelsesgrupper: sygedagpenge is not a target group of tilbud" in [
        s.reason for s in read.skipped
    ]
    # Fetched for one indicator, the answer gives that indicator's table, named by its group.
    only = read_jobindsats_v3(answer(columns, rows), "s.json", Selection(indicator="tilbud"))
    assert [(t.file, t.indicator) for t in only.tables] == [("s.json[Tilbud]", "tilbud")]


WINDOWS = ["Seneste 1½ mdr.", "Seneste 3 mdr.", "Seneste 12 mdr."]


def test_passivity_is_read_over_the_last_12_months_only(registry):
    columns = [
        "Periode",
        "Område",
        "Ydelsesgrupper",
        "Seneste periode på ydelsen",
        "Aktivering og passivandel: Antal personer",
        "Aktivering og passivandel: Aktiveringsgrad i perioden i pct.",
        "Aktivering og passivandel: Passivandel i perioden i pct.",
    ]
    rows = [
        ["2026M09", "Varde", "Aktivitetsparate kontanthjælpsmodtagere", w, 400, 30.5, share]
        for w, share in zip(WINDOWS, [70.0, 55.0, 40.0], strict=True)
    ] + [["2026M09", "Varde", "A-dagpenge", "Seneste 12 mdr.", 500, 40.0, 20.0]]
    source = read_jobindsats_v3(answer(columns, rows), "p.json")
    (table,) = source.tables
    assert table.indicator == "passivandel"
    assert "Seneste periode på ydelsen" not in table.ignored
    assert "Aktivering og passivandel: Aktiveringsgrad i perioden i pct." in table.ignored
    read = read_incoming([source], registry, today=TODAY)
    got = read.frame[["indicator", "target_group", "persons", "persons_meeting", "share_pct"]]
    assert got.values.tolist() == [
        ["passivandel", "kontanthjaelp-aktivitetsparate", 400, 160, 40.0]
    ]
    assert [s.reason for s in read.skipped] == [
        "Seneste periode på ydelsen 'Seneste 1½ mdr.': not the last 12 months",
        "Seneste periode på ydelsen 'Seneste 3 mdr.': not the last 12 months",
        "Ydelsesgrupper: dagpenge is not a target group of passivandel",
    ]
    without = [r for r in rows if r[3] != "Seneste 12 mdr."]
    with pytest.raises(DataErrors) as exc:
        read_jobindsats_v3(answer(columns, without), "p.json")
    assert [str(e) for e in exc.value.errors] == [
        "p.json[rows]: column 'Seneste periode på ydelsen' holds 'Seneste 1½ mdr.', "
        "'Seneste 3 mdr.': passivandel is measured over the last 12 months, and none of them "
        "is that"
    ]


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


@pytest.mark.parametrize(
    ("label", "indicators", "column"),
    [
        ("Andel med mindst 4 jobsamtaler (pct.)", {"samtaler"}, "share_pct"),
        ("Andel med aktivt tilbud (pct.)", {"tilbud"}, "share_pct"),
        ("Antal personer med aktivt tilbud", {"tilbud"}, "persons_meeting"),
        ("Tilbud: Antal personer", {"tilbud"}, "persons"),  # the group says whose persons
        ("Jobsamtaler: Antal personer", {"samtaler"}, "persons"),
        ("Passivandel i perioden i pct.", {"passivandel"}, "share_pct"),
        ("Antal passive personer i perioden", {"passivandel"}, "persons_meeting"),
        ("Andel uden aktivt tilbud (pct.)", {"passivandel"}, "share_pct"),
        ("Antal personer", set(), "persons"),  # shared by the table's indicators
        ("Andel med samtaler og tilbud (pct.)", {"samtaler", "tilbud"}, None),  # ambiguous
    ],
)
def test_a_label_says_which_indicator_it_is_of(label, indicators, column):
    read = read_label(label)
    assert (set(read.indicators), read.column, read.foreign) == (indicators, column, False)


@pytest.mark.parametrize(
    "label",
    [
        "Aktiveringsgrad i perioden i pct.",
        "Andel af tiden i aktivt tilbud (aktiveringsgrad, pct.)",
        "Antal aktiverede personer",
        "Antal fuldtidspersoner i aktivt tilbud",
        "Antal personer, tilgang",
    ],
)
def test_measures_of_none_of_the_indicators_are_foreign(label):
    assert read_label(label).foreign


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
    assert len(entries) == 10
    smt02 = entries["smt02"]
    assert (smt02.name, smt02.subject, smt02.group) == (
        "Samtaleformer i a-kassen",
        "Tilbud og samtaler",
        "Samtaler",
    )
    assert smt02.slug == "samtaleformer-i-a-kassen"

    def candidates(indicator: IndicatorWords) -> list[str]:
        return sorted(e.id for e in entries.values() if indicator.is_candidate(e.texts))

    assert candidates(SAMTALER) == ["smt02", "y14smt01", "y14ti01", "y14ti02", "y30e22ak"]
    assert candidates(TILBUD) == ["ptvc01", "y12ag01", "y14ti01", "y14ti02", "y31pa01"]
    assert candidates(PASSIVANDEL) == ["ptvc01", "y12ag01", "y31pa01"]
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
        # The offer's table: its persons are the offer's ("Tilbud: Antal personer").
        ("y14ti02", "no measure of persons nor of persons_meeting or share_pct of samtaler"),
    ],
)
def test_decoys_are_not_mistaken_for_samtale_shares(registry, table_id, why):
    a = assess(catalogue()[table_id], described(table_id), SAMTALER, registry)
    assert not a.usable
    assert any(why in p for p in a.problems), a.problems


@pytest.mark.parametrize(
    ("table_id", "indicator", "why"),
    [
        ("y12ag01", TILBUD, "about the activation rate, not the offer by 6 months"),
        # its "Andel af tiden i aktivt tilbud (aktiveringsgrad, pct.)" is not the offer share
        ("y12ag01", TILBUD, "no measure of persons nor of persons_meeting or share_pct of tilbud"),
        ("y12ag01", PASSIVANDEL, "nor of persons_meeting or share_pct of passivandel"),
        ("ptvc01", TILBUD, "counts activated persons, not the offer by 6 months"),
        ("ptvc01", PASSIVANDEL, "counts activated persons, not the share without any effort"),
        ("y31pa01", TILBUD, "about passivity (no active effort), not the offer by 6 months"),
        ("y14ti01", TILBUD, "no measure of persons nor of persons_meeting or share_pct of tilbud"),
    ],
)
def test_decoys_are_not_mistaken_for_offer_or_passivity_shares(registry, table_id, indicator, why):
    a = assess(catalogue()[table_id], described(table_id), indicator, registry)
    assert not a.usable
    assert any(why in p for p in a.problems), a.problems


def test_the_offer_table_is_assessed_for_the_offer_and_its_groups(registry):
    a = assess(catalogue()["y14ti02"], described("y14ti02"), TILBUD, registry)
    assert a.usable, a.problems
    assert a.indicator == "tilbud" and a.group_hierarchy == "_ygrp"
    assert [(c, m.name) for c, m in a.measures] == [
        ("persons", "Antal personer"),
        ("persons_meeting", "Antal personer med aktivt tilbud"),
        ("share_pct", "Andel med aktivt tilbud (pct.)"),
    ]
    assert a.fills == ("dagpenge", "kontanthjaelp-aktivitetsparate", "kontanthjaelp-jobparate")
    assert dict(a.seen_groups)["Sygedagpenge"] == "sygedagpenge, not a target group of tilbud"


def test_the_passivity_table_is_narrowed_to_the_last_12_months(registry):
    info = described("y31pa01")
    a = assess(catalogue()["y31pa01"], info, PASSIVANDEL, registry)
    assert a.usable, a.problems
    assert a.columns == ("persons", "persons_meeting", "share_pct")
    assert dict(a.measures)["share_pct"].name == "Passivandel i perioden i pct."
    assert a.narrowed == (("_seneste", "Seneste periode på ydelsen", "Seneste 12 mdr."),)
    assert a.group_hierarchy == "_ygrp"  # the windows are not mistaken for groups
    assert a.fills == (
        "kontanthjaelp-aktivitetsparate",
        "kontanthjaelp-jobparate",
        "uddannelseshjaelp-aktivitetsparate",
    )
    assert dict(a.seen_groups)["A-dagpenge"] == "dagpenge, not a target group of passivandel"
    # Windows without the 12 months cannot be summed into one: said, not guessed.
    short = dataclasses.replace(
        info,
        hierarchies=tuple(
            dataclasses.replace(h, values=h.values[:4]) if h.id == "_seneste" else h
            for h in info.hierarchies
        ),
    )
    b = assess(catalogue()["y31pa01"], short, PASSIVANDEL, registry)
    assert b.problems == (
        "Seneste periode på ydelsen holds 'Seneste 1½ mdr.', 'Seneste 3 mdr.', 'Seneste 6 "
        "mdr.', 'Seneste 9 mdr.' side by side, and none is the last 12 months; pin one with "
        '[fetch_tables.filters] _seneste = "<value id>"',
    )


def test_each_indicator_gets_its_own_tables(registry):
    entries = catalogue()
    assessments = [
        assess(entries[t], described(t), indicator, registry)
        for indicator in (SAMTALER, TILBUD, PASSIVANDEL)
        for t in sorted(entries)
        if indicator.is_candidate(entries[t].texts)
    ]
    chosen = choose(assessments, ("samtaler", "tilbud", "passivandel"))
    assert [(c.indicator, c.assessment.entry.id, c.groups) for c in chosen] == [
        (
            "samtaler",
            "y14ti01",
            (
                "dagpenge",
                "kontanthjaelp-aktivitetsparate",
                "kontanthjaelp-jobparate",
                "sygedagpenge",
            ),
        ),
        (
            "tilbud",
            "y14ti02",
            ("dagpenge", "kontanthjaelp-aktivitetsparate", "kontanthjaelp-jobparate"),
        ),
        (
            "passivandel",
            "y31pa01",
            (
                "kontanthjaelp-aktivitetsparate",
                "kontanthjaelp-jobparate",
                "uddannelseshjaelp-aktivitetsparate",
            ),
        ),
    ]


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
    # a label that names no group and is no listed other benefit is shown for what it is
    assert dict(a.seen_groups) == {"Tilbud": UNPLACED}


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
