with

source as (
    select * from {{ source('ssda903', 'reviews') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('review_code') }} as review_code,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('review') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
