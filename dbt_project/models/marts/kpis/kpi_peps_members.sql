{#
    Who is counted in every section B value (kpis.md B), one row per (KPI value at
    district level, member). Only LAs whose local extract supplied peps. District ALL =
    every district.
    - pep_in_term_pct, at each month end d (period_type month: it rises through the term)
      and at each term's end or the extract date (period_type term, period_start = the
      term's first day): cohort = children looked after on d, of statutory school age on
      d, whose 20th working day in care is on or before d (reading 4); numerator: a
      COMPLETE PEP dated from the start of the term containing d to d (event_date = the
      latest such PEP). District on d.
    - pep_initial_10wd_pct (month): periods of care starting in the month, of a child of
      statutory school age on the period's start (reading 9), still looked after on the
      10th working day after the start, once that day is on or before the as-at date;
      numerator: a COMPLETE PEP of either type dated from the period's start to that 10th
      working day (the first one then is too). Member = the period (event_date = its
      start); district on the period's start (reading 7).
    - pep_quality_good_pct (month): COMPLETE PEPs dated in the month up to d with a
      QUALITY; numerator QUALITY = GOOD. Member = the PEP (event_date = PEP_DATE); district
      on d (reading 7).
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_scope() }}
),

school_terms as (
    select * from {{ ref('int_calendar__school_terms') }}
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

peps as (
    select * from {{ ref('fct_peps') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }} and is_supplied_peps
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

complete_peps as (
    select * from peps
    where is_complete
),

---------- pep_in_term_pct
cohort as (
    select looked_after.*
    from looked_after
    inner join las
        on looked_after.la_code = las.la_code
    where
        looked_after.is_school_age
        and looked_after.care_period_working_day_20 <= looked_after.period_end
),

latest_pep_in_term as (
    select
        cohort.la_code,
        cohort.period_end,
        cohort.child,
        max(complete_peps.pep_date) as latest_pep_date
    from cohort
    inner join complete_peps
        on
            cohort.la_code = complete_peps.la_code
            and cohort.child = complete_peps.child
            and complete_peps.pep_date between cohort.term_start and cohort.period_end
    group by cohort.la_code, cohort.period_end, cohort.child
),

in_term_monthly as (
    select
        cohort.la_code,
        cohort.district,
        'month' as period_type,
        cohort.period_start,
        cohort.period_end,
        'pep_in_term_pct' as kpi_id,
        'child' as member_type,
        cohort.child,
        latest_pep_in_term.latest_pep_date as event_date,
        latest_pep_in_term.latest_pep_date is not null as in_numerator,
        true as in_denominator
    from cohort
    left join latest_pep_in_term
        on
            cohort.la_code = latest_pep_in_term.la_code
            and cohort.period_end = latest_pep_in_term.period_end
            and cohort.child = latest_pep_in_term.child
),

in_term_termly as (
    select
        in_term_monthly.la_code,
        in_term_monthly.district,
        'term' as period_type,
        school_terms.period_start,
        in_term_monthly.period_end,
        in_term_monthly.kpi_id,
        in_term_monthly.member_type,
        in_term_monthly.child,
        in_term_monthly.event_date,
        in_term_monthly.in_numerator,
        in_term_monthly.in_denominator
    from in_term_monthly
    inner join school_terms
        on
            in_term_monthly.la_code = school_terms.la_code
            and in_term_monthly.period_end = school_terms.period_end
),

---------- pep_initial_10wd_pct
entrants as (
    select
        month_ends.la_code,
        month_ends.period_start,
        month_ends.period_end,
        periods.child,
        periods.district_at_start as district,
        periods.period_start as care_period_start,
        periods.working_day_10
    from month_ends
    inner join las
        on month_ends.la_code = las.la_code
    inner join periods
        on
            month_ends.la_code = periods.la_code
            and periods.period_start between month_ends.period_start and month_ends.period_end
    where
        periods.is_school_age_at_start
        and periods.working_day_10 <= las.as_at_date
        and (periods.period_end is null or periods.period_end > periods.working_day_10)
),

entrants_with_pep as (
    select
        entrants.la_code,
        entrants.period_end,
        entrants.child,
        entrants.care_period_start,
        count(*) as peps_in_time
    from entrants
    inner join complete_peps
        on
            entrants.la_code = complete_peps.la_code
            and entrants.child = complete_peps.child
            and complete_peps.pep_date
            between entrants.care_period_start and entrants.working_day_10
    group by entrants.la_code, entrants.period_end, entrants.child, entrants.care_period_start
),

initial_members as (
    select
        entrants.la_code,
        entrants.district,
        'month' as period_type,
        entrants.period_start,
        entrants.period_end,
        'pep_initial_10wd_pct' as kpi_id,
        'period_of_care' as member_type,
        entrants.child,
        entrants.care_period_start as event_date,
        entrants_with_pep.child is not null as in_numerator,
        true as in_denominator
    from entrants
    left join entrants_with_pep
        on
            entrants.la_code = entrants_with_pep.la_code
            and entrants.period_end = entrants_with_pep.period_end
            and entrants.child = entrants_with_pep.child
            and entrants.care_period_start = entrants_with_pep.care_period_start
),

---------- pep_quality_good_pct
quality_members as (
    select
        month_ends.la_code,
        {{ district_on_column('district_spells') }} as district,
        'month' as period_type,
        month_ends.period_start,
        month_ends.period_end,
        'pep_quality_good_pct' as kpi_id,
        'pep' as member_type,
        complete_peps.child,
        complete_peps.pep_date as event_date,
        complete_peps.is_good as in_numerator,
        true as in_denominator
    from month_ends
    inner join las
        on month_ends.la_code = las.la_code
    inner join complete_peps
        on
            month_ends.la_code = complete_peps.la_code
            and complete_peps.pep_date between month_ends.period_start and month_ends.period_end
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'complete_peps.la_code', 'complete_peps.child', 'month_ends.period_end'
        ) }}
    where complete_peps.is_rated
),

unioned as (
    select * from in_term_monthly
    union all
    select * from in_term_termly
    union all
    select * from initial_members
    union all
    select * from quality_members
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
