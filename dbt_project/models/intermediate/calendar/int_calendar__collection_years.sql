{#
    Collection years (1 April to 31 March) measured per LA, for annual KPIs; the current
    year is measured as at the LA's latest extract date. ssda903_extract_date is the date of
    that year's winning 903 extract (the in-year cutoff of kpis.md reading 11).
#}
with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

extract_files as (
    select * from {{ ref('stg_raw_meta__extract_files') }}
    where {{ la_scope() }}
),

years as (
    select distinct
        la_code,
        as_at_date,
        case
            when month(period_start) >= 4 then year(period_start)
            else year(period_start) - 1
        end as start_year
    from month_ends
),

ssda903_extracts as (
    select
        la_code,
        collection_year,
        max(extract_date) as ssda903_extract_date
    from extract_files
    where source = 'ssda903'
    group by la_code, collection_year
),

final as (
    select
        years.la_code,
        years.start_year::varchar
        || '-'
        || right((years.start_year + 1)::varchar, 2) as collection_year,
        make_date(years.start_year, 4, 1) as period_start,
        make_date(years.start_year + 1, 3, 31) as year_end,
        least(make_date(years.start_year + 1, 3, 31), years.as_at_date) as period_end,
        years.as_at_date < make_date(years.start_year + 1, 3, 31) as is_partial,
        years.as_at_date
    from years
)

select
    final.*,
    ssda903_extracts.ssda903_extract_date
from final
left join ssda903_extracts
    on
        final.la_code = ssda903_extracts.la_code
        and final.collection_year = ssda903_extracts.collection_year
