"""DuckDB's memory limit reaches every pipeline process that opens the warehouse: the
Dagster steps (the DuckDB resource) and dbt (its profile). DuckDB's own default is 80 % of
the machine per process, which is what took the national build to 13 GB
(docs/performance.md)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.settings import DBT_PROJECT_DIR, DEFAULT_DUCKDB_MEMORY_LIMIT, get_settings


def _shown(limit: str) -> str:
    """How DuckDB reports ``limit`` (e.g. 512MB -> '488.2 MiB')."""
    with duckdb.connect(":memory:", config={"memory_limit": limit}) as con:
        return con.execute("select current_setting('memory_limit')").fetchone()[0]


def test_the_default_is_the_same_for_the_pipeline_and_for_dbt():
    assert DEFAULT_DUCKDB_MEMORY_LIMIT == "2GB"
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    setting = profile["csc_kpis"]["outputs"]["dev"]["settings"]["memory_limit"]
    assert setting == "{{ env_var('CSC_DUCKDB_MEMORY_LIMIT', '2GB') }}"


def test_the_setting_is_read_from_the_environment_and_checked(monkeypatch):
    monkeypatch.delenv("CSC_DUCKDB_MEMORY_LIMIT", raising=False)
    assert get_settings().duckdb_memory_limit == "2GB"
    monkeypatch.setenv("CSC_DUCKDB_MEMORY_LIMIT", "1536MB")
    assert get_settings().duckdb_memory_limit == "1536MB"
    for bad in ("2", "lots", "2 GB extra", "-1GB", "80%"):
        monkeypatch.setenv("CSC_DUCKDB_MEMORY_LIMIT", bad)
        with pytest.raises(ValueError, match="CSC_DUCKDB_MEMORY_LIMIT must be an amount"):
            get_settings()


def test_the_pipelines_duckdb_connections_have_the_limit(monkeypatch, tmp_path: Path):
    from pipelines.defs.resources import build_resources

    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("CSC_DUCKDB_MEMORY_LIMIT", "512MB")
    resource = build_resources(get_settings())["duckdb"]
    with resource.get_connection() as con:
        shown = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert shown == _shown("512MB") == "488.2 MiB"


def test_dbt_connects_with_the_limit_of_the_environment(monkeypatch, tmp_path: Path):
    """dbt itself (its DuckDB adapter, through profiles.yml), not a reading of the file."""
    from dbt.cli.main import dbtRunner

    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("CSC_DUCKDB_MEMORY_LIMIT", "700MB")
    result = dbtRunner().invoke(
        [
            "show",
            "--inline",
            "select current_setting('memory_limit') as memory_limit",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--output",
            "json",
            "--quiet",
        ]
    )
    assert result.success, result.exception
    shown = result.result.results[0].agate_table.rows[0][0]
    assert shown == _shown("700MB")
    assert re.fullmatch(r"667\.5 MiB", shown)
