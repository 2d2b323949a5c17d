"""Confidence intervals, comparisons with the LA and funnel limits (dashboards/intervals.py)
against published worked values.

- Wilson score intervals: Newcombe R.G. (1998), "Two-sided confidence intervals for the
  single proportion: comparison of seven methods", Statistics in Medicine 17:857-872,
  Table I, method 3 (score method without continuity correction): 81/263, 15/148, 0/20,
  1/29.
- Exact Poisson (Garwood 1936) intervals: GraphPad's worked example for a count of 25
  ("How QuickCalcs computes the confidence interval of a count",
  graphpad.com/support/faq/how-quickcalcs-computes-the-confidence-interval-of-a-count):
  90 % 17.38-34.92, 95 % 16.18-36.90, 99 % 14.00-41.00; and the upper limit for a count
  of 0, 3.689 (R package epitools, ``pois.exact`` documentation).
- Funnel limits: the reference outputs of Public Health England's Fingertips methods
  package PHEindicatormethods (``tests/testthat/testdata_funnel_prop_outputs.csv``: a
  proportion funnel around 80.642448 %; ``testdata_funnel_rate_outputs_2.csv``: a crude
  rate funnel around 114.8591735 per 100,000).
"""

from __future__ import annotations

import math

import pytest

from dashboards import intervals as iv


