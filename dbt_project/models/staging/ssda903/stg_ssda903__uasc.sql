with

source as (
    select * from {{ source('ssda903', 'uasc') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ sex_code('sex') }} as sex,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('duc') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
