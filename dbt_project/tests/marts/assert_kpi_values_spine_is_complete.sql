{#
    The spine is full: for each LA, KPI and period type, there is a row for every district
    of the LA (int_districts, plus ALL) x every period x every breakdown of that KPI, and
    zero-activity cells are present rather than missing.
#}
with

kpi_values as (
    select * from {{ ref('kpi_values') }}
    where {{ la_test_scope() }}
),

districts as (
    select
        la_code,
        count(*) + 1 as n_districts,
    from {{ ref('int_districts') }}
    where {{ la_test_scope() }}
    group by la_code
),

shape as (
    select
        la_code,
        kpi_id,
        period_type,
        count(*) as n_rows,
        count(distinct district) as n_districts,
        count(distinct period_end) as n_periods,
        count(distinct breakdown) as n_breakdowns,
    from kpi_values
    group by la_code, kpi_id, period_type
)

select
    shape.*,
    districts.n_districts as expected_districts,
from shape
left join districts
    on shape.la_code = districts.la_code
where
    shape.n_rows != shape.n_districts * shape.n_periods * shape.n_breakdowns
    or shape.n_districts != districts.n_districts
