{#
    Section D values (kpis.md D) in the kpi_values shape, on the full spine: every LA x
    district (its districts, Unallocated, County, and ALL) x month end x KPI, breakdown
    all. Summed from the weights of kpi_caseloads_members:
    - caseload_avg (ratio): cases / FTE of case-holding workers; no_cases when their FTE
      is 0 (none, or every one FTE 0);
    - caseload_high_pct, agency_fte_pct: percentages; no_cases when the denominator is 0;
    - cla_unallocated: a count (0 is a real 0).
    not_supplied: the worker KPIs when the LA's local extract lacks teams, workers or
    allocations; cla_unallocated when it lacks allocations.
#}
with

members as (
    select * from {{ ref('kpi_caseloads_members') }}
    where {{ la_scope() }}
),

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

districts as (
    select * from {{ ref('int_districts') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

kpis as (
    select
        kpi_list.kpi_id,
        kpi_list.value_type
    from (
        values
        ('caseload_avg', 'ratio'),
        ('caseload_high_pct', 'percent'),
        ('agency_fte_pct', 'percent'),
        ('cla_unallocated', 'count')
    ) as kpi_list (kpi_id, value_type)
),

districts_and_total as (
    {{ districts_with_la_total('districts') }}
),

spine as (
    select
        month_ends.la_code,
        districts_and_total.district,
        month_ends.period_start,
        month_ends.period_end,
        month_ends.is_partial,
        kpis.kpi_id,
        kpis.value_type
    from month_ends
    inner join districts_and_total
        on month_ends.la_code = districts_and_total.la_code
    cross join kpis
),

member_counts as (
    {{ count_members_by_district('members', ['period_end', 'kpi_id'], weighted=true) }}
),

joined as (
    select
        spine.*,
        case
            when spine.kpi_id = 'cla_unallocated' then las.is_supplied_allocations
            else las.is_supplied_teams and las.is_supplied_workers and las.is_supplied_allocations
        end as is_supplied,
        {# FTE sums are rounded so that the LA total equals the sum of its districts. #}
        round(coalesce(member_counts.numerator, 0), 6) as member_numerator,
        round(coalesce(member_counts.denominator, 0), 6) as member_denominator
    from spine
    inner join las
        on spine.la_code = las.la_code
    left join member_counts
        on
            spine.la_code = member_counts.la_code
            and spine.district = member_counts.district
            and spine.period_end = member_counts.period_end
            and spine.kpi_id = member_counts.kpi_id
),

final as (
    select
        la_code,
        district,
        'all' as breakdown,
        'month' as period_type,
        period_start,
        period_end,
        is_partial,
        kpi_id,
        {{ kpi_value_columns('value_type') }}
    from joined
)

select * from final
