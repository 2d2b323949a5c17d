with

source as (
    select * from {{ source('local', 'allocations') }}
),

typed as (
    select
        ---------- ids
        child,
        sw_id,
        ---------- codes
        {{ clean_code('case_type') }} as case_type,
        ---------- dates
        {{ typed_date('alloc_start') }},
        {{ typed_date('alloc_end') }},
        ---------- lineage
        la_code,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
