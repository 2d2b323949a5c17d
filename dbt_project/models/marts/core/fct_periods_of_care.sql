{#
    One row per period of care (la_code, child, period_number), short breaks excluded
    (kpis.md reading 3), with its milestones: the 10th and 20th working days after its
    start, age and school age on its start, the district on its start and end (reading 7),
    and whether it is open on the LA's as-at date. A period that began before the earliest
    year supplied starts at its first visible DECOM (reading 16): has_start_before_data
    marks a period starting before the first month measured.
#}
with

periods as (
    select * from {{ ref('int_looked_after__periods_with_milestones') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

final as (
    select
        periods.la_code,
        periods.child,
        periods.period_number,
        periods.period_start,
        periods.period_end,
        periods.is_open,
        cast(coalesce(periods.period_end, las.as_at_date) - periods.period_start as integer)
            as days_in_care,
        periods.episode_count,
        periods.placement_count,
        periods.first_rne,
        periods.first_ls,
        periods.last_rec,
        periods.working_day_10,
        periods.working_day_20,
        periods.dob,
        periods.age_at_start,
        periods.is_school_age_at_start,
        periods.district_at_start,
        periods.sw_id_at_start,
        periods.team_id_at_start,
        periods.district_at_end,
        periods.sw_id_at_end,
        periods.team_id_at_end,
        periods.period_start < las.first_period_start as has_start_before_data,
        las.as_at_date
    from periods
    inner join las
        on periods.la_code = las.la_code
)

select * from final
