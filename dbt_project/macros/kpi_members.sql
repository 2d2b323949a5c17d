{#-
    Count a KPI's members into numerator and denominator for each district and for the
    LA as a whole (district 'ALL'), in one pass: the LA row is a grouping set of the same
    rows, so an LA value is the sum over its districts by construction (the
    la_total_equals_sum_of_districts test checks it stays so).

    members   the members relation or CTE: la_code, district, in_numerator, in_denominator
              and the key columns (plus numerator_weight / denominator_weight if weighted)
    keys      the other grouping columns, e.g. ['period_type', 'period_end', 'kpi_id']
    weighted  sum the weights (caseloads, FTE, rates) instead of counting rows
-#}
{% macro count_members_by_district(members, keys, weighted=false) %}
    select
        la_code,
        case when grouping(district) = 1 then 'ALL' else district end as district,
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        {%- if weighted %}
        coalesce(sum(numerator_weight) filter (where in_numerator), 0) as numerator,
        coalesce(sum(denominator_weight) filter (where in_denominator), 0) as denominator
        {%- else %}
        count(*) filter (where in_numerator) as numerator,
        count(*) filter (where in_denominator) as denominator
        {%- endif %}
    from {{ members }}
    group by grouping sets (
        (la_code, district, {{ keys | join(', ') }}),
        (la_code, {{ keys | join(', ') }})
    )
{% endmacro %}

{#-
    The districts of each LA plus the LA itself as district 'ALL': the district axis of
    every KPI's spine (so that a district with no members still gets its row).

    districts  a relation or CTE with la_code and district (int_districts)
-#}
{% macro districts_with_la_total(districts) %}
    select
        la_code,
        district
    from {{ districts }}
    union all
    select distinct
        la_code,
        'ALL' as district
    from {{ districts }}
{% endmacro %}
