-- Every KPI's LA-total series at its headline breakdown and period type: breakdown 'all'
-- (else '17-21', the care leavers' headline, else the first), at the catalogue frequency
-- (else monthly, else the first).
with

kpi_values as (
    select * from marts.kpi_values
    where la_code = $la and district = 'ALL'
),

catalogue as (
    select kpi_id, frequency from marts.kpi_catalogue
),

ranked as (
    select
        kpi_values.*,
        dense_rank() over (
            partition by kpi_values.kpi_id
            order by
                case kpi_values.breakdown when 'all' then 0 when '17-21' then 1 else 2 end,
                kpi_values.breakdown,
                case
                    when kpi_values.period_type = catalogue.frequency then 0
                    when kpi_values.period_type = 'month' then 1
                    else 2
                end,
                kpi_values.period_type
        ) as preference
    from kpi_values
    left join catalogue on kpi_values.kpi_id = catalogue.kpi_id
)

select
    kpi_id,
    breakdown,
    period_type,
    period_start,
    period_end,
    is_partial,
    numerator,
    denominator,
    value,
    status
from ranked
where preference = 1
order by kpi_id, period_end
