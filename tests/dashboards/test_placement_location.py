"""Placement location (kpis.md F) on the dashboard: the reads, the chart of where children
are placed, "location not known" beside the figure, and the district's table."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import plotly
import pytest
from auth_helpers import principal
from dash_helpers import text_of

from dashboards import data, location_figures
from dashboards.auth import acting_as
from dashboards.auth.errors import NotAllowed
from dashboards.views import placement_locations

D = dt.date
END = D(2026, 11, 30)


def words(components) -> str:
    """Text of Dash components (nested ones too), as a page would show it."""
    return text_of(json.loads(json.dumps(components, cls=plotly.utils.PlotlyJSONEncoder)))


def total(bands) -> int:
    """The bands' "all" cell (every direction, every band)."""
    cell = bands[(bands["direction"] == "ALL") & (bands["distance_band"] == "ALL")]
    return int(cell["children"].iloc[0])


@pytest.fixture
def snapshot(tmp_path):
    """A snapshot with the three placement-location tables, written by hand."""
    path = tmp_path / "serving.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.mart_placement_distance_bands (la_code varchar, district varchar, "
        "period_start date, period_end date, direction varchar, distance_band varchar, "
        "children bigint)"
    )
    bands = [
        ("ALL", "N", "over 50 miles", 3),
        ("ALL", "SE", "10-20 miles", 2),
        ("ALL", "W", "up to 5 miles", 1),
        ("ALL", "same_place", "up to 5 miles", 1),
        ("Havant", "SE", "10-20 miles", 2),
    ]
    con.executemany(
        "insert into marts.mart_placement_distance_bands values ('850', ?, date '2026-11-01', "
        "date '2026-11-30', ?, ?, ?)",
        bands,
    )
    con.execute(
        "create table marts.fct_placement_locations as select * from (values "
        "('850', 'C1', date '2025-01-01', 'U4', 'PO12AL', 'Portsmouth', true, 15.7646, false, "
        "'known', 'known', 'SW1', true, 'Havant'), "
        "('850', 'C2', date '2026-02-01', 'K2', 'S12HH', 'Sheffield', true, 170.92, true, "
        "'known', 'known', 'SW2', true, 'Havant'), "
        "('850', 'C3', date '2026-03-01', 'U6', null, null, null, null, null, "
        "'pl_post_blank', 'pl_post_blank', 'SW1', true, 'Havant'), "
        "('850', 'C4', date '2020-03-01', 'U6', 'SO238UJ', 'Hampshire', false, 3.2, false, "
        "'known', 'known', 'SW3', true, 'Gosport'), "
        "('850', 'C5', date '2019-03-01', 'U6', 'SO238UJ', 'Hampshire', false, 3.2, false, "
        "'known', 'known', 'SW3', false, null)) "
        "as t (la_code, child, placement_start, place, pl_postcode, pl_upper_tier_name, "
        "is_outside_la, distance_miles, is_over_20_miles, outside_status, distance_status, "
        "sw_id_at_as_at, is_current_at_as_at, district_at_as_at)"
    )
    con.execute(
        "create table marts.kpi_values (la_code varchar, district varchar, breakdown varchar, "
        "period_type varchar, period_start date, period_end date, is_partial boolean, "
        "kpi_id varchar, numerator double, denominator double, value double, status varchar)"
    )
    con.execute(
        "insert into marts.kpi_values values ('850', 'ALL', 'all', 'month', date '2026-11-01', "
        "date '2026-11-30', false, 'placed_location_not_known', 12, null, 12, 'ok')"
    )
    con.close()
    data.clear_cache()
    with data.use_snapshot(path), acting_as(principal("analyst")):
        yield path
    data.clear_cache()


def test_the_bands_are_read_for_one_district_and_date(snapshot):
    bands = data.placement_distance_bands("850", "ALL", END)
    assert list(bands.columns) == data.DISTANCE_BAND_COLUMNS
    assert total(bands) == 7
    cells = bands[(bands["direction"] != "ALL") & (bands["distance_band"] != "ALL")]
    assert int(cells[cells["distance_band"] != "over 20 miles"]["children"].sum()) == 7
    assert data.placement_distance_bands("850", "ALL", D(2026, 10, 31)).empty


def test_the_rose_stacks_children_by_direction_and_band(snapshot):
    bands = data.placement_distance_bands("850", "ALL", END)
    fig = location_figures.rose_figure(bands).to_plotly_json()
    traces = {t["name"]: t for t in fig["data"]}
    assert list(traces) == list(location_figures.BANDS)
    assert traces["over 50 miles"]["r"] == [3, 0, 0, 0, 0, 0, 0, 0]  # N
    assert traces["10-20 miles"]["r"] == [0, 0, 0, 2, 0, 0, 0, 0]  # SE
    assert fig["layout"]["polar"]["angularaxis"]["direction"] == "clockwise"
    text = location_figures.describe_rose(bands, "all districts")
    assert text.startswith("Where the 7 children in all districts with both postcodes known")
    assert "3 more than 20 miles away" in text and "most often to the north (3)" in text
    assert "1 at their home postcode" in text
    rows = {r["band"]: r for r in location_figures.band_rows(bands)}
    assert rows["up to 5 miles"] == {
        "band": "up to 5 miles", "N": 0, "NE": 0, "E": 0, "SE": 0, "S": 0, "SW": 0,
        "W": 1, "NW": 0, "same_place": 1, "total": 2,
    }  # fmt: skip


