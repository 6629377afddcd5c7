import pandas as pd
import pytest
from conftest import canonical_frame as canonical

from samtaletjek.domain import metrics


def test_national_share_is_weighted_not_a_mean_of_shares():
    frame = metrics.add_share(
        canonical([("2020-01", 101, "dagpenge", 1000, 900), ("2020-01", 825, "dagpenge", 10, 1)])
    )
    national = metrics.weighted_share(frame, ["target_group", "period"])
    assert national["share"].iloc[0] == pytest.approx(901 / 1010 * 100)
    assert national["share"].iloc[0] != pytest.approx((90 + 10) / 2)


def test_missing_counts_are_left_out_not_counted_as_zero():
    frame = metrics.add_share(
        canonical([("2020-01", 101, "dagpenge", 100, 50), ("2020-01", 825, "dagpenge", 3, None)])
    )
    national = metrics.weighted_share(frame, ["target_group", "period"])
    assert national["share"].iloc[0] == pytest.approx(50.0)
    assert national["persons"].iloc[0] == 100
    assert national["reporting"].iloc[0] == 1


def test_ties_share_a_rank_and_missing_is_not_ranked():
    frame = metrics.add_share(
        canonical(
            [
                ("2020-01", 101, "dagpenge", 100, 50),
                ("2020-01", 147, "dagpenge", 10, 5),
                ("2020-01", 151, "dagpenge", 10, 9),
                ("2020-01", 153, "dagpenge", 10, 1),
                ("2020-01", 155, "dagpenge", 2, None),
            ]
        )
    )
    ranked = metrics.add_ranks(frame).set_index("municipality_code")
    assert ranked.loc[151, "rank"] == 1
    assert ranked.loc[101, "rank"] == 2
    assert ranked.loc[147, "rank"] == 2
    assert ranked.loc[153, "rank"] == 4
    assert pd.isna(ranked.loc[155, "rank"])
    assert (ranked["ranked"] == 4).all()


def test_the_one_change_is_the_last_12_months(registry):
    rows = [
        (f"{2020 + (m // 12)}-{m % 12 + 1:02d}", 101, "dagpenge", 100, 40 + m) for m in range(14)
    ]
    frame = metrics.add_change(metrics.add_share(canonical(rows)), metrics.SERIES, registry)
    last = frame.iloc[-1]  # 2021-02: 53 %, 2020-02: 41 %
    assert (last["change"], last["change_since"]) == (pytest.approx(12.0), "2020-02")
    assert pd.isna(frame.iloc[0]["change"])  # 2019-01 has no figure: no change, not a jump


def test_a_change_never_crosses_a_rule_change_within_the_year(registry):
    """2026-10 is measured from July 2026, when the law's 75 % took over, not from 2025-10."""
    rows = [(p, 101, "dagpenge", 100, s) for p, s in [("2025-10", 40), ("2026-06", 50)]]
    rows += [("2026-07", 101, "dagpenge", 100, 60), ("2026-10", 101, "dagpenge", 100, 66)]
    frame = metrics.add_change(metrics.add_share(canonical(rows)), metrics.SERIES, registry)
    by_month = frame.set_index("period")
    assert by_month.loc["2026-10", "change_since"] == "2026-07"
    assert by_month.loc["2026-10", "change"] == pytest.approx(6.0)
    # In the month the rule changed there is nothing to compare with yet
    assert by_month.loc["2026-07", "change_since"] == "2026-07"
    assert pd.isna(by_month.loc["2026-07", "change"])
    # June 2026 is measured from June 2025, which has no figure: missing, not 0
    assert by_month.loc["2026-06", "change_since"] == "2025-06"
    assert pd.isna(by_month.loc["2026-06", "change"])


