{#
    Periods of care with the dates and facts the section B and E KPIs judge them by:
    - working_day_10 / working_day_20: the 10th / 20th working day strictly after the
      period's start (kpis.md reading 4; weekends and England and Wales bank holidays off);
    - age and statutory school age on the period's start (initial PEPs, reading 9), from
      the 903 header's DOB (NULL when blank or unreadable);
    - district, worker and team on the period's start (initial PEPs, cla_starts) and on its
      end (cla_ceased) (reading 7).
    A period that began before the earliest year supplied starts at its first visible
    DECOM (reading 16).
#}
with

periods_of_care as (
    select * from {{ ref('int_ssda903__periods_of_care') }}
    where {{ la_scope() }}
),

children as (
    select * from {{ ref('int_ssda903__children') }}
    where {{ la_scope() }}
),

working_days as (
    select * from {{ ref('int_calendar__working_days') }}
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

with_working_days as (
    select
        periods_of_care.*,
        children.dob,
        working_day_10.calendar_date as working_day_10,
        working_day_20.calendar_date as working_day_20
    from periods_of_care
    left join children
        on
            periods_of_care.la_code = children.la_code
            and periods_of_care.child = children.child
    left join working_days as start_day
        on periods_of_care.period_start = start_day.calendar_date
    left join working_days as working_day_10
        on
            start_day.working_day_number + 10 = working_day_10.working_day_number
            and working_day_10.is_working_day
    left join working_days as working_day_20
        on
            start_day.working_day_number + 20 = working_day_20.working_day_number
            and working_day_20.is_working_day
),

final as (
    select
        with_working_days.la_code,
        with_working_days.child,
        with_working_days.period_number,
        with_working_days.period_start,
        with_working_days.period_end,
        with_working_days.is_open,
        with_working_days.episode_count,
        with_working_days.placement_count,
        with_working_days.first_rne,
        with_working_days.first_ls,
        with_working_days.last_rec,
        with_working_days.working_day_10,
        with_working_days.working_day_20,
        with_working_days.dob,
        {{ age_on('with_working_days.dob', 'with_working_days.period_start') }} as age_at_start,
        {{ is_school_age_on('with_working_days.dob', 'with_working_days.period_start') }}
            as is_school_age_at_start,
        {{ district_on_column('start_spells') }} as district_at_start,
        start_spells.sw_id as sw_id_at_start,
        start_spells.team_id as team_id_at_start,
        case
            when with_working_days.period_end is not null
                then {{ district_on_column('end_spells') }}
        end as district_at_end,
        end_spells.sw_id as sw_id_at_end,
        end_spells.team_id as team_id_at_end
    from with_working_days
    left join district_spells as start_spells
        on {{ district_on_join(
            'start_spells', 'with_working_days.la_code', 'with_working_days.child',
            'with_working_days.period_start'
        ) }}
    left join district_spells as end_spells
        on {{ district_on_join(
            'end_spells', 'with_working_days.la_code', 'with_working_days.child',
            'with_working_days.period_end'
        ) }}
)

select * from final
