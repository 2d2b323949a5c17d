"""The code location loads, and its graph is wired as the architecture says."""

from __future__ import annotations

import dagster as dg
import pytest

from pipelines.lib.contract import ALL_TABLES


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from pipelines.definitions import defs as definitions

    dg.Definitions.validate_loadable(definitions)
    return definitions


@pytest.fixture(scope="module")
def graph(defs):
    return defs.resolve_asset_graph()


def test_every_contract_table_is_an_ingest_asset_and_feeds_its_dbt_source(graph):
    for spec in ALL_TABLES:
        key = dg.AssetKey(spec.asset_key)
        assert graph.has(key), key
        children = {c.path[0] for c in graph.get(key).child_keys}
        assert children == {"staging"}, f"{key} should feed exactly its staging model"


def test_the_missing_table_is_guarded_by_a_blocking_great_expectations_check(graph):
    check = graph.get_check_spec(
        dg.AssetCheckKey(dg.AssetKey(["ssda903", "missing"]), "gx_raw_ssda903_missing")
    )
    assert check.blocking


def test_the_snapshot_is_published_after_the_kpi_table(graph):
    parents = graph.get(dg.AssetKey(["serving_snapshot"])).parent_keys
    assert dg.AssetKey(["marts", "kpi_values"]) in parents
    assert all(k.path[0] == "marts" for k in parents)


def test_every_asset_says_what_it_is_and_who_owns_it(graph):
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.owners, key
        assert node.group_name, key


def test_new_extracts_and_the_month_trigger_runs(defs):
    assert defs.resolve_sensor_def("landing_sensor").job_name == "refresh_all"
    assert defs.resolve_schedule_def("monthly_refresh").cron_schedule == "0 6 2 * *"
