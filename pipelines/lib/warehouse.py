"""The raw layer of the warehouse: schemas and tables the loader writes and dbt reads.

Raw tables hold the winning extract only ("latest extract wins", data contract):
``raw_ssda903.<table>`` keeps, per (LA, collection year), the rows of the newest extract
loaded; ``raw_local.<table>`` keeps, per LA, the rows of the newest local extract.
Every contract column is kept as trimmed text (blank becomes NULL) so that a bad value
never stops a load; typing happens in dbt staging and the data-quality gate reports it.

``raw_meta.extract_files`` says, for the winning extracts, which files were supplied, so
that a KPI can say "not supplied" instead of 0. ``raw_meta.load_events`` is the history of
every file the loader looked at, with the outcome.

``raw_meta.dq_runs`` (one row per extract checked, per run) and ``raw_meta.dq_issues`` (the
failing rows, capped per rule and extract) are written by the data-quality gate
(:mod:`pipelines.lib.quality`); both are appended, never truncated. So is
``raw_meta.dq_volume``: the gate's volume and distribution findings against the previous
accepted extract (:mod:`pipelines.lib.volume`).

``raw_meta.dfe903_runs`` and ``raw_meta.dfe903_rules`` are written by the DfE submission
readiness check (:mod:`pipelines.lib.dfe903_check`): one row per validation of an extract
by the DfE's 903 rules, and its failing, known-defect and not-run rules; its flagged rows go
to ``raw_meta.dq_issues`` with ``source = 'dfe903'``.

``raw_meta.landing_problems`` is what the latest scan of each LA found in the landing
folder that is not an extract (a malformed folder name, a symbolic link, a file in the wrong
place, an entry the contract has no place for): replaced for the LAs of every run.
"""

from __future__ import annotations

import duckdb

from pipelines.lib.contract import ALL_TABLES, LINEAGE_COLUMNS, RAW_SCHEMA, TableSpec
from pipelines.lib.postcodes import ensure_reference_schema

_LINEAGE_TYPES = {
    "la_code": "varchar not null",
    "collection_year": "varchar not null",
    "extract_date": "date not null",
    "source_file": "varchar not null",
    "source_row": "integer not null",
}

