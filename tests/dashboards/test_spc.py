"""SPC (dashboards/spc.py) on hand-made series: one test per Making Data Count rule and
per icon, with the limits worked out by hand.

The rules are those of NHS England's "SPC Charts SQL Query" v2.6 (10 January 2024):
shift and trend of 6 points, at least 13 points, and points beyond the process limit
counting towards "two of three beyond two sigma".

Most series start with a baseline that alternates 10, 12 (16 points): mean 11, every
moving range 2, so mR-bar 2, process limits 11 ± 2.66 × 2 = 5.68 and 16.32 and
two-sigma lines 11 ± 2.66 × 2 × 2/3 = 7.4533 and 14.5467. With ``baseline=16`` those
limits are fixed and extended over the points that follow, which the tests choose.
"""

from __future__ import annotations

import pytest

from dashboards import spc

BASE = [10.0, 12.0] * 8  # ends on 12 (above the mean)
BASE_LOW_END = [12.0, 10.0] * 8  # ends on 10 (below the mean)


def judged(tail: list[float], polarity: str = "higher", **kwargs) -> spc.Spc:
    return spc.xmr(BASE + tail, polarity, baseline=16, **kwargs)


def rules_at(result: spc.Spc, i: int) -> set[str]:
    return {rule for rule, _side in result.rules[i]}


def test_limits_come_from_the_baseline_and_are_extended_over_the_rest():
    result = judged([11.0, 11.5, 10.5])
    assert result.eligible
    assert result.baseline_points == 16
    assert result.mean == pytest.approx(11.0)
    assert result.mr_bar == pytest.approx(2.0)
    assert result.upper_limit == pytest.approx(16.32)
    assert result.lower_limit == pytest.approx(5.68)
    assert result.upper_two_sigma == pytest.approx(14.546667, abs=1e-6)
    assert result.lower_two_sigma == pytest.approx(7.453333, abs=1e-6)
    assert result.variation == spc.COMMON
    assert result.travel == spc.NO_SIGNIFICANT_CHANGE


def test_without_a_baseline_every_point_makes_the_limits():
    # 16 alternating points and one at 25: mean (16 × 11 + 25) / 17 = 11.8235; moving
    # ranges: fifteen of 2 and |25 − 12| = 13, mR-bar 43 / 16 = 2.6875; UPL 11.8235 +
    # 2.66 × 2.6875 = 18.9723.
    result = spc.xmr([*BASE, 25.0], "higher")
    assert result.baseline_points == 17
    assert result.mean == pytest.approx(201 / 17)
    assert result.mr_bar == pytest.approx(2.6875)
    assert result.upper_limit == pytest.approx(201 / 17 + 2.66 * 2.6875)


def test_a_point_outside_the_limits_is_special_cause():
    result = spc.xmr([*BASE, 25.0], "higher")
    assert rules_at(result, 16) == {spc.OUTSIDE}
    assert result.special[16] == "improvement"
    assert all(s is None for s in result.special[:16])
    assert result.variation == spc.IMPROVEMENT_HIGH
    assert result.travel == spc.IMPROVING
    assert "outside the process limits" in result.explain()


def test_a_shift_is_six_points_on_one_side_of_the_mean():
    six = [12.5, 12.4, 12.5, 12.4, 12.5, 12.4]
    result = spc.xmr(BASE_LOW_END + six, "higher", baseline=16)
    assert [rules_at(result, i) for i in range(16, 22)] == [{spc.SHIFT}] * 6
    assert result.variation == spc.IMPROVEMENT_HIGH
    assert result.last_rules == [spc.SHIFT]


def test_five_points_on_one_side_are_not_a_shift():
    result = spc.xmr([*BASE_LOW_END, 12.5, 12.4, 12.5, 12.4, 12.5], "higher", baseline=16)
    assert all(not rules for rules in result.rules)
    assert result.variation == spc.COMMON


def test_a_point_on_the_mean_breaks_a_run():
    tail = [12.5, 12.4, 12.5, 11.0, 12.4, 12.5, 12.4]  # 11.0 is the mean
    result = spc.xmr(BASE_LOW_END + tail, "higher", baseline=16)
    assert result.variation == spc.COMMON


def test_a_run_does_not_cross_the_end_of_the_baseline():
    # Three points above the mean at the end of the baseline and three after it: not six
    # in one partition (MDC partitions runs at a baseline), so no shift.
    base = [10.0, 12.0] * 6 + [10.0, 12.0, 12.2, 12.1]
    result = spc.xmr([*base, 12.3, 12.2, 12.3], "higher", baseline=16)
    assert not any(spc.SHIFT in rules_at(result, i) for i in range(len(result.values)))
    # the same 19 points as one partition: those six are a shift
    whole = spc.xmr([*base, 12.3, 12.2, 12.3], "higher")
    assert [spc.SHIFT in rules_at(whole, i) for i in range(13, 19)] == [True] * 6


def test_a_trend_is_six_points_each_higher_than_the_last():
    rising = [10.5, 10.7, 10.9, 11.1, 11.3, 11.5]  # after a 12: the run starts at 10.5
    result = judged(rising)
    assert [rules_at(result, i) for i in range(16, 22)] == [{spc.TREND}] * 6
    assert result.variation == spc.IMPROVEMENT_HIGH
    falling = judged([11.5, 11.3, 11.1, 10.9, 10.7, 10.5])  # 12 then five lower: 6 points
    assert rules_at(falling, 15) == {spc.TREND}
    assert falling.variation == spc.CONCERN_LOW


