"""Which LAs' marts were rebuilt, and which of them are not published yet.

dbt rebuilds the LAs of a run only (incremental by LA, docs/operations.md). The publish
step then copies only those LAs' rows into the serving snapshot, so both must agree on
what changed since the snapshot was made. The dbt step writes that down in the warehouse,
in ``raw_meta.mart_builds``: one row per LA of each build (``la_code`` NULL: every LA),
``finished_at`` set when ``dbt build`` succeeded.

- A build that did not finish (dbt failed, the run was killed) leaves its LAs' marts half
  rebuilt: the next build rebuilds them too, with its own LAs.
- The snapshot records the last build it holds (``meta.publish_info.built_through``); the
  publish step copies the LAs of every finished build after it. A failed publish, or a
  rolled-back snapshot, therefore catches up on the next publish.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

BUILDS_TABLE = "raw_meta.mart_builds"

_DDL = (
    "create schema if not exists raw_meta",
    f"""
    create table if not exists {BUILDS_TABLE} (
        build_id integer not null,
        run_id varchar,
        la_code varchar,                    -- NULL: every LA (a full rebuild)
        started_at timestamp not null,
        finished_at timestamp               -- NULL: dbt did not finish
    )
    """,
)


@dataclass(frozen=True)
class Build:
    build_id: int
    las: tuple[str, ...] | None  # None: every LA


def ensure_builds_table(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in _DDL:
        con.execute(ddl)


def unfinished_las(con: duckdb.DuckDBPyConnection) -> tuple[str, ...] | None:
    """LAs of builds that did not finish (None when one of them was a full rebuild)."""
    ensure_builds_table(con)
    rows = con.execute(
        f"select distinct la_code from {BUILDS_TABLE} where finished_at is null"
    ).fetchall()
    if any(la is None for (la,) in rows):
        return None
    return tuple(sorted(la for (la,) in rows))


def start_build(con: duckdb.DuckDBPyConnection, run_id: str | None, las: list[str] | None) -> Build:
    """Record a build of ``las`` (None: every LA), widened to the LAs of unfinished builds."""
    ensure_builds_table(con)
    pending = unfinished_las(con)
    las = sorted({*las, *pending}) if las is not None and pending is not None else None
    build_id = con.execute(f"select coalesce(max(build_id), 0) + 1 from {BUILDS_TABLE}").fetchone()[
        0
    ]
    con.executemany(
        f"insert into {BUILDS_TABLE} (build_id, run_id, la_code, started_at) "
        "values (?, ?, ?, now()::timestamp)",
        [[build_id, run_id, la] for la in (las if las is not None else [None])],
    )
    return Build(build_id, tuple(las) if las is not None else None)


def finish_build(con: duckdb.DuckDBPyConnection, build: Build) -> None:
    """dbt succeeded: this build, and the unfinished ones it rebuilt the LAs of, are done."""
    con.execute(
        f"update {BUILDS_TABLE} set finished_at = now()::timestamp "
        "where finished_at is null and build_id <= ?",
        [build.build_id],
    )


@dataclass(frozen=True)
class Unpublished:
    las: tuple[str, ...] | None  # None: publish every LA
    built_through: int  # the last finished build the snapshot will hold


def unpublished(con: duckdb.DuckDBPyConnection, built_through: int | None) -> Unpublished:
    """The LAs rebuilt after build ``built_through`` (the snapshot's; None: every LA)."""
    ensure_builds_table(con)
    rows = con.execute(
        f"select build_id, la_code from {BUILDS_TABLE} where finished_at is not null "
        "and build_id > ?",
        [built_through if built_through is not None else -1],
    ).fetchall()
    through = max([b for b, _ in rows], default=built_through or 0)
    if built_through is None or any(la is None for _, la in rows):
        return Unpublished(None, through)
    return Unpublished(tuple(sorted({la for _, la in rows})), through)
