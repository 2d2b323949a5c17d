{#
    Section E values (kpis.md E) in the kpi_values shape, on the full spine: every LA x
    district (its districts, Unallocated, County, and ALL) x period x KPI, breakdown all.
    Monthly KPIs at each month end (the latest month as at the extract date); the OC2
    health KPIs per collection year (period_type year). Counted from
    kpi_looked_after_members, except:
    - cla_rate_per_10k: numerator = children looked after on d (cla_count's members) x
      10,000, denominator = the population aged 0-17 of the district_populations seed; the
      LA total uses the LA's population (the sum of its districts in the seed). A district
      with no population (County and Unallocated, which are not places; any district of an
      LA not in the seed) keeps its numerator (its children are counted), has no
      denominator and no value, and status no_population, which the KPI page explains.
    Not supplied: cla_review_in_date_pct in a month whose collection year's 903 extract
    has no reviews; the health KPIs in a year whose extract has no oc2.
#}
with

members as (
    select * from {{ ref('kpi_looked_after_members') }}
    where {{ la_scope() }}
),

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
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

populations as (
    select * from {{ ref('district_populations') }}
    where {{ la_scope() }}
),

supplied_903 as (
    select
        la_code,
        collection_year,
        coalesce(bool_or(is_supplied) filter (where table_name = 'reviews'), false) as has_reviews,
        coalesce(bool_or(is_supplied) filter (where table_name = 'oc2'), false) as has_oc2
    from {{ ref('stg_raw_meta__extract_files') }}
    where {{ la_scope() }} and source = 'ssda903'
    group by la_code, collection_year
),

kpis as (
    select
        kpi_list.kpi_id,
        kpi_list.period_type,
        kpi_list.value_type
    from (
        values
        ('cla_count', 'month', 'count'),
        ('cla_rate_per_10k', 'month', 'rate'),
        ('cla_starts', 'month', 'count'),
        ('cla_ceased', 'month', 'count'),
        ('placement_3plus_pct', 'month', 'percent'),
        ('placement_long_term_pct', 'month', 'percent'),
        ('cla_review_in_date_pct', 'month', 'percent'),
        ('health_assessment_pct', 'year', 'percent'),
        ('dental_check_pct', 'year', 'percent'),
        ('immunisations_pct', 'year', 'percent')
    ) as kpi_list (kpi_id, period_type, value_type)
),

districts_and_total as (
    {{ districts_with_la_total('districts') }}
),

district_populations as (
    select
        la_code,
        district,
        sum(population_0_17) as population_0_17
    from populations
    group by la_code, district
    union all
    select
        la_code,
        'ALL' as district,
        sum(population_0_17) as population_0_17
    from populations
    group by la_code
),

periods as (
    select
        month_ends.la_code,
        'month' as period_type,
        month_ends.period_start,
        month_ends.period_end,
        month_ends.is_partial,
        coalesce(supplied_903.has_reviews, false) as has_reviews,
        false as has_oc2
    from month_ends
    left join collection_years
        on
            month_ends.la_code = collection_years.la_code
            and month_ends.period_start
            between collection_years.period_start and collection_years.year_end
    left join supplied_903
        on
            collection_years.la_code = supplied_903.la_code
            and collection_years.collection_year = supplied_903.collection_year
    union all
    select
        collection_years.la_code,
        'year' as period_type,
        collection_years.period_start,
        collection_years.period_end,
        collection_years.is_partial,
        false as has_reviews,
        coalesce(supplied_903.has_oc2, false) as has_oc2
    from collection_years
    left join supplied_903
        on
            collection_years.la_code = supplied_903.la_code
            and collection_years.collection_year = supplied_903.collection_year
),

spine as (
    select
        periods.*,
        districts_and_total.district,
        kpis.kpi_id,
        kpis.value_type
    from periods
    inner join districts_and_total
        on periods.la_code = districts_and_total.la_code
    inner join kpis
        on periods.period_type = kpis.period_type
),

member_counts as (
    {{ count_members_by_district(
        'members', ['period_type', 'period_end', 'kpi_id'], weighted=true
    ) }}
),

joined as (
    select
        spine.*,
        district_populations.population_0_17,
        case
            when spine.kpi_id = 'cla_review_in_date_pct' then spine.has_reviews
            when spine.period_type = 'year' then spine.has_oc2
            else true
        end as is_supplied,
        coalesce(district_populations.population_0_17 > 0, false) as has_population,
        coalesce(member_counts.numerator, 0) as member_numerator,
        coalesce(member_counts.denominator, 0) as member_denominator
    from spine
    left join member_counts
        on
            spine.la_code = member_counts.la_code
            and spine.district = member_counts.district
            and spine.period_type = member_counts.period_type
            and spine.period_end = member_counts.period_end
            and member_counts.kpi_id
            = case when spine.kpi_id = 'cla_rate_per_10k' then 'cla_count' else spine.kpi_id end
    left join district_populations
        on
            spine.la_code = district_populations.la_code
            and spine.district = district_populations.district
),

final as (
    select
        la_code,
        district,
        'all' as breakdown,
        period_type,
        period_start,
        period_end,
        is_partial,
        kpi_id,
        case
            when not is_supplied then null
            when value_type = 'rate' then member_numerator * 10000
            else member_numerator
        end as numerator,
        case
            when not is_supplied or value_type = 'count' then null
            when value_type = 'rate' and not has_population then null
            when value_type = 'rate' then population_0_17
            else member_denominator
        end as denominator,
        case
            when not is_supplied then null
            when value_type = 'count' then member_numerator
            when value_type = 'rate' and not has_population then null
            when value_type = 'rate' then member_numerator * 10000.0 / population_0_17
            when member_denominator = 0 then null
            else 100.0 * member_numerator / member_denominator
        end as value,
        case
            when not is_supplied then 'not_supplied'
            when value_type = 'rate' and not has_population then 'no_population'
            when value_type in ('count', 'rate') then 'ok'
            when member_denominator = 0 then 'no_cases'
            else 'ok'
        end as status
    from joined
)

select * from final
