{#
    Where a child belongs (data-contract.md; kpis.md reading 6), as non-overlapping spells
    per child [valid_from, valid_to) (valid_to NULL = still open):
    - an allocation is open on d when ALLOC_START <= d and (ALLOC_END blank or > d);
    - it places the child only while its worker has a spell in post in a known team;
    - among those, the allocation that started last wins; ties go to the smaller SW_ID;
    - every case type counts.
    A date outside every spell is Unallocated: no open allocation, or only allocations to
    workers with no spell in post (or in a team missing from teams.csv).
    Use macros district_on_join / district_on_column to look a (child, date) up.
    Allocations with a blank or unreadable ALLOC_START or an unreadable ALLOC_END are left
    out (reading 17).
#}
with

allocations as (
    select * from {{ ref('stg_local__allocations') }}
    where
        {{ la_scope() }}
        and child is not null
        and sw_id is not null
        and alloc_start is not null
        and is_valid_alloc_end
        and (alloc_end is null or alloc_end > alloc_start)
),

worker_team_spells as (
    select * from {{ ref('int_local__worker_team_spells') }}
    where {{ la_scope() }} and district is not null
),

segments as (
    select
        allocations.la_code,
        allocations.child,
        allocations.sw_id,
        allocations.alloc_start,
        worker_team_spells.team_id,
        worker_team_spells.team_name,
        worker_team_spells.district,
        greatest(allocations.alloc_start, worker_team_spells.valid_from) as segment_from,
        case
            when allocations.alloc_end is null then worker_team_spells.valid_to
            when worker_team_spells.valid_to is null then allocations.alloc_end
            else least(allocations.alloc_end, worker_team_spells.valid_to)
        end as segment_to
    from allocations
    inner join worker_team_spells
        on
            allocations.la_code = worker_team_spells.la_code
            and allocations.sw_id = worker_team_spells.sw_id
            and (
                allocations.alloc_end is null
                or allocations.alloc_end > worker_team_spells.valid_from
            )
            and (
                worker_team_spells.valid_to is null
                or allocations.alloc_start < worker_team_spells.valid_to
            )
),

bounds as (
    select
        la_code,
        child,
        segment_from as bound_date
    from segments
    union
    select
        la_code,
        child,
        segment_to as bound_date
    from segments
    where segment_to is not null
),

intervals as (
    select
        la_code,
        child,
        bound_date as valid_from,
        lead(bound_date) over (partition by la_code, child order by bound_date) as valid_to
    from bounds
),

winners as (
    select
        intervals.la_code,
        intervals.child,
        intervals.valid_from,
        intervals.valid_to,
        segments.district,
        segments.sw_id,
        segments.team_id,
        segments.team_name,
        row_number() over (
            partition by intervals.la_code, intervals.child, intervals.valid_from
            order by segments.alloc_start desc, segments.sw_id asc
        ) as allocation_rank
    from intervals
    inner join segments
        on
            intervals.la_code = segments.la_code
            and intervals.child = segments.child
            and intervals.valid_from >= segments.segment_from
            and (segments.segment_to is null or intervals.valid_from < segments.segment_to)
),

chosen as (
    select * from winners
    where allocation_rank = 1
),

{# Gaps and islands: merge back-to-back intervals with the same worker, team and district. #}
islands as (
    select
        *,
        case
            when
                lag(valid_to) over child_window = valid_from
                and lag(sw_id) over child_window = sw_id
                and lag(team_id) over child_window = team_id
                and lag(district) over child_window = district
                then 0
            else 1
        end as is_island_start
    from chosen
    window child_window as (partition by la_code, child order by valid_from)
),

island_numbers as (
    select
        *,
        sum(is_island_start) over (
            partition by la_code, child
            order by valid_from
            rows between unbounded preceding and current row
        ) as island_number
    from islands
),

final as (
    select
        la_code,
        child,
        min(valid_from) as valid_from,
        case when bool_or(valid_to is null) then null else max(valid_to) end as valid_to,
        any_value(district) as district,
        any_value(sw_id) as sw_id,
        any_value(team_id) as team_id,
        any_value(team_name) as team_name
    from island_numbers
    group by la_code, child, island_number
)

select * from final
