{#
    Ages and school terms (kpis.md "Common definitions"). One rule for every date sum:
    DuckDB month arithmetic, which clips to the month's last day (kpis.md reading 5), so
    a 29 February birthday falls on 28 February in a common year (docs/kpi-decisions.md).
#}

{# A date plus a whole number of years, clipped to the month's last day. #}
{% macro add_years(date_expr, years_expr) -%}
    cast({{ date_expr }} + to_years(cast({{ years_expr }} as integer)) as date)
{%- endmacro %}

{# Age on a date: completed years since DOB (the birthday of the year reached or not). #}
{% macro age_on(dob, on_date) -%}
    (
        year({{ on_date }}) - year({{ dob }})
        - case
            when {{ add_years(dob, 'year(' ~ on_date ~ ') - year(' ~ dob ~ ')') }} > {{ on_date }}
                then 1
            else 0
        end
    )
{%- endmacro %}

{# 1 September that starts the school year (1 September to 31 August) containing a date. #}
{% macro school_year_start(on_date) -%}
    make_date(
        case when month({{ on_date }}) >= 9 then year({{ on_date }}) else year({{ on_date }}) - 1 end,
        9,
        1
    )
{%- endmacro %}

{#
    Statutory school age on a date: age on the 31 August before the school year that
    contains the date between 4 and 15 inclusive (Reception to Year 11). NULL DOB: NULL.
#}
{% macro age_for_school_year(dob, on_date) -%}
    {{ age_on(dob, 'cast(' ~ school_year_start(on_date) ~ ' - 1 as date)') }}
{%- endmacro %}

{% macro is_school_age_on(dob, on_date) -%}
    ({{ age_for_school_year(dob, on_date) }} between 4 and 15)
{%- endmacro %}

{# First day of the school term containing a date: 1 Sep, 1 Jan or 1 Apr. #}
{% macro term_start(on_date) -%}
    case
        when month({{ on_date }}) >= 9 then make_date(year({{ on_date }}), 9, 1)
        when month({{ on_date }}) <= 3 then make_date(year({{ on_date }}), 1, 1)
        else make_date(year({{ on_date }}), 4, 1)
    end
{%- endmacro %}
