"""dbt models as Dagster assets; dbt tests become asset checks (dagster-dbt default)."""

import json
import os
import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_duckdb import DuckDBResource

from pipelines.defs.constants import DUCKDB_POOL, MONTHLY_FRESHNESS, OWNERS
from pipelines.defs.partitions import LA_PARTITIONS
from pipelines.defs.resources import dbt_project
from pipelines.lib.builds import code_version, finish_build, start_build
from pipelines.lib.dbt_manifest import run_targets_dir


class CscDbtTranslator(DagsterDbtTranslator):
    """Group = the dbt layer folder (staging, intermediate, marts); owners = the data team."""

    def get_group_name(self, dbt_resource_props) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"

    def get_owners(self, dbt_resource_props):
        return OWNERS

    def get_asset_spec(self, manifest, unique_id, project):
        """Marts carry the monthly freshness policy: they are what the dashboard shows."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.key.path[0] == "marts":
            spec = spec.replace_attributes(freshness_policy=MONTHLY_FRESHNESS)
        return spec


#: What a production run executes: every model, seed and data test (data tests guard the
#: published figures and become asset checks), but not the dbt unit tests. Those test the
#: SQL on fixed fixtures, not the data: they give the same answer on every run, so they run
#: once per code change, in `make test` and CI (tests/dbt), where they cost no refresh
#: 10-16 s (docs/performance.md).
DBT_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]

# Source tests stay off: with them the dbt step would run before the blocking GX checks
# on the raw tables (stack-notes §6, "Gotcha").
TRANSLATOR = CscDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class DbtBuildConfig(dg.Config):
    """Run configuration of the dbt step (the Dagster launchpad: ops: csc_dbt_models: config)."""

    #: Rebuild every model for every LA from the raw layer (`dbt build --full-refresh`),
    #: whatever LAs the run has: after a change to the dbt models, or to repair the marts.
    full_refresh: bool = False


def dbt_build_args(las: list[str] | None) -> list[str]:
    """`dbt build` for the run's LAs only (incremental by LA), or for every LA (None)."""
    if las is None:
        return [*DBT_BUILD_ARGS, "--full-refresh"]
    return [*DBT_BUILD_ARGS, "--vars", json.dumps({"las": sorted(las)})]


def run_las(context: dg.AssetExecutionContext, config: DbtBuildConfig) -> list[str] | None:
    """The LAs this run rebuilds: its LA partitions, or None (every LA) when it covers every
    registered LA or a full refresh was asked for."""
    if config.full_refresh:
        return None
    keys = context.partition_keys
    every = LA_PARTITIONS.get_partition_keys(dynamic_partitions_store=context.instance)
    return None if set(keys) >= set(every) else list(keys)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=TRANSLATOR,
    pool=DUCKDB_POOL,
    # Partitioned by LA: a run rebuilds its LAs only; a range of LAs is one dbt invocation.
    partitions_def=LA_PARTITIONS,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def csc_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    duckdb: DuckDBResource,
    config: DbtBuildConfig,
):
    """Staging, intermediate and mart models of the performance framework (`dbt build`,
    without the unit tests: they run in CI).

    Runs after the LA partitions of the run were loaded and passed their blocking checks,
    and rebuilds those LAs only: intermediates and marts are incremental by LA (dbt var
    `las`, strategy la_replace; docs/operations.md "Incremental by LA"); other LAs' rows
    are not touched, since their raw rows did not change. A run of every LA, or with
    `full_refresh`, or the first after a change to the dbt project, rebuilds everything.
    LAs whose last build did not finish are rebuilt with the run's (pipelines/lib/builds.py).
    """
    # dbt runs as a subprocess and finds the warehouse through profiles.yml's env_var:
    # hand it the same file the other steps use.
    os.environ["CSC_DUCKDB_PATH"] = duckdb.database
    # ... and the same memory limit (profiles.yml reads it too)
    limit = (duckdb.connection_config or {}).get("memory_limit")
    if limit:
        os.environ["CSC_DUCKDB_MEMORY_LIMIT"] = str(limit)
    with duckdb.get_connection() as con:
        build = start_build(
            con,
            context.run.run_id,
            run_las(context, config),
            code_version(dbt_project.manifest_path),
        )
    context.log.info(
        "dbt build for every LA"
        if build.las is None
        else f"dbt build for LA {', '.join(build.las)} (incremental by LA)"
    )
    try:
        yield from dbt.cli(dbt_build_args(build.las), context=context).stream()
    finally:
        prune_run_targets(
            run_targets_dir(Path(dbt_project.project_dir)), context.op_execution_context.op.name
        )
    with duckdb.get_connection() as con:
        finish_build(con, build)


#: dbt's artifacts (compiled SQL, logs, run_results.json) of the latest runs are kept in
#: dbt_project/target/<step>-<run>-<id>/ for debugging; each is about 20 MB on Hampshire.
KEEP_RUN_TARGETS = 5


def prune_run_targets(target_dir: Path, step: str, keep: int = KEEP_RUN_TARGETS) -> list[Path]:
    """Delete all but the newest ``keep`` per-run target folders of ``step`` (dagster-dbt
    writes one per invocation and never removes them: a monthly job with a sensor would
    fill the disk), and return the ones deleted."""
    runs = sorted(
        (p for p in target_dir.glob(f"{step}-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return runs[keep:]


MART_KEYS = [key for key in csc_dbt_models.keys if key.path[0] == "marts"]
