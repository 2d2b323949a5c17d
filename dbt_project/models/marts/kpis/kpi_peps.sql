{#
    Section B values (kpis.md B) in the kpi_values shape, on the full spine: every LA x
    district (its districts, Unallocated, County, and ALL) x period x KPI, breakdown all.
    pep_in_term_pct has a value at every month end (period_type month: it rises through
    each term) and at every term's end (period_type term; the current term as at the
    extract date: the headline). pep_initial_10wd_pct and pep_quality_good_pct are monthly.
    Counted from kpi_peps_members. All three are not_supplied when the LA's winning local
    extract has no peps table (or there is no local extract).
#}
with

members as (
    select * from {{ ref('kpi_peps_members') }}
    where {{ la_scope() }}
),

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

school_terms as (
    select * from {{ ref('int_calendar__school_terms') }}
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
        kpi_list.period_type
    from (
        values
        ('pep_in_term_pct', 'month'),
        ('pep_in_term_pct', 'term'),
        ('pep_initial_10wd_pct', 'month'),
        ('pep_quality_good_pct', 'month')
    ) as kpi_list (kpi_id, period_type)
),

districts_and_total as (
    {{ districts_with_la_total('districts') }}
),

periods as (
    select
        la_code,
        'month' as period_type,
        period_start,
        period_end,
        is_partial
    from month_ends
    union all
    select
        la_code,
        'term' as period_type,
        period_start,
        period_end,
        is_partial
    from school_terms
),

spine as (
    select
        periods.*,
        districts_and_total.district,
        kpis.kpi_id
    from periods
    inner join districts_and_total
        on periods.la_code = districts_and_total.la_code
    inner join kpis
        on periods.period_type = kpis.period_type
),

member_counts as (
    {{ count_members_by_district('members', ['period_type', 'period_end', 'kpi_id']) }}
),

joined as (
    select
        spine.*,
        las.is_supplied_peps as is_supplied,
        coalesce(member_counts.numerator, 0) as member_numerator,
        coalesce(member_counts.denominator, 0) as member_denominator
    from spine
    inner join las
        on spine.la_code = las.la_code
    left join member_counts
        on
            spine.la_code = member_counts.la_code
            and spine.district = member_counts.district
            and spine.period_type = member_counts.period_type
            and spine.period_end = member_counts.period_end
            and spine.kpi_id = member_counts.kpi_id
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
        {{ kpi_value_columns() }}
    from joined
)

select * from final
