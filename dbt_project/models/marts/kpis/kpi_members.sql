{#
    Who is counted in each KPI value: one row per (KPI value at district level, member),
    union of the per-area members models (same columns). District ALL = all districts.
#}
{% set kpi_member_models = [
    'kpi_missing_rhi_members',
] %}

with

unioned as (
    {% for members_model in kpi_member_models %}
        select
            la_code,
            district,
            breakdown,
            period_type,
            period_start,
            period_end,
            kpi_id,
            member_type,
            child,
            sw_id,
            event_date,
            source,
            in_numerator,
            in_denominator
        from {{ ref(members_model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
