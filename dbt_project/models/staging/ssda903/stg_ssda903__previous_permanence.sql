with

source as (
    select * from {{ source('ssda903', 'previous_permanence') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('prev_perm') }} as prev_perm,
        ---------- text
        la_perm,
        date_perm,
        ---------- dates
        {{ typed_date('dob') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
