"""Publish what passed its checks to the serving snapshot the dashboard reads.

The dashboard never opens the warehouse: DuckDB allows one writer, and a reader would
block the pipeline (stack-notes §7). Instead the publish step copies the published
schemas into a new file beside the snapshot and swaps it in with ``os.replace``, which is
atomic: a reader sees the old snapshot or the new one, never a mix. The snapshot it
replaces is kept as ``serving.previous.duckdb`` for rollback.

After a refresh of some LAs only, the new file is a copy of the current snapshot in which
those LAs' rows are replaced (``las``): every table keyed by ``la_code`` loses the LAs'
rows and gets the warehouse's; tables without ``la_code`` (reference data, the KPI
catalogue) and the load bookkeeping are copied whole. The swap is the same, so a reader
still sees one whole snapshot at every moment. Which LAs changed since the snapshot was
made comes from :mod:`pipelines.lib.builds`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

#: Schemas copied to the snapshot. Raw rows never leave the warehouse.
PUBLISHED_SCHEMAS = ("marts", "reference")
#: Load bookkeeping the dashboard shows to data engineers (no child-level data).
META_TABLES = {"extract_files": "raw_meta.extract_files", "load_events": "raw_meta.load_events"}


@dataclass(frozen=True)
class PublishResult:
    path: Path
    tables: dict[str, int]  # schema.table -> rows
    published_at: dt.datetime
    las: tuple[str, ...] | None = None  # the LAs replaced; None: every LA copied


def _published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    return con.execute(
        f"select table_schema, table_name from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in ({placeholders}) "
        "order by 1, 2",
        list(PUBLISHED_SCHEMAS),
    ).fetchall()


def snapshot_built_through(path: Path) -> int | None:
    """The last dbt build the snapshot at ``path`` holds (None: unknown, publish every LA)."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute("select max(built_through) from meta.publish_info").fetchone()[0]
    except duckdb.Error:  # an older snapshot, without the column: publish every LA
        return None


def _columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[tuple[str, str], list]:
    """Every published table of ``catalog`` -> its (column, type) pairs, in order: one
    query for all tables (duckdb_columns() lists every attached database's columns, so a
    query per table would cost as much as the whole catalogue each time)."""
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    columns: dict[tuple[str, str], list] = {}
    for schema, table, column, data_type in con.execute(
        "select schema_name, table_name, column_name, data_type from duckdb_columns() "
        f"where database_name = ? and schema_name in ({placeholders}) "
        "order by schema_name, table_name, column_index",
        [catalog, *PUBLISHED_SCHEMAS],
    ).fetchall():
        columns.setdefault((schema, table), []).append((column, data_type))
    return columns


def _replace_las(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    las: Sequence[str],
    here: list | None,
    there: list | None,
) -> bool:
    """Replace the rows of ``las`` in snap.schema.table; False when the table cannot be
    updated in place (new, no la_code, or its columns changed): copy it whole instead.
    ``here``, ``there``: the table's columns in the warehouse and in the snapshot.

    The rows go in in la_code order, as dbt writes them (each LA's rows together in a few
    row groups): the next replacement of an LA then deletes whole row groups, which the
    checkpoint drops, rather than rows in every row group of the table, which it would
    rewrite (the cost of the whole snapshot, not of the LA)."""
    if not here or here != there or ("la_code", "VARCHAR") not in here:
        return False
    if not las:  # no LA was rebuilt since the snapshot
        return True
    placeholders = ", ".join("?" for _ in las)
    con.execute(f"delete from snap.{schema}.{table} where la_code in ({placeholders})", list(las))
    order = " order by la_code" if len(las) > 1 else ""
    con.execute(
        f"insert into snap.{schema}.{table} select * from {schema}.{table} "
        f"where la_code in ({placeholders}){order}",
        list(las),
    )
    return True


def _keep_as_previous(serving_path: Path, previous_path: Path) -> None:
    """Make the current snapshot the previous one: a hard link (no copy), else a copy."""
    tmp = previous_path.with_name(f".{previous_path.stem}.{uuid.uuid4().hex}.tmp")
    try:
        os.link(serving_path, tmp)
    except OSError:
        shutil.copy2(serving_path, tmp)
    os.replace(tmp, previous_path)


def publish_snapshot(
    con: duckdb.DuckDBPyConnection,
    serving_path: Path,
    previous_path: Path,
    run_id: str | None = None,
    *,
    las: Sequence[str] | None = None,
    built_through: int | None = None,
) -> PublishResult:
    """Copy the published schemas of the warehouse behind ``con`` to ``serving_path``.

    ``las``: only these LAs changed since the current snapshot was made: start from a copy
    of it and replace their rows (None, or no current snapshot: copy everything).
    ``built_through``: the last dbt build published (:mod:`pipelines.lib.builds`).
    """
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving_path.with_name(f".{serving_path.stem}.{uuid.uuid4().hex}.tmp")
    published_at = dt.datetime.now()
    counts: dict[str, int] = {}
    incremental = las is not None and serving_path.exists()
    if incremental:
        shutil.copyfile(serving_path, tmp)
    con.execute(f"attach '{tmp}' as snap")
    try:
        for schema in (*PUBLISHED_SCHEMAS, "meta"):
            con.execute(f"create schema if not exists snap.{schema}")
        published = _published_tables(con)
        if incremental:
            _drop_unpublished(con, published)
            here = _columns(con, con.execute("select current_database()").fetchone()[0])
            there = _columns(con, "snap")
        for schema, table in published:
            if not (
                incremental
                and _replace_las(
                    con, schema, table, las, here.get((schema, table)), there.get((schema, table))
                )
            ):
                con.execute(
                    f"create or replace table snap.{schema}.{table} as "
                    f"select * from {schema}.{table}"
                )
            counts[f"{schema}.{table}"] = con.execute(
                f"select count(*) from snap.{schema}.{table}"
            ).fetchone()[0]
        for name, source in META_TABLES.items():
            con.execute(f"create or replace table snap.meta.{name} as select * from {source}")
        con.execute(
            "create or replace table snap.meta.publish_info as select ?::timestamp as "
            "published_at, ?::varchar as run_id, ?::integer as built_through, "
            "?::varchar[] as las",
            [published_at, run_id, built_through, list(las) if incremental else None],
        )
    except BaseException:
        con.execute("detach snap")
        tmp.unlink(missing_ok=True)
        raise
    con.execute("detach snap")
    if serving_path.exists():
        _keep_as_previous(serving_path, previous_path)
    os.replace(tmp, serving_path)
    return PublishResult(serving_path, counts, published_at, tuple(las) if incremental else None)


def _drop_unpublished(con: duckdb.DuckDBPyConnection, published: list[tuple[str, str]]) -> None:
    """Drop the snapshot's tables that the warehouse no longer publishes."""
    keep = set(published)
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    for schema, table in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'snap' "
        f"and schema_name in ({placeholders})",
        list(PUBLISHED_SCHEMAS),
    ).fetchall():
        if (schema, table) not in keep:
            con.execute(f"drop table snap.{schema}.{table}")
