with

source as (
    select * from {{ source('ssda903', 'episodes') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('rne') }} as rne,
        {{ clean_code('ls') }} as ls,
        {{ clean_code('cin') }} as cin,
        {{ clean_code('place') }} as place,
        {{ clean_code('place_provider') }} as place_provider,
        {{ clean_code('rec') }} as rec,
        {{ clean_code('reason_place_change') }} as reason_place_change,
        ---------- text
        home_post,
        pl_post,
        urn,
        ---------- dates
        {{ typed_date('decom') }},
        {{ typed_date('dec') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