def test_five_rising_points_are_not_a_trend():
    result = judged([10.5, 10.7, 10.9, 11.1, 11.3])
    assert result.variation == spc.COMMON


def test_an_equal_value_breaks_a_trend():
    result = judged([10.5, 10.7, 10.9, 10.9, 11.1, 11.3, 11.5])
    assert result.variation == spc.COMMON


def test_two_of_three_beyond_two_sigma_on_one_side():
    result = judged([15.0, 11.5, 15.0])  # 15 > 14.5467 (and < 16.32); 11.5 above the mean
    assert rules_at(result, 16) == {spc.TWO_SIGMA}
    assert rules_at(result, 17) == set()  # the point between is not beyond two sigma
    assert rules_at(result, 18) == {spc.TWO_SIGMA}
    assert result.variation == spc.IMPROVEMENT_HIGH


def test_two_of_three_needs_all_three_on_the_same_side_of_the_mean():
    result = judged([15.0, 10.5, 15.0])
    assert result.variation == spc.COMMON


def test_a_point_beyond_the_limit_counts_towards_two_of_three_since_v2_6():
    result = judged([15.0, 11.5, 17.0])  # 17 is outside the limits too
    assert rules_at(result, 16) == {spc.TWO_SIGMA}
    assert rules_at(result, 18) == {spc.TWO_SIGMA, spc.OUTSIDE}
    assert result.last_rules == [spc.TWO_SIGMA, spc.OUTSIDE]


def test_too_few_points_give_no_spc():
    result = spc.xmr([10.0, 12.0] * 6, "higher", target=11.0)
    assert not result.eligible
    assert result.variation is None and result.assurance is None and result.travel is None
    assert "at least 13" in result.reason
    assert spc.xmr([10.0, 12.0] * 6 + [10.0], "higher").eligible


def test_a_baseline_shorter_than_twelve_points_is_refused():
    with pytest.raises(ValueError, match="baseline"):
        spc.xmr(BASE, "higher", baseline=11)


def test_gaps_are_refused():
    with pytest.raises(ValueError, match="numbers"):
        spc.xmr([*BASE, float("nan")], "higher")


# ##### Variation icons: one test per icon


@pytest.mark.parametrize(
    ("polarity", "tail", "icon", "travel"),
    [
        ("higher", [20.0], spc.IMPROVEMENT_HIGH, spc.IMPROVING),
        ("lower", [2.0], spc.IMPROVEMENT_LOW, spc.IMPROVING),
        ("lower", [20.0], spc.CONCERN_HIGH, spc.DETERIORATING),
        ("higher", [2.0], spc.CONCERN_LOW, spc.DETERIORATING),
        ("info", [20.0], spc.NEITHER_HIGH, spc.HIGHER_THAN_USUAL),
        ("info", [2.0], spc.NEITHER_LOW, spc.LOWER_THAN_USUAL),
        ("higher", [11.0], spc.COMMON, spc.NO_SIGNIFICANT_CHANGE),
    ],
)
def test_variation_icon_of_the_last_point(polarity, tail, icon, travel):
    result = judged(tail, polarity)
    assert result.variation == icon
    assert result.travel == travel
    assert spc.VARIATION_TEXT[icon] in result.explain()


def test_an_earlier_signal_does_not_colour_the_latest_point():
    result = judged([20.0, 11.0])
    assert result.special[16] == "improvement"
    assert result.variation == spc.COMMON


# ##### Assurance icons: the target against the process limits (5.68 to 16.32)


@pytest.mark.parametrize(
    ("polarity", "target", "icon"),
    [
        ("higher", 5.0, spc.PASS),  # below the lower limit: every month meets it
        ("higher", 5.68, spc.PASS),  # on the limit counts (MDC v2.1)
        ("higher", 17.0, spc.FAIL),
        ("higher", 11.0, spc.HIT_AND_MISS),
        ("lower", 17.0, spc.PASS),
        ("lower", 5.0, spc.FAIL),
        ("lower", 11.0, spc.HIT_AND_MISS),
        ("info", 11.0, None),  # no better direction: no assurance
        ("higher", None, None),  # no target
    ],
)
def test_assurance_icon(polarity, target, icon):
    result = judged([11.0], polarity, target=target)
    assert result.assurance == icon


# ##### Improvement and concern at once


def test_a_rising_run_below_the_mean_is_improvement_because_a_trend_outranks_a_shift():
    tail = [9.0, 9.2, 9.4, 9.6, 9.8, 10.0]  # six below the mean (shift) and rising (trend)
    result = judged(tail, "higher")
    assert rules_at(result, 21) == {spc.TREND, spc.SHIFT}
    assert result.special[21] == "improvement"
    assert 21 in result.conflicts
    assert result.variation == spc.IMPROVEMENT_HIGH
    # lower is better: the same points are a concerning (rising) trend
    assert judged(tail, "lower").variation == spc.CONCERN_HIGH


def test_a_tie_between_equal_rules_goes_to_the_conflict_setting():
    # 12 (end of the baseline) falls for 7 points to 10.5, which then rises for 6: the
    # bottom point ends a falling trend and starts a rising one (both rank "trend").
    tail = [11.5, 11.3, 11.1, 10.9, 10.7, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5]
    bottom = 16 + 5
    concern_first = judged(tail, "higher")
    assert concern_first.rules[bottom] == {(spc.TREND, "high"), (spc.TREND, "low")}
    assert concern_first.special[bottom] == "concern"
    assert judged(tail, "higher", conflict="improvement").special[bottom] == "improvement"
