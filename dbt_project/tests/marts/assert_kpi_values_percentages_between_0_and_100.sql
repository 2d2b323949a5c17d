{# Percent KPIs (unit = percent in the catalogue) lie between 0 and 100. #}
select kpi_values.*
from {{ ref('kpi_values') }} as kpi_values
inner join {{ ref('dim_kpi_catalogue') }} as catalogue
    on kpi_values.kpi_id = catalogue.kpi_id
where
    catalogue.unit = 'percent'
    and {{ la_test_scope('kpi_values.la_code') }}
    and (kpi_values.value < 0 or kpi_values.value > 100)
