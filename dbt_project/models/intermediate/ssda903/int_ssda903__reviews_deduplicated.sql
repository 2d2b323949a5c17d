{#
    One row per statutory review held (la_code, child, review date), all years together:
    a review in two returns keeps the row of the latest collection year, then the last
    line. Rows with no CHILD or a blank / unreadable REVIEW date are left out (reading 17).
#}
with

reviews as (
    select * from {{ ref('stg_ssda903__reviews') }}
    where {{ la_scope() }} and child is not null and review is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code, child, review
            order by collection_year desc, source_row desc
        ) as row_rank
    from reviews
),

final as (
    select
        la_code,
        child,
        review as review_date,
        review_code,
        collection_year,
        source_file,
        source_row
    from ranked
    where row_rank = 1
)

select * from final