@pytest.mark.parametrize(
    ("numerator", "denominator", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998_table_1(numerator, denominator, low, high):
    got = iv.wilson(numerator, denominator)
    assert got == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(
    ("level", "low", "high"), [(0.90, 17.38, 34.92), (0.95, 16.18, 36.90), (0.99, 14.00, 41.00)]
)
def test_exact_poisson_matches_graphpads_worked_example_for_25(level, low, high):
    assert iv.poisson(25, level=level) == pytest.approx((low, high), abs=5e-3)


def test_exact_poisson_of_zero_events():
    low, high = iv.poisson(0)
    assert low == 0.0
    assert high == pytest.approx(3.689, abs=5e-4)


def test_a_rate_interval_is_the_count_interval_over_the_exposure():
    # 25 children looked after in a population of 5,000: 50 per 10,000 (16.18-36.90 / 5,000).
    row = {"numerator": 25 * 10_000, "denominator": 5_000, "status": "ok"}
    got = iv.kpi_interval(row, "cla_rate_per_10k", "rate")
    assert got.value == pytest.approx(50.0)
    assert (got.low, got.high) == pytest.approx((32.36, 73.80), abs=0.01)
    assert got.cases == pytest.approx(25)
    assert got.method == iv.POISSON


def test_a_percentage_interval_is_wilson_in_per_cent():
    row = {"numerator": 81, "denominator": 263, "status": "ok"}
    got = iv.kpi_interval(row, "rhi_offered_pct", "percent")
    assert got.value == pytest.approx(100 * 81 / 263)
    assert (got.low, got.high) == pytest.approx((25.53, 36.62), abs=0.005)
    assert got.cases == 263


def test_a_ratio_is_events_over_exposure():
    # caseload 60 cases over 4 FTE = 15 per FTE; exact Poisson 60: 45.79-77.23 → /4
    got = iv.kpi_interval(
        {"numerator": 60, "denominator": 4.0, "status": "ok"}, "caseload_avg", "ratio"
    )
    assert got.value == 15.0
    assert (got.low, got.high) == pytest.approx((11.45, 19.31), abs=0.01)


def test_no_interval_without_a_figure():
    assert (
        iv.kpi_interval({"numerator": 0, "denominator": 0, "status": "no_cases"}, "x", "percent")
        is None
    )
    assert (
        iv.kpi_interval(
            {"numerator": None, "denominator": None, "status": "not_supplied"}, "x", "percent"
        )
        is None
    )


def test_the_multiplier_of_a_rate_comes_from_its_id():
    assert iv.rate_multiplier("cla_rate_per_10k", "rate") == 10_000
    assert iv.rate_multiplier("starts_per_100", "rate") == 100
    assert iv.rate_multiplier("caseload_avg", "ratio") == 1


# ##### Compared with the LA


def _pct(num, den):
    return iv.kpi_interval({"numerator": num, "denominator": den, "status": "ok"}, "k", "percent")


def test_better_worse_and_similar_follow_the_interval_and_the_polarity():
    # 81/263: 25.5 % to 36.6 %
    assert iv.compare(_pct(81, 263), 40.0, "higher", "percent") == iv.WORSE
    assert iv.compare(_pct(81, 263), 40.0, "lower", "percent") == iv.BETTER
    assert iv.compare(_pct(81, 263), 20.0, "higher", "percent") == iv.BETTER
    assert iv.compare(_pct(81, 263), 30.0, "higher", "percent") == iv.SIMILAR
    assert iv.compare(_pct(81, 263), 40.0, "info", "percent") == iv.LOWER
    assert iv.compare(_pct(81, 263), 20.0, "info", "percent") == iv.HIGHER


def test_small_numbers_are_never_judged():
    # 0 of 1 (the Rushmoor): 0 % to 79 %, and fewer than 10 cases
    zero_of_one = _pct(0, 1)
    assert iv.is_small(zero_of_one)
    assert iv.compare(zero_of_one, 95.0, "higher", "percent") is None
    assert "small numbers" in iv.comparison_text(None, zero_of_one, "percent", 10)
    # the threshold is a setting
    assert iv.compare(zero_of_one, 95.0, "higher", "percent", threshold=1) == iv.WORSE
    assert not iv.is_small(_pct(5, 10))


def test_counts_are_not_compared():
    count = iv.kpi_interval(
        {"numerator": 40, "denominator": None, "status": "ok"}, "cla_count", "count"
    )
    assert (count.low, count.high) == pytest.approx((28.58, 54.47), abs=0.01)
    assert iv.compare(count, 400.0, "info", "count") is None
    assert iv.comparison_text(None, count, "count", 10) == iv.NOT_COMPARED_COUNT


# ##### Funnel limits


@pytest.mark.parametrize(
    ("n", "low95", "high95", "low998", "high998"),
    [
        (1, 3.204264, 100, 0, 100),
        (20, 63.326743, 97.958152, 53.341156, 100),
        (50, 69.691035, 91.593861, 63.375595, 97.909301),
        (68, 71.251689, 90.033207, 65.836243, 95.448652),
    ],
)
def test_proportion_funnel_matches_fingertips_reference_outputs(n, low95, high95, low998, high998):
    benchmark = 0.80642448
    assert [100 * x for x in iv.proportion_funnel(benchmark, n, 0.95)] == pytest.approx(
        [low95, high95], abs=1e-5
    )
    assert [100 * x for x in iv.proportion_funnel(benchmark, n, 0.998)] == pytest.approx(
        [low998, high998], abs=1e-5
    )


@pytest.mark.parametrize(
    ("events", "low95", "high95", "low998", "high998"),
    [
        (1, 20.61494982, 4536.678859, 12.4395182, 114796.3768),
        (2, 31.79630214, 948.4284419, 20.45783597, 5059.653722),
        (4, 44.85991432, 421.5534704, 31.05529687, 1072.066453),
    ],
)
def test_rate_funnel_matches_fingertips_reference_outputs(events, low95, high95, low998, high998):
    benchmark = 114.8591735 / 100_000
    for level, low, high in ((0.95, low95, high95), (0.998, low998, high998)):
        (_, lower_rate), (_, upper_rate) = iv.rate_funnel_point(benchmark, events, level)
        # Fingertips bisects to 1e-7 on its own scale, which for a mean near 0 (the
        # 99.8 % limit of one event) is about 1 part in 10^4
        assert lower_rate * 100_000 == pytest.approx(low, rel=1e-4)
        assert upper_rate * 100_000 == pytest.approx(high, rel=1e-4)


def test_a_point_outside_the_95_funnel_is_significantly_different():
    benchmark = 0.80642448
    low, high = iv.proportion_funnel(benchmark, 50, 0.95)
    just_below = math.floor(low * 50) / 50  # the largest proportion of 50 below the funnel
    inside = math.ceil(low * 50) / 50
    verdict = iv.compare(_pct(just_below * 50, 50), 100 * benchmark, "higher", "percent")
    assert verdict == iv.WORSE
    assert iv.compare(_pct(inside * 50, 50), 100 * benchmark, "higher", "percent") == iv.SIMILAR
    assert high < 1


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        iv.wilson(3, 0)
    with pytest.raises(ValueError):
        iv.wilson(5, 3)
    with pytest.raises(ValueError):
        iv.poisson(-1)
    with pytest.raises(ValueError):
        iv.proportion_funnel(1.5, 10)
