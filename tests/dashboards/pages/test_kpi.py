"""/kpi/<kpi_id>: trend, districts side by side, figures by period, definition."""

from __future__ import annotations

import pandas as pd
from dash_helpers import find_by_id, text_of

from dashboards import ids
from dashboards.views import kpi

DISTRICTS_GRID = ids.grid(ids.KPI_RANKING_TABLE)
PERIODS_GRID = ids.grid(ids.KPI_PERIOD_TABLE)


def test_the_kpi_page_shows_latest_trend_districts_and_definition(callbacks):
    page = callbacks.route("/kpi/rhi_offered_pct", "?la=850")
    text = text_of(page)
    assert "RHI offered" in text and "Latest — all districts 90.0%" in text
    assert "England: not published" in text
    assert "Districts side by side — Feb 2025 (to 14 Feb 2025)" in text
    assert "Numerator numerator of rhi_offered_pct" in text and "higher is better" in text
    trend = find_by_id(page, ids.KPI_TREND)["props"]["figure"]
    assert any(s.get("type") == "rect" for s in trend["layout"]["shapes"])  # target band
    ranking = find_by_id(page, ids.KPI_RANKING)["props"]["figure"]
    assert ranking["data"][0]["y"][-1] == "Basingstoke and Deane"  # best on top
    districts = find_by_id(page, DISTRICTS_GRID)["props"]["rowData"]
    assert districts[0]["district"] == "All districts"
    periods = find_by_id(page, PERIODS_GRID)["props"]["rowData"]
    assert periods[0]["period"] == "Feb 2025 (to 14 Feb 2025)" and len(periods) == 14


def test_the_kpi_page_draws_published_comparators_on_the_trend(callbacks):
    page = callbacks.route("/kpi/rhi_within_72h_pct", "")
    trend = find_by_id(page, ids.KPI_TREND)["props"]["figure"]
    assert "England (2024) 63.0%" in [a["text"] for a in trend["layout"]["annotations"]]
    assert "no cases" in text_of(page)


def test_care_leaver_kpis_default_to_the_17_21_group_by_collection_year(callbacks):
    page = callbacks.route("/kpi/cl_eet_pct", "?breakdown=20-25")
    assert find_by_id(page, ids.KPI_BREAKDOWN)["props"]["value"] == "17-21"
    messages = text_of(find_by_id(page, ids.KPI_MESSAGES))
    assert "Unknown breakdown “20-25”: showing Aged 17–21 instead." in messages
    periods = find_by_id(page, PERIODS_GRID)["props"]["rowData"]
    assert [p["period"] for p in periods] == ["2024-25 (to 14 Feb 2025)", "2023-24"]


def test_an_unknown_kpi_says_so_and_points_to_the_dictionary(callbacks):
    text = text_of(callbacks.route("/kpi/not_a_kpi", ""))
    assert "There is no KPI called “not_a_kpi”" in text and "KPI dictionary" in text


def test_changing_the_breakdown_updates_the_content_and_the_url(callbacks):
    response = callbacks.call(
        [
            (ids.KPI_MESSAGES, "children"),
            (ids.KPI_CONTENT, "children"),
            (ids.KPI_URL, "search"),
            (ids.KPI_DISTRICT, "value"),
            (ids.KPI_BREAKDOWN, "value"),
        ],
        [
            (ids.KPI_DISTRICT, "value", "ALL"),
            (ids.KPI_BREAKDOWN, "value", "care"),
            (ids.KPI_URL, "search", ""),
        ],
        state=[(ids.KPI_LA, "data", "850"), (ids.KPI_ID, "data", "rhi_offered_pct")],
        changed=[(ids.KPI_BREAKDOWN, "value")],
    )
    out = response.get_json()["response"]
    assert out[ids.KPI_URL]["search"] == "?la=850&district=ALL&breakdown=care"
    assert "Latest — all districts 80.0% Feb 2025 (to 14 Feb 2025) 12 of 15" in text_of(
        out[ids.KPI_CONTENT]["children"]
    )


def test_a_comparator_published_for_one_age_group_shows_only_there(callbacks):
    headline = text_of(callbacks.route("/kpi/cl_eet_pct", ""))
    assert "England: not published" in headline
    nineteen = text_of(callbacks.route("/kpi/cl_eet_pct", "?breakdown=19-21"))
    assert "England: 52.0% (2022)" in nineteen
    assert "Breakdowns Aged 17–18, Aged 19–21, Aged 17–21" in nineteen


def test_the_browser_tab_is_titled_with_the_kpis_name(callbacks):
    response = callbacks.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [
            ("_pages_location", "pathname", "/kpi/rhi_offered_pct"),
            ("_pages_location", "search", ""),
        ],
    )
    assert response.get_json()["response"]["_pages_store"]["data"] == {"title": "RHI offered"}


def test_a_rate_with_no_population_is_explained_under_the_districts_table():
    """cla_rate_per_10k of County and Unallocated: counted, no rate, said why (issue 14)."""
    by_district = pd.DataFrame(
        {
            "district": ["ALL", "Havant", "County", "Unallocated"],
            "status": ["ok", "ok", "no_population", "no_population"],
        }
    )
    notes = text_of([p.to_plotly_json() for p in kpi.status_notes(by_district)])
    assert notes.startswith("No population (not a place): County and Unallocated have no")
    assert "Their children are counted" in notes
    assert kpi.status_notes(by_district[by_district["status"] == "ok"]) == []
