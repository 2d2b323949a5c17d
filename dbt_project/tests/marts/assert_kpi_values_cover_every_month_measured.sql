{# Monthly KPIs have a value for every month of int_calendar__month_ends, for every LA. #}
with

month_ends as (
    select * from {{ ref('int_calendar__month_ends') }}
    where {{ la_test_scope() }}
),

monthly_kpis as (
    select distinct
        la_code,
        kpi_id,
    from {{ ref('kpi_values') }}
    where period_type = 'month' and {{ la_test_scope() }}
),

expected as (
    select
        month_ends.la_code,
        month_ends.period_end,
        monthly_kpis.kpi_id,
    from month_ends
    inner join monthly_kpis
        on month_ends.la_code = monthly_kpis.la_code
)

select expected.*
from expected
anti join (
    select * from {{ ref('kpi_values') }} where {{ la_test_scope() }}
) as kpi_values
    on
        expected.la_code = kpi_values.la_code
        and expected.period_end = kpi_values.period_end
        and expected.kpi_id = kpi_values.kpi_id
        and kpi_values.period_type = 'month'
