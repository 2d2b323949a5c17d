{#
    Incremental by LA (docs/operations.md, "Incremental by LA").

    The Dagster dbt step passes the LA codes of its run as the var `las` (a list, or a
    comma-separated string on the command line: --vars '{las: [850, 851]}'). Every model
    keyed by la_code is materialized incremental with the strategy `la_replace`: on an
    incremental run it computes the run's LAs only (its inputs filtered by `la_scope()`)
    and replaces exactly those LAs' rows of the table, in one transaction; other LAs'
    rows are not touched. Without `las`, or on the first build, or with --full-refresh,
    the model is computed for every LA, as a plain table would be.
#}

{% macro run_las() %}
    {#- The LA codes of this run (var `las`), or none when the run covers every LA. -#}
    {%- set las = var('las', none) -%}
    {%- if las is none or las == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if las is string -%}
        {%- set las = las.split(',') -%}
    {%- elif las is number -%}
        {%- set las = [las] -%}
    {%- endif -%}
    {%- set codes = [] -%}
    {%- for la in las -%}
        {%- set code = (la | string).strip() -%}
        {%- if not (code | length <= 20 and code.replace('-', '').replace('_', '').isalnum()) -%}
            {{ exceptions.raise_compiler_error("var las: '" ~ code ~ "' is not an LA code") }}
        {%- endif -%}
        {%- do codes.append(code) -%}
    {%- endfor -%}
    {%- if codes | length == 0 -%}
        {{ exceptions.raise_compiler_error("var las is empty: pass at least one LA code, or no var for every LA") }}
    {%- endif -%}
    {{ return(codes | unique | sort | list) }}
{% endmacro %}


{% macro la_in(las, column='la_code') -%}
    {#- `column in ('850', ...)`, or `true` when las is none (every LA). -#}
    {%- if las is none -%}
        true
    {%- else -%}
        {{ column }} in ({% for la in las %}'{{ la }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}


{% macro la_scope(column='la_code') -%}
    {#- Filter for a model's inputs: the run's LAs on an incremental run, else `true`.
        (A unit test has no `this`: it computes its fixture rows whole.) -#}
    {%- if this is not none and is_incremental() -%}
        {{ la_in(run_las(), column) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{% macro get_incremental_la_replace_sql(arg_dict) %}
    {#-
        The `la_replace` strategy: delete the run's LAs from the table and insert them from
        the new rows. Keyed on the run's LAs, not on the LAs present in the new rows, so an
        LA whose rows have all gone (no children in a table any more) is emptied too, and a
        row of another LA cannot overwrite that LA's rows.
    -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set las = run_las() -%}
    {%- set scope = la_in(las) -%}
    delete from {{ target }} where {{ scope }};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }} where {{ scope }}
    {#- each LA's rows together (see duckdb__create_table_as); one LA's are already -#}
    {%- if las is none or las | length > 1 %}
    order by la_code
    {%- endif %}
{% endmacro %}


{% macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {#-
        dbt-duckdb's create_table_as, with the rows of an incremental-by-LA model's table
        written in la_code order on a full build: each LA's rows then sit together in a few
        of DuckDB's row groups, so the delete of one LA (la_replace, and the publish step's
        copy of the snapshot) marks whole row groups of that LA deleted and the checkpoint
        drops them, instead of touching every row group of the table and rewriting them all
        (a one-LA refresh would cost what the whole warehouse costs). The temporary table
        of an incremental run holds the run's LAs only and is not sorted; la_replace
        inserts several LAs in la_code order. Every incremental model is keyed by la_code.
    -#}
    {%- if language == 'sql' and not temporary and config.get('materialized') == 'incremental' -%}
        {%- set compiled_code -%}
            select * from (
                {{ compiled_code }}
            ) as la_clustered
            order by la_code
        {%- endset -%}
    {%- endif -%}
    {{ return(dbt.duckdb__create_table_as(temporary, relation, compiled_code, language, partitioned_by=partitioned_by, sorted_by=sorted_by)) }}
{%- endmacro %}


{% macro la_test_scope(column='la_code') -%}
    {#- Filter for a data test's rows: the run's LAs on a run by LA, else `true`. Other
        LAs' rows were not rebuilt, and were tested when they were. -#}
    {{ la_in(run_las(), column) }}
{%- endmacro %}


{% macro get_where_subquery(relation) -%}
    {#-
        What a generic data test reads as `model`: dbt's own (the test's `where` config),
        and on a run by LA (var `las`), only the run's LAs of a relation that has la_code.
        Other LAs' rows were not rebuilt, and were tested when they were; without this,
        every test would read every LA and a one-LA refresh would cost what the warehouse
        costs. Relations without la_code (the KPI catalogue, reference data) are read whole.
    -#}
    {%- set filters = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do filters.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set las = run_las() -%}
    {%- if execute and las is not none -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if 'la_code' in columns -%}
            {%- do filters.append(la_in(las)) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if filters -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ filters | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}
