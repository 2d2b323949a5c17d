{#
    Who is counted in each KPI value: one row per (KPI value at district level, member),
    union of the per-area members models (same columns). District ALL = all districts.
    numerator_weight / denominator_weight: what the member adds to the numerator (when
    in_numerator) and to the denominator (when in_denominator): 1 for a counted child,
    episode, period of care or PEP; cases and FTE for a worker in caseload_avg, FTE in
    agency_fte_pct.
#}
{#- one chunk of LAs per statement on a full build (macros/incremental_by_la.sql) -#}
{{ config(la_chunks=true) }}

{% set kpi_member_models = [
    'kpi_missing_rhi_members',
    'kpi_peps_members',
    'kpi_care_leavers_members',
    'kpi_caseloads_members',
    'kpi_looked_after_members',
    'kpi_placement_location_members',
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
            in_denominator,
            cast(numerator_weight as double) as numerator_weight,
            cast(denominator_weight as double) as denominator_weight
        from {{ ref(members_model) }}
        where {{ la_scope() }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
