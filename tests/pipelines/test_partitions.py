"""LA partitions: a refresh of one LA replaces that LA's raw rows only, and its blocking
checks look at that LA only (the whole graph with dbt is in tests/test_end_to_end.py)."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb
import pytest

from tests.shared_helpers import raw_rows

MISSING_851 = "CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,03/06/2024,04/06/2024\n"


@pytest.fixture(scope="module")
def pieces(dbt_manifest):
    from pipelines.defs.ingest.assets import EXTRACT_FILES_KEY, landing_extracts
    from pipelines.defs.quality.checks import GX_CHECKS

    return landing_extracts, GX_CHECKS, EXTRACT_FILES_KEY


@pytest.fixture
def setup(tmp_path, landing):
    from pipelines.defs.resources import build_resources
    from pipelines.settings import Settings

    settings = Settings(
        landing_dir=landing.root,
        warehouse_path=tmp_path / "warehouse.duckdb",
        serving_dir=tmp_path / "serving",
    )
    # Entered, so that the runs' code finds this instance (not one an earlier test left)
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("la", ["850", "851"])
        yield settings, build_resources(settings), instance


def run(pieces, resources, instance, *, partition_key=None, tags=None, extra=()):
    landing_extracts, checks, _ = pieces
    return dg.materialize(
        [landing_extracts, *checks, *extra],
        resources=resources,
        instance=instance,
        partition_key=partition_key,
        tags=tags,
        raise_on_error=False,
    )


def test_a_backfill_of_every_la_is_one_run_and_a_one_la_refresh_touches_that_la_only(
    pieces, setup, landing
):
    settings, resources, instance = setup
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("851", "2024-25", "2024-10-31", missing=MISSING_851)

    backfill = run(
        pieces,
        resources,
        instance,
        tags={
            "dagster/asset_partition_range_start": "850",
            "dagster/asset_partition_range_end": "851",
        },
    )
    assert backfill.success
    _, _, files_key = pieces
    assert sorted(
        e.partition for e in backfill.get_asset_materialization_events() if e.asset_key == files_key
    ) == ["850", "851"]
    before_851 = raw_rows(settings, "851")
    assert before_851["raw_ssda903.missing"][0][3] == "03/06/2024"

    landing.extract_903(
        "850",
        "2024-25",
        "2024-11-30",
        missing=landing.missing_csv + "C1,01/01/2010,A,03/07/2024,\n",
    )
    refresh = run(pieces, resources, instance, partition_key="850")

    assert refresh.success
    assert {e.partition for e in refresh.get_asset_materialization_events()} == {"850"}
    assert raw_rows(settings, "851") == before_851  # untouched, bookkeeping included
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute(
            "select la_code, extract_date, count(*) from raw_ssda903.missing group by all "
            "order by all"
        ).fetchall() == [("850", dt.date(2024, 11, 30), 2), ("851", dt.date(2024, 10, 31), 1)]
    [materialization] = [
        e.materialization
        for e in refresh.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["ssda903", "missing"])
    ]
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert (metadata["las"], metadata["row_count"], metadata["warehouse_row_count"]) == (
        "850",
        2,
        3,
    )
    assert metadata["rows_loaded_this_run"] == 2
    assert metadata["load_seconds"] > 0


def test_the_blocking_check_of_an_la_looks_at_that_la_and_stops_what_is_downstream(
    pieces, setup, landing
):
    settings, resources, instance = setup
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("851", "2024-25", "2024-10-31", missing=MISSING_851)
    assert run(
        pieces,
        resources,
        instance,
        tags={
            "dagster/asset_partition_range_start": "850",
            "dagster/asset_partition_range_end": "851",
        },
    ).success
    # A row that breaks an error rule (returned before it went missing) reaches 851's raw
    # table behind the gate's back, e.g. loaded before the rule existed.
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(
            "insert into raw_ssda903.missing (child, dob, missing, mis_start, mis_end, la_code, "
            "collection_year, extract_date, source_file, source_row) values ('BAD', "
            "'01/01/2011', 'M', '10/10/2024', '01/10/2024', '851', '2024-25', '2024-10-31', "
            "'851/ssda903/2024-25/2024-10-31/missing.csv', 3)"
        )
    downstream_ran = []

    @dg.asset(deps=[dg.AssetKey(["ssda903", "missing"])])
    def downstream() -> None:
        downstream_ran.append(True)

    ok = run(pieces, resources, instance, partition_key="850", extra=[downstream])
    assert ok.success and downstream_ran == [True]
    assert all(e.passed for e in ok.get_asset_check_evaluations())

    blocked = run(pieces, resources, instance, partition_key="851", extra=[downstream])
    assert not blocked.success
    assert downstream_ran == [True]  # not run again: the check of 851 blocked it
    failed = [
        (e.check_name, e.partition, e.severity)
        for e in blocked.get_asset_check_evaluations()
        if not e.passed
    ]
    assert failed == [("gx_raw_ssda903_missing", "851", dg.AssetCheckSeverity.ERROR)]


def test_every_la_tags_span_the_partitions_in_the_order_they_were_added():
    from pipelines.defs.partitions import every_la_tags

    with dg.DagsterInstance.ephemeral() as instance:
        with pytest.raises(ValueError, match="no LA partitions"):
            every_la_tags(instance)
        instance.add_dynamic_partitions("la", ["851", "850", "919"])
        assert every_la_tags(instance) == {
            "dagster/asset_partition_range_start": "851",
            "dagster/asset_partition_range_end": "919",
        }
