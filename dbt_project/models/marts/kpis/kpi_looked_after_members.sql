{#
    Who is counted in every section E value (kpis.md E), one row per (KPI value at district
    level, member). District ALL = every district. Values not supplied have no members.
    Monthly, at each measurement date d (month end, or the extract date):
    - cla_count: children looked after on d (short breaks excluded); count, no denominator.
    - cla_starts / cla_ceased: periods of care starting / ending in the month (up to d),
      in the district on the period's start / end (reading 7); member = the period
      (event_date = its start / end).
    - placement_3plus_pct: looked after on d; numerator: 3 or more placements overlapping
      (d - 12 months, d] = episodes overlapping it with RNE not L, plus one if the earliest
      overlapping episode has RNE L (kpis.md E, reading 5: an episode overlaps when DECOM
      <= d and DEC blank or after the window's first day, d - 12 months + 1 day; one
      ending on that day does not). Short breaks are not episodes here.
    - placement_long_term_pct: looked after on d, aged under 16 on d, period of care
      started on or before d - 30 months; numerator: current placement started on or
      before d - 24 months, or placed for adoption (current PLACE A3-A6). Month arithmetic
      clips (31/08 - 30 months = 28/02 or 29/02); macros in macros/windows.sql.
    - cla_review_in_date_pct: looked after on d whose 20th working day in care is on or
      before d; numerator: next review due on or after d (reading 12). Due date from the
      reviews held from the period's start to d: none -> 20th working day after the start;
      one -> that review + 3 months; more -> the latest + 6 months (event_date = due date).
    cla_rate_per_10k has no members of its own: its children are those of cla_count.
    Yearly (period_type year), at the collection year's end (31 March, or the as-at date):
    - health_assessment_pct / dental_check_pct / immunisations_pct: the year's OC2 rows;
      numerator HEALTH_ASSESSMENT / TEETH_CHECK / IMMUNISATIONS = 1 (reading 13); district
      on the measurement date.
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

collection_years as (
    select * from {{ ref('int_calendar__collection_years') }}
    where {{ la_scope() }}
),

looked_after as (
    select * from {{ ref('int_looked_after__children_at_month_ends') }}
    where {{ la_scope() }}
),

periods as (
    select * from {{ ref('int_looked_after__periods_with_milestones') }}
    where {{ la_scope() }}
),

episodes as (
    select * from {{ ref('int_ssda903__episodes_in_periods') }}
    where {{ la_scope() }}
),

reviews as (
    select * from {{ ref('int_ssda903__reviews_deduplicated') }}
    where {{ la_scope() }}
),

oc2 as (
    select * from {{ ref('stg_ssda903__oc2') }}
    where {{ la_scope() }} and child is not null
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

supplied_903 as (
    select
        la_code,
        collection_year,
        bool_or(is_supplied) filter (where table_name = 'reviews') as has_reviews,
        bool_or(is_supplied) filter (where table_name = 'oc2') as has_oc2
    from {{ ref('stg_raw_meta__extract_files') }}
    where {{ la_scope() }} and source = 'ssda903'
    group by la_code, collection_year
),

---------- cla_count
count_members as (
    select
        la_code,
        district,
        period_start,
        period_end,
        'cla_count' as kpi_id,
        'child' as member_type,
        child,
        cast(null as date) as event_date,
        true as in_numerator,
        false as in_denominator
    from looked_after
),

---------- cla_starts / cla_ceased
start_members as (
    select
        month_ends.la_code,
        periods.district_at_start as district,
        month_ends.period_start,
        month_ends.period_end,
        'cla_starts' as kpi_id,
        'period_of_care' as member_type,
        periods.child,
        periods.period_start as event_date,
        true as in_numerator,
        false as in_denominator
    from month_ends
    inner join periods
        on
            month_ends.la_code = periods.la_code
            and periods.period_start between month_ends.period_start and month_ends.period_end
),

ceased_members as (
    select
        month_ends.la_code,
        periods.district_at_end as district,
        month_ends.period_start,
        month_ends.period_end,
        'cla_ceased' as kpi_id,
        'period_of_care' as member_type,
        periods.child,
        periods.period_end as event_date,
        true as in_numerator,
        false as in_denominator
    from month_ends
    inner join periods
        on
            month_ends.la_code = periods.la_code
            and periods.period_end between month_ends.period_start and month_ends.period_end
),

---------- placement_3plus_pct
placements_in_window as (
    select
        looked_after.la_code,
        looked_after.period_end,
        looked_after.child,
        count(*) filter (where coalesce(episodes.rne, '') != 'L')
        + case when arg_min(coalesce(episodes.rne, ''), episodes.decom) = 'L' then 1 else 0 end
            as placements_12_months
    from looked_after
    inner join episodes
        on
            looked_after.la_code = episodes.la_code
            and looked_after.child = episodes.child
            and {{ overlaps_window(
                'episodes.decom', 'episodes.dec', 'looked_after.period_end', 12
            ) }}
    group by looked_after.la_code, looked_after.period_end, looked_after.child
),

placement_3plus_members as (
    select
        looked_after.la_code,
        looked_after.district,
        looked_after.period_start,
        looked_after.period_end,
        'placement_3plus_pct' as kpi_id,
        'child' as member_type,
        looked_after.child,
        cast(null as date) as event_date,
        coalesce(placements_in_window.placements_12_months >= 3, false) as in_numerator,
        true as in_denominator
    from looked_after
    left join placements_in_window
        on
            looked_after.la_code = placements_in_window.la_code
            and looked_after.period_end = placements_in_window.period_end
            and looked_after.child = placements_in_window.child
),

---------- placement_long_term_pct
long_term_members as (
    select
        la_code,
        district,
        period_start,
        period_end,
        'placement_long_term_pct' as kpi_id,
        'child' as member_type,
        child,
        placement_start as event_date,
        coalesce(
            placement_start <= {{ months_before('period_end', 24) }}
            or place in ('A3', 'A4', 'A5', 'A6'),
            false
        ) as in_numerator,
        true as in_denominator
    from looked_after
    where
        age < 16
        and care_period_start <= {{ months_before('period_end', 30) }}
),

---------- cla_review_in_date_pct
review_counts as (
    select
        looked_after.la_code,
        looked_after.period_end,
        looked_after.child,
        count(*) as reviews_held,
        max(reviews.review_date) as latest_review
    from looked_after
    inner join reviews
        on
            looked_after.la_code = reviews.la_code
            and looked_after.child = reviews.child
            and reviews.review_date
            between looked_after.care_period_start and looked_after.period_end
    group by looked_after.la_code, looked_after.period_end, looked_after.child
),

review_due as (
    select
        looked_after.*,
        case
            when review_counts.reviews_held is null then looked_after.care_period_working_day_20
            when review_counts.reviews_held = 1
                then cast(review_counts.latest_review + interval 3 month as date)
            else cast(review_counts.latest_review + interval 6 month as date)
        end as review_due_date
    from looked_after
    left join review_counts
        on
            looked_after.la_code = review_counts.la_code
            and looked_after.period_end = review_counts.period_end
            and looked_after.child = review_counts.child
    where looked_after.care_period_working_day_20 <= looked_after.period_end
),

review_members as (
    select
        la_code,
        district,
        period_start,
        period_end,
        'cla_review_in_date_pct' as kpi_id,
        'child' as member_type,
        child,
        review_due_date as event_date,
        review_due_date >= period_end as in_numerator,
        true as in_denominator
    from review_due
),

---------- OC2 health, per collection year
oc2_rows as (
    select * from oc2
    qualify row_number() over (
        partition by la_code, collection_year, child
        order by source_row desc
    ) = 1
),

oc2_in_years as (
    select
        collection_years.la_code,
        collection_years.period_start,
        collection_years.period_end,
        oc2_rows.child,
        {{ district_on_column('district_spells') }} as district,
        coalesce(oc2_rows.health_assessment = 1, false) as has_health_assessment,
        coalesce(oc2_rows.teeth_check = 1, false) as has_dental_check,
        coalesce(oc2_rows.immunisations = 1, false) as has_immunisations
    from collection_years
    inner join oc2_rows
        on
            collection_years.la_code = oc2_rows.la_code
            and collection_years.collection_year = oc2_rows.collection_year
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'oc2_rows.la_code', 'oc2_rows.child', 'collection_years.period_end'
        ) }}
),

