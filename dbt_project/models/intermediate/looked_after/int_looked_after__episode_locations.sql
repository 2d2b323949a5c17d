{#
    Where each episode of care placed the child (kpis.md F): one row per episode of
    int_ssda903__episodes_in_periods (la_code, child, decom; short breaks are not there),
    with its HOME_POST and PL_POST looked up in the ONS Postcode Directory.
    - *_post_status: blank, not_in_directory (a placeholder such as XXXXXXX, a typo, a
      postcode of an area not loaded) or found. Never guessed.
    - Outside the LA: PL_POST's upper-tier authority today (int_reference__authorities)
      differs from the LA's own (la_ons_codes). outside_status says why it is not known:
      pl_post_blank, pl_post_not_in_directory, pl_post_no_authority (in the directory
      without an LA), la_not_in_lookup (the LA's code is not one of the 153).
    - Distance: straight line between the two grid references (metres), / 1,609.344 for
      miles; over 20 miles is strict. Only between postcodes on the same grid (OSGB36, or
      both in Northern Ireland on the Irish Grid): distance_status says why it is not
      known: home_post_blank, home_post_not_in_directory, pl_post_blank,
      pl_post_not_in_directory, no_grid_reference (Channel Islands, Isle of Man),
      different_grids (one postcode in Northern Ireland).
    - distance_band (up to 5, 5-10, 10-20, 20-50, over 50 miles; each band's upper end is
      in it, so "over 20" = the last two) and direction (N, NE, E, SE, S, SW, W, NW: the
      compass point of the placement seen from home; same_place at 0 metres), for the
      KPI page's chart.
#}
with

episodes as (
    select * from {{ ref('int_ssda903__episodes_in_periods') }}
    where {{ la_scope() }}
),

postcodes as (
    select * from {{ ref('stg_ons_reference__postcodes') }}
),

authorities as (
    select * from {{ ref('int_reference__authorities') }}
),

las as (
    select * from {{ ref('la_ons_codes') }}
),

looked_up as (
    select
        episodes.la_code,
        episodes.child,
        episodes.decom,
        episodes.dec,
        episodes.period_number,
        episodes.placement_number,
        episodes.place,
        episodes.home_post,
        episodes.pl_post,
        {{ normalise_postcode('episodes.home_post') }} as home_postcode,
        {{ normalise_postcode('episodes.pl_post') }} as pl_postcode,
        {{ postcode_status('episodes.home_post', 'home') }} as home_post_status,
        {{ postcode_status('episodes.pl_post', 'placed') }} as pl_post_status,
        home.easting as home_easting,
        home.northing as home_northing,
        home.grid as home_grid,
        placed.easting as pl_easting,
        placed.northing as pl_northing,
        placed.grid as pl_grid,
        placed.lad_code as pl_lad_code,
        authorities.lad_name as pl_lad_name,
        authorities.upper_tier_code as pl_upper_tier_code,
        authorities.upper_tier_name as pl_upper_tier_name,
        authorities.la_code as pl_la_code,
        authorities.country as pl_country,
        las.ons_code as la_ons_code
    from episodes
    left join postcodes as home
        on {{ normalise_postcode('episodes.home_post') }} = home.postcode
    left join postcodes as placed
        on {{ normalise_postcode('episodes.pl_post') }} = placed.postcode
    left join authorities
        on placed.lad_code = authorities.lad_code
    left join las
        on episodes.la_code = las.la_code
),

measured as (
    select
        *,
        case
            when pl_post_status != 'found' then 'pl_post_' || pl_post_status
            when pl_upper_tier_code is null then 'pl_post_no_authority'
            when la_ons_code is null then 'la_not_in_lookup'
            else 'known'
        end as outside_status,
        case
            when home_post_status != 'found' then 'home_post_' || home_post_status
            when pl_post_status != 'found' then 'pl_post_' || pl_post_status
            when home_grid is null or pl_grid is null then 'no_grid_reference'
            when home_grid != pl_grid then 'different_grids'
            else 'known'
        end as distance_status,
        case
            when home_grid = pl_grid
                then sqrt(
                    power(pl_easting - home_easting, 2) + power(pl_northing - home_northing, 2)
                )
        end as distance_m,
        case
            when
                home_grid = pl_grid
                and (pl_easting != home_easting or pl_northing != home_northing)
                then (
                    degrees(atan2(pl_easting - home_easting, pl_northing - home_northing)) + 360
                ) % 360
        end as bearing_degrees
    from looked_up
),

final as (
    select
        la_code,
        child,
        decom,
        dec,
        period_number,
        placement_number,
        place,
        home_post,
        pl_post,
        home_postcode,
        pl_postcode,
        home_post_status,
        pl_post_status,
        home_easting,
        home_northing,
        home_grid,
        pl_easting,
        pl_northing,
        pl_grid,
        pl_lad_code,
        pl_lad_name,
        pl_upper_tier_code,
        pl_upper_tier_name,
        pl_la_code,
        pl_country,
        la_ons_code,
        outside_status,
        case when outside_status = 'known' then pl_upper_tier_code != la_ons_code end
            as is_outside_la,
        distance_status,
        distance_m,
        distance_m / 1609.344 as distance_miles,
        distance_m / 1609.344 > 20 as is_over_20_miles,
        case
            when distance_m is null then null
            when distance_m / 1609.344 <= 5 then 'up to 5 miles'
            when distance_m / 1609.344 <= 10 then '5-10 miles'
            when distance_m / 1609.344 <= 20 then '10-20 miles'
            when distance_m / 1609.344 <= 50 then '20-50 miles'
            else 'over 50 miles'
        end as distance_band,
        bearing_degrees,
        case
            when distance_m is null then null
            when bearing_degrees is null then 'same_place'
            else ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'][
                cast(floor((bearing_degrees + 22.5) / 45) as integer) % 8 + 1
            ]
        end as direction
    from measured
)

select * from final
