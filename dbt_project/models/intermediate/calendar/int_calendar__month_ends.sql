{#
    The months measured (kpis.md reading 1): from April of the LA's earliest 903 collection
    year to the LA's latest extract date. The latest month is partial when that date is not
    its last day: it is then measured as at the extract date.
#}
with

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }} and first_period_start is not null and as_at_date >= first_period_start
),

months as (
    select
        las.la_code,
        las.as_at_date,
        cast(month_series.month_start as date) as period_start
    from las
    cross join unnest(
        generate_series(
            cast(las.first_period_start as timestamp),
            cast(date_trunc('month', las.as_at_date) as timestamp),
            interval 1 month
        )
    ) as month_series (month_start)
),

final as (
    select
        la_code,
        period_start,
        least(last_day(period_start), as_at_date) as period_end,
        last_day(period_start) as month_end,
        as_at_date < last_day(period_start) as is_partial,
        as_at_date
    from months
)

select * from final
