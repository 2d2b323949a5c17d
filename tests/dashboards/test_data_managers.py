"""The data functions of the managers' pages against the hand-made snapshot (conftest and
manager_fixture)."""

from __future__ import annotations

import datetime as dt

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


def test_district_table_lists_the_las_districts_without_the_total(use_snapshot):
    frame = data.district_table("850").set_index("district")
    assert list(frame.index) == ["Basingstoke and Deane", "County", "Unallocated", "Winchester"]
    assert frame.loc["Winchester", "teams"] == 2
    assert frame.loc["Basingstoke and Deane", "population_0_17"] == 40000
    assert list(data.district_table("851")["district"]) == ["North", "South", "Unallocated"]


def test_district_comparison_takes_each_kpi_at_its_headline_split_and_latest_period(
    use_snapshot,
):
    frame = data.district_comparison("850")
    assert set(frame["district"]) == {
        "ALL",
        "Basingstoke and Deane",
        "Winchester",
        "County",
        "Unallocated",
    }
    assert len(frame) == 10 * 5  # every KPI, every district, one period each
    offered = frame[frame["kpi_id"] == "rhi_offered_pct"].set_index("district")
    assert offered.loc["Winchester", "value"] == 50.0  # 5/10 in February (to the 14th)
    assert (offered["period_end"] == pd.Timestamp(2025, 2, 14)).all()
    eet = frame[frame["kpi_id"] == "cl_eet_pct"]
    assert set(eet["breakdown"]) == {"17-21"} and set(eet["period_type"]) == {"year"}


def test_district_comparison_at_an_earlier_month_takes_the_last_period_ended_by_then(
    use_snapshot,
):
    frame = data.district_comparison("850", dt.date(2025, 1, 31))
    winchester = frame[frame["district"] == "Winchester"].set_index("kpi_id")
    # January 2025: 10 + (12 + 2) % 6 = 12 of 20
    assert winchester.loc["rhi_offered_pct", "value"] == 60.0
    # the year 2024-25 has not ended by 31 Jan: the last ended year is 2023-24 (55 of 100)
    assert winchester.loc["cl_eet_pct", "period_end"] == pd.Timestamp(2024, 3, 31)
    assert winchester.loc["cl_eet_pct", "value"] == 55.0
    # the autumn term ended on 31 Dec 2024
    assert winchester.loc["pep_in_term_pct", "period_end"] == pd.Timestamp(2024, 12, 31)


def test_caseloads_are_the_workers_in_post_on_the_date_by_team(use_snapshot):
    frame = data.caseloads("850", dt.date(2025, 2, 14), "Winchester")
    assert list(frame["sw_id"]) == ["SW10", "SW12", "SW13", "SW15", "SW14"]
    assert int(frame["cases"].sum()) == 43
    january = data.caseloads("850", dt.date(2025, 1, 31), "Winchester")
    assert list(zip(january["sw_id"], january["cases"], strict=True)) == [
        ("SW10", 16),
        ("SW12", 10),
    ]
    assert len(data.caseloads("850", dt.date(2025, 2, 14))) == 7  # every district
    assert data.caseloads("850", dt.date(2024, 6, 30), "Winchester").empty


def test_action_lists_come_in_their_order_for_the_whole_la(use_snapshot):
    assert list(data.action_list("rhi", "850")["child"]) == ["C001", "C002"]  # 13, 9 days
    assert list(data.action_list("cla_unallocated", "850")["child"]) == ["C006", "C005"]
    # care leavers by reason: not_in_touch before not_in_touch_and_neet
    assert list(data.action_list("care_leavers", "850")["child"]) == ["L002", "L001"]
    assert data.action_list("pep", "850").empty  # 850 did not supply PEPs
    assert list(data.action_list("pep", "851")["child"]) == ["P002"]


def test_a_child_has_events_oldest_first_and_a_profile(use_snapshot):
    events = data.child_events("850", "C001")
    assert len(events) == 11
    assert list(events["start_date"])[:3] == [pd.Timestamp(2023, 6, 1)] * 3
    assert list(events["event_type"])[:3] == ["allocation", "period_of_care", "placement"]
    profile = data.child_profile("850", "C001")
    assert (profile["district"], profile["sw_id"], profile["team_name"]) == (
        "Winchester",
        "SW10",
        "Winchester CIC",
    )
    assert data.child_profile("851", "C001") is None
    assert data.child_events("851", "C001").empty
    assert data.child_las("P001") == ["851"] and data.child_las("nobody") == []


def test_child_ids_are_parameters_not_sql(use_snapshot):
    assert data.child_events("850", "C001' or '1'='1").empty


def test_a_snapshot_without_the_managers_tables_gives_empty_frames(tmp_path):
    path = tmp_path / "serving.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.kpi_values (la_code varchar)")
    with data.use_snapshot(path):
        assert data.district_table("850").empty
        assert data.caseloads("850", dt.date(2025, 2, 14)).empty
        assert data.action_list("rhi", "850") is None
        assert data.child_events("850", "C001").empty
        assert data.child_profile("850", "C001") is None
        assert data.child_las("C001") == []
