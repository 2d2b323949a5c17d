{#
    Action list for the virtual school (kpis.md B): every child in the pep_in_term_pct
    cohort on the LA's as-at date (looked after, of statutory school age, 20th working day
    in care passed) with no COMPLETE PEP dated since the start of the current term. Taken
    from the KPI's own members, so the list is exactly the figure's shortfall. District,
    worker and team on the as-at date. Only LAs whose local extract supplied peps.
#}
with

members as (
    select * from {{ ref('kpi_peps_members') }}
    where
        {{ la_scope() }}
        and kpi_id = 'pep_in_term_pct'
        and period_type = 'month'
        and not in_numerator
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

looked_after as (
    select * from {{ ref('int_looked_after__children_at_month_ends') }}
    where {{ la_scope() }}
),

complete_peps as (
    select * from {{ ref('fct_peps') }}
    where {{ la_scope() }} and is_complete
),

outstanding as (
    select looked_after.*
    from members
    inner join las
        on
            members.la_code = las.la_code
            and members.period_end = las.as_at_date
    inner join looked_after
        on
            members.la_code = looked_after.la_code
            and members.period_end = looked_after.period_end
            and members.child = looked_after.child
),

last_peps as (
    select
        outstanding.la_code,
        outstanding.child,
        max(complete_peps.pep_date) as last_complete_pep_date
    from outstanding
    inner join complete_peps
        on
            outstanding.la_code = complete_peps.la_code
            and outstanding.child = complete_peps.child
            and outstanding.period_end >= complete_peps.pep_date
    group by outstanding.la_code, outstanding.child
),

final as (
    select
        outstanding.la_code,
        outstanding.period_end as as_at_date,
        outstanding.child,
        outstanding.district,
        outstanding.sw_id,
        outstanding.team_id,
        outstanding.team_name,
        outstanding.care_period_start,
        outstanding.days_in_care,
        outstanding.age,
        outstanding.age_for_school_year,
        case outstanding.age_for_school_year
            when 4 then 'Reception'
            else 'Year ' || (outstanding.age_for_school_year - 4)
        end as school_year_group,
        outstanding.term_start,
        last_peps.last_complete_pep_date,
        cast(outstanding.period_end - last_peps.last_complete_pep_date as integer)
            as days_since_last_complete_pep
    from outstanding
    left join last_peps
        on
            outstanding.la_code = last_peps.la_code
            and outstanding.child = last_peps.child
)

select * from final
