"""When the pipeline runs: one LA when its new extract lands, every LA monthly, and a daily
rewrite of the status file so that each LA's freshness is counted to today."""

import datetime as dt
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.constants import (
    DUCKDB_POOL,
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    STALE_AFTER_DAYS,
)
from pipelines.defs.partitions import LA_PARTITIONS, register_landing_las
from pipelines.defs.resources import PathsResource
from pipelines.lib.alerts import record_alert
from pipelines.lib.arrivals import find_arrivals
from pipelines.lib.landing import Extract
from pipelines.lib.loader import record_landing_problems
from pipelines.lib.rollback import rollback
from pipelines.lib.status import STATUS_FILE, publish_status

refresh_las = dg.define_asset_job(
    "refresh_las",
    selection=dg.AssetSelection.all(),
    partitions_def=LA_PARTITIONS,
    description="Load the run's LA partitions from the landing folder, check them, rebuild "
    "every KPI (dbt) and publish the snapshot. One LA: a partition key; every LA: a "
    "partition range, in one run.",
    tags={"csc/kind": "refresh"},
)


def la_run_request(la: str, extracts: list[Extract]) -> dg.RunRequest:
    """One refresh run for one LA's new extracts (never two runs for the same extracts)."""
    labels = sorted(e.label for e in extracts)
    newest = max(e.extract_date for e in extracts).isoformat()
    return dg.RunRequest(
        run_key=f"la-{la}:{'+'.join(labels)}",
        partition_key=la,
        tags={
            "csc/trigger": "landing_sensor",
            "csc/la": la,
            "csc/extract_date": newest,
            "csc/extracts": ", ".join(labels),
            "csc/run": f"LA {la} extract {newest}",
        },
    )


@dg.sensor(
    job=refresh_las, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING
)
def landing_sensor(context: dg.SensorEvaluationContext, paths: PathsResource):
    """Refresh an LA when a new extract folder of it has landed and finished copying.

    One run per LA with something new (its partition only); a new LA folder becomes a new
    partition first. The cursor remembers the newest extract seen per LA, source and year,
    so nothing is processed twice; the run key says the same to Dagster.
    """
    arrivals = find_arrivals(Path(paths.landing_dir), context.cursor)
    by_la = arrivals.by_la()
    if not by_la:
        waiting = ", ".join(e.label for e in arrivals.settling)
        return dg.SkipReason(
            f"waiting for {waiting} to finish copying" if waiting else "no new extracts"
        )
    known = set(context.instance.get_dynamic_partitions(LA_PARTITIONS.name))
    new_las = [la for la in by_la if la not in known]
    return dg.SensorResult(
        run_requests=[la_run_request(la, extracts) for la, extracts in by_la.items()],
        dynamic_partitions_requests=[LA_PARTITIONS.build_add_request(new_las)] if new_las else [],
        cursor=arrivals.cursor,
    )


@dg.schedule(
    job=refresh_las,
    cron_schedule="0 6 2 * *",  # 06:00 on the 2nd: month-end extracts have landed by then
    execution_timezone="Europe/London",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def monthly_refresh(context: dg.ScheduleEvaluationContext, paths: PathsResource):
    """Full refresh: every LA partition in one run (a single-run backfill), then dbt and publish.

    LA folders that appeared while the sensor was stopped become partitions first.
    """
    added = register_landing_las(context.instance, Path(paths.landing_dir))
    if added:
        context.log.info(f"new LA partitions: {', '.join(added)}")
    keys = LA_PARTITIONS.get_partition_keys(dynamic_partitions_store=context.instance)
    if not keys:
        return dg.SkipReason(f"no LA folders in {paths.landing_dir}")
    return dg.RunRequest(
        tags={
            PARTITION_RANGE_START_TAG: keys[0],
            PARTITION_RANGE_END_TAG: keys[-1],
            "csc/trigger": "monthly_schedule",
            "csc/la": "all",
            "csc/run": f"monthly full refresh of {len(keys)} LAs",
        },
    )


@dg.op(pool=DUCKDB_POOL)
def write_status_file(
    context: dg.OpExecutionContext, duckdb: DuckDBResource, paths: PathsResource
) -> None:
    """Rewrite ``status.duckdb`` from the warehouse: each LA's served data, aged to today.

    No load, no dbt and no new snapshot: only the status file the dashboard's freshness
    banner and data-quality page read, so "days old" is right on days no extract arrives.
    The landing folder is scanned (not read) first, so a malformed folder, a link or a file
    in the wrong place dropped since the last load shows on the data-quality page too.
    """
    with duckdb.get_connection() as con:
        scan = record_landing_problems(con, Path(paths.landing_dir), run_id=context.run.run_id)
        status = publish_status(con, Path(paths.serving_dir) / STATUS_FILE, context.run.run_id)
        ages = con.execute(
            "select la_code, max(extract_date) as served, date_diff('day', max(extract_date), ?) "
            "from raw_meta.extract_files where is_supplied group by la_code order by la_code",
            [dt.date.today()],
        ).fetchall()
    stale = [f"{la} ({days} days)" for la, _, days in ages if days > STALE_AFTER_DAYS]
    if stale:
        context.log.warning(
            f"served data older than {STALE_AFTER_DAYS} days: {', '.join(stale)}; "
            "check that these LAs' extracts still arrive"
        )
    for problem in scan.problems:
        log = context.log.error if problem.severity == "error" else context.log.warning
        log(f"{problem.path}: {problem.message} [rule {problem.rule}]")
    context.log.info(f"status written to {status.path} for {len(ages)} LAs")
    context.add_output_metadata(
        {
            "status_file": dg.MetadataValue.path(str(status.path)),
            "las": len(ages),
            "stale_las": len(stale),
            "oldest_served_days": max((days for *_, days in ages), default=0),
            "extract_status_rows": status.tables["extract_status"],
        }
    )


@dg.job(
    description="Rewrite status.duckdb (freshness and data-quality status) without "
    "loading, dbt or publishing.",
    tags={"csc/kind": "status"},
)
def refresh_status():
    write_status_file()


daily_status = dg.ScheduleDefinition(
    name="daily_status",
    job=refresh_status,
    cron_schedule="0 7 * * *",
    execution_timezone="Europe/London",
    tags={"csc/trigger": "daily_schedule"},
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.run_failure_sensor(name="run_failure_alert", default_status=dg.DefaultSensorStatus.RUNNING)
def run_failure_alert(context: dg.RunFailureSensorContext, paths: PathsResource):
    """Record every failed run: log, `alerts.jsonl` beside the snapshot, optional webhook."""
    run = context.dagster_run
    la = run.tags.get("csc/la")
    alert = record_alert(
        Path(paths.serving_dir) / "alerts.jsonl",
        run_id=run.run_id,
        job=f"{run.job_name} (LA {la})" if la else run.job_name,
        message=context.failure_event.message or "run failed",
        webhook=paths.alert_webhook,
    )
    context.log.error(f"pipeline run failed: {alert}")


@dg.op(required_resource_keys={"paths"})
def rollback_serving_snapshot(context: dg.OpExecutionContext) -> None:
    """Swap the previous published snapshot back in (running it again undoes it)."""
    serving = Path(context.resources.paths.serving_dir)
    rollback(serving / "serving.duckdb", serving / "serving.previous.duckdb")
    context.log.info("the previous snapshot is being served again")


@dg.job(description="Serve the previous snapshot again (undo with a second run).")
def rollback_snapshot():
    rollback_serving_snapshot()
