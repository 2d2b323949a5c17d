{#
    One row per child of the 903 header (any year): the row of the latest collection year
    wins, as for episodes; a duplicate inside one file keeps its last line.
#}
with

header as (
    select * from {{ ref('stg_ssda903__header') }}
    where {{ la_scope() }} and child is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code, child
            order by collection_year desc, source_row desc
        ) as row_rank,
        min(collection_year) over (partition by la_code, child) as first_collection_year
    from header
),

final as (
    select
        la_code,
        child,
        sex,
        dob,
        is_valid_dob,
        ethnic,
        upn,
        first_collection_year,
        collection_year as latest_collection_year,
        source_file,
        source_row
    from ranked
    where row_rank = 1
)

select * from final
