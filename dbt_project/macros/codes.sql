{#
    Codes are compared upper-case (the 2024-25 PLACE rule file itself writes `k3`).
    Raw values are already trimmed and blank is NULL (pipelines/lib/warehouse.py).
#}
{% macro clean_code(column_name) -%}
    nullif(upper(trim({{ column_name }})), '')
{%- endmacro %}

{#
    SEX: 1/2 up to 2023-24, M/F/U from 2024-25 (domain.md §1.3). One vocabulary: M/F/U.
    Any other value passes through upper-cased, for the data-quality gate to report.
#}
{% macro sex_code(column_name) -%}
    case {{ clean_code(column_name) }}
        when '1' then 'M'
        when '2' then 'F'
        else {{ clean_code(column_name) }}
    end
{%- endmacro %}

{# Whole numbers and decimals: unreadable text becomes NULL (reported by the DQ gate). #}
{% macro to_integer(column_name) -%}
    try_cast({{ column_name }} as integer)
{%- endmacro %}

{% macro to_double(column_name) -%}
    try_cast({{ column_name }} as double)
{%- endmacro %}
