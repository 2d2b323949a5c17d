with

source as (
    select * from {{ source('local', 'workers') }}
),

typed as (
    select
        ---------- ids
        sw_id,
        team_id,
        ---------- codes
        {{ clean_code('agency') }} as agency,
        ---------- numbers
        {{ to_integer('role') }} as role,
        {{ to_double('fte') }} as fte,
        ---------- dates
        {{ typed_date('start_date') }},
        {{ typed_date('end_date') }},
        ---------- lineage
        la_code,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
