{#
    School terms measured per LA (kpis.md "School terms": autumn 1 Sep-31 Dec, spring
    1 Jan-31 Mar, summer 1 Apr-31 Aug), over the same months as int_calendar__month_ends.
    The current term is measured as at the extract date.
#}
with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

months_in_terms as (
    select
        la_code,
        as_at_date,
        case
            when month(period_start) >= 9 then make_date(year(period_start), 9, 1)
            when month(period_start) <= 3 then make_date(year(period_start), 1, 1)
            else make_date(year(period_start), 4, 1)
        end as term_start
    from month_ends
),

terms as (
    select distinct
        la_code,
        as_at_date,
        term_start
    from months_in_terms
),

final as (
    select
        la_code,
        case month(term_start)
            when 9 then year(term_start)
            else year(term_start) - 1
        end as school_year_start,
        case month(term_start)
            when 9 then 'autumn'
            when 1 then 'spring'
            else 'summer'
        end as term_name,
        term_start,
        case month(term_start)
            when 9 then make_date(year(term_start), 12, 31)
            when 1 then make_date(year(term_start), 3, 31)
            else make_date(year(term_start), 8, 31)
        end as term_end,
        term_start as period_start,
        least(term_end, as_at_date) as period_end,
        as_at_date < term_end as is_partial,
        as_at_date
    from terms
)

select
    la_code,
    school_year_start::varchar || '/' || right((school_year_start + 1)::varchar, 2) as school_year,
    term_name,
    term_start,
    term_end,
    period_start,
    period_end,
    is_partial,
    as_at_date
from final
