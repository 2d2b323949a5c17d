{#
    Children looked after on each measurement date d of int_calendar__month_ends (the
    month's last day, or the extract date in the partial month): a period of care with
    period_start <= d and (period_end blank or > d), short breaks excluded (kpis.md
    "Looked after on date d", reading 3). Term ends are month ends, so the termly PEP
    KPIs are measured on these rows too. With, on d:
    - the current period of care (care_period_*), its 20th working day, and days in care;
    - the current episode (the one with DECOM <= d < DEC) and its placement's start;
    - age (completed years) and statutory school age (age on the 31 August before the
      school year containing d between 4 and 15);
    - the district, worker and team (reading 7: every other KPI uses d).
#}
with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

periods as (
    select * from {{ ref('int_looked_after__periods_with_milestones') }}
    where {{ la_scope() }}
),

episodes as (
    select * from {{ ref('int_ssda903__episodes_in_periods') }}
    where {{ la_scope() }}
),

placements as (
    select * from {{ ref('int_looked_after__placements') }}
    where {{ la_scope() }}
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

looked_after as (
    select
        month_ends.la_code,
        month_ends.period_start,
        month_ends.period_end,
        month_ends.is_partial,
        periods.child,
        periods.period_number as care_period_number,
        periods.period_start as care_period_start,
        periods.working_day_20 as care_period_working_day_20,
        periods.dob
    from month_ends
    inner join periods
        on
            month_ends.la_code = periods.la_code
            and month_ends.period_end >= periods.period_start
            and (periods.period_end is null or month_ends.period_end < periods.period_end)
),

{# Overlapping episodes are bad input: keep the one that started last. #}
current_episodes as (
    select
        looked_after.la_code,
        looked_after.period_end,
        looked_after.child,
        episodes.decom,
        episodes.ls,
        episodes.place,
        episodes.placement_number
    from looked_after
    inner join episodes
        on
            looked_after.la_code = episodes.la_code
            and looked_after.child = episodes.child
            and looked_after.care_period_number = episodes.period_number
            and looked_after.period_end >= episodes.decom
            and (episodes.dec is null or looked_after.period_end < episodes.dec)
    qualify row_number() over (
        partition by looked_after.la_code, looked_after.period_end, looked_after.child
        order by episodes.decom desc
    ) = 1
),

final as (
    select
        looked_after.la_code,
        looked_after.period_start,
        looked_after.period_end,
        looked_after.is_partial,
        looked_after.child,
        looked_after.care_period_number,
        looked_after.care_period_start,
        looked_after.care_period_working_day_20,
        cast(looked_after.period_end - looked_after.care_period_start as integer) as days_in_care,
        current_episodes.decom as episode_decom,
        current_episodes.ls,
        current_episodes.place,
        current_episodes.placement_number,
        placements.placement_start,
        looked_after.dob,
        {{ age_on('looked_after.dob', 'looked_after.period_end') }} as age,
        {{ age_for_school_year('looked_after.dob', 'looked_after.period_end') }}
            as age_for_school_year,
        coalesce({{ is_school_age_on('looked_after.dob', 'looked_after.period_end') }}, false)
            as is_school_age,
        {{ term_start('looked_after.period_end') }} as term_start,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name
    from looked_after
    left join current_episodes
        on
            looked_after.la_code = current_episodes.la_code
            and looked_after.period_end = current_episodes.period_end
            and looked_after.child = current_episodes.child
    left join placements
        on
            looked_after.la_code = placements.la_code
            and looked_after.child = placements.child
            and looked_after.care_period_number = placements.period_number
            and current_episodes.placement_number = placements.placement_number
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'looked_after.la_code', 'looked_after.child',
            'looked_after.period_end'
        ) }}
)

select * from final
