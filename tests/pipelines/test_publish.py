"""Publishing: the snapshot holds the marts only, swaps in atomically, keeps the previous one."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib.publish import publish_snapshot, snapshot_built_through
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


@pytest.fixture
def by_la(tmp_path):
    """A warehouse whose marts hold two LAs, published once in full."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_raw_schema(con)
    con.execute("create schema marts; create schema reference")
    con.execute(
        "create table marts.kpi_values as select * from (values "
        "('850', 'v1', 1.0), ('851', 'v1', 2.0), ('852', 'v1', 3.0)) t(la_code, version, value)"
    )
    con.execute("create table reference.targets as select 'rhi_offered_pct' as kpi_id")
    serving, previous = tmp_path / "serving.duckdb", tmp_path / "serving.previous.duckdb"
    publish_snapshot(con, serving, previous, "run-1", built_through=1)
    yield con, serving, previous
    con.close()


def kpis(path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select * from marts.kpi_values order by all").fetchall()


def test_a_refresh_of_one_la_replaces_that_las_rows_only(by_la):
    con, serving, previous = by_la
    con.execute("update marts.kpi_values set version = 'v2'")  # every LA changed here...
    con.execute("insert into marts.kpi_values values ('851', 'v2', 9.0)")
    con.execute("create table marts.new_mart as select '851' as la_code")
    with duckdb.connect(str(serving)) as snap:  # ...and 852 in the snapshot was tagged
        snap.execute("update marts.kpi_values set version = 'kept' where la_code = '852'")

    result = publish_snapshot(con, serving, previous, "run-2", las=["851"], built_through=2)

    # ...but only 851 is copied: 850 and 852 are as published (852 keeps its tag)
    assert kpis(serving) == [
        ("850", "v1", 1.0),
        ("851", "v2", 2.0),
        ("851", "v2", 9.0),
        ("852", "kept", 3.0),
    ]
    assert result.las == ("851",)
    assert result.tables["marts.kpi_values"] == 4
    with duckdb.connect(str(serving), read_only=True) as snap:
        # a table new to the snapshot is copied whole; the publish info says what was copied
        assert snap.execute("select * from marts.new_mart").fetchall() == [("851",)]
        assert snap.execute(
            "select run_id, built_through, las from meta.publish_info"
        ).fetchall() == [("run-2", 2, ["851"])]
    assert kpis(previous)[-1] == ("852", "kept", 3.0)  # the snapshot before, kept whole
    assert snapshot_built_through(serving) == 2
    assert not list(serving.parent.glob(".*.tmp"))


def test_a_table_whose_columns_changed_or_dropped_is_copied_whole(by_la):
    con, serving, previous = by_la
    con.execute("alter table marts.kpi_values add column note varchar default 'new'")
    con.execute("drop table reference.targets")
    publish_snapshot(con, serving, previous, "run-2", las=["851"], built_through=2)
    with duckdb.connect(str(serving), read_only=True) as snap:
        assert snap.execute("select distinct note from marts.kpi_values").fetchall() == [("new",)]
        assert snap.execute(
            "select count(*) from duckdb_tables() where table_name = 'targets'"
        ).fetchone() == (0,)


def test_a_failed_refresh_publish_leaves_the_snapshot_untouched(by_la):
    con, serving, previous = by_la
    before = serving.read_bytes()
    con.execute("create view marts.broken as select * from marts.kpi_values")
    con.execute("drop table marts.kpi_values")
    with pytest.raises(duckdb.Error):
        publish_snapshot(con, serving, previous, "run-2", las=["851"], built_through=2)
    assert serving.read_bytes() == before
    assert not list(serving.parent.glob(".*.tmp"))


def test_a_publish_with_no_la_rebuilt_keeps_the_rows_and_renews_the_bookkeeping(by_la):
    con, serving, previous = by_la
    con.execute("update marts.kpi_values set version = 'v2'")
    result = publish_snapshot(con, serving, previous, "run-2", las=[], built_through=1)
    assert {v for _, v, _ in kpis(serving)} == {"v1"}
    assert result.las == ()
    with duckdb.connect(str(serving), read_only=True) as snap:
        assert snap.execute("select run_id from meta.publish_info").fetchone() == ("run-2",)
