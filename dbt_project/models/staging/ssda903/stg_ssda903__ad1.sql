with

source as (
    select * from {{ source('ssda903', 'ad1') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('sex_adoptr') }} as sex_adoptr,
        {{ clean_code('ls_adoptr') }} as ls_adoptr,
        ---------- numbers
        {{ to_integer('foster_care') }} as foster_care,
        {{ to_integer('nb_adoptr') }} as nb_adoptr,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('date_int') }},
        {{ typed_date('date_match') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
