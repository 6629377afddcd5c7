"""The importer's pure middle on tiny in-memory tables: interpreting rows, deriving counts,
merging with revisions, replacing demo data, and refusing what would break the table."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from samtaletjek.domain.dataset import COLUMNS, Manifest, Release, Revision, Source
from samtaletjek.errors import DataErrors
from samtaletjek.ingest.interpret import interpret
from samtaletjek.ingest.merge import merge
from samtaletjek.ingest.plan import Existing, plan_import
from samtaletjek.ingest.readers.shapes import SourceFile, SourceTable, source_frame

TODAY = "2026-11-02"
LABELS = {
    "municipality": "Kommune",
    "persons": "Antal personer",
    "share_pct": "Andel med mindst 6 samtaler (pct.)",
}


def table(
    rows: list[tuple],
    labels: dict[str, str] = LABELS,
    context: tuple[str, ...] = ("Dagpengemodtagere", "juni 2018"),
    file: str = "t.csv",
) -> SourceTable:
    """A source table whose columns are `labels`' keys, in order, one tuple per row."""
    columns = list(labels)
    records = [{"row": n, **dict(zip(columns, r, strict=True))} for n, r in enumerate(rows, 2)]
    return SourceTable(file, source_frame(records), labels, context)


def source(*tables: SourceTable, name: str = "t.csv") -> SourceFile:
    return SourceFile(name, "test", tables)


def canonical(rows: list[tuple]) -> pd.DataFrame:
    """A canonical frame; a row without its indicator is samtaler, one without `derived` has
    every figure as published, and one without `activation_degree` has none."""
    defaults = ("samtaler", "", None)  # indicator, derived, activation_degree
    rows = [(*r, *defaults[len(r) - (len(COLUMNS) - len(defaults)) :]) for r in rows]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype(
        {
            "period": "string",
            "municipality_code": "Int64",
            "municipality": "string",
            "target_group": "string",
            "persons": "Int64",
            "persons_meeting": "Int64",
            "share_pct": "Float64",
            "mean_conversations": "Float64",
            "indicator": "string",
            "derived": "string",
            "activation_degree": "Float64",
        }
    )


def plan(sources, existing=None, registry=None, **options):  # noqa: ANN001
    existing = existing or Existing(canonical([]), None)
    return plan_import(
        sources, existing, registry, today=TODAY, source="test", data_dir="data", **options
    )


def errors_of(exc: pytest.ExceptionInfo[DataErrors]) -> list[str]:
    return [str(e) for e in exc.value.errors]


