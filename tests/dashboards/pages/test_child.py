"""/child/<child_id> — one child's timeline (managers only)."""

from __future__ import annotations

from auth_helpers import sign_in
from dash_helpers import DashCallbacks, find_by_id, text_of

from dashboards import ids


def rows_of(tree, event_type):
    grid = find_by_id(tree, ids.grid(ids.CHILD_TABLES[event_type]))
    return None if grid is None else grid["props"]["rowData"]


def test_the_child_page_puts_every_event_on_one_timeline(callbacks):
    page = callbacks.route("/child/C001", "?la=850")
    text = text_of(page)
    assert "Child C001" in text and "Personal information for practitioners" in text
    assert "Looked after on 14 Feb 2025 Yes, since 1 Jun 2023" in text
    assert "Worker SW10 (Winchester CIC)" in text and "Age on 14 Feb 2025 11" in text
    figure = find_by_id(page, ids.CHILD_TIMELINE)["props"]["figure"]
    lanes = {t["name"]: t for t in figure["data"]}
    assert list(lanes) == [
        "Periods of care",
        "Placements",
        "Allocations",
        "Missing episodes",
        "Return interviews",
        "PEPs",
        "Reviews",
    ]
    # the open placement U5 runs from 15 Aug 2024 to the date of the data, 14 Feb 2025
    assert lanes["Placements"]["base"] == ["2023-06-01", "2024-08-15"]
    assert lanes["Placements"]["x"][1] == 183 * 86_400_000
    assert lanes["Missing episodes"]["x"] == ["2024-11-02T00:00:00", "2025-01-30T00:00:00"]


def test_the_timeline_is_described_for_screen_readers(callbacks):
    page = callbacks.route("/child/C001", "?la=850")

    def labels(tree):
        if isinstance(tree, list):
            for item in tree:
                yield from labels(item)
        elif isinstance(tree, dict):
            props = tree.get("props", {})
            if "aria-label" in props:
                yield props["aria-label"]
            for value in props.values():
                yield from labels(value)

    assert (
        "Timeline of child C001 from 1 Jun 2023 to 14 Feb 2025: 1 period of care, 2 placements, "
        "2 allocations, 2 missing episodes, 2 return interview records, 1 PEP and 1 review. "
        "The tables below list every event."
    ) in list(labels(page))


def test_the_same_facts_are_in_tables_below_the_chart(callbacks):
    page = callbacks.route("/child/C001", "?la=850")
    assert rows_of(page, "placement") == [
        {"label": "Placement U4", "start": "2023-06-01", "end": "2024-08-15",
         "detail": "2 episode(s)"},
        {"label": "Placement U5", "start": "2024-08-15", "end": "ongoing",
         "detail": "provider PR1; 1 episode(s)"},
    ]  # fmt: skip
    missing = rows_of(page, "missing")
    assert [(m["start"], m["end"], m["rhi"], m["rhi_date"]) for m in missing] == [
        ("2024-11-02", "2024-11-04", "Return home interview held", "2024-11-06"),
        ("2025-01-30", "2025-02-01", "Return home interview offered", "2025-02-03"),
    ]
    assert [(a["label"], a["end"]) for a in rows_of(page, "allocation")] == [
        ("Allocated to SW12", "2024-09-01"),
        ("Allocated to SW10", "ongoing"),
    ]
    assert rows_of(page, "pep") == [
        {"start": "2024-10-10", "label": "PEP review", "detail": "complete; good", "sw_id": "SW10"}
    ]
    assert rows_of(page, "review") == [{"start": "2024-12-01", "label": "Review", "detail": "PN1"}]


def test_a_child_with_no_events_shows_their_details_and_says_none_recorded(callbacks):
    page = callbacks.route("/child/C002", "?la=850")
    text = text_of(page)
    assert "District Basingstoke and Deane" in text and "None recorded." in text
    figure = find_by_id(page, ids.CHILD_TIMELINE)["props"]["figure"]
    assert figure["layout"]["annotations"][0]["text"] == "No events recorded for this child"


def test_an_unknown_child_says_so(callbacks):
    text = text_of(callbacks.route("/child/NOBODY", "?la=850"))
    assert "Child not found" in text
    assert "There is no child “NOBODY” you may see in the published data of Hampshire." in text


def test_a_child_of_another_la_points_there(callbacks):
    page = callbacks.route("/child/P001", "?la=850")
    assert "The published data has a child with this id in Portsmouth" in text_of(page)
    assert "'/child/P001?la=851'" in str(page)  # the link in the message
    assert "Child P001" in text_of(callbacks.route("/child/P001", "?la=851"))


def test_an_unknown_la_falls_back_to_the_first_and_says_so(callbacks):
    text = text_of(callbacks.route("/child/C001", "?la=999"))
    assert (
        "LA “999” is not available to you (not in your scope, or not published): showing LA 850 instead."
        in text
    )
    assert "Child C001" in text


def test_board_pages_never_link_to_a_child(callbacks):
    for path in ["/", "/kpi/rhi_offered_pct", "/missing", "/dictionary"]:
        assert "/child/" not in str(callbacks.route(path, "?la=850")), path


def test_without_a_snapshot_the_child_page_says_run_make_demo(empty_app):
    driver = DashCallbacks(sign_in(empty_app))
    assert "No published data yet" in text_of(driver.route("/child/C001"))
