{#
    The one long KPI table the dashboard reads (a contract: see _kpis__models.yml, enforced).
    One row per (la_code, district, breakdown, period_type, period_end, kpi_id). Each KPI
    area is a model with exactly these columns; adding an area is one line in the list.
#}
{% set kpi_area_models = [
    'kpi_missing_rhi',
    'kpi_peps',
    'kpi_care_leavers',
    'kpi_caseloads',
    'kpi_looked_after',
    'kpi_placement_location',
] %}

with

unioned as (
    {% for area_model in kpi_area_models %}
        select
            la_code,
            district,
            breakdown,
            period_type,
            period_start,
            period_end,
            is_partial,
            kpi_id,
            numerator,
            denominator,
            value,
            status
        from {{ ref(area_model) }}
        where {{ la_scope() }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    cast(la_code as varchar) as la_code,
    cast(district as varchar) as district,
    cast(breakdown as varchar) as breakdown,
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(is_partial as boolean) as is_partial,
    cast(kpi_id as varchar) as kpi_id,
    cast(numerator as double) as numerator,
    cast(denominator as double) as denominator,
    cast(value as double) as value,
    cast(status as varchar) as status
from unioned
