"""How values, periods and dates are written on screen. Pure functions, no Dash."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

NO_CASES = "no cases"
NOT_SUPPLIED = "not supplied"
NOT_PUBLISHED = "not published"
NO_POPULATION = "no population (not a place)"
NO_FIGURE = "no figure"
SUPPRESSED = "suppressed"

DEFAULT_DECIMALS = {"percent": 1, "count": 0, "rate": 1, "ratio": 1}
UNIT_SUFFIX = {"percent": "%"}
POLARITY_TEXT = {
    "higher": "higher is better",
    "lower": "lower is better",
    "info": "for information (no better direction)",
}
TERM_NAMES = {9: "Autumn", 1: "Spring", 4: "Summer"}


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def decimals_for(unit: str | None, decimals: Any = None) -> int:
    if not is_missing(decimals):
        return int(decimals)
    return DEFAULT_DECIMALS.get(unit or "", 1)


def format_number(value: Any, decimals: int = 0) -> str:
    """``1234.5`` → ``"1,234.5"``; integral counts lose their ``.0``."""
    if is_missing(value):
        return ""
    number = float(value)
    if decimals == 0:
        return f"{round(number):,}"
    return f"{number:,.{decimals}f}"


def format_count(value: Any) -> str:
    """A numerator or denominator: whole numbers without decimals, FTE sums with one."""
    if is_missing(value):
        return ""
    number = float(value)
    return f"{round(number):,}" if number.is_integer() else f"{number:,.1f}"


def format_value(
    value: Any, unit: str | None, decimals: Any = None, status: str | None = "ok"
) -> str:
    """A KPI value as shown: ``"82.5%"``, ``"no cases"``, ``"not supplied"``.

    A value whose denominator is 0 is "no cases", never 0 % (kpis.md); a KPI whose source
    file was not supplied is "not supplied", never 0; a rate per 10,000 of a district with
    no population (County, Unallocated: not places) is "no population (not a place)".
    Under disclosure control a small count is "fewer than 6", and a figure hidden with it
    "suppressed".
    """
    if status == "not_supplied":
        return NOT_SUPPLIED
    if status == "no_cases":
        return NO_CASES
    if status == "no_population":
        return NO_POPULATION
    if status == "suppressed_small":  # disclosure control: a count of 1 to 5
        from dashboards.disclosure import small_count_text

        return small_count_text()
    if status == "suppressed":  # hidden so that a small count cannot be worked out
        return SUPPRESSED
    if is_missing(value):
        return NO_FIGURE
    text = format_number(value, decimals_for(unit, decimals))
    return text + UNIT_SUFFIX.get(unit or "", "")


def format_date(value: Any) -> str:
    """``2025-01-15`` → ``"15 Jan 2025"``."""
    if is_missing(value):
        return ""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%b %Y}"


def format_datetime(value: Any) -> str:
    if is_missing(value):
        return ""
    ts = pd.Timestamp(value)
    return f"{format_date(ts)} {ts:%H:%M}"


def month_key(value: Any) -> str:
    """``2025-01-31`` → ``"2025-01"`` (how months are written in URLs)."""
    return f"{pd.Timestamp(value):%Y-%m}"


def period_label(
    period_type: str, period_start: Any, period_end: Any, is_partial: Any = False
) -> str:
    """``"Jan 2025"``, ``"Jan 2025 (to 15 Jan 2025)"``, ``"Autumn term 2024"``, ``"2024-25"``."""
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if period_type == "term":
        label = f"{TERM_NAMES.get(start.month, 'Term')} term {start.year}"
    elif period_type == "year":
        first = start.year
        label = f"{first}-{(first + 1) % 100:02d}"
    else:
        label = f"{start:%b %Y}"
    if bool(is_partial) and not is_missing(is_partial):
        label += f" (to {format_date(end)})"
    return label


def fraction_text(numerator: Any, denominator: Any) -> str:
    """``"45 of 60"`` for a percentage's counts; just the count when there is no denominator."""
    if is_missing(numerator):
        return ""
    if is_missing(denominator):
        return format_count(numerator)
    return f"{format_count(numerator)} of {format_count(denominator)}"


def safe_float(value: Any) -> float | None:
    if is_missing(value):
        return None
    number = float(value)
    return None if math.isnan(number) else number
