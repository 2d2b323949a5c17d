"""RAG by polarity and tolerance, direction of travel, targets and comparators.

Every expected value below is worked out by hand from the rule in kpis.md: green when the
value meets the target, amber when it misses by no more than the tolerance, red otherwise.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboards import scoring


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "polarity", "expected"),
    [
        # higher is better, target 90, tolerance 5: amber from 85 up to 90
        (95.0, 90, 5, "higher", "green"),
        (90.0, 90, 5, "higher", "green"),  # meets exactly
        (86.0, 90, 5, "higher", "amber"),
        (85.0, 90, 5, "higher", "amber"),  # misses by exactly the tolerance
        (84.9, 90, 5, "higher", "red"),
        # lower is better, target 10, tolerance 2: amber above 10 up to 12
        (8.0, 10, 2, "lower", "green"),
        (10.0, 10, 2, "lower", "green"),
        (11.5, 10, 2, "lower", "amber"),
        (12.0, 10, 2, "lower", "amber"),
        (12.1, 10, 2, "lower", "red"),
        # no tolerance: anything short of the target is red
        (89.9, 90, None, "higher", "red"),
        (89.9, 90, 0, "higher", "red"),
    ],
)
def test_rag_follows_polarity_and_tolerance(value, target, tolerance, polarity, expected):
    assert scoring.rag(value, target, tolerance, polarity) == expected


def test_rag_judges_the_value_as_shown_rounded_to_the_kpis_decimals():
    assert scoring.rag(89.96, 90, 5, "higher", decimals=1) == "green"  # shown as 90.0%
    assert scoring.rag(89.96, 90, 5, "higher") == "amber"


@pytest.mark.parametrize(
    ("value", "target", "polarity", "status"),
    [
        (50.0, 60, "info", "ok"),  # info KPIs have no RAG
        (None, 60, "higher", "no_cases"),
        (None, 60, "higher", "not_supplied"),
        (0.0, 60, "higher", "no_cases"),  # a stray 0 with no cases is not judged
        (50.0, None, "higher", "ok"),  # no target set
    ],
)
def test_rag_is_none_when_there_is_nothing_to_judge(value, target, polarity, status):
    assert scoring.rag(value, target, 5, polarity, status=status) is None


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        (90.0, 85.0, "higher", "improving"),
        (80.0, 85.0, "higher", "declining"),
        (11.5, 12.0, "lower", "improving"),
        (22.0, 21.0, "lower", "declining"),
        (1000, 990, "info", "up"),
        (990, 1000, "info", "down"),
        (11.5, 11.5, "lower", "no change"),
        (None, 11.5, "lower", None),
        (11.5, None, "lower", None),
    ],
)
def test_direction_of_travel_is_decided_by_polarity(current, previous, polarity, expected):
    assert scoring.direction(current, previous, polarity) == expected


def test_direction_sees_no_change_when_both_values_show_the_same():
    assert scoring.direction(80.04, 80.01, "higher", decimals=1) == "no change"
    assert scoring.direction(80.04, 80.01, "higher") == "improving"


def _series(rows):
    return pd.DataFrame(
        rows, columns=["period_type", "period_start", "period_end", "is_partial", "value", "status"]
    ).assign(
        period_start=lambda f: pd.to_datetime(f["period_start"]),
        period_end=lambda f: pd.to_datetime(f["period_end"]),
    )


def test_comparison_points_compare_a_partial_month_with_the_whole_month_a_year_before():
    series = _series(
        [
            ("month", "2024-02-01", "2024-02-29", False, 80.0, "ok"),
            ("month", "2024-03-01", "2024-03-31", False, 70.0, "ok"),
            ("month", "2025-01-01", "2025-01-31", False, 85.0, "ok"),
            ("month", "2025-02-01", "2025-02-14", True, 90.0, "ok"),
        ]
    )
    points = scoring.comparison_points(series)
    assert points.latest["value"] == 90.0
    assert points.previous["value"] == 85.0
    assert points.year_ago["value"] == 80.0
    at_january = scoring.comparison_points(series, at=dt.date(2025, 1, 31))
    assert at_january.latest["value"] == 85.0
    assert at_january.year_ago is None  # no January 2024 in the series


def test_change_between_ignores_rows_that_are_no_cases_or_not_supplied():
    latest = {"value": 90.0, "status": "ok"}
    assert (
        scoring.change_between(latest, {"value": None, "status": "no_cases"}, "higher", 1) is None
    )
    assert scoring.change_between(latest, {"value": 0.0, "status": "no_cases"}, "higher", 1) is None
    assert scoring.change_between(latest, {"value": 80.0, "status": "ok"}, "higher", 1) == (
        "improving"
    )


def test_pick_target_prefers_the_rows_for_the_breakdown_then_the_general_row():
    targets = pd.DataFrame(
        {
            "kpi_id": ["cl_eet_pct", "cl_eet_pct", "rhi_offered_pct"],
            "breakdown": ["19-21", None, None],
            "target": [55.0, 60.0, 90.0],
            "tolerance": [5.0, 5.0, None],
        }
    )
    assert scoring.pick_target(targets, "cl_eet_pct", "19-21") == (55.0, 5.0)
    assert scoring.pick_target(targets, "cl_eet_pct", "17-21") == (60.0, 5.0)
    assert scoring.pick_target(targets, "rhi_offered_pct", "care") == (90.0, None)
    assert scoring.pick_target(targets, "cla_count") == (None, None)
    assert scoring.pick_target(pd.DataFrame(), "cla_count") == (None, None)


def test_pick_comparators_shows_the_latest_published_figure_and_never_fills_a_gap():
    comparators = pd.DataFrame(
        {
            "kpi_id": ["k", "k", "k", "k"],
            "comparator": ["England", "England", "South East", "Statistical neighbours average"],
            "year": ["2023", "2024", "2024", "2024"],
            "value": [60.0, 62.5, None, 58.0],
            "source": ["EES", "EES", None, "ChAT"],
        }
    )
    found = scoring.pick_comparators(comparators, "k")
    assert found["England"] == {"value": 62.5, "year": "2024", "source": "EES"}
    assert found["South East"] is None
    assert found["Statistical neighbours"]["value"] == 58.0
    assert scoring.comparator_text(found["England"], "percent", 1) == "62.5% (2024)"
    assert scoring.comparator_text(found["South East"], "percent", 1) == "not published"


def test_scorecard_frame_gives_value_rag_travel_and_comparators_per_kpi():
    catalogue = pd.DataFrame(
        {
            "kpi_id": ["a", "b"],
            "name": ["A", "B"],
            "area": ["X", "X"],
            "unit": ["percent", "percent"],
            "polarity": ["higher", "lower"],
            "decimals": [1, 1],
        }
    )
    headline = pd.concat(
        [
            _series(
                [
                    ("month", "2024-02-01", "2024-02-29", False, 80.0, "ok"),
                    ("month", "2025-01-01", "2025-01-31", False, 85.0, "ok"),
                    ("month", "2025-02-01", "2025-02-14", True, 90.0, "ok"),
                ]
            ).assign(kpi_id="a", breakdown="all", numerator=[16, 17, 18], denominator=20),
            _series([("month", "2025-02-01", "2025-02-14", True, None, "no_cases")]).assign(
                kpi_id="b", breakdown="all", numerator=0, denominator=0
            ),
        ]
    )
    targets = pd.DataFrame({"kpi_id": ["a", "b"], "target": [90.0, 10.0], "tolerance": [5, 2]})
    comparators = pd.DataFrame(
        {"kpi_id": ["a"], "comparator": ["England"], "year": ["2024"], "value": [63.0]}
    )
    frame = scoring.scorecard_frame(catalogue, headline, targets, comparators).set_index("kpi_id")
    a, b = frame.loc["a"], frame.loc["b"]
    assert (a["display"], a["rag"], a["vs_previous"], a["vs_year_ago"]) == (
        "90.0%",
        "green",
        "improving",
        "improving",
    )
    assert a["period"] == "Feb 2025 (to 14 Feb 2025)"
    assert a["England"] == "63.0% (2024)"
    assert a["South East"] == "not published"
    assert b["display"] == "no cases"
    assert pd.isna(b["rag"])
    assert pd.isna(b["value"])


def test_a_comparator_is_shown_only_for_its_own_breakdown():
    comparators = pd.DataFrame(
        {
            "kpi_id": ["cl_neet_pct"],
            "breakdown": ["19-21"],
            "comparator": ["England"],
            "year": [2022],
            "value": [38.0],
            "source": ["written answer"],
        }
    )
    assert scoring.pick_comparators(comparators, "cl_neet_pct", "17-21")["England"] is None
    found = scoring.pick_comparators(comparators, "cl_neet_pct", "19-21")["England"]
    assert found == {"value": 38.0, "year": "2022", "source": "written answer"}
