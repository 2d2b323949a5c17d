{#
    Section C values (kpis.md C) in the kpi_values shape, on the full spine: every LA x
    district (its districts, Unallocated, County, and ALL) x collection year (period_type
    year; the current year as at the as-at date) x breakdown (17-18, 19-21, 17-21) x KPI.
    Counted from kpi_care_leavers_members; the denominator of every KPI is the cohort.
    not_supplied for a collection year without a 903 extract supplying oc3 (e.g. the
    months of a new collection year before its first 903 extract).
#}
with

members as (
    select * from {{ ref('kpi_care_leavers_members') }}
    where {{ la_scope() }}
),

collection_years as (
    select * from {{ ref('int_calendar__collection_years') }}
    where {{ la_scope() }}
),

districts as (
    select * from {{ ref('int_districts') }}
    where {{ la_scope() }}
),

supplied_903 as (
    select
        la_code,
        collection_year,
        coalesce(bool_or(is_supplied) filter (where table_name = 'oc3'), false) as has_oc3
    from {{ ref('stg_raw_meta__extract_files') }}
    where {{ la_scope() }} and source = 'ssda903'
    group by la_code, collection_year
),

kpis as (
    select kpi_list.kpi_id
    from (
        values
        ('cl_eet_pct'), ('cl_neet_pct'), ('cl_in_touch_pct'), ('cl_suitable_accom_pct'),
        ('cl_nreq_pct'), ('cl_refu_pct')
    ) as kpi_list (kpi_id)
),

breakdowns as (
    select breakdown_list.breakdown
    from (values ('17-18'), ('19-21'), ('17-21')) as breakdown_list (breakdown)
),

districts_and_total as (
    {{ districts_with_la_total('districts') }}
),

spine as (
    select
        collection_years.la_code,
        districts_and_total.district,
        breakdowns.breakdown,
        collection_years.period_start,
        collection_years.period_end,
        collection_years.is_partial,
        coalesce(supplied_903.has_oc3, false) as is_supplied,
        kpis.kpi_id
    from collection_years
    inner join districts_and_total
        on collection_years.la_code = districts_and_total.la_code
    left join supplied_903
        on
            collection_years.la_code = supplied_903.la_code
            and collection_years.collection_year = supplied_903.collection_year
    cross join breakdowns
    cross join kpis
),

member_counts as (
    {{ count_members_by_district('members', ['breakdown', 'period_end', 'kpi_id']) }}
),

joined as (
    select
        spine.*,
        coalesce(member_counts.numerator, 0) as member_numerator,
        coalesce(member_counts.denominator, 0) as member_denominator
    from spine
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
        'year' as period_type,
        period_start,
        period_end,
        is_partial,
        kpi_id,
        {{ kpi_value_columns() }}
    from joined
)

select * from final
