"""Publish the load and data-quality status beside the serving snapshot, even when blocked.

The serving snapshot (``serving.duckdb``) is only replaced when a run gets all the way to
publishing. When data is blocked, the dashboard must still be able to say so: which
extract of which LA was blocked, by which rule, in which file and line, and how fresh each
LA's data is. The ingest step therefore writes ``status.duckdb`` after every load, the same
way the snapshot is published: into a temporary file beside it, swapped in with
``os.replace`` (atomic: a reader sees the old file or the new one, never a mix).

Tables (schema ``main``):

- ``load_events`` — every file the loader looked at, with outcome and message;
- ``extract_files`` — which files each winning extract supplied;
- ``dq_runs`` — one row per extract checked by the gate, per run (all runs);
- ``dq_issues`` — failing rows of the latest :data:`ISSUE_RUNS` gate runs;
- ``extract_status`` — per LA, source and collection year: the newest extract seen and
  whether it was published, published with warnings or blocked (and why: the rejection
  message names the rule or the file problem), the extract being served, and its age;
- ``status_info`` — when this file was written, by which run.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.warehouse import ensure_raw_schema

#: File name of the status file, beside the serving snapshot.
STATUS_FILE = "status.duckdb"
#: Gate runs whose row-level issues are copied (all run summaries are copied).
ISSUE_RUNS = 10

_EXTRACT_STATUS = """
with attempts as (
    select
        la_code, source, collection_year, extract_date, outcome, message, loaded_at,
        row_number() over (
            partition by la_code, source, collection_year
            order by extract_date desc, loaded_at desc, outcome = 'loaded'
        ) as newest
    from raw_meta.load_events
    where table_name is null and extract_date is not null and outcome in ('loaded', 'rejected')
),
checks as (
    select
        la_code, source, collection_year, extract_date, outcome, message, errors, warnings,
        row_number() over (
            partition by la_code, source, collection_year, extract_date order by checked_at desc
        ) as newest
    from raw_meta.dq_runs
    where source <> 'warehouse'
),
served as (
    select distinct la_code, source, collection_year, extract_date, loaded_at
    from raw_meta.extract_files
)
select
    coalesce(a.la_code, s.la_code) as la_code,
    coalesce(a.source, s.source) as source,
    coalesce(a.collection_year, s.collection_year) as collection_year,
    a.extract_date as latest_extract_date,
    case
        when a.outcome = 'rejected' then 'blocked'
        when a.outcome = 'loaded' then coalesce(c.outcome, 'published')
    end as latest_status,
    case when a.outcome = 'rejected' then a.message else c.message end as latest_message,
    c.errors as latest_errors,
    c.warnings as latest_warnings,
    a.loaded_at as latest_seen_at,
    s.extract_date as served_extract_date,
    s.loaded_at as served_loaded_at,
    s.extract_date is distinct from a.extract_date as is_serving_older_data,
    date_diff('day', s.extract_date, ?::date) as served_age_days
from (select * from attempts where newest = 1) as a
left join (select * from checks where newest = 1) as c
    on a.la_code = c.la_code
    and a.source = c.source
    and a.collection_year is not distinct from c.collection_year
    and a.extract_date = c.extract_date
full outer join served as s
    on a.la_code = s.la_code
    and a.source = s.source
    and a.collection_year is not distinct from s.collection_year
order by 1, 2, 3
"""

_LATEST_ISSUES = """
with runs as (
    select coalesce(run_id, cast(checked_at as varchar)) as run_key, max(checked_at) as last_at
    from raw_meta.dq_runs
    group by 1
    order by last_at desc
    limit ?
)
select i.*
from raw_meta.dq_issues as i
where coalesce(i.run_id, cast(i.checked_at as varchar)) in (select run_key from runs)
"""


@dataclass(frozen=True)
class StatusResult:
    path: Path
    tables: dict[str, int]
    written_at: dt.datetime


def _q(path: Path) -> str:
    return str(path).replace("'", "''")


def publish_status(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    run_id: str | None = None,
    today: dt.date | None = None,
) -> StatusResult:
    """Write the status tables of the warehouse behind ``con`` to ``path``, atomically."""
    ensure_raw_schema(con)  # a warehouse nothing was ever loaded into still has a status
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp")
    written_at = dt.datetime.now()
    today = today or written_at.date()
    con.execute(f"attach '{_q(tmp)}' as status_out")
    try:
        con.execute("create table status_out.load_events as select * from raw_meta.load_events")
        con.execute("create table status_out.extract_files as select * from raw_meta.extract_files")
        con.execute("create table status_out.dq_runs as select * from raw_meta.dq_runs")
        con.execute(f"create table status_out.dq_issues as {_LATEST_ISSUES}", [ISSUE_RUNS])
        con.execute(f"create table status_out.extract_status as {_EXTRACT_STATUS}", [today])
        con.execute(
            "create table status_out.status_info as select ?::timestamp as written_at, "
            "?::varchar as run_id",
            [written_at, run_id],
        )
        counts = {
            name: con.execute(f"select count(*) from status_out.{name}").fetchone()[0]
            for name in (
                "load_events",
                "extract_files",
                "dq_runs",
                "dq_issues",
                "extract_status",
                "status_info",
            )
        }
    except BaseException:
        con.execute("detach status_out")
        tmp.unlink(missing_ok=True)
        raise
    con.execute("detach status_out")
    os.replace(tmp, path)
    return StatusResult(path, counts, written_at)
