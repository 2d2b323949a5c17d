"""Publish what passed its checks to the serving snapshot the dashboard reads.

The dashboard never opens the warehouse: DuckDB allows one writer, and a reader would
block the pipeline (stack-notes §7). Instead the publish step copies the published
schemas into a new file beside the snapshot and swaps it in with ``os.replace``, which is
atomic: a reader sees the old snapshot or the new one, never a mix. The snapshot it
replaces is kept as ``serving.previous.duckdb`` for rollback.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
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


def _published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    return con.execute(
        f"select table_schema, table_name from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in ({placeholders}) "
        "order by 1, 2",
        list(PUBLISHED_SCHEMAS),
    ).fetchall()


def publish_snapshot(
    con: duckdb.DuckDBPyConnection,
    serving_path: Path,
    previous_path: Path,
    run_id: str | None = None,
) -> PublishResult:
    """Copy the published schemas of the warehouse behind ``con`` to ``serving_path``."""
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving_path.with_name(f".{serving_path.stem}.{uuid.uuid4().hex}.tmp")
    published_at = dt.datetime.now()
    counts: dict[str, int] = {}
    con.execute(f"attach '{tmp}' as snap")
    try:
        for schema in (*PUBLISHED_SCHEMAS, "meta"):
            con.execute(f"create schema snap.{schema}")
        for schema, table in _published_tables(con):
            con.execute(f"create table snap.{schema}.{table} as select * from {schema}.{table}")
            counts[f"{schema}.{table}"] = con.execute(
                f"select count(*) from snap.{schema}.{table}"
            ).fetchone()[0]
        for name, source in META_TABLES.items():
            con.execute(f"create table snap.meta.{name} as select * from {source}")
        con.execute(
            "create table snap.meta.publish_info as select ?::timestamp as published_at, "
            "?::varchar as run_id",
            [published_at, run_id],
        )
    except BaseException:
        con.execute("detach snap")
        tmp.unlink(missing_ok=True)
        raise
    con.execute("detach snap")
    if serving_path.exists():
        shutil.copy2(serving_path, previous_path)
    os.replace(tmp, serving_path)
    return PublishResult(serving_path, counts, published_at)
