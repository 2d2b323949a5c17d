with

source as (
    select * from {{ source('ssda903', 'placed_for_adoption') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('reason_placed_ceased') }} as reason_placed_ceased,
        ---------- dates
        {{ typed_date('dob') }},
        {{ typed_date('date_placed') }},
        {{ typed_date('date_placed_ceased') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
