{#
    Who is counted in every section C value (kpis.md C), one row per (KPI value at
    district level, member): each care leaver of fct_care_leaver_outcomes in the KPIs
    (aged 17-21 on the birthday in the year, birthday on or before that year's extract
    date, IN_TOUCH not DIED or RHOM), in its age group (17-18 or 19-21) and in 17-21.
    Measured per collection year (period_type year) at its end, or the as-at date for the
    current year. District on the birthday (reading 7). Member = the young person
    (event_date = the birthday in the year). Years whose 903 extract has no oc3 have no
    members.
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

with

care_leavers as (
    select * from {{ ref('fct_care_leaver_outcomes') }}
    where {{ la_scope() }} and is_in_kpis
),

collection_years as (
    select * from {{ ref('int_calendar__collection_years') }}
    where {{ la_scope() }}
),

breakdowns as (
    select breakdown_list.breakdown
    from (values ('17-18'), ('19-21'), ('17-21')) as breakdown_list (breakdown)
),

kpis as (
    select kpi_list.kpi_id
    from (
        values
        ('cl_eet_pct'), ('cl_neet_pct'), ('cl_in_touch_pct'), ('cl_suitable_accom_pct'),
        ('cl_nreq_pct'), ('cl_refu_pct')
    ) as kpi_list (kpi_id)
),

in_years as (
    select
        care_leavers.*,
        collection_years.period_start,
        collection_years.period_end
    from care_leavers
    inner join collection_years
        on
            care_leavers.la_code = collection_years.la_code
            and care_leavers.collection_year = collection_years.collection_year
),

final as (
    select
        in_years.la_code,
        in_years.district,
        breakdowns.breakdown,
        'year' as period_type,
        in_years.period_start,
        in_years.period_end,
        kpis.kpi_id,
        'care_leaver' as member_type,
        in_years.child,
        cast(null as varchar) as sw_id,
        in_years.birthday as event_date,
        cast(null as varchar) as source,
        case kpis.kpi_id
            when 'cl_eet_pct' then in_years.is_eet
            when 'cl_neet_pct' then in_years.is_neet
            when 'cl_in_touch_pct' then in_years.is_in_touch
            when 'cl_suitable_accom_pct' then in_years.is_suitable_accom
            when 'cl_nreq_pct' then in_years.is_nreq
            else in_years.is_refu
        end as in_numerator,
        true as in_denominator,
        1.0 as numerator_weight,
        1.0 as denominator_weight
    from in_years
    inner join breakdowns
        on breakdowns.breakdown in (in_years.age_group, '17-21')
    cross join kpis
)

select * from final
