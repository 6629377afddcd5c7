"""STAR's watch list against cases worked out by hand: runs across the 2026 reform, small
months, unknown months, lines used only backwards, and indicators without a line."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import canonical_frame as frame

from samtaletjek.domain.metrics import compute
from samtaletjek.pages.watch import watch_csv, watch_list

MONTHS = [f"2026-{m:02d}" for m in range(1, 11)]  # January – October 2026
KOEBENHAVN, FREDERIKSBERG, BALLERUP, BROENDBY, DRAGOER, VARDE = 101, 147, 151, 153, 155, 573


def offers(code: int, shares: list[int | None], persons: list[int] | None = None) -> list[tuple]:
    """Rows of tilbud/dagpenge for January – October 2026; None: no row that month."""
    persons = persons or [100] * len(MONTHS)
    return [
        (month, code, "dagpenge", n, share)
        for month, share, n in zip(MONTHS, shares, persons, strict=True)
        if share is not None
    ]


@pytest.fixture(scope="module")
def tilbud(registry):
    view = registry.for_indicator("tilbud")
    rows = [
        # 78 % under STAR's 80 % in March–June, then 76 %: over the law's 75 % from July, so
        # the run ends with the reform and København is not on the list.
        *offers(KOEBENHAVN, [90, 90, 78, 78, 78, 78, 76, 76, 76, 76]),
        # 79 % in March–June (under 80 %), 70 % in July–October (under 75 %): eight months
        # running, each under the line of its own month. On the list since March.
        *offers(FREDERIKSBERG, [90, 90, 79, 79, 79, 79, 70, 70, 70, 70]),
        # Under every month, but June rests on 8 persons and does not count: the run starts
        # again in July and has 4 months by October. Not on the list.
        *offers(BALLERUP, [50] * 10, [100, 100, 100, 100, 100, 8, 100, 100, 100, 100]),
        # Under from April, but June is unknown (no row): a run never spans a month no source
        # holds. July–October is 4 months. Not on the list.
        *offers(BROENDBY, [90, 90, 90, 60, 60, None, 60, 60, 60, 60]),
        # Under from May to October, exactly six months: on the list since May.
        *offers(DRAGOER, [90, 90, 90, 90, 60, 60, 60, 60, 60, 60]),
    ]
    return view, compute(frame(rows, "tilbud"), view, "2018-01", 10)


def test_the_list_holds_exactly_the_hand_computed_runs(tilbud):
    watch = watch_list([tilbud], 6)
    assert watch.month == "oktober 2026"
    found = [(e.municipality, e.indicator, e.group, e.months, e.since) for e in watch.entries]
    assert found == [
        ("Frederiksberg", "Tilbud", "Dagpengemodtagere", 8, "marts 2026"),
        ("Dragør", "Tilbud", "Dagpengemodtagere", 6, "maj 2026"),
    ]
    frederiksberg = watch.entries[0]
    assert frederiksberg.reason == "Under 80 % i marts–juni 2026 og under 75 % i juli–oktober 2026."
    assert frederiksberg.share == "70,0 %"
    assert (
        watch.entries[1].reason == "Under 80 % i maj–juni 2026 og under 75 % i juli–oktober 2026."
    )
    assert watch.municipalities == 2
    dagpenge = next(c for c in watch.counts if c.group == "Dagpengemodtagere")
    assert dagpenge.counts == ("2",)


def test_the_feed_id_stays_while_the_run_lasts_and_the_download_has_every_entry(tilbud):
    watch = watch_list([tilbud], 6)
    assert watch.entries[0].id == "urn:samtaletjek:overvaagning:tilbud:dagpenge:147:2026-03"
    rows = list(csv.DictReader(io.StringIO(watch_csv(watch).content)))
    assert [(r["municipality_code"], r["months_below"], r["below_since"]) for r in rows] == [
        ("147", "8", "2026-03"),
        ("155", "6", "2026-05"),
    ]
    assert rows[0]["share_pct"] == "70.0" and rows[0]["latest_period"] == "2026-10"
    assert rows[0]["indicator"] == "tilbud" and rows[0]["target_group"] == "dagpenge"
    by_municipality = watch.by_municipality
    assert [m.municipality for m in by_municipality] == ["Frederiksberg", "Dragør"]
    assert by_municipality[0].items == ("Tilbud: dagpengemodtagere",)
    assert by_municipality[0].summary == "Tilbud: dagpengemodtagere (8 mdr.)"


def test_months_held_against_a_line_used_only_backwards_do_not_count(registry):
    """Samtaler before 2020 are held against STAR's 80 % used backwards (the site's choice):
    STAR's follow-up began in January 2020, so its watch counts from there."""
    months = [f"2019-{m:02d}" for m in range(6, 13)] + ["2020-01", "2020-02"]
    rows = [(m, VARDE, "dagpenge", 100, 50) for m in months]
    metrics = compute(frame(rows, "samtaler"), registry, "2018-01", 10)
    by_month = metrics.municipal.set_index("period")
    # the site's own flag, under the backwards line: June–December 2019 is seven months
    assert bool(by_month.loc["2019-12", "flagged"])
    assert int(by_month.loc["2019-12", "watch_run"]) == 0  # but STAR did not watch then
    assert int(by_month.loc["2020-02", "watch_run"]) == 2  # its count: January, February 2020
    assert watch_list([(registry, metrics)], 6).entries == ()


def test_an_indicator_without_a_line_puts_no_one_on_the_list(registry):
    view = registry.for_indicator("passivandel")
    rows = [(m, VARDE, "kontanthjaelp-jobparate", 100, 99) for m in MONTHS]
    metrics = compute(frame(rows, "passivandel"), view, "2018-01", 10)
    watch = watch_list([(view, metrics)], 6)
    assert watch.entries == () and watch.indicators == ()
