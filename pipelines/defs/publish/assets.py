"""The serving snapshot: the only thing the dashboard reads."""

import time
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.constants import (
    DUCKDB_POOL,
    GROUP_PUBLISH,
    MONTHLY_FRESHNESS,
    OWNERS,
    SERVING_SNAPSHOT,
    TRANSIENT_RETRY,
)
from pipelines.defs.resources import PathsResource
from pipelines.defs.transform.assets import MART_KEYS
from pipelines.lib.builds import unpublished
from pipelines.lib.publish import publish_snapshot, snapshot_built_through


@dg.asset(
    key=SERVING_SNAPSHOT,
    deps=MART_KEYS,
    group_name=GROUP_PUBLISH,
    kinds={"duckdb"},
    owners=OWNERS,
    pool=DUCKDB_POOL,
    retry_policy=TRANSIENT_RETRY,
    freshness_policy=MONTHLY_FRESHNESS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    metadata={
        "file": "$CSC_SERVING_DIR/serving.duckdb (previous: serving.previous.duckdb)",
        "schemas": "marts, reference, meta (load bookkeeping); never raw or staging",
    },
)
def serving_snapshot(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: PathsResource
) -> dg.MaterializeResult:
    """Published snapshot of the marts (one file, swapped in atomically) for the dashboard.

    Runs only after the marts were built and every blocking check upstream passed, so the
    dashboard never shows data that failed the data-quality gate. Copies only the LAs
    rebuilt since the current snapshot was made (every LA after a full rebuild).
    """
    serving_dir = Path(paths.serving_dir)
    serving = serving_dir / "serving.duckdb"
    started = time.perf_counter()
    with duckdb.get_connection() as con:
        changed = unpublished(con, snapshot_built_through(serving))
        result = publish_snapshot(
            con,
            serving,
            serving_dir / "serving.previous.duckdb",
            context.run.run_id,
            las=changed.las,
            built_through=changed.built_through,
        )
    scope = "every LA" if result.las is None else f"LA {', '.join(result.las)}"
    context.log.info(f"published {len(result.tables)} tables to {result.path} ({scope} copied)")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "tables": len(result.tables),
            "las_copied": "all" if result.las is None else ", ".join(result.las),
            "kpi_values_rows": result.tables.get("marts.kpi_values", 0),
            "published_at": result.published_at.isoformat(timespec="seconds"),
            "publish_seconds": round(time.perf_counter() - started, 3),
        }
    )
