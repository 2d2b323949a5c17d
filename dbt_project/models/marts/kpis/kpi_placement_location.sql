{#
    Section F values (kpis.md F, where children live) in the kpi_values shape, on the full
    spine: every LA x district (its districts, Unallocated, County, and ALL) x month end
    (the latest month as at the extract date) x KPI, breakdown all. Counted from
    kpi_placement_location_members:
    - placed_outside_la_pct, placed_20_miles_pct: percentages; no_cases when no child has
      a known location (or distance), never 0 %;
    - placed_location_not_known, placed_distance_not_known: counts of the children looked
      after on d left out of those denominators (shown beside them on the KPI page).
    The 903 episodes are required, so these are never not_supplied: a blank postcode
    column makes every child "not known".
#}
with

members as (
    select * from {{ ref('kpi_placement_location_members') }}
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

kpis as (
    select
        kpi_list.kpi_id,
        kpi_list.value_type
    from (
        values
        ('placed_outside_la_pct', 'percent'),
        ('placed_location_not_known', 'count'),
        ('placed_20_miles_pct', 'percent'),
        ('placed_distance_not_known', 'count')
    ) as kpi_list (kpi_id, value_type)
),

districts_and_total as (
    {{ districts_with_la_total('districts') }}
),

spine as (
    select
        month_ends.la_code,
        districts_and_total.district,
        month_ends.period_start,
        month_ends.period_end,
        month_ends.is_partial,
        kpis.kpi_id,
        kpis.value_type
    from month_ends
    inner join districts_and_total
        on month_ends.la_code = districts_and_total.la_code
    cross join kpis
),

member_counts as (
    {{ count_members_by_district('members', ['period_end', 'kpi_id']) }}
),

joined as (
    select
        spine.*,
        true as is_supplied,
        coalesce(member_counts.numerator, 0) as member_numerator,
        coalesce(member_counts.denominator, 0) as member_denominator
    from spine
    left join member_counts
        on
            spine.la_code = member_counts.la_code
            and spine.district = member_counts.district
            and spine.period_end = member_counts.period_end
            and spine.kpi_id = member_counts.kpi_id
),

final as (
    select
        la_code,
        district,
        'all' as breakdown,
        'month' as period_type,
        period_start,
        period_end,
        is_partial,
        kpi_id,
        {{ kpi_value_columns('value_type') }}
    from joined
)

select * from final
