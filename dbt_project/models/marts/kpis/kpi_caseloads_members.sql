{#
    Who is counted in every section D value (kpis.md D), one row per (KPI value at
    district level, member), at each month end d. District ALL = every district.
    - caseload_avg, caseload_high_pct, agency_fte_pct: case-holding workers on d
      (mart_caseloads_by_worker: in post with ROLE 4/5 and at least one open allocation),
      in the district of their team (member = the worker, sw_id). The weights say what a
      worker adds: caseload_avg adds its cases to the numerator and its FTE to the
      denominator; agency_fte_pct adds its FTE to both (numerator only when AGENCY = Y);
      caseload_high_pct counts workers (numerator: is_above_threshold). FTE 0 or blank
      adds 0 FTE (reading 10).
    - cla_unallocated: children looked after on d with no open allocation to any worker
      (a child allocated only to a worker not in post counts as allocated, reading 6);
      such a child is in Unallocated. Member = the child.
    Only LAs that supplied what each KPI needs (teams, workers and allocations for the
    worker KPIs; allocations for cla_unallocated).
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

with

caseloads as (
    select * from {{ ref('mart_caseloads_by_worker') }}
    where {{ la_scope() }} and is_case_holder
),

looked_after as (
    select * from {{ ref('int_looked_after__children_at_month_ends') }}
    where {{ la_scope() }}
),

allocations as (
    select * from {{ ref('fct_allocations') }}
    where {{ la_scope() }} and is_usable
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }} and is_supplied_allocations
),

worker_members as (
    select
        caseloads.la_code,
        caseloads.district,
        caseloads.period_start,
        caseloads.period_end,
        worker_kpis.kpi_id,
        'worker' as member_type,
        cast(null as varchar) as child,
        caseloads.sw_id,
        case worker_kpis.kpi_id
            when 'caseload_high_pct' then caseloads.is_above_threshold
            when 'agency_fte_pct' then caseloads.is_agency
            else true
        end as in_numerator,
        true as in_denominator,
        case worker_kpis.kpi_id
            when 'caseload_avg' then cast(caseloads.cases as double)
            when 'agency_fte_pct' then caseloads.fte_counted
            else 1.0
        end as numerator_weight,
        case worker_kpis.kpi_id
            when 'caseload_high_pct' then 1.0
            else caseloads.fte_counted
        end as denominator_weight
    from caseloads
    cross join (
        values ('caseload_avg'), ('caseload_high_pct'), ('agency_fte_pct')
    ) as worker_kpis (kpi_id)
),

allocated_on_d as (
    select distinct
        looked_after.la_code,
        looked_after.period_end,
        looked_after.child
    from looked_after
    inner join allocations
        on
            looked_after.la_code = allocations.la_code
            and looked_after.child = allocations.child
            and looked_after.period_end >= allocations.alloc_start
            and (allocations.alloc_end is null or looked_after.period_end < allocations.alloc_end)
),

unallocated_members as (
    select
        looked_after.la_code,
        looked_after.district,
        looked_after.period_start,
        looked_after.period_end,
        'cla_unallocated' as kpi_id,
        'child' as member_type,
        looked_after.child,
        cast(null as varchar) as sw_id,
        true as in_numerator,
        false as in_denominator,
        1.0 as numerator_weight,
        1.0 as denominator_weight
    from looked_after
    inner join las
        on looked_after.la_code = las.la_code
    anti join allocated_on_d
        on
            looked_after.la_code = allocated_on_d.la_code
            and looked_after.period_end = allocated_on_d.period_end
            and looked_after.child = allocated_on_d.child
),

unioned as (
    select * from worker_members
    union all
    select * from unallocated_members
),

final as (
    select
        la_code,
        district,
        'all' as breakdown,
        'month' as period_type,
        period_start,
        period_end,
        kpi_id,
        member_type,
        child,
        sw_id,
        cast(null as date) as event_date,
        cast(null as varchar) as source,
        in_numerator,
        in_denominator,
        numerator_weight,
        denominator_weight
    from unioned
)

select * from final
