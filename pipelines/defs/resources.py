"""Resources: the warehouse (DuckDB) and dbt, with paths from :mod:`pipelines.settings`."""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource

from pipelines.settings import DBT_PROJECT_DIR, Settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()  # runs `dbt parse` only under `dagster dev`


class PathsResource(dg.ConfigurableResource):
    """The folders the pipeline reads and publishes to."""

    landing_dir: str
    serving_dir: str
    alert_webhook: str | None = None
    #: Files confirmed empty (CSC_CONFIRM_EMPTY: separated by commas or spaces); can also be
    #: set for one run in the Dagster launchpad.
    confirm_empty: str = ""


class CscDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without its two start-up costs this project never uses
    (8.5 s of every dbt step, docs/performance.md):

    - it runs ``dbt --version`` in a subprocess to learn dbt's version: the dbt it runs is
      this environment's own (``dbt_executable``), so the installed package says it;
    - it builds a dbt adapter in this process, used only to fetch row counts or column
      metadata (``.fetch_row_counts()``, ``.fetch_column_metadata()``), which the dbt step
      does not ask for (``pipelines/defs/transform/assets.py``).

    Both are private members of dagster-dbt 0.29.27 (pinned exactly);
    ``tests/pipelines/test_definitions.py`` fails if an upgrade renames them.
    """

    @cached_property
    def _cli_version(self):
        from packaging import version

        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None  # no row counts or column metadata are fetched: no adapter needed


def dbt_resource() -> DbtCliResource:
    # The venv's dbt, so that it works whether or not the venv is on PATH (stack-notes E8).
    return CscDbtCliResource(
        project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
    )


def build_resources(settings: Settings) -> dict[str, object]:
    return {
        "duckdb": DuckDBResource(
            database=str(settings.warehouse_path),
            connection_config={"memory_limit": settings.duckdb_memory_limit},
        ),
        "dbt": dbt_resource(),
        "paths": PathsResource(
            landing_dir=str(settings.landing_dir),
            serving_dir=str(settings.serving_dir),
            alert_webhook=settings.alert_webhook,
            confirm_empty=" ".join(settings.confirm_empty),
        ),
    }
