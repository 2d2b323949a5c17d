-- One KPI for every district (and the LA total) at the latest period it was measured.
with

kpi_values as (
    select * from marts.kpi_values
    where
        la_code = $la
        and kpi_id = $kpi_id
        and breakdown = $breakdown
        and period_type = $period_type
)

select
    district,
    period_start,
    period_end,
    is_partial,
    numerator,
    denominator,
    value,
    status
from kpi_values
where period_end = (select max(period_end) from kpi_values)
order by district
