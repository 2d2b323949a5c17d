with

source as (
    select * from {{ source('local', 'missing_from_home') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('missing') }} as missing,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('mis_start') }},
        {{ typed_date('mis_end') }},
        ---------- lineage
        la_code,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
