"""One test per kind of bad data: each must name file, row and column, and say what is wrong."""

from pathlib import Path

import pytest

from samtaletjek.domain.validate import validate
from samtaletjek.errors import DataErrors
from samtaletjek.store import read_canonical

HEADER = (
    "period,municipality_code,municipality,target_group,"
    "persons,persons_meeting,share_pct,mean_conversations"
)
GOOD = [
    "2020-01,573,Varde,dagpenge,87,39,44.8,2.1",
    "2020-02,573,Varde,dagpenge,90,45,50.0,",
    "2020-01,825,Læsø,dagpenge,2,,,",
]


def problems(tmp_path: Path, registry, lines: list[str], header: str = HEADER) -> list[str]:
    (tmp_path / "samtaler.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    frame, errors = read_canonical(tmp_path)
    errors += validate(frame, registry, str(tmp_path / "samtaler.csv"))
    return [str(e) for e in errors]


def test_good_data_has_no_problems(tmp_path, registry):
    assert problems(tmp_path, registry, GOOD) == []


@pytest.mark.parametrize(
    ("line", "row", "column", "words"),
    [
        ("2020-03,573,Varde,dagpenge,abc,1,,", 5, "persons", "'abc' is not a whole number"),
        ("2020-03,573,Varde,dagpenge,10,2.5,25.0,", 5, "persons_meeting", "not a whole number"),
        ("2020-03,573,Varde,dagpenge,-5,,,", 5, "persons", "negative"),
        ("2020-03,573,Varde,dagpenge,10,12,120.0,", 5, "persons_meeting", "greater than persons"),
        ("2020-03,573,Varde,dagpenge,10,5,150.0,", 5, "share_pct", "outside 0–100"),
        ("2020-03,573,Varde,dagpenge,10,5,42.0,", 5, "share_pct", "does not match"),
        ("2020-03,999,Atlantis,dagpenge,10,5,50.0,", 5, "municipality_code", "not one of the 98"),
        ("2020-03,573,Vejle,dagpenge,10,5,50.0,", 5, "municipality", "does not match code 573"),
        ("2020-03,573,Varde,flexjob,10,5,50.0,", 5, "target_group", "not a known target group"),
        ("2020-13,573,Varde,dagpenge,10,5,50.0,", 5, "period", "not a month written YYYY-MM"),
        ("March 2020,573,Varde,dagpenge,10,5,50.0,", 5, "period", "not a month"),
        ("2020-02,573,Varde,dagpenge,10,5,50.0,", 5, "period", "duplicate of row 3"),
        (",573,Varde,dagpenge,10,5,50.0,", 5, "period", "is empty"),
        ("2020-03,573,Varde,dagpenge,,5,50.0,", 5, "persons", "empty although persons_meeting"),
        ("2020-03,573,Varde,dagpenge,10,5,50.0,-1", 5, "mean_conversations", "negative"),
    ],
)
def test_each_bad_cell_is_reported_with_file_row_and_column(
    tmp_path, registry, line, row, column, words
):
    found = problems(tmp_path, registry, [*GOOD, line])
    expected_prefix = f"{tmp_path / 'samtaler.csv'}:{row}: column {column}:"
    assert any(p.startswith(expected_prefix) and words in p for p in found), found


def test_months_need_not_be_contiguous(tmp_path, registry):
    # STAR's statements are single months: a month no source holds is unknown, not an error.
    found = problems(tmp_path, registry, [*GOOD, "2020-06,573,Varde,dagpenge,10,5,50.0,"])
    assert found == []


def test_a_missing_column_is_reported(tmp_path, registry):
    header = HEADER.replace(",persons_meeting", "")
    lines = [",".join(line.split(",")[:5] + line.split(",")[6:]) for line in GOOD]
    with pytest.raises(DataErrors) as caught:
        problems(tmp_path, registry, lines, header=header)
    assert [str(e) for e in caught.value.errors] == [
        f"{tmp_path / 'samtaler.csv'}:1: column persons_meeting: column is missing"
    ]


def test_not_utf8_is_reported(tmp_path, registry):
    (tmp_path / "samtaler.csv").write_bytes(
        (HEADER + "\n2020-01,825,Læsø,dagpenge,2,,,\n").encode("latin-1")
    )
    with pytest.raises(DataErrors, match="problem"):
        read_canonical(tmp_path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DataErrors) as caught:
        read_canonical(tmp_path)
    assert "data file is missing" in str(caught.value.errors[0])
