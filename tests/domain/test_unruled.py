"""Months with figures but no rule (issue 23): named once, by group, for check, build and /nyt/."""

from __future__ import annotations

import pandas as pd
from conftest import canonical_frame as frame

from samtaletjek.domain.metrics import Unruled, unruled


def test_months_no_rule_covers_are_named_by_group(registry):
    rows = [
        (month, 573, group, 100, 50)
        for month in ("2026-12", "2027-01", "2027-02")
        for group in ("dagpenge", "kontanthjaelp-jobparate")
    ]
    tilbud = frame(rows, "tilbud")  # tilbud's rules end with 2026
    samtaler = frame(rows, "samtaler")  # samtaler has an expected rule from 2027: a rule
    found = unruled(pd.concat([tilbud, samtaler]), registry)
    assert found == (
        Unruled("tilbud", "dagpenge", ("2027-01", "2027-02")),
        Unruled("tilbud", "kontanthjaelp-jobparate", ("2027-01", "2027-02")),
    )
    assert found[0].warning.startswith(
        "tilbud/dagpenge: figures for 2 month(s) (2027-01..2027-02) with no rule in the "
        "reference data; shown, not judged."
    )
