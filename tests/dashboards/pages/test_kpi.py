"""/kpi/<kpi_id>: trend, districts side by side, figures by period, definition."""

from __future__ import annotations

import pandas as pd
import pytest
from auth_helpers import signed_in
from dash_helpers import DashCallbacks, find_by_id, text_of

from dashboards import ids, intervals
from dashboards.views import kpi

DISTRICTS_GRID = ids.grid(ids.KPI_RANKING_TABLE)
PERIODS_GRID = ids.grid(ids.KPI_PERIOD_TABLE)


def test_the_kpi_page_shows_latest_trend_districts_and_definition(callbacks):
    page = callbacks.route("/kpi/rhi_offered_pct", "?la=850")
    text = text_of(page)
    assert "RHI offered" in text and "Latest — all districts 90.0%" in text
    assert "England: not published" in text
    assert "Districts compared with the LA — Feb 2025 (to 14 Feb 2025)" in text
    assert "Numerator numerator of rhi_offered_pct" in text and "higher is better" in text
    trend = find_by_id(page, ids.KPI_TREND)["props"]["figure"]
    assert any(s.get("type") == "rect" for s in trend["layout"]["shapes"])  # target band
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


def test_the_trend_is_an_spc_chart_with_its_baseline_and_icons(callbacks):
    """rhi_offered_pct, complete months Jan 2024 to Jan 2025: 50, 80, 60, 65, 70, 75, 50,
    55, 60, 65, 70, 75, 85 % (Feb 2025 is partial, not judged). Mean 860 / 13 = 66.15;
    Jul 2024 to Jan 2025 rise seven months in a row: a trend, special cause improving."""
    page = callbacks.route("/kpi/rhi_offered_pct", "?la=850")
    trend = find_by_id(page, ids.KPI_TREND)["props"]["figure"]
    by_name = {trace.get("name"): trace for trace in trend["data"]}
    assert by_name["Mean"]["y"][0] == pytest.approx(860 / 13)
    special = by_name["Special cause: improving"]
    assert special["y"] == pytest.approx([50, 55, 60, 65, 70, 75, 85])  # Jul 2024 to Jan 2025
    text = text_of(page)
    assert "Mean and process limits from all 13 months, Jan 2024 to Jan 2025" in text
    assert "Direction of travel: improving." in text
    assert "the latest, partial period is shown but not judged" in text
    assert "since the previous period" not in text  # no two-point verdicts


def test_districts_show_intervals_and_significance_not_ranks(callbacks):
    """Feb 2025, against the LA's 18/20 = 90 %: Winchester 5/10 (Wilson 23.7 % to 76.3 %)
    is significantly worse; Basingstoke and Deane 9/10 (59.6 % to 98.2 %) is similar."""
    page = callbacks.route("/kpi/rhi_offered_pct", "?la=850")
    rows = {
        r["district"].split("](")[0].lstrip("["): r
        for r in find_by_id(page, DISTRICTS_GRID)["props"]["rowData"]
    }
    assert rows["Winchester"]["ci"] == "23.7% to 76.3%"
    assert rows["Winchester"]["compared"] == "significantly worse than the LA"
    assert rows["Basingstoke and Deane"]["compared"] == "similar to the LA"
    assert rows["All districts"]["ci"] == "69.9% to 97.2%"  # 18/20
    chart = find_by_id(page, ids.KPI_RANKING)["props"]["figure"]
    groups = {trace["name"]: trace["y"] for trace in chart["data"]}
    assert set(groups["Significantly worse than the LA"]) == {"Winchester", "County", "Unallocated"}
    assert groups["Similar to the LA"] == ["Basingstoke and Deane"]
    text = text_of(page)
    assert "best" not in text.lower() and "worst" not in text.lower()


