"""Every date the data can touch, with England and Wales working days.

One row per calendar date. Working days are Monday to Friday except England and Wales
bank holidays (kpis.md "Working days"), computed by the ``holidays`` library
(``holidays.country_holidays("GB", subdiv="ENG")``), never typed in by hand.

``working_day_number`` counts working days from the first date up to and including each
date, so that "the N-th working day strictly after s" (kpis.md reading 4) is the working
day whose number is ``working_day_number(s) + N`` (see macros/working_days.sql).

Range: 1 January of the year before the earliest episode start (DECOM), or of the earliest
first month measured, to 31 December two years after the latest extract date. The lower
bound is clipped to 25 years before the first month measured, so that a typing error such
as 01/01/0201 cannot make the calendar huge.
"""

import datetime as dt

import holidays

MARGIN_YEARS_AFTER = 2
MAX_YEARS_BEFORE = 25


def _bounds(dbt) -> tuple[dt.date, dt.date]:
    extracts = dbt.ref("int_la__extracts")
    first_period, as_at = extracts.aggregate(
        "min(first_period_start) as first_period, max(as_at_date) as as_at"
    ).fetchall()[0]
    min_decom = dbt.ref("stg_ssda903__episodes").aggregate("min(decom)").fetchall()[0][0]

    today = dt.date.today()
    first_period = first_period or today
    as_at = as_at or today
    earliest = min(d for d in (min_decom, first_period) if d is not None)
    earliest = max(earliest, first_period.replace(year=first_period.year - MAX_YEARS_BEFORE))
    return dt.date(earliest.year - 1, 1, 1), dt.date(as_at.year + MARGIN_YEARS_AFTER, 12, 31)


def model(dbt, session):
    dbt.config(materialized="table")
    start, end = _bounds(dbt)
    bank_holidays = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(start.year, end.year + 1)
    )

    # A DuckDB relation, not a pandas frame: importing pandas alone costs ~2 s here.
    session.execute(
        "create or replace temp table bank_holidays (holiday_date date, holiday_name varchar)"
    )
    session.executemany("insert into bank_holidays values (?, ?)", sorted(bank_holidays.items()))
    return session.sql(
        f"""
        with

        dates as (
            select cast(day as date) as calendar_date
            from generate_series(date '{start.isoformat()}', date '{end.isoformat()}',
                interval 1 day) as series (day)
        ),

        flagged as (
            select
                dates.calendar_date,
                isodow(dates.calendar_date) as iso_day_of_week,
                isodow(dates.calendar_date) >= 6 as is_weekend,
                bank_holidays.holiday_name as bank_holiday_name,
                bank_holidays.holiday_date is not null as is_bank_holiday
            from dates
            left join bank_holidays
                on dates.calendar_date = bank_holidays.holiday_date
        )

        select
            *,
            not is_weekend and not is_bank_holiday as is_working_day,
            sum(case when not is_weekend and not is_bank_holiday then 1 else 0 end)
                over (order by calendar_date rows between unbounded preceding and current row)
                ::bigint as working_day_number
        from flagged
        order by calendar_date
        """
    )