def months(n, start_year=2020):
    return [f"{start_year + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def judged(rows, registry):
    """(below, run, on_list) per row, as `add_judgements` says them."""
    frame = metrics.add_share(canonical(rows))
    rules = metrics.rule_lookup(registry, sorted(frame["period"].unique()))
    frame = metrics.add_judgements(frame, rules, registry.list_months)
    return frame["below"].tolist(), frame["run"].tolist(), frame["on_list"].tolist()


def flag_rules(rows, registry):
    frame = metrics.add_share(canonical(rows))
    rules = metrics.rule_lookup(registry, sorted(frame["period"].unique()))
    return metrics.add_judgements(frame, rules, registry.list_months)["flag_rule"].tolist()


def test_six_months_running_under_the_line_put_a_municipality_on_the_list(registry):
    rows = [(p, 101, "dagpenge", 100, 70) for p in months(7)]
    below, runs, on_list = judged(rows, registry)
    assert below == [True] * 7
    assert runs == [1, 2, 3, 4, 5, 6, 7]
    assert on_list == [False] * 5 + [True, True]


def test_a_month_at_or_above_the_line_ends_the_run(registry):
    shares = [70, 70, 70, 80, 70, 70, 70, 70, 70, 70]
    rows = [(p, 101, "dagpenge", 100, s) for p, s in zip(months(10), shares, strict=True)]
    below, runs, on_list = judged(rows, registry)
    assert below[3] is False and runs[3] == 0
    assert on_list[-1] is True and on_list[-2] is False


def test_months_with_fewer_than_the_minimum_persons_break_the_run(registry):
    rows = [
        (p, 101, "dagpenge", 9 if i == 3 else 100, 5 if i == 3 else 70)
        for i, p in enumerate(months(8))
    ]
    below, runs, on_list = judged(rows, registry)
    assert below[3] is False and runs[3] == 0
    assert not any(on_list)


def test_a_missing_month_breaks_the_run(registry):
    periods = months(8)
    rows = [(p, 101, "dagpenge", 100, 70) for i, p in enumerate(periods) if i != 4]
    _, runs, on_list = judged(rows, registry)
    assert runs == [1, 2, 3, 4, 1, 2, 3]
    assert not any(on_list)


def test_from_july_2026_each_month_is_held_against_the_law_where_it_names_the_group(registry):
    rows = [("2026-07", 101, "dagpenge", 100, 70), ("2026-08", 101, "dagpenge", 100, 76)]
    rows += [("2026-07", 101, "kontanthjaelp-aktivitetsparate", 100, 78)]
    below, _, _ = judged(rows, registry)
    # 70 < the law's 75; 76 is over it; 78 is under STAR's 80, carried on for aktivitetsparate
    assert below == [True, False, True]
    assert flag_rules(rows, registry) == ["lov", "lov", "star-efter-reform"]


def test_a_run_goes_on_across_july_2026_each_month_held_against_its_own_line(registry):
    periods = [f"2025-{m:02d}" for m in range(10, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    shares = [70] * 9 + [72, 72, 72, 72]  # under 80 to June 2026, then under the law's 75
    rows = [(p, 101, "dagpenge", 100, s) for p, s in zip(periods, shares, strict=True)]
    below, runs, on_list = judged(rows, registry)
    assert all(below)
    assert runs == list(range(1, 14))  # one run of 13 months, across the change of rule
    assert on_list == [False] * 5 + [True] * 8


def test_78_then_76_across_the_reform_leaves_the_list(registry):
    """Under STAR's 80 % until June, over the law's 75 % from July: the run ends."""
    periods = [f"2026-{m:02d}" for m in range(1, 11)]
    rows = [(p, 101, "dagpenge", 100, 78 if p < "2026-07" else 76) for p in periods]
    below, runs, on_list = judged(rows, registry)
    assert below == [True] * 6 + [False] * 4
    assert on_list == [False] * 5 + [True] + [False] * 4


def test_months_before_2020_are_not_judged(registry):
    periods = ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01", "2020-02"]
    rows = [(p, 101, "kontanthjaelp-aktivitetsparate", 100, 70) for p in periods]
    below, runs, on_list = judged(rows, registry)
    assert below == [False] * 5 + [True, True]  # no line before 2020
    assert runs == [0] * 5 + [1, 2]
    assert not any(on_list)
    assert flag_rules(rows, registry)[0] == "ingen-foer-2020"


def test_every_calendar_month_of_the_span_is_a_period_even_when_no_source_holds_it(registry):
    rows = [("2017-11", 101, "dagpenge", 100, 50), ("2018-04", 101, "dagpenge", 100, 60)]
    m = metrics.compute(canonical(rows), registry, 10)
    assert m.periods == ("2017-11", "2017-12", "2018-01", "2018-02", "2018-03", "2018-04")
    assert len(m.municipal) == 2  # no row is invented for an unknown month
    assert pd.isna(m.municipal.iloc[1]["change"])  # 2017-04 is unknown: no change


def test_compute_gives_national_regional_and_latest(registry):
    rows = [(p, code, "dagpenge", 100, 60) for p in months(3) for code in (101, 147, 751)]
    rows.append(("2020-04", 101, "dagpenge", 2, None))
    m = metrics.compute(canonical(rows), registry, 10)
    assert m.latest == {"dagpenge": "2020-03"}  # 2020-04 has no share
    assert set(m.regional["region"]) == {"Region Hovedstaden", "Region Midtjylland"}
    assert m.national_row("dagpenge", "2020-03").share == pytest.approx(60.0)
    assert m.national_row("dagpenge", "2019-01").share is None  # no such month: all missing
    small = m.municipal[m.municipal["period"] == "2020-04"]
    assert bool(small["small"].iloc[0])


def test_band_labels_follow_the_limits():
    limits = (20_000, 40_000)
    assert metrics.band_label(1_719, limits) == "under 20.000 indbyggere"
    assert metrics.band_label(20_000, limits) == "20.000–39.999 indbyggere"
    assert metrics.band_label(667_099, limits) == "40.000 indbyggere og derover"


def test_fewer_than_the_minimum_persons_get_no_rank_and_are_not_counted():
    frame = metrics.add_share(
        canonical(
            [
                ("2020-01", 825, "dagpenge", 3, 3),  # Læsø: 100 % of 3 people
                ("2020-01", 101, "dagpenge", 1000, 700),
                ("2020-01", 147, "dagpenge", 100, 60),
            ]
        )
    )
    ranked = metrics.add_ranks(frame, min_persons=10).set_index("municipality_code")
    assert pd.isna(ranked.loc[825, "rank"])  # not "nr. 1 af 3"
    assert ranked.loc[101, "rank"] == 1 and ranked.loc[101, "ranked"] == 2


def test_peer_ranks_are_within_the_group_column():
    frame = metrics.add_share(
        canonical(
            [
                ("2020-01", 101, "dagpenge", 100, 90),
                ("2020-01", 147, "dagpenge", 100, 50),
                ("2020-01", 751, "dagpenge", 100, 70),
            ]
        )
    ).assign(band=["big", "small", "big"])
    ranked = metrics.add_ranks(frame, within="band", prefix="band").set_index("municipality_code")
    assert ranked.loc[101, "band_rank"] == 1 and ranked.loc[751, "band_rank"] == 2
    assert ranked.loc[147, "band_rank"] == 1 and ranked.loc[147, "band_ranked"] == 1
