{#
    One return-interview record per missing episode key (la_code, child, mis_start).
    Duplicates are bad input (reported by the DQ gate); the most advanced record wins:
    one with an RHI_DATE, then one with OFFERED = Y, then the last line of the file.
    Rows without a child or a readable MIS_START cannot be joined and are left out.
#}
with

return_interviews as (
    select * from {{ ref('stg_local__return_interviews') }}
    where {{ la_scope() }} and child is not null and mis_start is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code, child, mis_start
            order by
                (rhi_date is not null) desc,
                coalesce(offered = 'Y', false) desc,
                source_row desc
        ) as row_rank,
        count(*) over (partition by la_code, child, mis_start) as n_records
    from return_interviews
),

final as (
    select
        la_code,
        child,
        mis_start,
        offered,
        offered_date,
        accepted,
        rhi_date,
        is_valid_offered_date,
        is_valid_rhi_date,
        n_records,
        extract_date,
        source_file,
        source_row
    from ranked
    where row_rank = 1
)

select * from final
