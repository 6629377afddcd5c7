import math

import pandas as pd
import pytest

from samtaletjek.domain import danish as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234.56, 1, "1.234,6"), (0, 0, "0"), (-0.04, 1, "0,0"), (1234567, 0, "1.234.567")],
)
def test_number_uses_danish_separators(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, math.nan])
def test_missing_is_a_dash_not_zero(missing):
    assert fmt.pct(missing) == "–"
    assert fmt.pp(missing) == "–"


def test_pct_and_pp():
    assert fmt.pct(45.3) == "45,3 %"
    assert fmt.pp(2.46) == "+2,5 procentpoint"
    assert fmt.pp(-1.0) == "−1,0 procentpoint"
    assert fmt.pp(0.04) == "0,0 procentpoint"


def test_months_and_dates_in_danish():
    assert fmt.month("2018-06") == "juni 2018"
    assert fmt.month("2026-10") == "oktober 2026"
    assert fmt.date("2018-01-29") == "29. januar 2018"