META_DDL = (
    "create schema if not exists raw_meta",
    """
    create table if not exists raw_meta.extract_files (
        la_code varchar not null,
        source varchar not null,            -- 'ssda903' or 'local'
        collection_year varchar,            -- NULL for local extracts
        extract_date date not null,
        table_name varchar not null,
        source_file varchar,                -- NULL when the file was not supplied
        row_count integer not null,
        is_supplied boolean not null,
        fingerprint varchar,                -- sha256 of the file, to tell a re-delivery from a re-run
        loaded_at timestamp not null
    )
    """,
    """
    create table if not exists raw_meta.load_events (
        run_id varchar,
        loaded_at timestamp not null,
        la_code varchar,
        source varchar,
        collection_year varchar,
        extract_date date,
        table_name varchar,
        source_file varchar not null,
        outcome varchar not null,           -- loaded | unchanged | rejected | skipped_older | warning
        message varchar,
        row_count integer
    )
    """,
    """
    create table if not exists raw_meta.dq_runs (
        run_id varchar,
        checked_at timestamp not null,
        la_code varchar not null,
        source varchar not null,            -- 'ssda903', 'local', or 'warehouse' (cross-extract)
        collection_year varchar,            -- NULL for local extracts and warehouse checks
        extract_date date,                  -- NULL for warehouse checks
        outcome varchar not null,           -- published | blocked | warnings
        errors integer not null,            -- failing rows of error rules (exact)
        warnings integer not null,          -- failing rows of warning rules (exact)
        rows_checked integer not null,
        seconds double not null,            -- validation time attributed to this extract
        message varchar,                    -- one line: why blocked / which rules flagged
        error_rules integer not null,       -- error rules that failed
        warning_rules integer not null      -- warning rules that failed
    )
    """,
    """
    create table if not exists raw_meta.dq_issues (
        run_id varchar,
        checked_at timestamp not null,
        la_code varchar not null,
        source varchar not null,
        collection_year varchar,
        extract_date date,
        source_file varchar,
        source_row integer,                 -- line in the file (header = 1)
        child varchar,
        table_name varchar not null,
        rule_code varchar not null,
        severity varchar not null,          -- error | warning
        message varchar not null,
        value varchar                       -- the values of the rule's columns, COL=value; ...
    )
    """,
    """
    create table if not exists raw_meta.dq_volume (
        run_id varchar,
        checked_at timestamp not null,
        la_code varchar not null,
        source varchar not null,
        collection_year varchar,
        extract_date date not null,         -- the extract checked
        previous_extract_date date,         -- the accepted extract it was compared with
        table_name varchar not null,
        source_file varchar,                -- the file (NULL when it was not supplied)
        rule_code varchar not null,         -- VOLUME-ROWS | VOLUME-EMPTY | VOLUME-BLANKS | ...
        severity varchar not null,          -- error | warning
        column_name varchar,                -- VOLUME-BLANKS, VOLUME-MONTH-GAP
        month date,                         -- VOLUME-MONTH-GAP: the first day of the month
        previous_value double,              -- rows, blank share or events before
        current_value double,               -- ... and now
        message varchar not null
    )
    """,
    """
    create table if not exists raw_meta.dfe903_runs (
        run_id varchar,
        checked_at timestamp not null,
        la_code varchar not null,
        collection_year varchar not null,
        extract_date date not null,         -- the extract validated (the newest loaded)
        previous_extract_date date,         -- last year's return supplied with it, if any
        in_year boolean not null,           -- taken before 31 March: readiness, not a return
        fingerprint varchar not null,       -- its files, last year's, the validator: the cache key
        validator_version varchar,
        ruleset varchar,
        status varchar not null,            -- ok | failed (the validator as a whole) | unavailable
        rules_run integer,                  -- rules that ran (passed, failed or skipped)
        rules_failed integer,               -- rules with findings that are not known defects
        rules_known integer,                -- rules whose findings are all documented defects
        rules_not_run integer,              -- rules that crashed
        failing_rows integer,               -- exact, known false positives left out
        children integer,                   -- children with a finding, known false positives left out
        known_rows integer,                 -- findings that are documented validator defects
        seconds double not null,
        message varchar
    )
    """,
    """
    create table if not exists raw_meta.dfe903_rules (
        run_id varchar,
        checked_at timestamp not null,
        la_code varchar not null,
        collection_year varchar not null,
        extract_date date not null,
        rule_code varchar not null,
        status varchar not null,            -- failed | known (a documented defect) | not_run
        tables varchar,                     -- the files its findings are in: episodes, oc2 ...
        rows integer not null,              -- exact
        children integer not null,
        message varchar not null,           -- the DfE message
        reason varchar                      -- known: the documented reason; not_run: the error
    )
    """,
    """
    create table if not exists raw_meta.landing_problems (
        run_id varchar,
        seen_at timestamp not null,
        la_code varchar,                    -- NULL: not in an LA folder
        source varchar,
        collection_year varchar,
        path varchar not null,              -- relative to the landing folder
        rule_code varchar not null,
        severity varchar not null,          -- error: rejected | warning: listed, not read
        message varchar not null,
        at_root boolean not null            -- found at the top of the landing folder
    )
    """,
)


def raw_columns(spec: TableSpec) -> list[str]:
    """Column names of a raw table, in order: contract columns (lower case), then lineage."""
    return [c.lower() for c in spec.columns] + list(LINEAGE_COLUMNS[spec.source])


def raw_table_ddl(spec: TableSpec) -> str:
    cols = [f"{c.lower()} varchar" for c in spec.columns]
    cols += [f"{c} {_LINEAGE_TYPES[c]}" for c in LINEAGE_COLUMNS[spec.source]]
    return f"create table if not exists {spec.raw_table} (\n    " + ",\n    ".join(cols) + "\n)"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw schema and table (empty) if missing. Safe to call on every run.

    The postcode reference tables (``raw_reference``, :mod:`pipelines.lib.postcodes`) are
    created too, empty, so that dbt's source always exists; the reference asset fills them.
    """
    for schema in sorted(set(RAW_SCHEMA.values())):
        con.execute(f"create schema if not exists {schema}")
    for spec in ALL_TABLES:
        con.execute(raw_table_ddl(spec))
    for ddl in META_DDL:
        con.execute(ddl)
    ensure_reference_schema(con)
