{#
    "N working days after s" = the N-th working day strictly after s (kpis.md reading 4),
    with weekends and England and Wales bank holidays off (int_calendar__working_days,
    built by the holidays library). working_day_number counts working days up to and
    including each date, so the answer is the working day numbered wdn(s) + N.
    Returns a scalar subquery; for large sets join int_calendar__working_days twice instead.
#}
{% macro working_days_after(date_expr, n) -%}
    (
        select wd_after.calendar_date
        from {{ ref('int_calendar__working_days') }} as wd_after
        where
            wd_after.is_working_day
            and wd_after.working_day_number = (
                select wd_from.working_day_number + {{ n }}
                from {{ ref('int_calendar__working_days') }} as wd_from
                where wd_from.calendar_date = {{ date_expr }}
            )
    )
{%- endmacro %}
