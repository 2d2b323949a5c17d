{#
    Dates arrive as text in dd/mm/yyyy (the DfE 903 guide) or ISO yyyy-mm-dd
    (data contract, "File format"). Anything else is unreadable: parse_date gives NULL and
    date_is_valid gives false, so that a KPI can leave the row out (kpis.md reading 17)
    while a blank value (NULL in raw) stays valid and means "unknown / not applicable".
#}
{% macro parse_date(column_name) -%}
    cast(try_strptime({{ column_name }}, ['%d/%m/%Y', '%Y-%m-%d']) as date)
{%- endmacro %}

{% macro date_is_valid(column_name) -%}
    ({{ column_name }} is null or try_strptime({{ column_name }}, ['%d/%m/%Y', '%Y-%m-%d']) is not null)
{%- endmacro %}

{#
    Both columns of one date field, for a staging select list:
    <name> (DATE, NULL when blank or unreadable) and is_valid_<name>.
#}
{% macro typed_date(column_name) -%}
    {{ parse_date(column_name) }} as {{ column_name }},
    {{ date_is_valid(column_name) }} as is_valid_{{ column_name }}
{%- endmacro %}
