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

{#-
    A KPI value from its counted members: numerator, denominator, value and status, in the
    kpi_values contract. Reads is_supplied, member_numerator and member_denominator.

    value_type  a SQL expression: 'count' (the numerator is the value; no denominator),
                'percent' (100 × numerator / denominator) or 'ratio' (numerator per one of
                the denominator, e.g. cases per FTE)
    Not supplied: everything NULL. A zero denominator: no value and status no_cases, never
    0 % or 100 %.
-#}
{% macro kpi_value_columns(value_type="'percent'") %}
        case when is_supplied then member_numerator end as numerator,
        case
            when is_supplied and {{ value_type }} != 'count' then member_denominator
        end as denominator,
        case
            when not is_supplied then null
            when {{ value_type }} = 'count' then member_numerator
            when member_denominator = 0 then null
            when {{ value_type }} = 'ratio' then member_numerator / member_denominator
            else 100.0 * member_numerator / member_denominator
        end as value,
        case
            when not is_supplied then 'not_supplied'
            when {{ value_type }} = 'count' then 'ok'
            when member_denominator = 0 then 'no_cases'
            else 'ok'
        end as status
{% endmacro %}
