with

source as (
    select * from {{ source('raw_meta', 'extract_files') }}
),

typed as (
    select
        la_code,
        source,
        collection_year,
        extract_date,
        lower(table_name) as table_name,
        source_file,
        row_count,
        is_supplied,
        loaded_at
    from source
)

select * from typed
