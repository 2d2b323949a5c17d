"""deploy/dagster.postgres.yaml (docs/scaling.md) against Dagster's own config schema.

No Postgres server is needed: the instance config is validated whole by Dagster's loader,
the storage section by dagster-postgres' own config type, and the run queue by a real
instance built from the same file with the storage swapped for a temporary SQLite one.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._config import process_config, resolve_to_config_type
from dagster._core.instance.config import dagster_instance_config
from dagster._core.instance.ref import InstanceRef
from dagster_postgres import DagsterPostgresStorage

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "dagster.postgres.yaml"
PG_ENV = {
    "DAGSTER_PG_HOST": "db.hub.example",
    "DAGSTER_PG_PORT": "5432",
    "DAGSTER_PG_DB": "dagster",
    "DAGSTER_PG_USERNAME": "dagster",
    "DAGSTER_PG_PASSWORD": "not-a-real-password",
}


@pytest.fixture
def pg_env(monkeypatch):
    for name, value in PG_ENV.items():
        monkeypatch.setenv(name, value)


def _storage_config(section: dict):
    return process_config(resolve_to_config_type(DagsterPostgresStorage.config_type()), section)


def test_the_file_passes_dagsters_instance_schema_and_names_postgres_storage(tmp_path, pg_env):
    (tmp_path / "dagster.yaml").write_text(DEPLOY.read_text())
    config, custom_class = dagster_instance_config(str(tmp_path))
    assert custom_class is None
    ref = InstanceRef.from_dir(str(tmp_path))
    assert (ref.storage_data.module_name, ref.storage_data.class_name) == (
        "dagster_postgres",
        "DagsterPostgresStorage",
    )
    assert ref.run_coordinator_data.class_name == "QueuedRunCoordinator"
    result = _storage_config(config["storage"]["postgres"])
    assert result.success, result.errors
    db = result.value["postgres_db"]
    assert (db["hostname"], db["port"], db["db_name"]) == ("db.hub.example", 5432, "dagster")
    assert db["params"] == {"sslmode": "require"}


def test_the_password_comes_from_the_environment_never_the_file():
    db = yaml.safe_load(DEPLOY.read_text())["storage"]["postgres"]["postgres_db"]
    for key in ("hostname", "db_name", "username", "password"):
        assert set(db[key]) == {"env"}, key


def test_a_misspelt_storage_key_fails_the_same_schema(pg_env):
    section = yaml.safe_load(DEPLOY.read_text())["storage"]["postgres"]
    section["postgres_db"]["hostnme"] = section["postgres_db"].pop("hostname")
    result = _storage_config(section)
    assert not result.success
    assert "hostnme" in result.errors[0].message


def test_run_queue_one_run_per_la_and_one_duckdb_writer(tmp_path):
    config = yaml.safe_load(DEPLOY.read_text())
    config.pop("storage")  # same instance, storage in a temporary SQLite folder instead
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(config))
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        concurrency = instance.get_concurrency_config()
        queue = concurrency.run_queue_config
        assert queue.max_concurrent_runs == 4
        limits = {limit["key"]: limit for limit in queue.tag_concurrency_limits}
        assert limits["dagster/partition"] == {
            "key": "dagster/partition",
            "value": {"applyLimitPerUniqueValue": True},
            "limit": 1,
        }
        assert limits["dagster/backfill"]["limit"] == 2
        # the duckdb pool admits one step at a time, as on one machine (dagster.yaml)
        assert concurrency.pool_config.default_pool_limit == 1
    local = yaml.safe_load((REPO / "dagster.yaml").read_text())
    assert local["concurrency"]["pools"] == config["concurrency"]["pools"]
