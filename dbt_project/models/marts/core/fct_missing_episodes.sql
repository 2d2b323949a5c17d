{#
    One row per missing / away episode (la_code, child, mis_start), from care or from home,
    with its return home interview and every flag the section A KPIs use (kpis.md A):
    - due: MIS_END + 3 days <= the LA's latest extract date (reading 2); an ended M
      episode not yet due is pending and is in no RHI denominator;
    - no return_interviews row = not offered;
    - within 72 hours: RHI_DATE <= MIS_END + 3 days;
    - district, worker and team on MIS_END (reading 7); on the as-at date while still
      missing (district_date says which).
    Unreadable dates (reading 17): an unreadable MIS_END leaves the episode out of every
    KPI; an unreadable RHI_DATE leaves it out of the three RHI KPIs (treating it as "no
    record" would wrongly count it as not offered) but not out of the episode counts.
#}
with

episodes as (
    select * from {{ ref('int_missing__episodes_unioned') }}
    where {{ la_scope() }}
),

return_interviews as (
    select * from {{ ref('int_local__return_interviews_deduplicated') }}
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

joined as (
    select
        episodes.la_code,
        episodes.child,
        episodes.mis_start,
        episodes.mis_end,
        episodes.missing,
        episodes.source,
        episodes.dob,
        las.as_at_date,
        episodes.mis_end is not null as is_ended,
        not episodes.is_valid_mis_end as has_unreadable_mis_end,
        coalesce(not return_interviews.is_valid_rhi_date, false) as has_unreadable_rhi_date,
        return_interviews.child is not null as has_rhi_record,
        return_interviews.offered,
        return_interviews.offered_date,
        return_interviews.accepted,
        return_interviews.rhi_date,
        cast(episodes.mis_end + 3 as date) as rhi_due_by,
        coalesce(episodes.mis_end, las.as_at_date) as district_date,
        episodes.is_in_both_sources,
        episodes.collection_year,
        episodes.source_file,
        episodes.source_row
    from episodes
    inner join las
        on episodes.la_code = las.la_code
    left join return_interviews
        on
            episodes.la_code = return_interviews.la_code
            and episodes.child = return_interviews.child
            and episodes.mis_start = return_interviews.mis_start
),

flagged as (
    select
        *,
        coalesce(mis_end + 3 <= as_at_date, false) as is_due,
        coalesce(offered = 'Y', false) as is_offered,
        coalesce(offered = 'Y' and accepted = 'Y', false) as is_accepted,
        rhi_date is not null as is_held,
        coalesce(rhi_date <= mis_end + 3, false) as is_within_72h
    from joined
),

with_scope as (
    select
        *,
        is_ended and not is_due and coalesce(missing = 'M', false) as is_pending,
        is_ended
        and not has_unreadable_mis_end
        and coalesce(missing in ('M', 'A'), false) as is_in_episode_counts,
        is_ended
        and is_due
        and coalesce(missing = 'M', false)
        and not has_unreadable_mis_end
        and not has_unreadable_rhi_date as is_in_rhi_kpis
    from flagged
),

final as (
    select
        with_scope.la_code,
        with_scope.child,
        with_scope.mis_start,
        with_scope.mis_end,
        with_scope.missing,
        with_scope.source,
        with_scope.dob,
        cast(with_scope.mis_end - with_scope.mis_start as integer) as days_missing,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name,
        with_scope.district_date,
        with_scope.as_at_date,
        with_scope.rhi_due_by,
        with_scope.is_ended,
        with_scope.is_due,
        with_scope.is_pending,
        with_scope.has_rhi_record,
        with_scope.offered,
        with_scope.offered_date,
        with_scope.accepted,
        with_scope.rhi_date,
        with_scope.is_offered,
        with_scope.is_accepted,
        with_scope.is_held,
        with_scope.is_within_72h,
        with_scope.has_unreadable_mis_end,
        with_scope.has_unreadable_rhi_date,
        with_scope.is_in_episode_counts,
        with_scope.is_in_rhi_kpis,
        with_scope.is_in_both_sources,
        with_scope.collection_year,
        with_scope.source_file,
        with_scope.source_row
    from with_scope
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'with_scope.la_code', 'with_scope.child', 'with_scope.district_date'
        ) }}
)

select * from final