def test_persons_meeting_is_derived_from_persons_and_share(registry):
    result = interpret(
        table([("Varde", 87, "45"), ("København", "1.234", "52,3"), ("Læsø", "-", "..")]),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    assert result.errors == []
    rows = result.frame.set_index("municipality")
    assert rows.loc["København", "persons_meeting"] == 645  # round(1234 × 52.3 %)
    assert rows.loc["København", "share_pct"] == 52.3
    # The share is kept as published (45,0 %), never altered; the count weighted totals need
    # is worked out from it (45 % of 87 is 39.15: 39) and marked as derived.
    assert rows.loc["Varde", "persons_meeting"] == 39
    assert rows.loc["Varde", "share_pct"] == 45.0
    assert rows.loc["Varde", "derived"] == "persons_meeting"
    assert rows.loc["København", "derived"] == "persons_meeting"
    assert rows.loc["Læsø"][["persons", "persons_meeting", "share_pct"]].isna().all()


def test_shares_written_as_fractions_are_scaled(registry):
    # The label speaks of a share and not of percent, and every share is ≤ 1: fractions.
    labels = {**LABELS, "share_pct": "Andel med mindst 6 samtaler"}
    result = interpret(
        table([("Varde", 150, 0.5), ("Billund", 60, "0,25")], labels),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    assert list(result.frame["share_pct"]) == [50.0, 25.0]
    assert list(result.frame["persons_meeting"]) == [75, 15]
    assert any("shares were written as 0–1" in n for n in result.notes)


def test_counts_and_share_given_must_agree(registry):
    labels = {**LABELS, "persons_meeting": "Antal personer med mindst 6 samtaler"}
    result = interpret(
        table([("Varde", 87, 45.0, 39), ("Billund", 60, 50.0, 30)], labels),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    assert [str(e) for e in result.errors] == [
        "t.csv:2: column Andel med mindst 6 samtaler (pct.): 45 does not match 39 of 87 persons "
        "(44.8 %)"
    ]


def test_national_region_and_notes_rows_are_skipped_and_said(registry):
    result = interpret(
        table(
            [
                ("Hele landet", 147, "47,6"),
                ("Varde", 87, 44.8),
                ("Billund", 60, 50),
                ("RAR Sydjylland", 147, 47.6),
                ("Anm.: foreløbige tal", None, None),
                ("Christiansø", 1, 100),
            ]
        ),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    assert list(result.frame["municipality"]) == ["Varde", "Billund"]
    assert result.read == 6
    assert [s.reason for s in result.skipped] == [
        "'Hele landet': the national figure, used only as a cross-check",
        "'RAR Sydjylland': a RAR area, not a municipality",
        "note or text below the table",
        "'Christiansø' is not one of the 98 municipalities",
    ]


def test_the_national_row_is_checked_against_a_complete_table(registry):
    rows = [(m.name, 10, 50) for m in registry.municipalities]
    result = interpret(
        table([("Hele landet", 980, "50,0"), *rows]),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    (check,) = [n for n in result.notes if n.startswith("cross-check")]
    assert "980 persons, 50.0 %; the municipalities add up to 980, 50.0 % (matches)" in check
    wrong = interpret(
        table([("Hele landet", 981, "50,0"), *rows]),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    assert any("DIFFERS" in n for n in wrong.notes)


def test_every_bad_cell_is_reported_with_its_place(registry):
    result = interpret(
        table(
            [("Varde", "-5", 45), ("Billund", "4x5", 50), ("Hjørringg", 300, 50), ("Ærø", 10, 104)]
        ),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="dagpenge",
    )
    assert [str(e) for e in sorted(result.errors)] == [
        "t.csv:2: column Antal personer: -5 is negative; a number of persons cannot be",
        "t.csv:3: column Antal personer: '4x5' is not a number",
        "t.csv:4: column Kommune: 'Hjørringg' is not a known municipality; "
        "did you mean 'Hjørring'?",
        "t.csv:5: column Andel med mindst 6 samtaler (pct.): 104 is outside 0–100 %",
    ]


def test_merge_adds_revises_and_keeps(registry):
    existing = canonical(
        [
            ("2018-05", 573, "Varde", "dagpenge", 80, 40, 50.0, 2.5),
            ("2018-06", 573, "Varde", "dagpenge", 87, 39, 44.8, 2.7),
            ("2018-06", 530, "Billund", "dagpenge", 60, 30, 50.0, 3.1),
        ]
    )
    incoming = canonical(
        [
            ("2018-06", 573, "Varde", "dagpenge", 88, 39, 44.3, None),
            ("2018-06", 530, "Billund", "dagpenge", 60, 30, 50.0, None),
            ("2018-07", 573, "Varde", "dagpenge", 90, 45, 50.0, None),
        ]
    ).assign(mean_given=False)
    merged = merge(existing, incoming)
    assert (merged.added, merged.revised, merged.unchanged) == (1, 1, 1)
    assert merged.revisions == (
        Revision("2018-06", 573, "dagpenge", "persons", "87", "88"),
        Revision("2018-06", 573, "dagpenge", "share_pct", "44.8", "44.3"),
    )
    assert merged.periods == ("2018-06", "2018-07")
    assert len(merged.frame) == 4  # nothing existing is dropped
    # The source had no mean_conversations column: the existing values stay.
    varde = merged.frame.set_index(["period", "municipality_code"]).loc[("2018-06", 573)]
    assert varde["mean_conversations"] == 2.7


def test_a_suppressed_value_is_a_revision_to_missing(registry):
    existing = canonical([("2018-06", 573, "Varde", "dagpenge", 87, 39, 44.8, 2.7)])
    incoming = canonical([("2018-06", 573, "Varde", "dagpenge", 87, None, None, 2.7)])
    merged = merge(existing, incoming.assign(mean_given=True))
    assert [(r.column, r.old, r.new) for r in merged.revisions] == [
        ("persons_meeting", "39", ""),
        ("share_pct", "44.8", ""),
    ]


def test_plan_into_an_empty_directory(registry):
    result = plan([source(table([("Varde", 87, 44.8), ("Billund", 60, 50)]))], registry=registry)
    assert result.summary.added == 2 and result.summary.changed
    assert list(result.frame["municipality_code"]) == [530, 573]
    assert result.manifest == Manifest(
        source="STAR / jobindsats.dk",
        release_date=TODAY,
        demo=False,
        description="Tal fra STAR (jobindsats.dk), senest indlæst 2026-11-02.",
        licence="",
        # The statement names no table ids; retrieved defaults to the import date.
        sources={"samtaler": Source(False, "STAR, jobindsats.dk", (), TODAY, TODAY)},
    )
    (release,) = result.releases
    assert (release.id, release.date, release.added, release.periods) == (
        "2026-11-02-1",
        TODAY,
        2,
        ("2018-06",),
    )


def test_the_same_figures_twice_change_nothing(registry):
    first = plan([source(table([("Varde", 87, 44.8)]))], registry=registry)
    again = plan(
        [source(table([("Varde", 87, 44.8)]))],
        Existing(first.frame, first.manifest, first.releases),
        registry,
    )
    assert not again.summary.changed
    assert (again.summary.unchanged, again.frame, again.manifest) == (1, None, None)
    assert again.summary.lines()[0].startswith("No new data: read 1 rows")


def test_a_revision_appends_a_release(registry):
    first = plan([source(table([("Varde", 87, 44.8)]))], registry=registry)
    second = plan(
        [source(table([("Varde", 88, 44.3)]))],
        Existing(first.frame, first.manifest, first.releases),
        registry,
    )
    assert [r.id for r in second.releases] == ["2026-11-02-1", "2026-11-02-2"]
    assert second.releases[-1].revised == 1
    assert "  revised 2018-06 573 dagpenge persons: 87 → 88" in second.summary.lines()


def test_real_figures_replace_demo_figures_and_say_so(registry):
    demo = canonical([("2018-06", 101, "København", "dagpenge", 900, 540, 60.0, 3.6)])
    manifest = Manifest(source="Eksempeldata", release_date="2026-01-01", demo=True)
    old_release = Release("2026-01-01-1", "2026-01-01", "demo", ("2018-06",), 1, 0)
    result = plan(
        [source(table([("Varde", 87, 44.8)]))],
        Existing(demo, manifest, (old_release,)),
        registry,
    )
    assert list(result.frame["municipality"]) == ["Varde"]
    assert result.manifest.demo is False
    assert [r.id for r in result.releases] == ["2026-11-02-1"]
    assert result.summary.replaced_demo == (("samtaler", 1),)
    lines = result.summary.lines()
    assert "  replaced the demo data of samtaler (1 rows) with real figures" in lines
    assert "  the directory now holds real figures only" in lines
    assert result.manifest.sources["samtaler"].demo is False


def test_a_single_month_apart_from_the_others_is_imported_and_the_gap_stays_unknown(registry):
    existing = canonical([("2018-04", 573, "Varde", "dagpenge", 87, 39, 44.8, None)])
    result = plan([source(table([("Varde", 87, 44.8)]))], Existing(existing, None), registry)
    assert result.summary.added == 1
    assert sorted(result.frame["period"]) == ["2018-04", "2018-06"]  # no row for 2018-05
    assert result.summary.unknown == (("dagpenge", ("2018-05",)),)
    assert (
        "  unknown months (no source holds them; nothing is filled in): 2018-05"
        in result.summary.lines()
    )
    # Importing the missing month later fills it; nothing is unknown any more.
    may = table([("Varde", 80, 50.0)], context=("Dagpengemodtagere", "maj 2018"), file="may.csv")
    later = plan([source(may, name="may.csv")], Existing(result.frame, None), registry)
    assert later.summary.added == 1 and later.summary.unknown == (("dagpenge", ()),)
    assert not any("unknown months" in line for line in later.summary.lines())


def test_duplicates_within_and_across_files_are_refused(registry):
    with pytest.raises(DataErrors) as exc:
        plan(
            [source(table([("Varde", 87, 44.8), ("Billund", 60, 50), ("Varde", 88, 44.3)]))],
            registry=registry,
        )
    assert errors_of(exc) == ["t.csv:4: duplicate of row 2: Varde 2018-06 dagpenge twice"]
    with pytest.raises(DataErrors) as exc:
        plan(
            [
                source(table([("Varde", 87, 44.8)])),
                source(table([("Varde", 87, 44.8)], file="u.csv")),
            ],
            registry=registry,
        )
    assert errors_of(exc) == ["u.csv:2: duplicate of t.csv row 2: Varde 2018-06 dagpenge twice"]


def test_month_and_group_from_options_only_where_the_file_is_silent(registry):
    silent = table([("Varde", 87, 44.8)], context=())
    with pytest.raises(DataErrors) as exc:
        plan([source(silent)], registry=registry)
    assert errors_of(exc) == [
        "t.csv: does not say which month it holds; give --period YYYY-MM",
        "t.csv: does not say which target group it holds; give --target-group ID",
    ]
    result = plan(
        [source(silent)], registry=registry, period="2018-06", target_group="sygedagpenge"
    )
    assert result.summary.periods == ("2018-06",)
    assert result.summary.target_groups == ("sygedagpenge",)
    with pytest.raises(DataErrors) as exc:
        plan([source(table([("Varde", 87, 44.8)]))], registry=registry, period="2018-07")
    assert errors_of(exc) == [
        "t.csv: the sheet or title says month 2018-06, but --period says 2018-07"
    ]


def test_a_future_month_is_impossible(registry):
    late = table([("Varde", 87, 44.8)], context=("Dagpengemodtagere", "2027M01"))
    with pytest.raises(DataErrors) as exc:
        plan([source(late)], registry=registry)
    assert errors_of(exc) == ["t.csv: 2027-01 is after the import date 2026-11-02"]


def test_a_file_with_only_totals_is_refused(registry):
    with pytest.raises(DataErrors) as exc:
        plan([source(table([("Hele landet", 87, 44.8)]))], registry=registry)
    assert errors_of(exc) == ["t.csv: holds no municipality rows (only totals or notes)"]


# ---- indicators: the same month, municipality and group, measured twice ---------------------

OFFER = {
    "municipality": "Kommune",
    "persons": "Antal personer",
    "share_pct": "Andel med aktivt tilbud (pct.)",
}


def offer(rows: list[tuple], labels: dict[str, str] = OFFER, **changes: object) -> SourceTable:
    """A table of the active offer, as a reader returns it."""
    return dataclasses.replace(table(rows, labels), indicator="tilbud", **changes)


def test_an_offer_share_is_a_row_of_its_own_not_a_revision(registry):
    existing = canonical([("2018-06", 573, "Varde", "dagpenge", 87, 39, 44.8, 2.7)])
    incoming = canonical(
        [
            ("2018-06", 573, "Varde", "dagpenge", 87, 61, 70.1, None, "tilbud"),
            ("2018-06", 573, "Varde", "dagpenge", 87, 39, 44.8, 2.7),
        ]
    ).assign(mean_given=True)
    merged = merge(existing, incoming)
    assert (merged.added, merged.revised, merged.unchanged) == (1, 0, 1)
    assert merged.by_indicator == (("samtaler", 0, 0, 1), ("tilbud", 1, 0, 0))
    assert sorted(merged.frame["indicator"]) == ["samtaler", "tilbud"]


def test_a_revision_of_another_indicator_says_which(registry):
    first = plan(
        [source(table([("Varde", 87, 44.8)])), source(offer([("Varde", 87, 70.1)]), name="o.csv")],
        registry=registry,
    )
    assert [(i, g, a) for i, g, a, _, _ in first.summary.indicators] == [
        ("samtaler", ("dagpenge",), 1),
        ("tilbud", ("dagpenge",), 1),
    ]
    again = plan(
        [source(offer([("Varde", 88, 70.5)]), name="o.csv")],
        Existing(first.frame, first.manifest, first.releases),
        registry,
    )
    assert again.releases[-1].revisions[0].indicator == "tilbud"
    lines = again.summary.lines()
    assert "  revised 2018-06 573 tilbud/dagpenge persons: 87 → 88" in lines
    assert "  months 2018-06; indicators 1:" in lines
    assert "    tilbud: target groups dagpenge; 0 added, 1 revised, 0 unchanged" in lines


def test_duplicates_and_unknown_months_name_the_indicator(registry):
    with pytest.raises(DataErrors) as exc:
        plan(
            [
                source(table([("Varde", 87, 44.8)])),
                source(offer([("Varde", 87, 70.1), ("Varde", 87, 70.1)]), name="o.csv"),
            ],
            registry=registry,
        )
    assert errors_of(exc) == ["t.csv:3: duplicate of row 2: Varde 2018-06 tilbud/dagpenge twice"]
    existing = canonical(
        [
            ("2018-04", 573, "Varde", "dagpenge", 87, 39, 44.8, None),
            ("2018-06", 573, "Varde", "dagpenge", 87, 39, 44.8, None),
            ("2018-04", 573, "Varde", "dagpenge", 87, 61, 70.1, None, "tilbud"),
        ]
    )
    result = plan(
        [source(offer([("Varde", 87, 70.1)]), name="o.csv")], Existing(existing, None), registry
    )
    assert result.summary.unknown == (("dagpenge", ("2018-05",)), ("tilbud/dagpenge", ("2018-05",)))


def test_a_group_the_indicator_does_not_measure_is_an_error_or_skipped(registry):
    labels = {**OFFER, "target_group": "Målgruppe"}
    rows = [("Varde", 87, 70.1, "A-dagpenge"), ("Varde", 300, 40.0, "Sygedagpenge")]
    result = interpret(offer(rows, labels=labels), registry, today=TODAY, period="2018-06")
    assert [str(e) for e in result.errors] == [
        "t.csv:3: column Målgruppe: 'Sygedagpenge' is sygedagpenge, not a target group of "
        "tilbud (dagpenge, kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate)"
    ]
    # A source that lists every benefit group (jobindsats' answers): skipped and said.
    listing = offer(rows, labels=labels, skip_other_groups=True)
    result = interpret(listing, registry, today=TODAY, period="2018-06")
    assert result.errors == []
    assert list(result.frame["target_group"]) == ["dagpenge"]
    assert [(s.row, s.reason) for s in result.skipped] == [
        (3, "Målgruppe: sygedagpenge is not a target group of tilbud")
    ]
    # The whole table's group (from its title or --target-group) is checked the same way.
    result = interpret(
        offer([("Varde", 87, 70.1)]),
        registry,
        today=TODAY,
        period="2018-06",
        target_group="sygedagpenge",
    )
    assert [str(e) for e in result.errors] == [
        "t.csv: sygedagpenge (named by the sheet, title or --target-group) is not a target "
        "group of tilbud (dagpenge, kontanthjaelp-aktivitetsparate, kontanthjaelp-jobparate)"
    ]


def test_a_table_that_names_no_indicator_is_samtaler_and_says_so(registry):
    plain = dataclasses.replace(table([("Varde", 87, 44.8)]), indicator_from="")
    result = interpret(plain, registry, today=TODAY, period="2018-06", target_group="dagpenge")
    assert list(result.frame["indicator"]) == ["samtaler"]
    assert (
        "t.csv: neither its columns nor its title say what the share measures (samtaler, "
        "tilbud or passivandel); read as samtaler" in result.notes
    )


def test_a_sheet_row_skipped_by_both_of_its_tables_is_listed_once():
    from samtaletjek.ingest.readers.shapes import Skipped
    from samtaletjek.ingest.summary import ImportSummary

    why = "'Region Syddanmark': a regional figure, used only as a cross-check"
    skipped = tuple(Skipped("s.xlsx[Dagpenge]", 3, why, i) for i in ("samtaler", "tilbud"))
    summary = ImportSummary("data", ("s.xlsx",), ("xlsx",), 2, 0, 0, 0, skipped, (), (), ())
    listed = [line for line in summary.lines() if "regional figure" in line]
    assert listed == [
        "  skipped 2 × a regional figure, used only as a cross-check: s.xlsx[Dagpenge] row 3"
    ]
