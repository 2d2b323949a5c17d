{#
    Action list for the care leavers' service (kpis.md C): every young person in the
    current collection year's care-leaver cohort (the year containing the LA's as-at
    date; birthday in the year on or before the 903 extract date) who is not in touch
    (IN_TOUCH other than YES: NO, NREQ, REFU or blank) or NEET (ACTIV G4, G5, G6). District,
    worker and team on the as-at date (who acts now); district_at_birthday is where the
    young person counts in the KPIs.
#}
with

care_leavers as (
    select * from {{ ref('fct_care_leaver_outcomes') }}
    where {{ la_scope() }} and is_in_kpis and (not is_in_touch or is_neet)
),

collection_years as (
    select * from {{ ref('int_calendar__collection_years') }}
    where {{ la_scope() }} and period_end = as_at_date
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

current_year as (
    select
        care_leavers.*,
        collection_years.as_at_date
    from care_leavers
    inner join collection_years
        on
            care_leavers.la_code = collection_years.la_code
            and care_leavers.collection_year = collection_years.collection_year
),

final as (
    select
        current_year.la_code,
        current_year.as_at_date,
        current_year.collection_year,
        current_year.child,
        current_year.birthday,
        current_year.age,
        current_year.age_group,
        current_year.in_touch,
        current_year.activ,
        current_year.accom,
        not current_year.is_in_touch as is_not_in_touch,
        current_year.is_neet,
        case
            when not current_year.is_in_touch and current_year.is_neet then 'not_in_touch_and_neet'
            when current_year.is_neet then 'neet'
            else 'not_in_touch'
        end as reason,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name,
        current_year.district as district_at_birthday
    from current_year
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'current_year.la_code', 'current_year.child', 'current_year.as_at_date'
        ) }}
)

select * from final
