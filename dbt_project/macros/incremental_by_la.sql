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
        {%- if not la_code_is_valid(code) -%}
            {{ exceptions.raise_compiler_error("var las: '" ~ code ~ "' is not an LA code") }}
        {%- endif -%}
        {%- do codes.append(code) -%}
    {%- endfor -%}
    {%- if codes | length == 0 -%}
        {{ exceptions.raise_compiler_error("var las is empty: pass at least one LA code, or no var for every LA") }}
    {%- endif -%}
    {{ return(codes | unique | sort | list) }}
{% endmacro %}


{% macro la_code_is_valid(code) -%}
    {#- An LA code can go into SQL as it is: letters, digits, - and _, at most 20. -#}
    {{ return(code | length > 0 and code | length <= 20 and code.replace('-', '').replace('_', '').isalnum()) }}
{%- endmacro %}


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
        (A unit test has no `this`: it computes its fixture rows whole.) In a model
        configured `la_chunks`, a full build's `true` carries a mark that
        duckdb__create_table_as replaces with each chunk's LAs (la_chunk_sql). -#}
    {%- if this is not none and is_incremental() -%}
        {{ la_in(run_las(), column) }}
    {%- elif this is not none and config.get('la_chunks', false) -%}
        /*la_chunk:{{ column }}*/ true
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{% macro la_chunk_sql(compiled_code, las, rest=false) -%}
    {#- A la_chunks model's full-build SQL for the LAs `las` only: every input filtered at
        its la_scope() mark, and the rows filtered again, so each row is written by exactly
        one statement. `rest`: every LA but `las` (and a null la_code) instead. -#}
    {%- set mark = '/\\*la_chunk:([A-Za-z0-9_."]+)\\*/ true' -%}
    {%- set chunk = la_in(las, '\\1') -%}
    {%- set code = modules.re.sub(mark, ('(\\1 is null or not (' ~ chunk ~ '))' if rest else '(' ~ chunk ~ ')'), compiled_code) -%}
    select * from (
        {{ code }}
    ) as la_clustered
    where {% if rest %}la_code is null or not ({{ la_in(las) }}){% else %}{{ la_in(las) }}{% endif %}
    order by la_code
{%- endmacro %}


{% macro get_incremental_la_replace_sql(arg_dict) %}
    {#-
        The `la_replace` strategy: delete the run's LAs from the table and insert them from
        the new rows. Keyed on the run's LAs, not on the LAs present in the new rows, so an
        LA whose rows have all gone (no children in a table any more) is emptied too, and a
        row of another LA cannot overwrite that LA's rows. Several LAs are inserted in
        la_code order (see duckdb__create_table_as); by a model configured `la_chunks`, a
        chunk of LAs at a time (insert_by_la_chunks).
    -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set las = run_las() -%}
    {%- set scope = la_in(las) -%}
    delete from {{ target }} where {{ scope }};
    {%- if config.get('la_chunks', false) %}
    {%- set select_sql %}select {{ columns }} from {{ source }} where {{ scope }}{% endset %}
    {{ insert_by_la_chunks(target, select_sql, las if las is not none else las_loaded(), columns) }}
    {%- else %}
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }} where {{ scope }}
    {#- each LA's rows together (see duckdb__create_table_as); one LA's are already -#}
    {%- if las is none or las | length > 1 %}
    order by la_code
    {%- endif %}
    {%- endif %}
{% endmacro %}


{% macro la_chunk_size() -%}
    {#- LAs written per statement (var `la_chunk_size`, dbt_project.yml). -#}
    {%- set size = var('la_chunk_size', 20) | int -%}
    {%- if size < 1 -%}
        {{ exceptions.raise_compiler_error("var la_chunk_size must be 1 or more, not " ~ var('la_chunk_size')) }}
    {%- endif -%}
    {{ return(size) }}
{%- endmacro %}


{% macro las_loaded() -%}
    {#- Every LA with an extract loaded (raw_meta.extract_files), in order: the LAs a full
        build writes chunk by chunk. Read without ref/source (called while a model runs). -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw_meta')
        | selectattr('name', 'equalto', 'extract_files') | first -%}
    {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query("select distinct la_code from " ~ found ~ " where la_code is not null order by 1") -%}
    {%- set codes = result.columns[0].values() | map('string') | list -%}
    {%- for code in codes if not la_code_is_valid(code) -%}
        {{ exceptions.raise_compiler_error("raw_meta.extract_files: '" ~ code ~ "' is not an LA code") }}
    {%- endfor -%}
    {{ return(codes) }}
{%- endmacro %}


{% macro insert_by_la_chunks(target, select_sql, las, columns=none) -%}
    {#-
        Insert `select_sql`'s rows into `target` in la_code order, `la_chunk_size()` LAs per
        statement (la_replace of a run of many LAs, in a model configured `la_chunks`):
        `select_sql` reads the run's temporary table (the run's LAs only: a row of another
        LA never overwrites that LA), each statement sorts one chunk's rows. The last
        statement takes every row not in an earlier chunk (null la_code included), so no
        row is lost, whatever `las` holds.
    -#}
    {%- set into = target ~ (' (' ~ columns ~ ')' if columns else '') -%}
    {%- set chunks = las | batch(la_chunk_size()) | list -%}
    {%- if chunks | length <= 1 %}
    insert into {{ into }}
    select * from ({{ select_sql }}) as la_rows
    {%- if las | length > 1 %}
    order by la_code
    {%- endif %}
    {%- else -%}
    {%- set earlier = [] -%}
    {%- for chunk in chunks %}
    insert into {{ into }}
    select * from ({{ select_sql }}) as la_rows
    where {% if loop.last %}la_code is null or not ({{ la_in(earlier) }}){% else %}{{ la_in(chunk) }}{% endif %}
    order by la_code;
    {%- do earlier.extend(chunk) -%}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


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
        A model configured `la_chunks` (the KPI members marts, the largest tables), with
        more LAs loaded than `la_chunk_size()`, is created from its first chunk of LAs and
        the others are inserted a chunk at a time, each statement computing its LAs only
        (la_chunk_sql): one sort of the whole of a national members table does not fit
        DuckDB's memory limit (kpi_missing_rhi_members, 20 M rows at 153 LAs, ran out of
        2 GB); one chunk's does.
    -#}
    {%- if language == 'sql' and not temporary and config.get('materialized') == 'incremental' -%}
        {%- set las = las_loaded() if config.get('la_chunks', false) else [] -%}
        {%- if las | length > la_chunk_size() -%}
            {%- set chunks = las | batch(la_chunk_size()) | list -%}
            {%- set statements = [dbt.duckdb__create_table_as(temporary, relation, la_chunk_sql(compiled_code, chunks[0]), language, partitioned_by=partitioned_by, sorted_by=sorted_by)] -%}
            {%- set earlier = chunks[0] | list -%}
            {%- for chunk in chunks[1:] -%}
                {%- set chunk_sql = la_chunk_sql(compiled_code, earlier, rest=true) if loop.last else la_chunk_sql(compiled_code, chunk) -%}
                {%- do statements.append('insert into ' ~ relation ~ ' ' ~ chunk_sql) -%}
                {%- do earlier.extend(chunk) -%}
            {%- endfor -%}
            {{ return(statements | join(';\n')) }}
        {%- endif -%}
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
