{#
    Section A values (kpis.md A) in the kpi_values shape, on the full spine: every LA x
    district (its districts, Unallocated, County, and ALL = LA total) x month x breakdown
    (care / home / all) x KPI. Numerators and denominators are counted from
    kpi_missing_rhi_members, so every value reconciles with its members.
    - counts (missing_episodes, away_episodes): denominator NULL, value = numerator, a 0 is
      a real 0;
    - percentages: value NULL and status no_cases when the denominator is 0;
    - not_supplied (numerator, denominator and value NULL): the RHI KPIs when the LA's
      winning local extract has no return_interviews, and breakdown home when it has no
      missing_from_home.
#}
with

members as (
    select * from {{ ref('kpi_missing_rhi_members') }}
    where {{ la_scope() }}
),

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

districts as (
    select * from {{ ref('int_districts') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

kpis as (
    select
        kpi_list.kpi_id,
        kpi_list.is_count,
        kpi_list.needs_return_interviews
    from (
        values
        ('missing_episodes', true, false),
        ('away_episodes', true, false),
        ('rhi_offered_pct', false, true),
        ('rhi_accepted_pct', false, true),
        ('rhi_within_72h_pct', false, true),
        ('missing_cla_pct', false, false)
    ) as kpi_list (kpi_id, is_count, needs_return_interviews)
),

breakdowns as (
    select breakdown_list.breakdown
    from (values ('care'), ('home'), ('all')) as breakdown_list (breakdown)
),

districts_and_total as (
    {{ districts_with_la_total('districts') }}
),

spine as (
    select
        month_ends.la_code,
        districts_and_total.district,
        breakdowns.breakdown,
        month_ends.period_start,
        month_ends.period_end,
        month_ends.is_partial,
        kpis.kpi_id,
        kpis.is_count,
        kpis.needs_return_interviews
    from month_ends
    inner join districts_and_total
        on month_ends.la_code = districts_and_total.la_code
    cross join breakdowns
    cross join kpis
),

member_counts as (
    {{ count_members_by_district('members', ['breakdown', 'period_end', 'kpi_id']) }}
),

joined as (
    select
        spine.*,
        (
            (spine.breakdown != 'home' or las.is_supplied_missing_from_home)
            and (not spine.needs_return_interviews or las.is_supplied_return_interviews)
        ) as is_supplied,
        coalesce(member_counts.numerator, 0) as member_numerator,
        coalesce(member_counts.denominator, 0) as member_denominator
    from spine
    inner join las
        on spine.la_code = las.la_code
    left join member_counts
        on
            spine.la_code = member_counts.la_code
            and spine.district = member_counts.district
            and spine.breakdown = member_counts.breakdown
            and spine.period_end = member_counts.period_end
            and spine.kpi_id = member_counts.kpi_id
),

final as (
    select
        la_code,
        district,
        breakdown,
        'month' as period_type,
        period_start,
        period_end,
        is_partial,
        kpi_id,
        {{ kpi_value_columns("(case when is_count then 'count' else 'percent' end)") }}
    from joined
)

select * from final
