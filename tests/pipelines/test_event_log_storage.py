"""The instance's event log (pipelines/lib/event_log_storage.py, named in dagster.yaml):
Dagster's SQLite storage in its usual files, with one engine per file instead of one per
statement. A run's events, materialisations and check results read back as with Dagster's
own storage."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from pipelines.lib import event_log_storage as els
from pipelines.lib.event_log_storage import MAX_ENGINES, CscSqliteEventLogStorage
from pipelines.settings import REPO_ROOT


@dg.asset
def toy():
    return 1


@dg.asset_check(asset=toy)
def toy_is_one():
    return dg.AssetCheckResult(passed=True, metadata={"rows": 1})


@dg.asset_check(asset=toy)
def toy_fails():
    return dg.AssetCheckResult(passed=False)


def _home(tmp_path: Path) -> Path:
    """An instance folder with the project's dagster.yaml."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return home


def _run(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize([toy, toy_is_one, toy_fails], instance=instance)


def _summary(instance: dg.DagsterInstance, run_id: str) -> dict:
    """What the UI and the tests read of a run: its event types, the asset's latest
    materialisation and each check's latest execution."""
    kinds = sorted(
        e.dagster_event.event_type_value
        for e in instance.all_logs(run_id)
        if e.dagster_event is not None
    )
    latest = instance.get_latest_materialization_event(dg.AssetKey("toy"))
    checks = {
        key.name: (record.status.value, record.run_id == run_id)
        for key, record in instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("toy"), n) for n in ("toy_is_one", "toy_fails")]
        ).items()
    }
    return {"kinds": kinds, "materialised_by_run": latest.run_id == run_id, "checks": checks}


