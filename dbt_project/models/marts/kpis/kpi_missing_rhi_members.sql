{#
    Who is counted in every section A KPI value (kpis.md A), one row per (KPI value at
    district level, member): the episodes or children behind each numerator and
    denominator, so that any figure can be traced. The LA total (district ALL) is the union
    of its districts. Values that are "not supplied" have no members.

    - missing_episodes / away_episodes: M / A episodes with MIS_END in the month (episode
      counts; in_denominator is false).
    - rhi_offered_pct: due M episodes ended in the month; numerator OFFERED = Y.
    - rhi_accepted_pct: of those, OFFERED = Y; numerator ACCEPTED = Y.
    - rhi_within_72h_pct: due M episodes ended in the month with an RHI_DATE; numerator
      RHI_DATE <= MIS_END + 3 days.
    - missing_cla_pct: children looked after at any time in the 12 months to d (d - 12
      months, d]: a period of care starting on or before d and ending (DEC) after the
      window's first day, d - 12 months + 1 day (a period ending on that day was looked
      after on no day of the window); numerator: with an M episode (from care, from home,
      or either for breakdown all) starting in those 12 months (readings 5, 8; macros in
      macros/windows.sql). District on d (reading 7).
    Breakdowns: an episode is in its own source (care / home) and in all.
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

with

episodes as (
    select * from {{ ref('fct_missing_episodes') }}
    where {{ la_scope() }}
),

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

periods_of_care as (
    select * from {{ ref('int_ssda903__periods_of_care') }}
    where {{ la_scope() }}
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

breakdowns as (
    select breakdown_list.breakdown
    from (values ('care'), ('home'), ('all')) as breakdown_list (breakdown)
),

---------- episode KPIs: assigned to the month of MIS_END
episodes_in_months as (
    select
        episodes.*,
        month_ends.period_start,
        month_ends.period_end
    from episodes
    inner join month_ends
        on
            episodes.la_code = month_ends.la_code
            and date_trunc('month', episodes.mis_end) = month_ends.period_start
            and episodes.mis_end <= month_ends.period_end
    where episodes.is_in_episode_counts
),

episode_members as (
    select
        la_code,
        district,
        period_start,
        period_end,
        'missing_episodes' as kpi_id,
        child,
        mis_start,
        source,
        true as in_numerator,
        false as in_denominator
    from episodes_in_months
    where missing = 'M'

    union all

    select
        la_code,
        district,
        period_start,
        period_end,
        'away_episodes' as kpi_id,
        child,
        mis_start,
        source,
        true as in_numerator,
        false as in_denominator
    from episodes_in_months
    where missing = 'A'

    union all

    select
        la_code,
        district,
        period_start,
        period_end,
        'rhi_offered_pct' as kpi_id,
        child,
        mis_start,
        source,
        is_offered as in_numerator,
        true as in_denominator
    from episodes_in_months
    where is_in_rhi_kpis

    union all

    select
        la_code,
        district,
        period_start,
        period_end,
        'rhi_accepted_pct' as kpi_id,
        child,
        mis_start,
        source,
        is_accepted as in_numerator,
        true as in_denominator
    from episodes_in_months
    where is_in_rhi_kpis and is_offered

    union all

    select
        la_code,
        district,
        period_start,
        period_end,
        'rhi_within_72h_pct' as kpi_id,
        child,
        mis_start,
        source,
        is_within_72h as in_numerator,
        true as in_denominator
    from episodes_in_months
    where is_in_rhi_kpis and is_held
),

episode_members_by_breakdown as (
    select
        episode_members.*,
        breakdowns.breakdown
    from episode_members
    inner join breakdowns
        on breakdowns.breakdown in (episode_members.source, 'all')
),

---------- missing_cla_pct: children looked after in the 12 months to d
windows as (
    select
        la_code,
        period_start,
        period_end,
        {{ window_first_day('period_end', 12) }} as window_first_day
    from month_ends
),

looked_after_in_window as (
    select distinct
        windows.la_code,
        windows.period_start,
        windows.period_end,
        windows.window_first_day,
        periods_of_care.child
    from windows
    inner join periods_of_care
        on
            windows.la_code = periods_of_care.la_code
            and {{ overlaps_window(
                'periods_of_care.period_start', 'periods_of_care.period_end', 'windows.period_end', 12
            ) }}
),

missing_starts as (
    select
        la_code,
        child,
        mis_start,
        source
    from episodes
    where missing = 'M' and not has_unreadable_mis_end
),

children_flagged as (
    select
        looked_after_in_window.la_code,
        looked_after_in_window.period_start,
        looked_after_in_window.period_end,
        looked_after_in_window.child,
        coalesce(bool_or(missing_starts.source = 'care'), false) as went_missing_from_care,
        coalesce(bool_or(missing_starts.source = 'home'), false) as went_missing_from_home
    from looked_after_in_window
    left join missing_starts
        on
            looked_after_in_window.la_code = missing_starts.la_code
            and looked_after_in_window.child = missing_starts.child
            and looked_after_in_window.window_first_day <= missing_starts.mis_start
            and looked_after_in_window.period_end >= missing_starts.mis_start
    group by
        looked_after_in_window.la_code,
        looked_after_in_window.period_start,
        looked_after_in_window.period_end,
        looked_after_in_window.child
),

children_with_district as (
    select
        children_flagged.*,
        {{ district_on_column('district_spells') }} as district
    from children_flagged
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'children_flagged.la_code', 'children_flagged.child', 'children_flagged.period_end'
        ) }}
),

child_members_by_breakdown as (
    select
        children_with_district.la_code,
        children_with_district.district,
        children_with_district.period_start,
        children_with_district.period_end,
        'missing_cla_pct' as kpi_id,
        children_with_district.child,
        cast(null as date) as mis_start,
        cast(null as varchar) as source,
        case breakdowns.breakdown
            when 'care' then children_with_district.went_missing_from_care
            when 'home' then children_with_district.went_missing_from_home
            else
                children_with_district.went_missing_from_care
                or children_with_district.went_missing_from_home
        end as in_numerator,
        true as in_denominator,
        breakdowns.breakdown
    from children_with_district
    cross join breakdowns
),

---------- both, without the values that are not supplied
unioned as (
    select
        *,
        'missing_episode' as member_type
    from episode_members_by_breakdown
    union all by name
    select
        *,
        'child' as member_type
    from child_members_by_breakdown
),

final as (
    select
        unioned.la_code,
        unioned.district,
        unioned.breakdown,
        'month' as period_type,
        unioned.period_start,
        unioned.period_end,
        unioned.kpi_id,
        unioned.member_type,
        unioned.child,
        cast(null as varchar) as sw_id,
        unioned.mis_start as event_date,
        unioned.source,
        unioned.in_numerator,
        unioned.in_denominator,
        1.0 as numerator_weight,
        1.0 as denominator_weight
    from unioned
    inner join las
        on unioned.la_code = las.la_code
    where
        (unioned.breakdown != 'home' or las.is_supplied_missing_from_home)
        and (unioned.kpi_id not like 'rhi\_%' escape '\' or las.is_supplied_return_interviews)
)

select * from final
