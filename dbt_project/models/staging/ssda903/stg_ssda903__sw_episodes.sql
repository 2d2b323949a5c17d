with

source as (
    select * from {{ source('ssda903', 'sw_episodes') }}
),

typed as (
    select
        ---------- ids
        child,
        sw_id,
        ---------- codes
        {{ clean_code('sw_reason') }} as sw_reason,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('sw_decom') }},
        {{ typed_date('sw_dec') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
