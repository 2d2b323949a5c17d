{#
    Action list for managers (kpis.md D): every child looked after on the LA's as-at date
    who has no worker in post, one row per child with the reason:
    - no_open_allocation: no allocation open on the date (the child is in cla_unallocated);
    - worker_not_in_post: open allocations only to workers with no spell in post that day
      (counted as allocated in cla_unallocated, but Unallocated for districts, reading 6).
    last_sw_id / last_alloc_start / last_alloc_end describe the child's most recent
    allocation (to see who held the case), and last_district the district of that
    worker's team on the allocation's start (Unallocated when the worker had no spell in
    post then): the district page lists the child there as well as in Unallocated. Only
    LAs whose local extract supplied allocations.
#}
with

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }} and is_supplied_allocations
),

looked_after as (
    select * from {{ ref('int_looked_after__children_at_month_ends') }}
    where {{ la_scope() }}
),

allocations as (
    select * from {{ ref('fct_allocations') }}
    where {{ la_scope() }} and is_usable
),

on_as_at as (
    select looked_after.*
    from looked_after
    inner join las
        on
            looked_after.la_code = las.la_code
            and looked_after.period_end = las.as_at_date
),

allocation_summary as (
    select
        on_as_at.la_code,
        on_as_at.child,
        count(*) filter (where allocations.is_open_at_as_at) as open_allocations,
        count(*) filter (
            where allocations.is_open_at_as_at and allocations.is_worker_in_post_at_as_at
        ) as open_allocations_in_post,
        arg_max(allocations.sw_id, allocations.alloc_start) as last_sw_id,
        {# the same ordering as last_sw_id, so both describe the same allocation #}
        arg_max(
            coalesce(allocations.district_at_start, 'Unallocated'), allocations.alloc_start
        ) as last_district,
        max(allocations.alloc_start) as last_alloc_start,
        {# arg_max skips NULL values: an open last allocation must give NULL #}
        nullif(
            arg_max(coalesce(allocations.alloc_end, date '9999-12-31'), allocations.alloc_start),
            date '9999-12-31'
        ) as last_alloc_end
    from on_as_at
    inner join allocations
        on
            on_as_at.la_code = allocations.la_code
            and on_as_at.child = allocations.child
            and on_as_at.period_end >= allocations.alloc_start
    group by on_as_at.la_code, on_as_at.child
),

final as (
    select
        on_as_at.la_code,
        on_as_at.period_end as as_at_date,
        on_as_at.child,
        case
            when coalesce(allocation_summary.open_allocations, 0) = 0 then 'no_open_allocation'
            else 'worker_not_in_post'
        end as reason,
        on_as_at.district,
        on_as_at.care_period_start,
        on_as_at.days_in_care,
        on_as_at.age,
        allocation_summary.last_sw_id,
        allocation_summary.last_alloc_start,
        allocation_summary.last_alloc_end,
        allocation_summary.last_district
    from on_as_at
    left join allocation_summary
        on
            on_as_at.la_code = allocation_summary.la_code
            and on_as_at.child = allocation_summary.child
    where coalesce(allocation_summary.open_allocations_in_post, 0) = 0
)

select * from final
