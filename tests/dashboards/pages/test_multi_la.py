"""Every page on a snapshot of two LAs: the LA comes from ``?la=``, each page shows that
LA's own data, and an unknown LA falls back to the first with a message."""

from __future__ import annotations

import pytest
from dash_helpers import find_by_id, text_of

from dashboards import ids

PAGES = [
    "/",
    "/missing",
    "/kpi/rhi_offered_pct",
    "/dictionary",
    "/actions/rhi",
    "/district",
    "/district/North",
    "/child/P001",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_the_second_la(callbacks, path):
    text = text_of(callbacks.route(path, "?la=851"))
    assert "Traceback" not in text and "not found" not in text.lower()
    assert "is not available to you" not in text


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/dictionary"])
def test_every_page_says_when_the_la_is_unknown(callbacks, path):
    text = text_of(callbacks.route(path, "?la=999"))
    assert (
        "LA “999” is not available to you (not in your scope, or not published): showing LA 850 instead."
        in text
    ), path


def test_the_second_las_pages_show_its_own_districts(callbacks):
    districts = find_by_id(callbacks.route("/district", "?la=851"), ids.DISTRICTS_TABLE)
    rows = [
        text_of(tr).split(" ")[0] for tr in districts["props"]["children"][2]["props"]["children"]
    ]
    assert rows == ["North", "South", "Unallocated"]
    kpi = callbacks.route("/kpi/rhi_offered_pct", "?la=851")
    district_select = find_by_id(kpi, ids.KPI_DISTRICT)["props"]["options"]
    assert [o["value"] for o in district_select] == ["ALL", "North", "South"]
    actions = find_by_id(callbacks.route("/actions/rhi", "?la=851"), ids.grid(ids.ACTIONS_TABLE))
    assert [r["child"] for r in actions["props"]["rowData"]] == ["[P001](/child/P001?la=851)"]


def test_the_navbar_offers_the_districts_page_and_both_las(client):
    layout = client.get("/_dash-layout").get_json()
    assert find_by_id(layout, ids.nav_link("/district"))["props"]["children"] == "Districts"
    select = find_by_id(layout, ids.LA_SELECT)["props"]
    assert [o["value"] for o in select["options"]] == ["850", "851"]
