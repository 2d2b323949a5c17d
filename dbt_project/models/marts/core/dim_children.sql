{#
    One row per child known to the warehouse (la_code, child): every child of the 903
    header (any year) and every child only in local tables (allocations, missing from
    home, PEPs). Demographics from the latest header row; care history from the periods
    of care; district, worker and team on the LA's as-at date. upn is personal data.
#}
with

children as (
    select * from {{ ref('int_ssda903__children') }}
    where {{ la_scope() }}
),

periods as (
    select * from {{ ref('fct_periods_of_care') }}
    where {{ la_scope() }}
),

allocations as (
    select * from {{ ref('stg_local__allocations') }}
    where {{ la_scope() }}
),

missing_from_home as (
    select * from {{ ref('stg_local__missing_from_home') }}
    where {{ la_scope() }}
),

peps as (
    select * from {{ ref('stg_local__peps') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

known_children as (
    select
        la_code,
        child
    from children
    union
    select
        la_code,
        child
    from allocations
    where child is not null
    union
    select
        la_code,
        child
    from missing_from_home
    where child is not null
    union
    select
        la_code,
        child
    from peps
    where child is not null
),

care_history as (
    select
        la_code,
        child,
        count(*) as periods_of_care,
        min(period_start) as first_care_start,
        max(period_start) as latest_care_start,
        max(period_start) filter (
            where period_start <= as_at_date and (period_end is null or period_end > as_at_date)
        ) as current_care_start
    from periods
    group by la_code, child
),

final as (
    select
        known_children.la_code,
        known_children.child,
        children.sex,
        children.dob,
        children.is_valid_dob,
        children.ethnic,
        children.upn,
        children.child is not null as is_in_ssda903,
        children.first_collection_year,
        children.latest_collection_year,
        coalesce(care_history.periods_of_care, 0) as periods_of_care,
        care_history.first_care_start,
        care_history.latest_care_start,
        care_history.current_care_start is not null as is_looked_after_at_as_at,
        care_history.current_care_start,
        {{ age_on('children.dob', 'las.as_at_date') }} as age_at_as_at,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name,
        las.as_at_date
    from known_children
    inner join las
        on known_children.la_code = las.la_code
    left join children
        on
            known_children.la_code = children.la_code
            and known_children.child = children.child
    left join care_history
        on
            known_children.la_code = care_history.la_code
            and known_children.child = care_history.child
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'known_children.la_code', 'known_children.child', 'las.as_at_date'
        ) }}
)

select * from final
