with

source as (
    select * from {{ source('ssda903', 'oc3') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('in_touch') }} as in_touch,
        {{ clean_code('activ') }} as activ,
        {{ clean_code('accom') }} as accom,
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
