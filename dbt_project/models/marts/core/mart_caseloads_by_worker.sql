{#
    Caseload drill-down (kpis.md D: district -> team -> worker): one row per LA, month end
    d and worker in post on d with ROLE 4 or 5 (la_code, period_end, sw_id). Only LAs whose
    local extract supplied teams, workers and allocations.
    - In post on d: START_DATE <= d and (END_DATE blank or >= d); with several spells on
      one day, the ROLE 4/5 spell that started last (readings 6 and 10;
      int_local__worker_team_spells). Team and district are those of that spell; a team
      missing from teams.csv is shown in Unallocated.
    - cases: distinct children with an open allocation to the worker on d (ALLOC_START
      <= d and (ALLOC_END blank or > d)); every case type counts, and a child allocated to
      two workers counts for each (reading 10). is_case_holder: at least one case.
    - fte_counted: FTE, or 0 when blank or 0 (it adds cases but no FTE, reading 10);
      cases_per_fte is NULL then. is_above_threshold: cases / FTE strictly above the
      threshold of caseload_high_pct in the targets seed (default 20), or FTE 0 / blank.
#}
with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

worker_team_spells as (
    select * from {{ ref('int_local__worker_team_spells') }}
    where {{ la_scope() }} and role in (4, 5)
),

allocations as (
    select * from {{ ref('fct_allocations') }}
    where {{ la_scope() }} and is_usable
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }} and is_supplied_teams and is_supplied_workers and is_supplied_allocations
),

targets as (
    select * from {{ ref('targets') }}
),

threshold as (
    select coalesce(max(threshold), 20) as threshold
    from targets
    where kpi_id = 'caseload_high_pct'
),

workers_in_post as (
    select
        month_ends.la_code,
        month_ends.period_start,
        month_ends.period_end,
        month_ends.is_partial,
        worker_team_spells.sw_id,
        worker_team_spells.team_id,
        worker_team_spells.team_name,
        coalesce(worker_team_spells.district, 'Unallocated') as district,
        worker_team_spells.role,
        worker_team_spells.fte,
        worker_team_spells.agency
    from month_ends
    inner join las
        on month_ends.la_code = las.la_code
    inner join worker_team_spells
        on
            month_ends.la_code = worker_team_spells.la_code
            and month_ends.period_end >= worker_team_spells.valid_from
            and (
                worker_team_spells.valid_to is null
                or month_ends.period_end < worker_team_spells.valid_to
            )
),

cases as (
    select
        month_ends.la_code,
        month_ends.period_end,
        allocations.sw_id,
        count(distinct allocations.child) as cases
    from month_ends
    inner join allocations
        on
            month_ends.la_code = allocations.la_code
            and month_ends.period_end >= allocations.alloc_start
            and (allocations.alloc_end is null or month_ends.period_end < allocations.alloc_end)
    group by month_ends.la_code, month_ends.period_end, allocations.sw_id
),

joined as (
    select
        workers_in_post.*,
        coalesce(cases.cases, 0) as cases,
        case when workers_in_post.fte > 0 then workers_in_post.fte else 0 end as fte_counted,
        threshold.threshold
    from workers_in_post
    cross join threshold
    left join cases
        on
            workers_in_post.la_code = cases.la_code
            and workers_in_post.period_end = cases.period_end
            and workers_in_post.sw_id = cases.sw_id
),

final as (
    select
        la_code,
        period_start,
        period_end,
        is_partial,
        district,
        team_id,
        team_name,
        sw_id,
        role,
        fte,
        fte_counted,
        coalesce(agency = 'Y', false) as is_agency,
        agency,
        cases,
        cases > 0 as is_case_holder,
        case when fte_counted > 0 then cases / fte_counted end as cases_per_fte,
        threshold,
        cases > 0 and (fte_counted = 0 or cases / fte_counted > threshold) as is_above_threshold
    from joined
)

select * from final
