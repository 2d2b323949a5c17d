{#
    A child's district on any date (data-contract.md "Where a child belongs", kpis.md
    reading 6), for any relation holding (la_code, child, date) rows:

        select
            x.*,
            {{ district_on_column('spells') }} as district,
        from x
        left join {{ ref('int_allocations__district_spells') }} as spells
            on {{ district_on_join('spells', 'x.la_code', 'x.child', 'x.some_date') }}

    int_allocations__district_spells holds non-overlapping spells per child, so the join
    adds at most one row; no spell on that date means Unallocated.
#}
{% macro district_on_join(spells_alias, la_code, child, on_date) -%}
    {{ spells_alias }}.la_code = {{ la_code }}
    and {{ spells_alias }}.child = {{ child }}
    and {{ spells_alias }}.valid_from <= {{ on_date }}
    and ({{ spells_alias }}.valid_to is null or {{ spells_alias }}.valid_to > {{ on_date }})
{%- endmacro %}

{% macro district_on_column(spells_alias) -%}
    coalesce({{ spells_alias }}.district, 'Unallocated')
{%- endmacro %}
