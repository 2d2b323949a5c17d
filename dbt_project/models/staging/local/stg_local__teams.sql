with

source as (
    select * from {{ source('local', 'teams') }}
),

typed as (
    select
        ---------- ids
        team_id,
        ---------- codes
        {{ clean_code('service') }} as service,
        ---------- text
        team_name,
        district,
        ---------- lineage
        la_code,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
