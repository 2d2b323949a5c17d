"""One dbt build of the fixture warehouse per test session (parse once, build once)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner
from warehouse_fixture import build_raw_warehouse
from warehouse_fixture_b_to_e import add_la_852

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


@pytest.fixture(scope="session")
def dbt_build(tmp_path_factory):
    """Build the raw fixture, run `dbt build` on it; return (warehouse path, result, seconds)."""
    tmp = tmp_path_factory.mktemp("dbt")
    warehouse = tmp / "warehouse.duckdb"
    build_raw_warehouse(warehouse)
    add_la_852(warehouse)
    previous = os.environ.get("CSC_DUCKDB_PATH")
    os.environ["CSC_DUCKDB_PATH"] = str(warehouse)
    try:
        started = time.perf_counter()
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir",
                str(DBT_PROJECT),
                "--profiles-dir",
                str(DBT_PROJECT),
                "--target-path",
                str(tmp / "target"),
                "--log-path",
                str(tmp / "logs"),
                "--quiet",
            ]
        )
        seconds = time.perf_counter() - started
    finally:
        if previous is None:
            os.environ.pop("CSC_DUCKDB_PATH", None)
        else:
            os.environ["CSC_DUCKDB_PATH"] = previous
    return warehouse, result, seconds


@pytest.fixture(scope="session")
def warehouse(dbt_build):
    """A connection to the built warehouse (the build must have succeeded).

    Read-write: dbt-duckdb, run in this process, still holds the file open, and DuckDB
    refuses a second connection to it with a different (read-only) configuration.
    """
    path, result, _ = dbt_build
    failures = [
        f"{r.node.name}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) not in ("success", "pass", "no-op")
    ]
    assert result.success, "dbt build failed:\n" + "\n".join(failures)
    con = duckdb.connect(str(path))
    yield con
    con.close()
