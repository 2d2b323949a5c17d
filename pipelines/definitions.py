"""The Dagster code location: `dagster dev -w workspace.yaml` or `make dev`."""

import dagster as dg

from pipelines.defs.ingest.assets import landing_extracts
from pipelines.defs.publish.assets import serving_snapshot
from pipelines.defs.quality.checks import GX_CHECKS
from pipelines.defs.quality.dfe903 import DFE903_CHECKS
from pipelines.defs.reference.assets import ons_reference
from pipelines.defs.resources import build_resources
from pipelines.defs.transform.assets import csc_dbt_models
from pipelines.defs.triggers import (
    daily_status,
    landing_sensor,
    monthly_refresh,
    refresh_las,
    refresh_status,
    rollback_snapshot,
    run_failure_alert,
)
from pipelines.settings import get_settings

defs = dg.Definitions(
    assets=[landing_extracts, ons_reference, csc_dbt_models, serving_snapshot],
    asset_checks=[*GX_CHECKS, *DFE903_CHECKS],
    jobs=[refresh_las, refresh_status, rollback_snapshot],
    schedules=[monthly_refresh, daily_status],
    sensors=[landing_sensor, run_failure_alert],
    resources=build_resources(get_settings()),
    # One process, one step at a time: DuckDB has a single writer (stack-notes E6).
    executor=dg.in_process_executor,
)
