"""Publishing: the snapshot holds the marts only, swaps in atomically, keeps the previous one."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib.publish import publish_snapshot
from pipelines.lib.warehouse import ensure_raw_schema


@pytest.fixture
def warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_raw_schema(con)
    con.execute(
        "insert into raw_ssda903.missing (child, la_code, collection_year, extract_date, "
        "source_file, source_row) values ('C1', '850', '2024-25', '2024-10-31', 'f', 2)"
    )
    con.execute("create schema marts; create schema reference; create schema staging")
    con.execute("create table marts.kpi_values as select 'v1' as version, 42.0 as value")
    con.execute("create table reference.targets as select 'rhi_offered_pct' as kpi_id")
    con.execute("create table staging.stg_secret as select 'child-level' as x")
    yield con
    con.close()


def snapshot_tables(path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }


def test_snapshot_holds_marts_reference_and_load_metadata_but_no_raw_or_staging(
    warehouse, tmp_path
):
    serving = tmp_path / "serving" / "serving.duckdb"
    result = publish_snapshot(warehouse, serving, tmp_path / "serving" / "prev.duckdb", "run-1")
    assert snapshot_tables(serving) == {
        "marts.kpi_values",
        "reference.targets",
        "meta.extract_files",
        "meta.load_events",
        "meta.publish_info",
    }
    assert result.tables == {"marts.kpi_values": 1, "reference.targets": 1}
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select run_id from meta.publish_info").fetchone() == ("run-1",)


def test_republishing_swaps_the_file_and_keeps_the_previous_snapshot(warehouse, tmp_path):
    serving, previous = tmp_path / "serving.duckdb", tmp_path / "serving.previous.duckdb"
    publish_snapshot(warehouse, serving, previous)
    warehouse.execute("update marts.kpi_values set version = 'v2'")
    publish_snapshot(warehouse, serving, previous)
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select version from marts.kpi_values").fetchone() == ("v2",)
    with duckdb.connect(str(previous), read_only=True) as con:
        assert con.execute("select version from marts.kpi_values").fetchone() == ("v1",)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_reader_holding_the_old_snapshot_keeps_reading_it_during_a_publish(warehouse, tmp_path):
    serving, previous = tmp_path / "serving.duckdb", tmp_path / "serving.previous.duckdb"
    publish_snapshot(warehouse, serving, previous)
    reader = duckdb.connect(str(serving), read_only=True)
    warehouse.execute("update marts.kpi_values set version = 'v2'")
    publish_snapshot(warehouse, serving, previous)
    assert reader.execute("select version from marts.kpi_values").fetchone() == ("v1",)
    reader.close()
    with duckdb.connect(str(serving), read_only=True) as fresh:
        assert fresh.execute("select version from marts.kpi_values").fetchone() == ("v2",)


def test_a_failed_publish_leaves_the_current_snapshot_untouched(warehouse, tmp_path):
    serving, previous = tmp_path / "serving.duckdb", tmp_path / "serving.previous.duckdb"
    publish_snapshot(warehouse, serving, previous)
    before = serving.read_bytes()
    warehouse.execute("create view marts.broken as select * from marts.kpi_values")
    warehouse.execute("drop table marts.kpi_values")  # the view now fails to read
    with pytest.raises(duckdb.Error):
        publish_snapshot(warehouse, serving, previous)
    assert serving.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_readers_in_a_loop_during_publishes_see_no_error_and_never_a_mix(warehouse, tmp_path):
    """Each snapshot holds 500 rows of one version; a reader must never see two versions."""
    import threading

    serving, previous = tmp_path / "serving.duckdb", tmp_path / "serving.previous.duckdb"
    warehouse.execute(
        "create or replace table marts.kpi_values as "
        "select 'v0' as version, range as n from range(500)"
    )
    publish_snapshot(warehouse, serving, previous)
    seen, errors, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                with duckdb.connect(str(serving), read_only=True) as con:
                    seen.append(
                        con.execute(
                            "select list(distinct version), count(*) from marts.kpi_values"
                        ).fetchone()
                    )
            except Exception as exc:  # any error at all is a failure of the swap
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for i in range(1, 11):
        warehouse.execute("update marts.kpi_values set version = ?", [f"v{i}"])
        publish_snapshot(warehouse, serving, previous)
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    assert len(seen) > 10
    assert all(len(versions) == 1 and count == 500 for versions, count in seen)
    assert {v[0] for v, _ in seen} > {"v0"}  # readers saw later versions too
