{#
    Placements (kpis.md "Placement"): the episodes of a period of care from one that
    starts a placement (RNE other than L, or the first visible episode of the period,
    reading 16) up to the next one; an L episode (legal status change only) continues
    the placement. placement_start is the DECOM of its first episode.
#}
with

episodes as (
    select * from {{ ref('int_ssda903__episodes_in_periods') }}
    where {{ la_scope() }}
),

final as (
    select
        la_code,
        child,
        period_number,
        placement_number,
        min(decom) as placement_start,
        case when bool_or(dec is null) then null else max(dec) end as placement_end,
        bool_or(dec is null) as is_open,
        count(*) as episode_count,
        nullif(arg_min(coalesce(rne, ''), decom), '') as first_rne,
        nullif(arg_min(coalesce(place, ''), decom), '') as first_place,
        nullif(arg_max(coalesce(place, ''), decom), '') as last_place,
        nullif(arg_min(coalesce(place_provider, ''), decom), '') as first_place_provider
    from episodes
    group by la_code, child, period_number, placement_number
)

select * from final
