{#
    Episodes that count as care (kpis.md reading 3): short breaks (LS V3/V4) and episodes
    with an unreadable DEC (reading 17) are left out. Periods of care are joined by dates:
    an episode starting on or before the latest end so far continues the period (next DECOM
    = previous DEC, whatever REC says; overlaps, which are bad data, are merged too).
    Placements: an episode with RNE other than L starts a new placement; so does the first
    visible episode of a period, whatever its RNE (reading 16).
#}
with

episodes as (
    select * from {{ ref('int_ssda903__episodes_deduplicated') }}
    where {{ la_scope() }} and not is_short_break and is_valid_dec
),

with_previous_end as (
    select
        *,
        max(coalesce(dec, date '9999-12-31')) over (
            partition by la_code, child
            order by decom
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end
    from episodes
),

flagged as (
    select
        *,
        previous_max_end is null or decom > previous_max_end as is_period_start
    from with_previous_end
),

numbered as (
    select
        *,
        cast(sum(case when is_period_start then 1 else 0 end) over (
            partition by la_code, child
            order by decom
            rows between unbounded preceding and current row
        ) as integer) as period_number
    from flagged
),

with_placements as (
    select
        *,
        is_period_start or coalesce(rne, '') != 'L' as is_placement_start
    from numbered
),

final as (
    select
        la_code,
        child,
        decom,
        dec,
        rne,
        ls,
        cin,
        place,
        place_provider,
        rec,
        reason_place_change,
        home_post,
        pl_post,
        period_number,
        min(decom) over (partition by la_code, child, period_number) as period_start,
        case
            when bool_or(dec is null) over (partition by la_code, child, period_number) then null
            else max(dec) over (partition by la_code, child, period_number)
        end as period_end,
        is_period_start,
        is_placement_start,
        cast(sum(case when is_placement_start then 1 else 0 end) over (
            partition by la_code, child, period_number
            order by decom
            rows between unbounded preceding and current row
        ) as integer) as placement_number,
        collection_year,
        source_file,
        source_row
    from with_placements
)

select * from final
