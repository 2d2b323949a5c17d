with

source as (
    select * from {{ source('local', 'return_interviews') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('offered') }} as offered,
        {{ clean_code('accepted') }} as accepted,
        ---------- dates
        {{ typed_date('mis_start') }},
        {{ typed_date('offered_date') }},
        {{ typed_date('rhi_date') }},
        ---------- lineage
        la_code,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
