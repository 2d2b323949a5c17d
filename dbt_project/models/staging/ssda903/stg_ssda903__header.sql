with

source as (
    select * from {{ source('ssda903', 'header') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ sex_code('sex') }} as sex,
        {{ clean_code('ethnic') }} as ethnic,
        {{ clean_code('upn') }} as upn,
        ---------- numbers
        {{ to_integer('mother') }} as mother,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('mc_dob') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
