"""Day arithmetic for the simulation.

Inside the generator every date is an ``int`` proleptic ordinal (``date.toordinal()``):
adding days is integer addition and comparing is integer comparison, which keeps the
per-LA simulation fast. ``NEVER`` stands for "after the end of the world" (an episode or
allocation still open at the end of the simulation).
"""

from __future__ import annotations

import bisect
from datetime import date
from functools import cache, lru_cache

import holidays

NEVER = date(9999, 12, 31).toordinal()


def d(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal()


def to_date(ordinal: int) -> date:
    return date.fromordinal(ordinal)


@cache
def fmt(ordinal: int) -> str:
    """``dd/mm/yyyy`` as the DfE 903 guide writes dates."""
    day = date.fromordinal(ordinal)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


@lru_cache(maxsize=1 << 17)
def add_years(ordinal: int, years: int) -> int:
    """Same day ``years`` later (29 February becomes 1 March, as UK law counts birthdays)."""
    day = date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:
        return date(day.year + years, 3, 1).toordinal()


def year_end(ordinal: int) -> int:
    """The 31 March ending the collection year of ``ordinal``."""
    day = date.fromordinal(ordinal)
    return date(day.year + (day.month > 3), 3, 31).toordinal()


def add_months(ordinal: int, months: int) -> int:
    """Calendar months later, clipped to the month's last day (kpis.md reading 5)."""
    day = date.fromordinal(ordinal)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _month_len(year, month))).toordinal()


def _month_len(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


def month_end(year: int, month: int) -> int:
    return date(year, month, _month_len(year, month)).toordinal()


def school_years(dob: int) -> tuple[int, int]:
    """First and last day of statutory school age (Reception to Year 11): the school years
    whose 31 August-before age is 4 to 15 (kpis.md)."""
    born = date.fromordinal(dob)
    first = born.year + 4 + ((born.month, born.day) > (8, 31))
    return date(first, 9, 1).toordinal(), date(first + 12, 8, 31).toordinal()


def age_on(dob: int, day: int) -> int:
    """Completed years on ``day``."""
    born, then = date.fromordinal(dob), date.fromordinal(day)
    return then.year - born.year - ((then.month, then.day) < (born.month, born.day))


def school_age_on(dob: int, day: int) -> int:
    """Age on the 31 August before the school year containing ``day`` (kpis.md)."""
    then = date.fromordinal(day)
    sept_year = then.year if then.month >= 9 else then.year - 1
    return age_on(dob, date(sept_year, 8, 31).toordinal())


class WorkingDays:
    """Monday–Friday except England and Wales bank holidays, from the ``holidays`` package."""

    def __init__(self, first_year: int, last_year: int) -> None:
        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
        bank_days = {day.toordinal() for day in bank}
        start, end = d(first_year, 1, 1), d(last_year, 12, 31)
        self.days = [
            o for o in range(start, end + 1) if (o - 1) % 7 < 5 and o not in bank_days
        ]  # ordinal 1 (1 Jan 0001) was a Monday, so (o - 1) % 7 is the weekday

    def after(self, ordinal: int, n: int) -> int:
        """The n-th working day strictly after ``ordinal`` (kpis.md reading 4)."""
        i = bisect.bisect_right(self.days, ordinal) + n - 1
        return self.days[min(i, len(self.days) - 1)]

    def on_or_before(self, ordinal: int) -> int:
        i = bisect.bisect_right(self.days, ordinal) - 1
        return self.days[max(i, 0)]

    def between(self, first: int, last: int) -> tuple[int, int]:
        """Index range ``[lo, hi)`` of the working days in ``[first, last]``."""
        return bisect.bisect_left(self.days, first), bisect.bisect_right(self.days, last)
