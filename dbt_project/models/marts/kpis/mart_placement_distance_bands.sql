{#
    Where children looked after on d are placed, seen from home (kpis.md F), for the KPI
    page's chart: one row per LA, district (and ALL), month end d, direction (N ... NW, or
    same_place) and distance band, with the number of children (placed_20_miles_pct's
    denominator: both postcodes known). Aggregated: no child-level data, so board pages
    may show it.
#}
with

members as (
    select * from {{ ref('kpi_placement_location_members') }}
    where {{ la_scope() }} and kpi_id = 'placed_20_miles_pct'
),

locations as (
    select * from {{ ref('int_looked_after__episode_locations') }}
    where {{ la_scope() }}
),

placed as (
    select
        members.la_code,
        members.district,
        members.period_start,
        members.period_end,
        locations.direction,
        locations.distance_band
    from members
    inner join locations
        on
            members.la_code = locations.la_code
            and members.child = locations.child
            and members.event_date = locations.decom
),

final as (
    select
        la_code,
        case when grouping(district) = 1 then 'ALL' else district end as district,
        period_start,
        period_end,
        direction,
        distance_band,
        count(*) as children
    from placed
    group by grouping sets (
        (la_code, district, period_start, period_end, direction, distance_band),
        (la_code, period_start, period_end, direction, distance_band)
    )
)

select * from final
