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
  message names the rule or the file problem), the extract being served, and its age. A
  problem of the landing folder (a malformed folder name, a symbolic link, a file in the
  wrong place) also shows its LA, source and year as blocked, with the reason first, for
  as long as it is there; one that is not in any collection year has a row of its own;
- ``landing_problems`` — everything the latest scan of each LA found in the landing folder
  that is not an extract: rejected (error) or listed, not read (warning), with the reason;
- ``volume_checks`` — the volume and distribution findings of the latest check of each
  extract (against the previous accepted extract), flagged when that extract is the one
  being served (its figures are on the dashboard);
- ``dfe903_runs`` — every validation of an extract by the DfE's 903 rules (submission
  readiness): when, which extract and last year's return, how many rules failed, rows and
  children, documented validator defects, rules not run (the trend, extract to extract);
- ``dfe903_rules`` — the failing, known-defect and not-run rules of the latest validation
  of each extract;
- ``dfe903_issues`` — the rows those rules flagged in the newest extract checked of each
  LA and year;
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
),
problems as (
    select
        la_code, source, collection_year,
        count(*) as n,
        string_agg(path || ': ' || message || ' [rule ' || rule_code || ']', '; ' order by path)
            as message,
        min(path) as path,
        max(seen_at) as seen_at
    from raw_meta.landing_problems
    where severity = 'error' and la_code is not null
    group by all
),
extracts as (
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
        s.loaded_at as served_loaded_at
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
)
select
    coalesce(e.la_code, p.la_code) as la_code,
    coalesce(e.source, p.source) as source,
    coalesce(e.collection_year, p.collection_year) as collection_year,
    e.latest_extract_date,
    case when p.n > 0 then 'blocked' else e.latest_status end as latest_status,
    case
        when p.n > 0 then concat_ws(
            '; ', p.message, case when e.latest_status <> 'published' then e.latest_message end
        )
        else e.latest_message
    end as latest_message,
    e.latest_errors,
    e.latest_warnings,
    coalesce(p.seen_at, e.latest_seen_at) as latest_seen_at,
    e.served_extract_date,
    e.served_loaded_at,
    e.served_extract_date is distinct from e.latest_extract_date or coalesce(p.n, 0) > 0
        as is_serving_older_data,
    date_diff('day', e.served_extract_date, ?::date) as served_age_days,
    coalesce(p.n, 0) as landing_problems,
    p.path as problem_path
from extracts as e
full outer join problems as p
    on e.la_code = p.la_code
    and e.source is not distinct from p.source
    and e.collection_year is not distinct from p.collection_year
order by 1, 2, 3
"""

_VOLUME_CHECKS = """
with latest as (
    select la_code, source, collection_year, extract_date, max(checked_at) as checked_at
    from raw_meta.dq_runs
    where source <> 'warehouse'
    group by all
),
served as (
    select distinct la_code, source, collection_year, extract_date
    from raw_meta.extract_files
)
select
    v.*,
    s.extract_date is not null as is_served
from raw_meta.dq_volume as v
inner join latest as l
    on v.la_code = l.la_code
    and v.source = l.source
    and v.collection_year is not distinct from l.collection_year
    and v.extract_date = l.extract_date
    and v.checked_at = l.checked_at
left join served as s
    on v.la_code = s.la_code
    and v.source = s.source
    and v.collection_year is not distinct from s.collection_year
    and v.extract_date = s.extract_date
order by v.la_code, v.source, v.collection_year, v.extract_date, v.table_name, v.rule_code
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
    and i.source <> 'dfe903'
"""

#: The latest validation of each extract by the DfE's rules.
_DFE_LATEST = """
select *
from raw_meta.dfe903_runs
qualify row_number() over (
    partition by la_code, collection_year, extract_date order by checked_at desc
) = 1
"""

#: Keeps the rows (alias ``x``) of the latest validation of their extract.
_OF_THE_LATEST = f"""
inner join ({_DFE_LATEST}) as l
    on x.la_code = l.la_code
    and x.collection_year = l.collection_year
    and x.extract_date = l.extract_date
    and x.checked_at = l.checked_at
"""

_DFE_RULES = f"select x.* from raw_meta.dfe903_rules as x {_OF_THE_LATEST}"

_DFE_ISSUES = f"""
with in_use as (
    select la_code, collection_year, max(extract_date) as extract_date
    from raw_meta.dfe903_runs
    group by all
)
select x.*
from raw_meta.dq_issues as x
{_OF_THE_LATEST}
inner join in_use as u
    on x.la_code = u.la_code
    and x.collection_year = u.collection_year
    and x.extract_date = u.extract_date
where x.source = 'dfe903'
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
            "create table status_out.landing_problems as select * from raw_meta.landing_problems"
        )
        con.execute(f"create table status_out.volume_checks as {_VOLUME_CHECKS}")
        con.execute("create table status_out.dfe903_runs as select * from raw_meta.dfe903_runs")
        con.execute(f"create table status_out.dfe903_rules as {_DFE_RULES}")
        con.execute(f"create table status_out.dfe903_issues as {_DFE_ISSUES}")
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
                "landing_problems",
                "volume_checks",
                "dfe903_runs",
                "dfe903_rules",
                "dfe903_issues",
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