def test_no_known_postcodes_draw_a_chart_that_says_so():
    empty = pd.DataFrame(columns=data.DISTANCE_BAND_COLUMNS)
    fig = location_figures.rose_figure(empty).to_plotly_json()
    assert fig["data"] == [] and "No child has both" in fig["layout"]["annotations"][0]["text"]


def test_location_not_known_is_said_beside_the_figure(snapshot):
    latest = {"period_end": pd.Timestamp(END)}
    note = words(placement_locations.not_known_note("850", "placed_outside_la_pct", "ALL", latest))
    assert note.startswith("Location not known: 12 children (blank, a placeholder")
    assert placement_locations.not_known_note("850", "cla_count", "ALL", latest) == []


def test_the_board_is_told_a_small_number_of_locations_is_not_known_not_the_number(snapshot):
    with duckdb.connect(str(snapshot)) as con:
        con.execute("update marts.kpi_values set numerator = 4, value = 4")
    data.clear_cache()
    latest = {"period_end": pd.Timestamp(END)}
    with _as("board", ["board"]):
        note = words(
            placement_locations.not_known_note("850", "placed_outside_la_pct", "ALL", latest)
        )
    assert note.startswith("Location not known: fewer than 6 children (")
    note = words(placement_locations.not_known_note("850", "placed_outside_la_pct", "ALL", latest))
    assert note.startswith("Location not known: 4 children (")


def test_the_district_lists_where_its_children_live_farthest_first(snapshot):
    frame = data.placement_locations("850", "Havant")
    assert list(frame["child"]) == ["C2", "C1", "C3"]  # not C4 (Gosport), not C5 (not now)
    rows = placement_locations.rows(frame, "850")
    assert rows[0]["child"] == "[C2](/child/C2?la=850)"
    assert (rows[0]["placed_in"], rows[0]["inside"], rows[0]["miles"]) == ("Sheffield", "no", 170.9)
    assert rows[2]["placed_in"] == "" and rows[2]["not_known"] == "no placement postcode"
    section = words(placement_locations.section("850", "Havant"))
    assert "3 children looked after on the latest extract date" in section
    assert "1 placed more than 20 miles from home" in section


def _as(name, roles, las=("850",), districts=None):
    from dashboards.auth import roles as r

    return acting_as(r.user(name, roles, las, districts))


def test_a_manager_gets_the_children_of_their_districts_only(snapshot):
    with _as("havant", ["manager"], districts=["Havant"]):
        assert list(data.placement_locations("850")["child"]) == ["C2", "C1", "C3"]
        assert list(data.placement_locations("850", "Havant")["child"]) == ["C2", "C1", "C3"]
        with pytest.raises(NotAllowed, match="Gosport is not in your scope"):
            data.placement_locations("850", "Gosport")
        with pytest.raises(NotAllowed):
            data.placement_locations("851")
    with _as("gosport", ["manager"], districts=["Gosport"]):
        assert list(data.placement_locations("850")["child"]) == ["C4"]
    with _as("nobody", ["manager"], districts=[]):
        assert data.placement_locations("850").empty


@pytest.mark.parametrize("role", ["board", "engineer", "admin"])
def test_roles_without_child_level_access_get_no_placement_rows(snapshot, role):
    with _as(role, [role]), pytest.raises(NotAllowed):
        data.placement_locations("850", "Havant")


def test_the_board_sees_the_bands_disclosure_controlled(snapshot):
    with _as("board", ["board"]):
        bands = data.placement_distance_bands("850", "ALL", END)
        shown = bands[bands["shown_as"] == ""]
        assert not ((shown["children"] >= 1) & (shown["children"] <= 5)).any()
        small = bands[(bands["direction"] == "N") & (bands["distance_band"] == "over 50 miles")]
        assert small["children"].isna().all() and list(small["shown_as"]) == ["fewer than 6"]
        section = words(placement_locations.kpi_section(
            "850", "placed_20_miles_pct", "ALL", "all districts",
            {"period_end": END, "period_type": "month", "period_start": D(2026, 11, 1),
             "is_partial": False},
        ))  # fmt: skip
        assert "3 more than 20 miles" not in section
    analyst = data.placement_distance_bands("850", "ALL", END)
    assert total(analyst) == 7 and (analyst["shown_as"] == "").all()
