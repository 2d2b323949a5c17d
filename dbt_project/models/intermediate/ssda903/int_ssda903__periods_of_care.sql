{#
    Periods of care (kpis.md "Period of care", readings 3 and 16), the base of "looked
    after on d" for every KPI:
        period_start <= d and (period_end is null or period_end > d)
    and of "looked after at any time in the 12 months to d" (reading 5, macro
    overlaps_window): period_start <= d and (period_end is null or period_end > the
    window's first day, d - 12 months + 1 day): a period ending on that first day was looked
    after on no day of the window.
#}
with

episodes as (
    select * from {{ ref('int_ssda903__episodes_in_periods') }}
    where {{ la_scope() }}
),

final as (
    select
        la_code,
        child,
        period_number,
        min(period_start) as period_start,
        min(period_end) as period_end,
        bool_or(period_end is null) as is_open,
        count(*) as episode_count,
        count(*) filter (where is_placement_start) as placement_count,
        {# arg_max / arg_min skip NULL values: coalesce so an open last episode gives NULL #}
        nullif(arg_max(coalesce(rec, ''), decom), '') as last_rec,
        nullif(arg_min(coalesce(rne, ''), decom), '') as first_rne,
        nullif(arg_min(coalesce(ls, ''), decom), '') as first_ls
    from episodes
    group by la_code, child, period_number
)

select * from final
