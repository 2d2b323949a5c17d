{#
    Every row satisfies a SQL boolean expression (our own, no dbt_utils offline).
    Rows where the expression is NULL pass; use `coalesce` in the expression to be strict.
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
