{#
    An episode open across 31 March is in the return of every year it is open; it is
    identified by (la_code, child, decom) and the row of the latest collection year wins
    (data contract). A duplicate inside one file keeps its last line. Rows without a
    child or a readable DECOM cannot be identified and are left out (the DQ gate reports
    them).
#}
with

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
    where {{ la_scope() }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code, child, decom
            order by collection_year desc, source_row desc
        ) as row_rank,
        count(distinct collection_year) over (
            partition by la_code, child, decom
        ) as n_collection_years
    from episodes
    where child is not null and decom is not null
),

final as (
    select
        la_code,
        child,
        decom,
        rne,
        ls,
        cin,
        place,
        place_provider,
        dec,
        rec,
        reason_place_change,
        home_post,
        pl_post,
        urn,
        is_valid_dec,
        coalesce(ls in ('V3', 'V4'), false) as is_short_break,
        n_collection_years,
        collection_year,
        extract_date,
        source_file,
        source_row
    from ranked
    where row_rank = 1
)

select * from final
