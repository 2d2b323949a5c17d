{#
    Everything that happened to a child, for the dashboard's child page: one row per event
    (la_code, child, event_type, event_ref), with start_date, end_date (NULL while open or
    for a one-day event), a short label and a detail line. Event types:
    - period_of_care: periods of care (short breaks excluded), event_ref "period <n>";
    - placement: placements within them, "placement <n>.<m>", with where the placement's
      latest episode is (fct_placement_locations: the authority, inside or outside the LA,
      miles from home, or why the location is not known);
    - missing: missing / away episodes from care or home, the MIS_START;
    - rhi: return home interview records (held, or offered and not held), the MIS_START
      of their episode;
    - pep: PEP meetings, the PEP_DATE;
    - allocation: allocations to a worker (usable lines), the line number;
    - review: statutory reviews, the review date.
#}
with

periods as (
    select * from {{ ref('fct_periods_of_care') }}
    where {{ la_scope() }}
),

placements as (
    select * from {{ ref('int_looked_after__placements') }}
    where {{ la_scope() }}
),

locations as (
    select * from {{ ref('fct_placement_locations') }}
    where {{ la_scope() }}
),

placement_locations as (
    select
        la_code,
        child,
        period_number,
        placement_number,
        arg_max(
            concat_ws(
                '; ',
                case
                    when outside_status != 'known'
                        then 'location not known (' || case outside_status
                            when 'pl_post_blank' then 'no placement postcode'
                            when 'pl_post_not_in_directory'
                                then 'placement postcode not in the ONS Postcode Directory'
                            when 'pl_post_no_authority' then 'placement postcode has no LA'
                            else 'the LA has no ONS code'
                        end || ')'
                    when is_outside_la
                        then
                            'in ' || coalesce(pl_upper_tier_name, pl_upper_tier_code)
                            || ' (outside the LA)'
                    else 'in the LA (' || coalesce(pl_lad_name, pl_upper_tier_name) || ')'
                end,
                case
                    when distance_status = 'known'
                        then printf('%.1f miles from home', distance_miles)
                    else 'distance from home not known'
                end
            ),
            decom
        ) as location_text
    from locations
    group by la_code, child, period_number, placement_number
),

missing_episodes as (
    select * from {{ ref('fct_missing_episodes') }}
    where {{ la_scope() }}
),

peps as (
    select * from {{ ref('fct_peps') }}
    where {{ la_scope() }}
),

allocations as (
    select * from {{ ref('fct_allocations') }}
    where {{ la_scope() }} and is_usable
),

reviews as (
    select * from {{ ref('int_ssda903__reviews_deduplicated') }}
    where {{ la_scope() }}
),

events as (
    select
        la_code,
        child,
        'period_of_care' as event_type,
        'period ' || period_number as event_ref,
        period_start as start_date,
        period_end as end_date,
        'Period of care ' || period_number as label,
        concat_ws(
            '; ',
            'started ' || coalesce(first_rne, '?') || ' / ' || coalesce(first_ls, '?'),
            'ended ' || last_rec,
            case when has_start_before_data then 'started before the data supplied' end
        ) as detail,
        sw_id_at_start as sw_id
    from periods

    union all

    select
        placements.la_code,
        placements.child,
        'placement' as event_type,
        'placement ' || placements.period_number || '.' || placements.placement_number
            as event_ref,
        placements.placement_start as start_date,
        placements.placement_end as end_date,
        'Placement ' || coalesce(placements.first_place, '?') as label,
        concat_ws(
            '; ',
            'provider ' || placements.first_place_provider,
            case
                when placements.last_place != placements.first_place
                    then 'now ' || placements.last_place
            end,
            placements.episode_count || ' episode(s)',
            placement_locations.location_text
        ) as detail,
        cast(null as varchar) as sw_id
    from placements
    left join placement_locations
        on
            placements.la_code = placement_locations.la_code
            and placements.child = placement_locations.child
            and placements.period_number = placement_locations.period_number
            and placements.placement_number = placement_locations.placement_number

    union all

    select
        la_code,
        child,
        'missing' as event_type,
        strftime(mis_start, '%Y-%m-%d') as event_ref,
        mis_start as start_date,
        mis_end as end_date,
        case missing when 'A' then 'Away without authorisation' else 'Missing' end
        || ' from ' || source as label,
        case
            when mis_end is null then 'still missing'
            else days_missing || ' day(s)'
        end as detail,
        sw_id
    from missing_episodes

    union all

    select
        la_code,
        child,
        'rhi' as event_type,
        strftime(mis_start, '%Y-%m-%d') as event_ref,
        coalesce(rhi_date, offered_date) as start_date,
        cast(null as date) as end_date,
        case
            when rhi_date is not null then 'Return home interview held'
            else 'Return home interview offered'
        end as label,
        concat_ws(
            '; ',
            'offered ' || coalesce(offered, '?'),
            'accepted ' || accepted,
            case
                when rhi_date is null then null
                when is_within_72h then 'within 72 hours'
                else 'after 72 hours'
            end
        ) as detail,
        sw_id
    from missing_episodes
    where has_rhi_record and coalesce(rhi_date, offered_date) is not null

    union all

    select
        la_code,
        child,
        'pep' as event_type,
        strftime(pep_date, '%Y-%m-%d') as event_ref,
        pep_date as start_date,
        cast(null as date) as end_date,
        'PEP ' || lower(coalesce(pep_type, 'meeting')) as label,
        concat_ws('; ', lower(status), lower(quality)) as detail,
        sw_id
    from peps

    union all

    select
        la_code,
        child,
        'allocation' as event_type,
        'line ' || allocation_id as event_ref,
        alloc_start as start_date,
        alloc_end as end_date,
        'Allocated to ' || sw_id as label,
        concat_ws('; ', case_type, team_name_at_start, district_at_start) as detail,
        sw_id
    from allocations

    union all

    select
        la_code,
        child,
        'review' as event_type,
        strftime(review_date, '%Y-%m-%d') as event_ref,
        review_date as start_date,
        cast(null as date) as end_date,
        'Review' as label,
        review_code as detail,
        cast(null as varchar) as sw_id
    from reviews
)

select * from events
