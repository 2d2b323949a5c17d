{#
    Where each child lives, episode by episode (kpis.md F), for the child timeline and the
    district page: one row per episode of care (la_code, child, decom; short breaks are
    not care episodes) with its placement, HOME_POST and PL_POST as given and normalised,
    whether each was found in the ONS Postcode Directory, the placement's authority
    (lower and upper tier, DfE code, country), is_outside_la, distance (metres and miles),
    is_over_20_miles, distance band and direction, and why a location or a distance is not
    known (int_looked_after__episode_locations). The episode open on the LA's as-at date
    is is_current_at_as_at, with the child's district, worker and team on that date (who
    the district page lists now).
#}
with

locations as (
    select * from {{ ref('int_looked_after__episode_locations') }}
    where {{ la_scope() }}
),

placements as (
    select * from {{ ref('int_looked_after__placements') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

with_as_at as (
    select
        locations.*,
        placements.placement_start,
        las.as_at_date,
        coalesce(
            locations.decom <= las.as_at_date
            and (locations.dec is null or locations.dec > las.as_at_date),
            false
        ) as is_current_at_as_at
    from locations
    left join placements
        on
            locations.la_code = placements.la_code
            and locations.child = placements.child
            and locations.period_number = placements.period_number
            and locations.placement_number = placements.placement_number
    left join las
        on locations.la_code = las.la_code
),

final as (
    select
        with_as_at.la_code,
        with_as_at.child,
        with_as_at.decom,
        with_as_at.dec,
        with_as_at.period_number,
        with_as_at.placement_number,
        with_as_at.placement_start,
        with_as_at.place,
        with_as_at.home_post,
        with_as_at.pl_post,
        with_as_at.home_postcode,
        with_as_at.pl_postcode,
        with_as_at.home_post_status,
        with_as_at.pl_post_status,
        with_as_at.home_easting,
        with_as_at.home_northing,
        with_as_at.pl_easting,
        with_as_at.pl_northing,
        with_as_at.pl_grid,
        with_as_at.pl_lad_code,
        with_as_at.pl_lad_name,
        with_as_at.pl_upper_tier_code,
        with_as_at.pl_upper_tier_name,
        with_as_at.pl_la_code,
        with_as_at.pl_country,
        with_as_at.la_ons_code,
        with_as_at.outside_status,
        with_as_at.is_outside_la,
        with_as_at.distance_status,
        with_as_at.distance_m,
        with_as_at.distance_miles,
        with_as_at.is_over_20_miles,
        with_as_at.distance_band,
        with_as_at.direction,
        with_as_at.as_at_date,
        with_as_at.is_current_at_as_at,
        case
            when with_as_at.is_current_at_as_at then {{ district_on_column('district_spells') }}
        end as district_at_as_at,
        case when with_as_at.is_current_at_as_at then district_spells.sw_id end as sw_id_at_as_at,
        case
            when with_as_at.is_current_at_as_at then district_spells.team_name
        end as team_name_at_as_at
    from with_as_at
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'with_as_at.la_code', 'with_as_at.child', 'with_as_at.as_at_date'
        ) }}
)

select * from final
