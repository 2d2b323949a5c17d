"""Resources: the warehouse (DuckDB) and dbt, with paths from :mod:`pipelines.settings`."""

from __future__ import annotations

import sys
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


def dbt_resource() -> DbtCliResource:
    # The venv's dbt, so that it works whether or not the venv is on PATH (stack-notes E8).
    return DbtCliResource(
        project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
    )


def build_resources(settings: Settings) -> dict[str, object]:
    return {
        "duckdb": DuckDBResource(database=str(settings.warehouse_path)),
        "dbt": dbt_resource(),
        "paths": PathsResource(
            landing_dir=str(settings.landing_dir),
            serving_dir=str(settings.serving_dir),
            alert_webhook=settings.alert_webhook,
            confirm_empty=" ".join(settings.confirm_empty),
        ),
    }
