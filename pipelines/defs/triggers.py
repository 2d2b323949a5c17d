"""When the pipeline runs: when a new extract lands, and on a monthly full refresh."""

from pathlib import Path

import dagster as dg

from pipelines.defs.resources import PathsResource
from pipelines.lib.arrivals import find_arrivals

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
