"""When the pipeline runs: when a new extract lands, and on a monthly full refresh."""

from pathlib import Path

import dagster as dg

from pipelines.defs.resources import PathsResource
from pipelines.lib.alerts import record_alert
from pipelines.lib.arrivals import find_arrivals
from pipelines.lib.rollback import rollback

refresh_all = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all(),
    description="Load the landing folder, check, build every KPI and publish the snapshot.",
    tags={"csc/kind": "refresh"},
)

monthly_refresh = dg.ScheduleDefinition(
    name="monthly_refresh",
    job=refresh_all,
    cron_schedule="0 6 2 * *",  # 06:00 on the 2nd: month-end extracts have landed by then
    execution_timezone="Europe/London",
    tags={"csc/trigger": "monthly_schedule"},
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.sensor(
    job=refresh_all, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING
)
def landing_sensor(context: dg.SensorEvaluationContext, paths: PathsResource):
    """Start a refresh when a new extract folder has landed (and finished copying)."""
    arrivals = find_arrivals(Path(paths.landing_dir), context.cursor)
    if not arrivals.new:
        waiting = ", ".join(e.label for e in arrivals.settling)
        return dg.SkipReason(
            f"waiting for {waiting} to finish copying" if waiting else "no new extracts"
        )
    labels = [e.label for e in arrivals.new]
    context.update_cursor(arrivals.cursor)
    return dg.RunRequest(
        run_key="+".join(labels),
        tags={
            "csc/trigger": "landing_sensor",
            "csc/las": ",".join(sorted({e.la_code for e in arrivals.new})),
        },
    )


@dg.run_failure_sensor(name="run_failure_alert", default_status=dg.DefaultSensorStatus.RUNNING)
def run_failure_alert(context: dg.RunFailureSensorContext, paths: PathsResource):
    """Record every failed run: log, `alerts.jsonl` beside the snapshot, optional webhook."""
    alert = record_alert(
        Path(paths.serving_dir) / "alerts.jsonl",
        run_id=context.dagster_run.run_id,
        job=context.dagster_run.job_name,
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
