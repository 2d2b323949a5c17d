{#
    One row per episode of care (la_code, child, decom), all years together (the latest
    collection year's row wins), short breaks included and flagged. Episodes that count as
    care (not a short break, readable DEC) carry their period of care and placement
    (int_ssda903__episodes_in_periods); is_in_kpis says whether any KPI sees the episode.
#}
with

episodes as (
    select * from {{ ref('int_ssda903__episodes_deduplicated') }}
    where {{ la_scope() }}
),

episodes_in_periods as (
    select * from {{ ref('int_ssda903__episodes_in_periods') }}
    where {{ la_scope() }}
),

final as (
    select
        episodes.la_code,
        episodes.child,
        episodes.decom,
        episodes.dec,
        episodes.rne,
        episodes.ls,
        episodes.cin,
        episodes.place,
        episodes.place_provider,
        episodes.rec,
        episodes.reason_place_change,
        episodes.is_short_break,
        episodes.is_valid_dec,
        episodes_in_periods.child is not null as is_in_kpis,
        episodes_in_periods.period_number,
        episodes_in_periods.period_start,
        episodes_in_periods.period_end,
        episodes_in_periods.is_period_start,
        episodes_in_periods.is_placement_start,
        episodes_in_periods.placement_number,
        coalesce(episodes.place in ('A3', 'A4', 'A5', 'A6'), false) as is_placed_for_adoption,
        episodes.n_collection_years,
        episodes.collection_year,
        episodes.extract_date,
        episodes.source_file,
        episodes.source_row
    from episodes
    left join episodes_in_periods
        on
            episodes.la_code = episodes_in_periods.la_code
            and episodes.child = episodes_in_periods.child
            and episodes.decom = episodes_in_periods.decom
)

select * from final
