"""dbt unit tests run here (make test, CI) and not in production runs (issue 16).

The production step (``pipelines/defs/transform/assets.py``) builds with
``--exclude-resource-type unit_test``; the session build of ``conftest.py`` runs everything,
so every unit test of the project must have run, and passed, in it.
"""

from __future__ import annotations

import json
import os

from dbt.cli.main import dbtRunner

from pipelines.defs.transform.assets import DBT_BUILD_ARGS
from pipelines.settings import DBT_PROJECT_DIR


def _unit_tests_in(manifest_path) -> set[str]:
    return set(json.loads(manifest_path.read_text())["unit_tests"])


def test_every_unit_test_ran_and_passed_in_the_test_build(dbt_build):
    warehouse, result, _ = dbt_build
    ran = {
        r.node.unique_id: str(r.status)
        for r in result.result
        if r.node.unique_id.startswith("unit_test.")
    }
    defined = _unit_tests_in(warehouse.parent / "target" / "manifest.json")
    assert len(defined) >= 30
    assert set(ran) == defined
    assert set(ran.values()) == {"pass"}


def test_the_production_build_selects_every_data_test_but_no_unit_test(dbt_build, monkeypatch):
    warehouse, _, _ = dbt_build
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(warehouse))
    target = warehouse.parent / "target"
    common = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(warehouse.parent / "logs"),
        "--quiet",
        "--output",
        "json",
    ]
    assert DBT_BUILD_ARGS[0] == "build"
    listed = dbtRunner().invoke(["ls", *DBT_BUILD_ARGS[1:], *common])
    assert listed.success
    kinds = [json.loads(line)["resource_type"] for line in listed.result]
    assert "unit_test" not in kinds
    everything = dbtRunner().invoke(["ls", *common])
    all_kinds = [json.loads(line)["resource_type"] for line in everything.result]
    assert all_kinds.count("unit_test") >= 30
    for kind in ("model", "seed", "test"):
        assert kinds.count(kind) == all_kinds.count(kind) > 0, kind
    assert os.environ["CSC_DUCKDB_PATH"] == str(warehouse)


def test_every_production_build_leaves_the_unit_tests_out():
    """Incremental by LA (a run's LAs) and full (every LA) builds both start with the
    arguments that leave the unit tests out."""
    from pipelines.defs.transform.assets import dbt_build_args

    for las in (None, ["850"], ["851", "850"]):
        args = dbt_build_args(las)
        assert args[: len(DBT_BUILD_ARGS)] == DBT_BUILD_ARGS, las
    assert dbt_build_args(None)[-1] == "--full-refresh"
    assert dbt_build_args(["851", "850"])[-1] == '{"las": ["850", "851"]}'
