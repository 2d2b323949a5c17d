{#
    Windows of calendar months ending on a measurement date d (kpis.md reading 5).
    "The N months to d" is (d − N months, d]: its first day is the day after d − N months,
    and month arithmetic clips to the month's last day (31/08 − 30 months = 29/02 or 28/02).
    An episode or period [start, end) overlaps the window when it starts on or before d and
    ends (DEC) after the window's first day: one ending ON the first day was looked after
    on no day of the window (looked after on x means start <= x < DEC), so it is not in it.
    Every window of the project goes through these macros (docs/kpi-decisions.md 59).
#}

{# d − N calendar months, clipped to the month's last day. #}
{% macro months_before(on_date, months) -%}
    cast({{ on_date }} - to_months(cast({{ months }} as integer)) as date)
{%- endmacro %}

{# The first day of the N months to d: (d − N months) + 1 day. #}
{% macro window_first_day(on_date, months) -%}
    cast({{ months_before(on_date, months) }} + 1 as date)
{%- endmacro %}

{# A one-day event (MIS_START, a PEP) falls in the N months to d. #}
{% macro in_window(event_date, on_date, months) -%}
    ({{ event_date }} >= {{ window_first_day(on_date, months) }} and {{ event_date }} <= {{ on_date }})
{%- endmacro %}

{# An interval [start_date, end_date) (end NULL = still open) overlaps the N months to d. #}
{% macro overlaps_window(start_date, end_date, on_date, months) -%}
    (
        {{ start_date }} <= {{ on_date }}
        and ({{ end_date }} is null or {{ end_date }} > {{ window_first_day(on_date, months) }})
    )
{%- endmacro %}