health_members as (
    select
        oc2_in_years.la_code,
        oc2_in_years.district,
        oc2_in_years.period_start,
        oc2_in_years.period_end,
        health_kpis.kpi_id,
        'child' as member_type,
        oc2_in_years.child,
        cast(null as date) as event_date,
        case health_kpis.kpi_id
            when 'health_assessment_pct' then oc2_in_years.has_health_assessment
            when 'dental_check_pct' then oc2_in_years.has_dental_check
            else oc2_in_years.has_immunisations
        end as in_numerator,
        true as in_denominator
    from oc2_in_years
    cross join (
        values ('health_assessment_pct'), ('dental_check_pct'), ('immunisations_pct')
    ) as health_kpis (kpi_id)
),

---------- all together
monthly as (
    select * from count_members
    union all
    select * from start_members
    union all
    select * from ceased_members
    union all
    select * from placement_3plus_members
    union all
    select * from long_term_members
    union all
    select * from review_members
),

monthly_supplied as (
    select
        monthly.*,
        'month' as period_type
    from monthly
    left join collection_years
        on
            monthly.la_code = collection_years.la_code
            and monthly.period_start
            between collection_years.period_start and collection_years.year_end
    left join supplied_903
        on
            collection_years.la_code = supplied_903.la_code
            and collection_years.collection_year = supplied_903.collection_year
    where monthly.kpi_id != 'cla_review_in_date_pct' or coalesce(supplied_903.has_reviews, false)
),

yearly_supplied as (
    select
        health_members.*,
        'year' as period_type
    from health_members
    inner join collection_years
        on
            health_members.la_code = collection_years.la_code
            and health_members.period_end = collection_years.period_end
    inner join supplied_903
        on
            collection_years.la_code = supplied_903.la_code
            and collection_years.collection_year = supplied_903.collection_year
    where coalesce(supplied_903.has_oc2, false)
),

unioned as (
    select * from monthly_supplied
    union all by name
    select * from yearly_supplied
),

final as (
    select
        la_code,
        district,
        'all' as breakdown,
        period_type,
        period_start,
        period_end,
        kpi_id,
        member_type,
        child,
        cast(null as varchar) as sw_id,
        event_date,
        cast(null as varchar) as source,
        in_numerator,
        in_denominator,
        1.0 as numerator_weight,
        1.0 as denominator_weight
    from unioned
)

select * from final
