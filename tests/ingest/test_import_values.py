"""The importer's pure pieces: numbers, months, target groups, areas and headers as STAR and
jobindsats write them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from samtaletjek.ingest.readers.jobindsats_v2 import is_wrong_token_answer
from samtaletjek.ingest.readers.shapes import header_meaning, match_columns
from samtaletjek.ingest.values import (
    check_period,
    classify_area,
    find_periods,
    is_missing,
    match_target_groups,
    parse_number,
    parse_period,
)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (87, 87.0),
        (45.3, 45.3),
        ("87", 87.0),
        ("45,3", 45.3),
        ("1.234", 1234.0),
        ("12.345.678", 12345678.0),
        ("1.234,5", 1234.5),
        ("1 234", 1234.0),
        ("1\u00a0234", 1234.0),
        ("45,3 %", 45.3),
        ("-0,4", -0.4),
        ("\u22122", -2.0),
        ("0,453", 0.453),
        ("0.453", 0.453),  # not a thousands group: a decimal point
        ("  12 ", 12.0),
    ],
)
def test_numbers_as_numbers_or_danish_text(value, number):
    assert parse_number(value) == pytest.approx(number)


@pytest.mark.parametrize("value", [None, "", " ", "-", "–", "..", "x", "X", "…"])
def test_missing_markers_are_missing_not_zero(value):
    assert is_missing(value)
    assert parse_number(value) is None


@pytest.mark.parametrize("value", ["4x5", "1.2.3", "12,3,4", "ca. 40", True])
def test_text_that_is_not_a_number_says_so(value):
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(value)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("1,234", "'1,234' is ambiguous: 1,234 is 1234 with an English thousands separator"),
        ("-12,345", "'-12,345' is ambiguous"),
        ("1,234.5", "'1,234.5' is written the English way"),
        ("1,234,567", "'1,234,567' is written the English way"),
    ],
)
def test_english_thousands_are_not_read_as_danish_decimals(value, why):
    with pytest.raises(ValueError, match=re.escape(why)):
        parse_number(value)
    assert parse_number("0,234") == pytest.approx(0.234)  # no thousands group starts with 0
    assert parse_number("1,2345") == pytest.approx(1.2345)


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("2018M06", "2018-06"),
        ("2018m06", "2018-06"),
        (" 2018M06 ", "2018-06"),  # spaces around a cell are no part of it
        ("2018-06", "2018-06"),
        ("juni 2018", "2018-06"),
        ("Juni 2018", "2018-06"),
        ("jan. 2019", "2019-01"),
        (dt.datetime(2018, 6, 1), "2018-06"),
    ],
)
def test_periods(value, month):
    assert parse_period(value) == month


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2018M13", "not a possible month"),
        ("2018Q02", "not a month"),
        ("2022QMAT02", "not a month"),
        ("2017Y01", "not a month"),
        ("sommer 2018", "not a month"),
        ("", "is empty"),
        ("2018-06xyz", "not a month"),
        ("2018M6", "not a month"),
        ("2018-6", "not a month"),
        ("x2018-06", "not a month"),
        ("2018-06-01", "is a date, not a month"),
        ("juni 2018 og juli 2018", "not a month"),
    ],
)
def test_impossible_or_non_monthly_periods_are_refused(value, why):
    with pytest.raises(ValueError, match=why):
        parse_period(value)


def test_a_period_must_lie_between_2007_and_the_import_date():
    assert check_period("2018-06", "2026-11-02") is None
    assert "after the import date" in check_period("2026-12", "2026-11-02")
    assert "before 2007" in check_period("2005-06", "2026-11-02")


def test_the_reference_month_in_a_title_is_not_the_measurement_month():
    found, impossible = find_periods(
        ["Andel med mindst 6 samtaler, juni 2018, og ændring ift. januar 2018", "2018M06"]
    )
    assert found == {"2018-06"}
    assert impossible == []
    assert find_periods(["Ændring siden januar 2018 (procentpoint)"])[0] == set()
    assert find_periods(["Dagpenge 6-9 mdr", "2018M13"])[1] != []


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Dagpengemodtagere med 6-9 måneders ledighed", {"dagpenge"}),
        ("A-dagpenge mv.", {"dagpenge"}),
        ("Sygedagpengemodtagere", {"sygedagpenge"}),
        ("Aktivitetsparate kontanthjælpsmodtagere", {"kontanthjaelp-aktivitetsparate"}),
        ("Jobparate kontanthjælpsmodtagere", {"kontanthjaelp-jobparate"}),
        (
            "Uddannelsesparate uddannelseshjælpsmodtagere",
            {"uddannelseshjaelp-uddannelsesparate"},
        ),
        ("Aktivitetsparate uddannelseshjælpsmodtagere", {"uddannelseshjaelp-aktivitetsparate"}),
        ("Personer i jobafklaringsforløb", {"jobafklaring"}),
        ("Særlig ressourceforløbsydelse under jobafklaringsforløb", {"jobafklaring"}),
        ("Personer i ressourceforløb", {"ressourceforloeb"}),
        ("kontanthjaelp-jobparate", {"kontanthjaelp-jobparate"}),
        ("Kontanthjælp", {"kontanthjaelp-jobparate", "kontanthjaelp-aktivitetsparate"}),
        ("Dagpenge- og sygedagpengemodtagere", {"dagpenge", "sygedagpenge"}),
        ("Forside", set()),
    ],
)
def test_target_groups_from_sheet_and_title_text(text, groups):
    assert match_target_groups(text) == groups


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("København", 101),
        ("Københavns Kommune", 101),
        ("Høje Taastrup", 169),
        ("Bornholms Regionskommune", 400),
        ("Vesthimmerlands*", 820),
        ("Odense *", 461),
        ("Århus", 751),
        ("Nordfyns", 480),
        ("Vesthimmerlands", 820),  # API v3's spellings
        ("Bornholm", 400),
        ("Høje-Taastrup", 169),
        ("Lyngby-Taarbæk", 173),
        ("  varde  ", 573),
        ("Varde Kommune", 573),
        ("LÆSØ", 825),
    ],
)
def test_municipality_names_map_to_codes(registry, name, code):
    area = classify_area(name, registry)
    assert area.kind == "municipality"
    assert area.municipality.code == code


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Hele landet", "national"),
        ("I alt", "national"),
        ("RAR Sjælland", "rar"),
        ("Region Hovedstaden", "region"),
        ("Syddanmark", "region"),
        ("AMK Øst", "region"),
        ("Christiansø", "other"),
        ("Uoplyst område", "other"),
        ("Anm.: tallene er foreløbige", "note"),
        ("Kilde: jobindsats.dk", "note"),
        ("* Frikommune", "note"),
        ("", "blank"),
    ],
)
def test_areas_that_are_not_municipalities(registry, name, kind):
    assert classify_area(name, registry).kind == kind


def test_an_unknown_name_gets_the_nearest_known_one(registry):
    area = classify_area("Hjørringg", registry)
    assert (area.kind, area.suggestion) == ("unknown", "Hjørring")
    assert classify_area("Frederiksbjerg", registry).suggestion == "Frederiksberg"


@pytest.mark.parametrize(
    ("label", "column"),
    [
        ("Kommune", "municipality"),
        ("Område", "municipality"),
        ("Periode", "period"),
        ("Målgruppe", "target_group"),
        ("Antal personer", "persons"),
        ("Dagpengemodtagere 6-9 mdr.: Antal personer", "persons"),
        ("Antal personer med mindst 4 samtaler", "persons_meeting"),
        ("Andel med mindst 6 samtaler (pct.)", "share_pct"),
        ("Andel med mindst 4 samtaler", "share_pct"),
        ("Gns. antal samtaler", "mean_conversations"),
        ("Gennemsnitligt antal samtaler", "mean_conversations"),
        ("Ændring ift. januar 2018 (procentpoint)", "change"),
        ("Antal samtaler i alt", None),
    ],
)
def test_headers_are_found_by_meaning(label, column):
    assert header_meaning(label) == column


def test_two_columns_with_the_same_meaning_are_a_problem():
    matched = match_columns(
        [
            "Kommune",
            "Antal personer",
            "Personer i alt",
            "Andel med mindst 4 samtaler (pct.)",
            "Noget andet",
        ]
    )
    assert matched.dims == {"municipality": 0}
    assert matched.ignored == ["Noget andet"]
    assert matched.problems == [
        "columns Antal personer, Personer i alt all look like persons; keep one"
    ]
    # Shared by two indicators, the same two columns are still one problem, said once.
    both = match_columns(["Kommune", "Antal personer", "Personer i alt", *SIDE_BY_SIDE[2:]])
    assert both.problems == matched.problems


# ---- which indicator a header speaks of ----------------------------------------------------

SIDE_BY_SIDE = [
    "Kommune",
    "Antal personer",
    "Andel med mindst 4 jobsamtaler (pct.)",
    "Andel med aktivt tilbud (pct.)",
]


@pytest.mark.parametrize(
    ("labels", "context", "parts"),
    [
        (
            ["Kommune", "Antal personer", "Andel med aktivt tilbud (pct.)"],
            (),
            [("tilbud", "columns", {"municipality": 0, "persons": 1, "share_pct": 2})],
        ),
        (
            ["Område", "Periode", "Antal personer", "Passivandel i perioden i pct."],
            (),
            [
                (
                    "passivandel",
                    "columns",
                    {"municipality": 0, "period": 1, "persons": 2, "share_pct": 3},
                )
            ],
        ),
        (
            SIDE_BY_SIDE,
            (),
            [
                ("samtaler", "columns", {"municipality": 0, "persons": 1, "share_pct": 2}),
                ("tilbud", "columns", {"municipality": 0, "persons": 1, "share_pct": 3}),
            ],
        ),
        (  # "uden aktivt tilbud" is passivity, not the offer
            ["Kommune", "Antal personer", "Andel uden aktivt tilbud i 12 mdr. (pct.)"],
            (),
            [("passivandel", "columns", {"municipality": 0, "persons": 1, "share_pct": 2})],
        ),
        (  # the labels name nothing: the sheet's title says which
            ["Kommune", "Antal personer", "Andel (pct.)"],
            ("Manglende aktiv indsats, marts 2019",),
            [("passivandel", "title", {"municipality": 0, "persons": 1, "share_pct": 2})],
        ),
        (  # nothing says: samtaler, the statement's own measure (and the import notes it)
            ["Kommune", "Antal personer", "Andel (pct.)"],
            ("juni 2018",),
            [("samtaler", "", {"municipality": 0, "persons": 1, "share_pct": 2})],
        ),
    ],
)
def test_the_indicator_of_a_table_is_read_from_its_headers_or_title(labels, context, parts):
    matched = match_columns(labels, context=context)
    assert matched.problems == []
    assert [(p.indicator, p.said_by, p.columns) for p in matched.parts] == parts


def test_an_activation_rate_is_none_of_the_indicators():
    matched = match_columns(
        [
            "Område",
            "Antal personer",
            "Aktiveringsgrad i perioden i pct.",
            "Antal fuldtidspersoner i aktivt tilbud",
            "Passivandel i perioden i pct.",
        ]
    )
    assert [(p.indicator, p.columns) for p in matched.parts] == [
        ("passivandel", {"municipality": 0, "persons": 1, "share_pct": 4})
    ]
    assert matched.ignored == [
        "Aktiveringsgrad i perioden i pct.",
        "Antal fuldtidspersoner i aktivt tilbud",
    ]
    alone = match_columns(["Område", "Antal personer", "Aktiveringsgrad (pct.)"])
    assert alone.parts == []
    assert alone.problems == [
        "no column with the share or number who had the samtaler "
        "(e.g. 'Andel med mindst 6 samtaler (pct.)')"
    ]


def test_a_header_or_title_naming_two_indicators_is_one_clear_problem():
    column = match_columns(["Kommune", "Antal personer", "Andel med samtaler og tilbud (pct.)"])
    assert column.parts == []
    assert column.problems == [
        "column Andel med samtaler og tilbud (pct.) speaks of samtaler and tilbud; "
        "give each its own column"
    ]
    title = match_columns(
        ["Kommune", "Antal personer", "Andel (pct.)"], context=["Samtaler og tilbud, juni 2020"]
    )
    assert title.parts == []
    assert title.problems == [
        "the sheet or title speaks of samtaler and tilbud, and no column says which it measures; "
        "name it in the headers (e.g. 'Andel med mindst 6 samtaler (pct.)' or "
        "'Andel med aktivt tilbud (pct.)')"
    ]


def test_an_indicator_too_incomplete_to_import_is_dropped_and_said():
    matched = match_columns([*SIDE_BY_SIDE[:3], "Tilbud: Antal personer"])
    assert [p.indicator for p in matched.parts] == ["samtaler"]
    assert matched.problems == []
    assert matched.dropped == [
        "column Tilbud: Antal personer: tilbud without the share or number who had an active "
        "offer; not imported"
    ]


def test_the_wrong_token_answer_is_recognised():
    assert is_wrong_token_answer({"Forkert nøgle eller nøglen er udløbet.": ""})
    assert not is_wrong_token_answer([{"Variables": [], "Data": []}])
