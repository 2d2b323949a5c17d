{#
    One row per line of the local allocations table (la_code, allocation_id = line in the
    file; the raw layer holds one winning local extract per LA). is_usable: a child, a
    worker and readable dates (ALLOC_START present, ALLOC_END blank or readable and after
    ALLOC_START); other lines are left out of every KPI (reading 17) and of district
    attribution. Open on d: ALLOC_START <= d and (ALLOC_END blank or ALLOC_END > d)
    (reading 6). The worker's team and district are those of the spell in post on the
    allocation's start, and is_open_at_as_at / is_worker_in_post_at_as_at describe the
    LA's as-at date.
#}
with

allocations as (
    select * from {{ ref('stg_local__allocations') }}
    where {{ la_scope() }}
),

worker_team_spells as (
    select * from {{ ref('int_local__worker_team_spells') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

flagged as (
    select
        allocations.la_code,
        allocations.source_row as allocation_id,
        allocations.child,
        allocations.sw_id,
        allocations.case_type,
        allocations.alloc_start,
        allocations.alloc_end,
        allocations.is_valid_alloc_start,
        allocations.is_valid_alloc_end,
        las.as_at_date,
        coalesce(
            allocations.child is not null
            and allocations.sw_id is not null
            and allocations.alloc_start is not null
            and allocations.is_valid_alloc_end
            and (allocations.alloc_end is null or allocations.alloc_end > allocations.alloc_start),
            false
        ) as is_usable,
        allocations.extract_date,
        allocations.source_file
    from allocations
    inner join las
        on allocations.la_code = las.la_code
),

final as (
    select
        flagged.la_code,
        flagged.allocation_id,
        flagged.child,
        flagged.sw_id,
        flagged.case_type,
        flagged.alloc_start,
        flagged.alloc_end,
        flagged.is_usable,
        flagged.is_usable
        and flagged.alloc_start <= flagged.as_at_date
        and (flagged.alloc_end is null or flagged.alloc_end > flagged.as_at_date)
            as is_open_at_as_at,
        start_spells.team_id as team_id_at_start,
        start_spells.team_name as team_name_at_start,
        start_spells.district as district_at_start,
        coalesce(
            now_spells.sw_id is not null and now_spells.role in (4, 5), false
        ) as is_worker_case_holder_at_as_at,
        now_spells.sw_id is not null as is_worker_in_post_at_as_at,
        flagged.as_at_date,
        flagged.is_valid_alloc_start,
        flagged.is_valid_alloc_end,
        flagged.extract_date,
        flagged.source_file
    from flagged
    left join worker_team_spells as start_spells
        on
            flagged.la_code = start_spells.la_code
            and flagged.sw_id = start_spells.sw_id
            and flagged.alloc_start >= start_spells.valid_from
            and (start_spells.valid_to is null or flagged.alloc_start < start_spells.valid_to)
    left join worker_team_spells as now_spells
        on
            flagged.la_code = now_spells.la_code
            and flagged.sw_id = now_spells.sw_id
            and flagged.as_at_date >= now_spells.valid_from
            and (now_spells.valid_to is null or flagged.as_at_date < now_spells.valid_to)
)

select * from final
