-- The periods measured for one LA and period type, oldest first.
select distinct
    period_start,
    period_end,
    is_partial
from marts.kpi_values
where la_code = $la and period_type = $period_type
order by period_end
