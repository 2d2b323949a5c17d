with

source as (
    select * from {{ source('local', 'peps') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('pep_type') }} as pep_type,
        {{ clean_code('status') }} as status,
        {{ clean_code('quality') }} as quality,
        ---------- dates
        {{ typed_date('pep_date') }},
        ---------- lineage
        la_code,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