def test_dagster_yaml_names_this_storage_in_the_instance_folder_without_dagster_home(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    assert config["event_log_storage"] == {
        "module": "pipelines.lib.event_log_storage",
        "class": "CscSqliteEventLogStorage",
    }
    home = _home(tmp_path)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        assert type(storage) is CscSqliteEventLogStorage
        result = _run(instance)
        # Dagster's default place: <instance>/history/runs/<run id>.db and index.db
        runs = home / "history" / "runs"
        assert (runs / f"{result.run_id}.db").is_file()
        assert (runs / "index.db").is_file()


def test_a_run_reads_back_as_with_dagsters_own_sqlite_storage(tmp_path):
    ours = tmp_path / "ours"
    ours.mkdir()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    default = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    del default["event_log_storage"]
    (theirs / "dagster.yaml").write_text(yaml.safe_dump(default))
    shutil.copy(REPO_ROOT / "dagster.yaml", ours / "dagster.yaml")
    summaries = []
    for home, kind in ((ours, CscSqliteEventLogStorage), (theirs, SqliteEventLogStorage)):
        with dg.DagsterInstance.from_config(str(home)) as instance:
            assert type(instance.event_log_storage) is kind
            first = _run(instance)
            second = _run(instance)
            summaries.append((_summary(instance, first.run_id), _summary(instance, second.run_id)))
    assert summaries[0] == summaries[1]
    first, second = summaries[0]
    assert first["checks"] == {"toy_is_one": ("SUCCEEDED", False), "toy_fails": ("FAILED", False)}
    assert second["checks"] == {"toy_is_one": ("SUCCEEDED", True), "toy_fails": ("FAILED", True)}
    assert second["materialised_by_run"]
    assert "ASSET_CHECK_EVALUATION" in first["kinds"]
    assert "ASSET_MATERIALIZATION" in first["kinds"]


def test_one_engine_per_database_file_not_one_per_statement(tmp_path, monkeypatch):
    made = []
    real = els.create_engine

    def counting(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(els, "create_engine", counting)
    home = _home(tmp_path)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = [_run(instance).run_id for _ in range(3)]
        stored = sum(len(instance.all_logs(run_id)) for run_id in runs)
    # each run's events went through one engine for its file, and one for the index
    assert stored > 3 * 15
    assert len(made) == len(set(made)) == len(runs) + 1


def test_the_engines_kept_are_bounded_and_a_wipe_starts_again(tmp_path):
    storage = CscSqliteEventLogStorage(str(tmp_path / "runs"))
    for n in range(MAX_ENGINES + 5):
        with storage.run_connection(f"run{n}") as conn:
            conn.exec_driver_sql("select 1")
    assert len(storage._engines) == MAX_ENGINES
    assert "run0" not in storage._engines and f"run{MAX_ENGINES + 4}" in storage._engines
    with storage.run_connection("run0") as conn:  # evicted: a new engine, same file
        conn.exec_driver_sql("select 1")
    storage.wipe()
    assert set(storage._engines) <= {"index"}  # the wipe empties the index through it
    assert not list((tmp_path / "runs").glob("run*.db"))
    with storage.run_connection("again") as conn:
        conn.exec_driver_sql("select 1")


def test_only_a_table_found_is_remembered(tmp_path, monkeypatch):
    storage = CscSqliteEventLogStorage(str(tmp_path / "runs"))
    asked = []
    real = SqliteEventLogStorage.has_table

    def counting(self, name):
        asked.append(name)
        return real(self, name)

    monkeypatch.setattr(SqliteEventLogStorage, "has_table", counting)
    assert storage.has_table("asset_check_executions")
    assert storage.has_table("asset_check_executions")
    assert not storage.has_table("no_such_table")
    assert not storage.has_table("no_such_table")
    assert asked == ["asset_check_executions", "no_such_table", "no_such_table"]


@pytest.mark.parametrize("with_base_dir", [True, False])
def test_a_base_dir_in_the_config_is_used_as_dagsters_own(tmp_path, with_base_dir):
    home = _home(tmp_path)
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    elsewhere = tmp_path / "events"
    if with_base_dir:
        config["event_log_storage"]["config"] = {"base_dir": str(elsewhere)}
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run_id = _run(instance).run_id
    where = elsewhere if with_base_dir else home / "history" / "runs"
    assert (where / f"{run_id}.db").is_file()


def test_a_batch_of_events_is_stored_as_one_by_one_in_one_transaction_per_file(
    tmp_path, monkeypatch
):
    """With DAGSTER_EVENT_BATCH_SIZE set (the Makefile sets it), the events Dagster plans
    at the start of a run come as one batch: stored as store_event stores each, in one
    transaction per database file; the run reads back the same as without batches."""
    summaries = []
    for batch_size in ("0", "1000"):
        monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", batch_size)
        home = tmp_path / f"batch{batch_size}"
        home.mkdir()
        shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
        with dg.DagsterInstance.from_config(str(home)) as instance:
            storage = instance.event_log_storage
            batches = []
            real = CscSqliteEventLogStorage.store_event_batch

            def recording(self, events, real=real, batches=batches):
                batches.append([e.dagster_event.event_type_value for e in events])
                return real(self, events)

            monkeypatch.setattr(CscSqliteEventLogStorage, "store_event_batch", recording)
            first = _run(instance).run_id
            second = _run(instance).run_id
            summaries.append((_summary(instance, first), _summary(instance, second)))
            planned = sorted(
                e.dagster_event.event_type_value
                for e in instance.all_logs(second)
                if e.dagster_event is not None and "PLANNED" in e.dagster_event.event_type_value
            )
            assert getattr(storage._batch, "connections", None) is None
        if batch_size == "0":
            assert batches == []
        else:
            # one batch per run: the asset's and the two checks' planned events
            assert [sorted(b) for b in batches] == [planned, planned]
            assert planned == [
                "ASSET_CHECK_EVALUATION_PLANNED",
                "ASSET_CHECK_EVALUATION_PLANNED",
                "ASSET_MATERIALIZATION_PLANNED",
            ]
    assert summaries[0] == summaries[1]


def test_a_batch_that_fails_keeps_nothing_of_itself(tmp_path):
    storage = CscSqliteEventLogStorage(str(tmp_path / "runs"))
    with storage.run_connection("r1") as conn:
        conn.exec_driver_sql("create table t (x integer)")

    class Boom(Exception):
        pass

    def store_event(event):
        with storage.run_connection("r1") as conn:
            conn.exec_driver_sql("insert into t values (1)")
        if event == "second":
            raise Boom

    storage.store_event = store_event
    with pytest.raises(Boom):
        storage.store_event_batch(["first", "second"])
    assert getattr(storage._batch, "connections", None) is None
    storage.store_event_batch(["first", "first"])
    with storage.run_connection("r1") as conn:
        assert conn.exec_driver_sql("select count(*) from t").scalar() == 2
