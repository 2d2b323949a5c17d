{#
    Postcodes (kpis.md F): compared upper case with every space removed, as
    pipelines/lib/postcodes.py stores the directory ('so14 7ly' and 'SO147LY' are one
    postcode). Blank is NULL. A placeholder such as XXXXXXX is kept: it is simply not
    found in the directory ("location not known", never guessed).
#}
{% macro normalise_postcode(column_name) -%}
    nullif(upper(regexp_replace({{ column_name }}, '\s', '', 'g')), '')
{%- endmacro %}

{#
    Where a postcode stands, for a location column: 'blank', 'not_in_directory' or 'found'.
    directory_alias is the joined stg_ons_reference__postcodes row.
#}
{% macro postcode_status(column_name, directory_alias) -%}
    case
        when {{ normalise_postcode(column_name) }} is null then 'blank'
        when {{ directory_alias }}.postcode is null then 'not_in_directory'
        else 'found'
    end
{%- endmacro %}
