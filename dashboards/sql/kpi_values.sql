-- KPI values of one LA, district and breakdown, for some KPIs, over a period range.
select
    period_type,
    period_start,
    period_end,
    is_partial,
    kpi_id,
    district,
    breakdown,
    numerator,
    denominator,
    value,
    status
from marts.kpi_values
where
    la_code = $la
    and district = $district
    and breakdown = $breakdown
    and period_type = $period_type
    and list_contains($kpi_ids::varchar[], kpi_id)
    and ($start::date is null or period_end >= $start::date)
    and ($end::date is null or period_end <= $end::date)
order by period_end, kpi_id
