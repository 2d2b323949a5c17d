{#
    Everything that happened to a child, for the dashboard's child page: one row per event
    (la_code, child, event_type, event_ref), with start_date, end_date (NULL while open or
    for a one-day event), a short label and a detail line. Event types:
    - period_of_care: periods of care (short breaks excluded), event_ref "period <n>";
    - placement: placements within them, "placement <n>.<m>";
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
),

placements as (
    select * from {{ ref('int_looked_after__placements') }}
),

missing_episodes as (
    select * from {{ ref('fct_missing_episodes') }}
),

peps as (
    select * from {{ ref('fct_peps') }}
),

allocations as (
    select * from {{ ref('fct_allocations') }}
    where is_usable
),

reviews as (
    select * from {{ ref('int_ssda903__reviews_deduplicated') }}
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
        la_code,
        child,
        'placement' as event_type,
        'placement ' || period_number || '.' || placement_number as event_ref,
        placement_start as start_date,
        placement_end as end_date,
        'Placement ' || coalesce(first_place, '?') as label,
        concat_ws(
            '; ',
            'provider ' || first_place_provider,
            case when last_place != first_place then 'now ' || last_place end,
            episode_count || ' episode(s)'
        ) as detail,
        cast(null as varchar) as sw_id
    from placements

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
