"""/actions/rhi — the managers' action list (child-level)."""

from __future__ import annotations

from dash_helpers import find_by_id, text_of

from dashboards import ids

GRID_KEY = '{"index":"rhi-action-list","type":"grid"}'


def test_the_action_list_shows_the_las_waiting_episodes(callbacks):
    page = callbacks.route("/actions/rhi", "?la=850")
    rows = find_by_id(page, ids.grid(ids.ACTIONS_TABLE))["props"]["rowData"]
    # each child links to their timeline (a Markdown link AG Grid renders)
    assert [r["child"] for r in rows] == [
        "[C001](/child/C001?la=850)",
        "[C002](/child/C002?la=850)",
    ]
    assert "la_code" not in rows[0] and rows[0]["team_name"] == "Winchester CIC"
    assert "Child-level information for team managers" in text_of(page)


def test_the_district_filter_narrows_the_list_and_updates_the_url(callbacks):
    response = callbacks.call(
        [
            (ids.ACTIONS_MESSAGES, "children"),
            (ids.ACTIONS_CONTENT, "children"),
            (ids.ACTIONS_URL, "search"),
            (ids.ACTIONS_DISTRICT, "value"),
        ],
        [(ids.ACTIONS_DISTRICT, "value", "Winchester"), (ids.ACTIONS_URL, "search", "")],
        state=[(ids.ACTIONS_LA, "data", "850")],
    )
    out = response.get_json()["response"]
    assert out[ids.ACTIONS_URL]["search"] == "?la=850&district=Winchester"
    grid = find_by_id(out[ids.ACTIONS_CONTENT]["children"], ids.grid(ids.ACTIONS_TABLE))
    assert [r["child"] for r in grid["props"]["rowData"]] == ["[C001](/child/C001?la=850)"]
