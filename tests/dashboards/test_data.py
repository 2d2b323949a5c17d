"""The data module against the hand-made snapshot (see conftest)."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import duckdb
import pandas as pd
import pytest
from auth_helpers import principal

from dashboards import data
from dashboards.auth import acting_as


@pytest.fixture(autouse=True)
def as_the_analyst():
    """These tests are about reading files: they read as the analyst, who may read
    everything (who may read what: test_scope.py)."""
    with acting_as(principal("analyst")):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def test_las_and_districts_are_listed_with_county_and_unallocated_last(use_snapshot):
    assert data.las() == ["850", "851"]
    assert data.districts("850") == ["Basingstoke and Deane", "Winchester", "County", "Unallocated"]
    assert data.districts("851") == ["North", "South"]


def test_periods_end_with_the_partial_month_measured_at_the_extract_date(use_snapshot):
    periods = data.periods("850")
    assert len(periods) == 14
    last = periods.iloc[-1]
    assert (last["period_end"].date(), bool(last["is_partial"])) == (dt.date(2025, 2, 14), True)
    assert not periods.iloc[:-1]["is_partial"].any()


def test_kpi_values_filter_by_district_breakdown_and_period(use_snapshot):
    frame = data.kpi_values(
        "850", ["rhi_offered_pct", "rhi_accepted_pct"], "Winchester", "all", "month",
        start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28),
    )  # fmt: skip
    assert len(frame) == 4
    latest = frame[(frame["kpi_id"] == "rhi_offered_pct") & frame["is_partial"]].iloc[0]
    assert (latest["numerator"], latest["denominator"], latest["value"]) == (5, 10, 50.0)
    accepted = frame[(frame["kpi_id"] == "rhi_accepted_pct") & frame["is_partial"]].iloc[0]
    assert accepted["status"] == "no_cases" and pd.isna(accepted["value"])


def test_queries_are_parameterised(use_snapshot):
    assert data.kpi_series("850", "rhi_offered_pct", "x' or '1'='1").empty


def test_headline_series_uses_each_kpis_headline_breakdown_and_frequency(use_snapshot):
    headline = data.headline_series("850")
    picked = headline.groupby("kpi_id")[["breakdown", "period_type"]].first()
    assert tuple(picked.loc["cl_eet_pct"]) == ("17-21", "year")
    assert tuple(picked.loc["pep_in_term_pct"]) == ("all", "term")
    assert tuple(picked.loc["rhi_offered_pct"]) == ("all", "month")
    assert len(headline[headline["kpi_id"] == "rhi_offered_pct"]) == 14


def test_latest_values_give_one_row_per_kpi(use_snapshot):
    latest = data.latest_values("850").set_index("kpi_id")
    assert len(latest) == 10
    assert latest.loc["rhi_offered_pct", "value"] == 90.0
    assert latest.loc["cl_eet_pct", "value"] == 62.0
    assert latest.loc["pep_in_term_pct", "status"] == "not_supplied"


def test_district_latest_lists_every_district_at_the_latest_period(use_snapshot):
    frame = data.district_latest("850", "rhi_offered_pct", "all", "month").set_index("district")
    assert set(frame.index) == {
        "ALL",
        "Basingstoke and Deane",
        "Winchester",
        "County",
        "Unallocated",
    }
    assert (frame["period_end"] == pd.Timestamp("2025-02-14")).all()
    assert frame.loc["Basingstoke and Deane", "value"] == 90.0


def test_targets_and_comparators_follow_the_seed_columns(use_snapshot):
    assert {"kpi_id", "target", "tolerance"} <= set(data.targets().columns)
    comparators = data.comparators()
    assert {"kpi_id", "comparator", "year", "value", "source"} <= set(comparators.columns)
    assert comparators["value"].isna().sum() == 3
    assert "breakdown" in comparators.columns


def test_freshness_gives_the_latest_supplied_extract_and_the_publish_time(use_snapshot):
    info = data.freshness("850")
    assert info["extract_date"] == pd.Timestamp("2025-02-14")
    assert info["published_at"] == pd.Timestamp("2025-02-15 06:30")
    assert data.freshness("851")["extract_date"] == pd.Timestamp("2025-01-31")


def test_rejected_loads_come_from_the_status_file_the_ingest_step_writes(use_snapshot):
    assert data.status_path() == use_snapshot.with_name("status.duckdb")
    assert data.rejected_loads("850").empty  # rejected in January, loaded since
    rejected = data.rejected_loads("851").iloc[0]
    assert rejected["source_file"] == "851/ssda903/2024-25/2025-02-14/episodes.csv"
    assert "required column DECOM is missing [rule FILE-MISSING-COLUMN]" in rejected["message"]
    assert rejected["served_extract_date"] == pd.Timestamp("2025-01-31")
    never_published = data.rejected_loads("852").iloc[0]
    assert "[rule 501]" in never_published["message"]
    assert pd.isna(never_published["served_extract_date"])


def test_without_a_status_file_rejected_loads_come_from_the_snapshot(tmp_path, snapshot):
    shutil.copy(snapshot, tmp_path / "serving.duckdb")
    with data.use_snapshot(tmp_path / "serving.duckdb"):
        assert not data.status_exists() and data.extract_status().empty
        assert data.rejected_loads("850").empty  # rejected in January, loaded since
        rejected = data.rejected_loads("851")
        assert list(rejected["message"]) == ["required column DECOM is missing"]


def test_action_list_is_filtered_by_la_and_district(use_snapshot):
    assert list(data.action_rhi("850")["child"]) == ["C001", "C002"]  # longest wait first
    assert list(data.action_rhi("850", "Winchester")["child"]) == ["C001"]
    assert list(data.action_rhi("851", "ALL")["child"]) == ["P001"]


def test_a_missing_snapshot_raises_no_snapshot(tmp_path):
    with data.use_snapshot(tmp_path / "serving.duckdb"), pytest.raises(data.NoSnapshot) as err:
        data.las()
    assert "make demo" in str(err.value)


def test_tables_not_published_yet_read_as_empty(tmp_path):
    path = tmp_path / "serving.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.kpi_values as select '850' as la_code, 'ALL' as district")
    with data.use_snapshot(path):
        assert data.targets().empty and data.comparators().empty
        assert data.action_rhi("850").empty
        assert data.rejected_loads("850").empty
        assert data.catalogue().empty
        assert data.freshness("850") == {"extract_date": None, "published_at": None, "run_id": None}


def test_one_connection_per_snapshot_version_is_kept_and_closed_when_cleared(tmp_path, snapshot):
    path = tmp_path / "serving.duckdb"
    shutil.copy(snapshot, path)
    with data.use_snapshot(path):
        data.latest_values("850")
        data.clear_cache()  # also what happens to an old version once a new one is read
    # DuckDB refuses a read-write connection while this process holds a read-only one.
    with duckdb.connect(str(path)) as con:
        assert con.execute("select count(*) from marts.kpi_catalogue").fetchone() == (10,)


def test_the_version_read_first_is_read_throughout_a_request(tmp_path, snapshot):
    from dashboards.app import create_app

    path = tmp_path / "serving.duckdb"
    shutil.copy(snapshot, path)
    server = create_app(serving_path=path).server
    newer = tmp_path / ".serving.new"
    shutil.copy(snapshot, newer)
    with duckdb.connect(str(newer)) as con:
        con.execute("update marts.kpi_catalogue set name = 'Renamed' where kpi_id = 'cla_count'")
    with server.test_request_context("/"):
        assert data.catalogue().set_index("kpi_id").loc["cla_count", "name"] != "Renamed"
        os.replace(newer, path)  # published mid-request: this request keeps its version
        assert data.catalogue().set_index("kpi_id").loc["cla_count", "name"] != "Renamed"
    with server.test_request_context("/"):
        assert data.catalogue().set_index("kpi_id").loc["cla_count", "name"] == "Renamed"


def test_a_replaced_snapshot_is_read_on_the_next_call(tmp_path, snapshot):
    path = tmp_path / "serving.duckdb"
    shutil.copy(snapshot, path)
    with data.use_snapshot(path):
        assert data.latest_values("850").set_index("kpi_id").loc["cla_count", "value"] == 1000
        newer = tmp_path / ".serving.new"
        shutil.copy(snapshot, newer)
        with duckdb.connect(str(newer)) as con:
            con.execute(
                "update marts.kpi_values set value = 1001 where la_code = '850' "
                "and kpi_id = 'cla_count' and district = 'ALL' and is_partial"
            )
        os.replace(newer, path)
        assert data.latest_values("850").set_index("kpi_id").loc["cla_count", "value"] == 1001


def test_a_locked_snapshot_is_retried_briefly(use_snapshot, monkeypatch):
    real_connect = duckdb.connect
    calls = []

    def flaky_connect(*args, **kwargs):
        calls.append(args)
        if len(calls) < 3:
            raise duckdb.IOException("Could not set lock on file")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", flaky_connect)
    assert data.las() == ["850", "851"]
    assert len(calls) >= 3


def test_a_replaced_snapshot_is_read_even_while_the_old_one_is_still_open(tmp_path, snapshot):
    path = tmp_path / "serving.duckdb"
    shutil.copy(snapshot, path)
    with data.use_snapshot(path), duckdb.connect(str(path), read_only=True) as slow_reader:
        slow_reader.execute("select 1")  # another request still reading the old file
        newer = tmp_path / ".serving.new"
        shutil.copy(snapshot, newer)
        with duckdb.connect(str(newer)) as con:
            con.execute(
                "update marts.kpi_catalogue set name = 'Renamed' where kpi_id = 'cla_count'"
            )
        os.replace(newer, path)
        names = data.catalogue().set_index("kpi_id")["name"]
        assert names["cla_count"] == "Renamed"


def test_what_was_cached_from_a_replaced_version_is_dropped_when_the_new_one_is_read(
    tmp_path, snapshot
):
    path = tmp_path / "serving.duckdb"
    shutil.copy(snapshot, path)
    other = tmp_path / "other.duckdb"
    shutil.copy(snapshot, other)

    def cached_versions() -> set[tuple]:
        return {k[1] if k[0] == "memo" else k[0] for k in data._cache}

    data.clear_cache()
    with data.use_snapshot(other):
        data.las()  # another file's cache entries stay
        other_version = data.snapshot_version()
    with data.use_snapshot(path):
        data.latest_values("850")
        data.districts("850")
        old = data.snapshot_version()
        assert cached_versions() == {old, other_version}
        newer = tmp_path / ".serving.new"
        shutil.copy(snapshot, newer)
        os.replace(newer, path)
        data.latest_values("850")
        new = data.snapshot_version()
    assert new != old
    assert cached_versions() == {new, other_version}
