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
        # the episodes' postcodes also decide which postcode areas the reference loads
        expected = {"staging", "ons_reference"} if spec.name == "episodes" else {"staging"}
        assert children == expected, f"{key} should feed exactly {expected}"


def test_the_missing_table_is_guarded_by_a_blocking_great_expectations_check(graph):
    check = graph.get_check_spec(
        dg.AssetCheckKey(dg.AssetKey(["ssda903", "missing"]), "gx_raw_ssda903_missing")
    )
    assert check.blocking


def test_the_snapshot_is_published_after_the_kpi_table(graph):
    parents = graph.get(dg.AssetKey(["serving_snapshot"])).parent_keys
    assert dg.AssetKey(["marts", "kpi_values"]) in parents
    assert all(k.path[0] == "marts" for k in parents)


def test_every_asset_says_what_it_is_who_owns_it_and_what_it_holds(graph):
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.owners, key
        assert node.group_name, key
        assert node.description, key
        assert node.kinds, key
        assert node.metadata, key


def test_the_ingest_its_checks_and_dbt_are_partitioned_by_la_and_the_rest_is_not(graph):
    for spec in ALL_TABLES:
        node = graph.get(dg.AssetKey(spec.asset_key))
        assert isinstance(node.partitions_def, dg.DynamicPartitionsDefinition)
        assert node.partitions_def.name == "la"
        for check_key in node.check_keys:
            assert graph.get_check_spec(check_key).partitions_def == node.partitions_def
    downstream = [k for k in graph.get_all_asset_keys() if k.path[0] not in {"ssda903", "local"}]
    assert dg.AssetKey(["raw_meta", "extract_files"]) in downstream
    from pipelines.defs.partitions import LA_PARTITIONS
    from pipelines.defs.transform.assets import csc_dbt_models

    dbt_keys = set(csc_dbt_models.keys)
    for key in downstream:
        node = graph.get(key)
        if key in dbt_keys:  # incremental by LA: a run rebuilds its LAs' rows only
            assert node.partitions_def == LA_PARTITIONS, key
        elif key != dg.AssetKey(["raw_meta", "extract_files"]):
            assert node.partitions_def is None, key
        # a backfill of every LA runs as one run, dbt and publish included
        assert node.backfill_policy == dg.BackfillPolicy.single_run(), key


def test_new_extracts_run_one_la_and_the_schedules_refresh_all_and_the_status(defs):
    assert defs.resolve_sensor_def("landing_sensor").job_name == "refresh_las"
    monthly = defs.resolve_schedule_def("monthly_refresh")
    assert (monthly.job_name, monthly.cron_schedule) == ("refresh_las", "0 6 2 * *")
    daily = defs.resolve_schedule_def("daily_status")
    assert (daily.job_name, daily.cron_schedule) == ("refresh_status", "0 7 * * *")
    job = defs.resolve_job_def("refresh_status")
    assert [n.name for n in job.nodes] == ["write_status_file"]  # no load, no dbt, no publish
    assert defs.resolve_job_def("refresh_las").partitions_def.name == "la"


def test_the_postcode_reference_is_built_after_the_episodes_and_feeds_dbt(graph):
    """kpis.md F: the ONS Postcode Directory is loaded once, for the areas the episodes use."""
    postcodes = graph.get(dg.AssetKey(["ons_reference", "postcodes"]))
    assert dg.AssetKey(["ssda903", "episodes"]) in postcodes.parent_keys
    assert dg.AssetKey(["staging", "stg_ons_reference__postcodes"]) in postcodes.child_keys
    tiers = graph.get(dg.AssetKey(["ons_reference", "la_tiers"]))
    assert dg.AssetKey(["staging", "stg_ons_reference__la_tiers"]) in tiers.child_keys
    assert postcodes.partitions_def is None and postcodes.group_name == "reference"


def test_the_dbt_resource_skips_dagster_dbts_version_subprocess_and_unused_adapter(defs):
    """CscDbtCliResource replaces two private members of dagster-dbt (pinned): if an upgrade
    renames them, the overrides would silently stop applying, so this fails instead."""
    import subprocess

    from dagster_dbt import DbtCliResource

    from pipelines.defs.resources import CscDbtCliResource

    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource), name
    dbt = defs.resources["dbt"]
    assert isinstance(dbt, CscDbtCliResource)
    said = subprocess.run(
        [dbt.dbt_executable, "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert f"{dbt._cli_version}" in said  # the version dbt itself reports
    assert dbt._cli_version.major == 1  # so dagster-dbt treats it as dbt Core
    assert dbt._initialize_dbt_core_adapter(["build"]) is None
