"""The sensor, the schedules and the status job, evaluated against a real (ephemeral) instance."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.lib.warehouse import ensure_raw_schema


@pytest.fixture(scope="module")
def triggers(dbt_manifest):
    """The triggers module (it imports the code location, which needs the dbt manifest)."""
    from pipelines.defs import triggers as module

    return module


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as inst:
        yield inst


@pytest.fixture
def paths(tmp_path, landing):
    from pipelines.defs.resources import PathsResource

    return PathsResource(landing_dir=str(landing.root), serving_dir=str(tmp_path / "serving"))


def settled(folder: Path, seconds_ago: float = 3600) -> Path:
    """Age an extract folder and its files, as if its copy finished ``seconds_ago``."""
    when = time.time() - seconds_ago
    for p in [folder, *folder.iterdir()]:
        os.utime(p, (when, when))
    return folder


def evaluate(triggers, instance, paths, cursor: str | None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"paths": paths})
    result = triggers.landing_sensor(context)
    if isinstance(result, dg.SensorResult):
        # what the daemon does with a result: add the partitions, then launch the runs
        for request in result.dynamic_partitions_requests or []:
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        return result.run_requests or [], result.dynamic_partitions_requests or [], result.cursor
    assert isinstance(result, dg.SkipReason)
    return [], [], context.cursor


def test_a_new_extract_folder_starts_one_run_for_its_la_partition_and_adds_the_partition(
    triggers, instance, paths, landing
):
    settled(landing.extract_903("850", "2024-25", "2024-10-31"))

    runs, partition_requests, cursor = evaluate(triggers, instance, paths, None)

    assert [(r.partition_key, r.job_name) for r in runs] == [("850", None)]
    [run] = runs
    assert run.run_key == "la-850:850/ssda903/2024-25/2024-10-31"
    assert {k: v for k, v in run.tags.items() if k.startswith("csc/")} == {
        "csc/trigger": "landing_sensor",
        "csc/la": "850",
        "csc/extract_date": "2024-10-31",
        "csc/extracts": "850/ssda903/2024-25/2024-10-31",
        "csc/run": "LA 850 extract 2024-10-31",
    }
    assert [(r.partitions_def_name, list(r.partition_keys)) for r in partition_requests] == [
        ("la", ["850"])
    ]
    assert instance.get_dynamic_partitions("la") == ["850"]
    assert json.loads(cursor) == {"850/ssda903/2024-25": "2024-10-31"}

    again, more_partitions, same_cursor = evaluate(triggers, instance, paths, cursor)
    assert again == [] and more_partitions == []
    assert same_cursor == cursor


def test_a_second_las_folder_starts_one_run_for_that_la_only(triggers, instance, paths, landing):
    settled(landing.extract_903("850", "2024-25", "2024-10-31"))
    _, _, cursor = evaluate(triggers, instance, paths, None)
    settled(landing.extract_903("851", "2024-25", "2024-10-31"))

    runs, partition_requests, cursor = evaluate(triggers, instance, paths, cursor)

    assert [r.partition_key for r in runs] == ["851"]
    assert [list(r.partition_keys) for r in partition_requests] == [["851"]]
    assert instance.get_dynamic_partitions("la") == ["850", "851"]

    # a new month for a known LA: one run, no new partition
    settled(landing.extract_903("850", "2024-25", "2024-11-30"))
    runs, partition_requests, _ = evaluate(triggers, instance, paths, cursor)
    assert [(r.partition_key, r.tags["csc/extract_date"]) for r in runs] == [("850", "2024-11-30")]
    assert partition_requests == []


def test_every_new_extract_of_an_la_goes_into_one_run(triggers, instance, paths, landing):
    settled(landing.extract_903("850", "2023-24", "2024-05-31"))
    settled(landing.extract_903("850", "2024-25", "2024-10-31"))
    settled(landing.extract_903("851", "2024-25", "2024-09-30"))

    runs, _, _ = evaluate(triggers, instance, paths, None)

    assert [(r.partition_key, r.tags["csc/extracts"]) for r in runs] == [
        ("850", "850/ssda903/2023-24/2024-05-31, 850/ssda903/2024-25/2024-10-31"),
        ("851", "851/ssda903/2024-25/2024-09-30"),
    ]


def test_a_folder_still_being_copied_waits_and_so_does_the_rest_of_its_la(
    triggers, instance, paths, landing
):
    settled(landing.extract_903("850", "2024-25", "2024-10-31"))
    landing.write("850/local/2024-10-31/teams.csv", "TEAM_ID,TEAM_NAME,DISTRICT,SERVICE\n")

    runs, partition_requests, cursor = evaluate(triggers, instance, paths, None)

    assert runs == [] and partition_requests == []
    assert cursor is None  # nothing was taken: both extracts are reported once settled
    assert instance.get_dynamic_partitions("la") == []
    context = dg.build_sensor_context(instance=instance, resources={"paths": paths})
    skip = triggers.landing_sensor(context)
    assert "waiting for 850/local/2024-10-31, 850/ssda903/2024-25/2024-10-31" in skip.skip_message

    settled(landing.root / "850" / "local" / "2024-10-31")
    runs, _, _ = evaluate(triggers, instance, paths, None)
    assert [(r.partition_key, r.tags["csc/extracts"]) for r in runs] == [
        ("850", "850/local/2024-10-31, 850/ssda903/2024-25/2024-10-31")
    ]


def test_the_monthly_refresh_is_one_run_over_every_la_including_new_folders(
    triggers, tmp_path, paths, landing
):
    # a schedule context needs an instance that can be referred to (not an ephemeral one)
    (tmp_path / "dagster_home").mkdir()
    instance = dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home"))
    instance.add_dynamic_partitions("la", ["851"])
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("852", "2024-25", "2024-10-31")
    context = dg.build_schedule_context(instance=instance, resources={"paths": paths})

    request = triggers.monthly_refresh.evaluate_tick(context).run_requests[0]

    assert instance.get_dynamic_partitions("la") == ["851", "850", "852"]
    assert request.partition_key is None
    assert request.tags["dagster/asset_partition_range_start"] == "851"
    assert request.tags["dagster/asset_partition_range_end"] == "852"
    assert request.tags["csc/trigger"] == "monthly_schedule"


def test_the_daily_status_job_rewrites_freshness_without_loading_or_building(
    triggers, tmp_path, paths
):
    from dagster_duckdb import DuckDBResource

    warehouse = tmp_path / "warehouse.duckdb"
    served = dt.date.today() - dt.timedelta(days=40)
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        con.execute(
            "insert into raw_meta.extract_files values "
            "('850', 'ssda903', '2024-25', ?, 'missing', 'f.csv', 3, true, 'x', now()), "
            "('851', 'ssda903', '2024-25', current_date, 'missing', 'g.csv', 2, true, 'y', now())",
            [served],
        )
        tables_before = con.execute("select count(*) from information_schema.tables").fetchone()

    result = triggers.refresh_status.execute_in_process(
        resources={"duckdb": DuckDBResource(database=str(warehouse)), "paths": paths}
    )

    assert result.success
    [output] = [e for e in result.all_node_events if e.is_successful_output]
    found = {k: v.value for k, v in output.step_output_data.metadata.items()}
    assert (found["las"], found["stale_las"], found["oldest_served_days"]) == (2, 1, 40)
    status = Path(paths.serving_dir) / "status.duckdb"
    with duckdb.connect(str(status), read_only=True) as con:
        ages = con.execute(
            "select la_code, served_age_days from extract_status order by la_code"
        ).fetchall()
        run_id = con.execute("select run_id from status_info").fetchone()[0]
    assert ages == [("850", 40), ("851", 0)]
    assert run_id == result.run_id
    with duckdb.connect(str(warehouse), read_only=True) as con:  # nothing built or loaded
        assert con.execute("select count(*) from information_schema.tables").fetchone() == (
            tables_before
        )
    assert not (Path(paths.serving_dir) / "serving.duckdb").exists()