def test_small_numbers_are_marked_and_not_compared(callbacks, monkeypatch):
    monkeypatch.setenv("CSC_SMALL_NUMBERS", "11")  # the districts of 10 cases become small
    page = callbacks.route("/kpi/rhi_offered_pct", "?la=850")
    rows = {
        r["district"].split("](")[0].lstrip("["): r
        for r in find_by_id(page, DISTRICTS_GRID)["props"]["rowData"]
    }
    assert rows["Winchester"]["compared"] == "small numbers: not compared (fewer than 11 cases)"
    assert rows["County"]["compared"] == "significantly worse than the LA"  # 20 cases
    chart = find_by_id(page, ids.KPI_RANKING)["props"]["figure"]
    groups = {trace["name"]: trace["y"] for trace in chart["data"]}
    assert set(groups["Not compared (small numbers or a count)"]) == {
        "Winchester",
        "Basingstoke and Deane",
    }


def test_the_districts_can_be_drawn_as_a_funnel_plot(callbacks):
    state = {"la": "850", "kpi_id": "rhi_offered_pct", "breakdown": "all", "period_type": "month"}
    response = callbacks.call(
        [(ids.KPI_RANKING, "figure")],
        [(ids.KPI_DISTRICT_CHART, "value", "funnel")],
        state=[(ids.KPI_DISTRICT_CHART_STATE, "data", state)],
    )
    figure = response.get_json()["response"][ids.KPI_RANKING]["figure"]
    names = [trace["name"] for trace in figure["data"]]
    assert "95% limits" in names and "99.8% limits" in names and "LA 90.0%" in names
    upper = next(t for t in figure["data"] if t["name"] == "95% limits" and t["showlegend"])
    # at 10 cases the upper 95% limit around 90% is where Wilson's lower bound reaches 90%
    at_ten = upper["x"].index(10.0)
    assert upper["y"][at_ten] == pytest.approx(100 * intervals.proportion_funnel(0.9, 10)[1])
    winchester = next(t for t in figure["data"] if "Winchester" in (t.get("text") or []))
    assert winchester["x"][winchester["text"].index("Winchester")] == 10.0


def test_the_board_sees_districts_disclosure_controlled_never_compared(app):
    """As the board: Winchester's 5 of 10 (Feb 2025) is a small count, so its figure is
    "fewer than 6" and it has no interval and no verdict; secondary suppression hides the
    next smallest cell of the LA's districts so it cannot be worked out. The funnel plot
    (a callback of its own, reading through ``data``) leaves the same districts out."""
    board = DashCallbacks(signed_in(app, "board"))
    page = board.route("/kpi/rhi_offered_pct", "?la=850")
    rows = {
        r["district"].split("](")[0].lstrip("["): r
        for r in find_by_id(page, DISTRICTS_GRID)["props"]["rowData"]
    }
    hidden = {d for d, r in rows.items() if r["compared"] == intervals.SUPPRESSED_TEXT}
    assert "Winchester" in hidden and len(hidden) >= 2  # primary and secondary
    for name in hidden:
        assert rows[name]["ci"] == ""
    chart = find_by_id(page, ids.KPI_RANKING)["props"]["figure"]
    charted = {y for trace in chart["data"] for y in (trace.get("y") or []) if isinstance(y, str)}
    assert not hidden & charted
    state = {"la": "850", "kpi_id": "rhi_offered_pct", "breakdown": "all", "period_type": "month"}
    response = board.call(
        [(ids.KPI_RANKING, "figure")],
        [(ids.KPI_DISTRICT_CHART, "value", "funnel")],
        state=[(ids.KPI_DISTRICT_CHART_STATE, "data", state)],
    )
    funnel = response.get_json()["response"][ids.KPI_RANKING]["figure"]
    points = {t for trace in funnel["data"] for t in (trace.get("text") or [])}
    assert "Winchester" not in points
    # a board member of another LA forging the funnel's state gets nothing of LA 850
    other = DashCallbacks(signed_in(app, "board-851"))
    forged = other.call(
        [(ids.KPI_RANKING, "figure")],
        [(ids.KPI_DISTRICT_CHART, "value", "funnel")],
        state=[(ids.KPI_DISTRICT_CHART_STATE, "data", state)],
    )
    assert forged.status_code == 403
