"""How values, periods and dates are written on screen."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboards import formatting as fmt


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "status", "expected"),
    [
        (82.456, "percent", 1, "ok", "82.5%"),
        (82.0, "percent", None, "ok", "82.0%"),
        (1234.0, "count", 0, "ok", "1,234"),
        (45.25, "rate", None, "ok", "45.2"),
        (14.25, "ratio", 2, "ok", "14.25"),
        (None, "percent", 1, "no_cases", "no cases"),
        (0.0, "percent", 1, "no_cases", "no cases"),
        (None, "percent", 1, "not_supplied", "not supplied"),
        (None, "count", 0, "not_supplied", "not supplied"),
        (None, "rate", 1, "no_population", "no population (not a place)"),
        (math.nan, "percent", 1, "ok", "no figure"),
    ],
)
def test_format_value_writes_units_and_never_shows_no_cases_as_zero(
    value, unit, decimals, status, expected
):
    assert fmt.format_value(value, unit, decimals, status) == expected


def test_period_label_marks_the_partial_latest_month_with_its_measurement_date():
    label = fmt.period_label("month", dt.date(2025, 2, 1), dt.date(2025, 2, 14), True)
    assert label == "Feb 2025 (to 14 Feb 2025)"
    assert fmt.period_label("month", dt.date(2025, 1, 1), dt.date(2025, 1, 31), False) == "Jan 2025"


def test_period_label_names_terms_and_collection_years():
    assert fmt.period_label("term", "2024-09-01", "2024-12-31") == "Autumn term 2024"
    assert fmt.period_label("term", "2025-01-01", "2025-02-14", True) == (
        "Spring term 2025 (to 14 Feb 2025)"
    )
    assert fmt.period_label("year", "2023-04-01", "2024-03-31") == "2023-24"
    assert fmt.period_label("year", "2099-04-01", "2100-03-31") == "2099-00"


def test_fraction_text_shows_counts_without_decimals_unless_fractional():
    assert fmt.fraction_text(45.0, 60.0) == "45 of 60"
    assert fmt.fraction_text(12.5, None) == "12.5"
    assert fmt.fraction_text(None, 10) == ""


def test_dates_and_months_are_written_the_uk_way():
    assert fmt.format_date(dt.date(2025, 2, 4)) == "4 Feb 2025"
    assert fmt.format_datetime(dt.datetime(2025, 2, 15, 6, 30)) == "15 Feb 2025 06:30"
    assert fmt.month_key(dt.date(2025, 1, 31)) == "2025-01"
