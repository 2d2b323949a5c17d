{#
    One row per LA: which winning extracts it has, the first month measured and the as-at
    date (kpis.md reading 1), and which optional local tables its winning local extract
    supplied (a KPI needing a missing table says "not supplied", never 0).
#}
with

extract_files as (
    select * from {{ ref('stg_raw_meta__extract_files') }}
    where {{ la_scope() }}
),

per_la as (
    select
        la_code,
        min(collection_year) filter (where source = 'ssda903') as first_collection_year,
        max(collection_year) filter (where source = 'ssda903') as latest_collection_year,
        max(extract_date) filter (where source = 'ssda903') as latest_ssda903_extract_date,
        max(extract_date) filter (where source = 'local') as local_extract_date,
        max(extract_date) as as_at_date,
        coalesce(
            bool_or(is_supplied) filter (
                where source = 'local' and table_name = 'teams'
            ),
            false
        ) as is_supplied_teams,
        coalesce(
            bool_or(is_supplied) filter (
                where source = 'local' and table_name = 'workers'
            ),
            false
        ) as is_supplied_workers,
        coalesce(
            bool_or(is_supplied) filter (
                where source = 'local' and table_name = 'allocations'
            ),
            false
        ) as is_supplied_allocations,
        coalesce(
            bool_or(is_supplied) filter (
                where source = 'local' and table_name = 'missing_from_home'
            ),
            false
        ) as is_supplied_missing_from_home,
        coalesce(
            bool_or(is_supplied) filter (
                where source = 'local' and table_name = 'return_interviews'
            ),
            false
        ) as is_supplied_return_interviews,
        coalesce(
            bool_or(is_supplied) filter (
                where source = 'local' and table_name = 'peps'
            ),
            false
        ) as is_supplied_peps
    from extract_files
    group by la_code
),

final as (
    select
        la_code,
        first_collection_year,
        latest_collection_year,
        make_date(cast(left(first_collection_year, 4) as integer), 4, 1) as first_period_start,
        latest_ssda903_extract_date,
        local_extract_date,
        as_at_date,
        local_extract_date is not null as has_local_extract,
        is_supplied_teams,
        is_supplied_workers,
        is_supplied_allocations,
        is_supplied_missing_from_home,
        is_supplied_return_interviews,
        is_supplied_peps
    from per_la
)

select * from final
