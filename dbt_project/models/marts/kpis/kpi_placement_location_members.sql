{#
    Who is counted in every section F value (kpis.md F), one row per (KPI value at
    district level, member = a child looked after on d). The current placement is the
    episode open on d (int_looked_after__children_at_month_ends.episode_decom); district on
    d; event_date = that episode's DECOM. District ALL = every district.
    - placed_outside_la_pct: children whose current PL_POST is found in the ONS Postcode
      Directory with an authority (outside_status known); numerator: its upper-tier
      authority is not the LA.
    - placed_20_miles_pct: children whose HOME_POST and PL_POST are both found, on one grid
      (distance_status known); numerator: more than 20 miles apart (strict).
    - placed_location_not_known / placed_distance_not_known: counts of the children left
      out of those denominators ("location not known", never guessed); source says why
      (pl_post_blank, pl_post_not_in_directory, pl_post_no_authority, la_not_in_lookup;
      home_post_blank, home_post_not_in_directory, no_grid_reference, different_grids).
    Every child looked after on d is in exactly one of placed_outside_la_pct's denominator
    and placed_location_not_known, and in one of placed_20_miles_pct's denominator and
    placed_distance_not_known (cla_count = denominator + not known).
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

with

looked_after as (
    select * from {{ ref('int_looked_after__children_at_month_ends') }}
    where {{ la_scope() }}
),

locations as (
    select * from {{ ref('int_looked_after__episode_locations') }}
    where {{ la_scope() }}
),

placed as (
    select
        looked_after.la_code,
        looked_after.district,
        looked_after.period_start,
        looked_after.period_end,
        looked_after.child,
        looked_after.episode_decom,
        coalesce(locations.outside_status, 'no_current_episode') as outside_status,
        coalesce(locations.is_outside_la, false) as is_outside_la,
        coalesce(locations.distance_status, 'no_current_episode') as distance_status,
        coalesce(locations.is_over_20_miles, false) as is_over_20_miles
    from looked_after
    left join locations
        on
            looked_after.la_code = locations.la_code
            and looked_after.child = locations.child
            and looked_after.episode_decom = locations.decom
),

members as (
    select
        placed.*,
        location_kpis.kpi_id,
        case location_kpis.kpi_id
            when 'placed_outside_la_pct' then placed.outside_status = 'known'
            when 'placed_location_not_known' then placed.outside_status != 'known'
            when 'placed_20_miles_pct' then placed.distance_status = 'known'
            else placed.distance_status != 'known'
        end as is_member,
        case location_kpis.kpi_id
            when 'placed_outside_la_pct' then placed.is_outside_la
            when 'placed_20_miles_pct' then placed.is_over_20_miles
            else true
        end as in_numerator,
        location_kpis.kpi_id in ('placed_outside_la_pct', 'placed_20_miles_pct') as in_denominator,
        case location_kpis.kpi_id
            when 'placed_location_not_known' then placed.outside_status
            when 'placed_distance_not_known' then placed.distance_status
        end as source
    from placed
    cross join (
        values
        ('placed_outside_la_pct'),
        ('placed_location_not_known'),
        ('placed_20_miles_pct'),
        ('placed_distance_not_known')
    ) as location_kpis (kpi_id)
),

final as (
    select
        la_code,
        district,
        'all' as breakdown,
        'month' as period_type,
        period_start,
        period_end,
        kpi_id,
        'child' as member_type,
        child,
        cast(null as varchar) as sw_id,
        episode_decom as event_date,
        source,
        in_numerator,
        in_denominator,
        1.0 as numerator_weight,
        1.0 as denominator_weight
    from members
    where is_member
)

select * from final
