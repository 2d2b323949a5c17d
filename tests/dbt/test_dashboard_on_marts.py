"""The managers' pages on real marts: the fixture warehouse, built by dbt, published as
the pipeline publishes it, read by the dashboard's data functions and views.

LA 852 as at 10/03/2025 (warehouse_fixture_b_to_e.py); every expected value is worked out
in test_dbt_sections_b_to_e.py from the fixture rows. North holds K1, K3, K14 (W1) and K6
(W3) on that date; W1 holds 21 children with FTE 1.0, W3 one with no FTE; South's W2 holds
4 (FTE 0.5) and W5 one (FTE 0.6).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards import data, managers
from dashboards.auth import acting_as, user
from dashboards.views import child as child_view
from dashboards.views import district as district_view
from dashboards.views import districts as districts_view
from pipelines.lib.publish import publish_snapshot

AS_AT = dt.date(2025, 3, 10)


@pytest.fixture(scope="module")
def serving(warehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("serving") / "serving.duckdb"
    publish_snapshot(warehouse, path, path.with_name("serving.previous.duckdb"))
    data.clear_cache()
    # read as an analyst of every LA (the scope rules: tests/dashboards/auth/test_scope.py)
    with data.use_snapshot(path), acting_as(user("analyst", ["analyst"])):
        yield path
    data.clear_cache()


def test_a_district_is_compared_with_the_la_on_the_published_kpis(serving):
    comparison = managers.compare_district(
        data.district_comparison("852"), data.catalogue(), data.targets(), "North", "852"
    ).set_index("kpi_id")
    # children looked after: North 4 of the LA's 11; South also 4
    looked_after = comparison.loc["cla_count"]
    assert (looked_after["shown"], looked_after["la_shown"]) == ("4", "11")
    assert looked_after["period"] == "Mar 2025 (to 10 Mar 2025)"
    # cases per FTE (lower is better): North 22 / 1.0 = 22.0, South 5 / 1.1 = 4.5, LA 27 / 2.1
    caseloads = comparison.loc["caseload_avg"]
    assert (caseloads["shown"], caseloads["la_shown"]) == ("22.0", "12.9")
    # North's 22 cases: exact Poisson 13.8 to 33.3 per FTE, clear of the LA's 12.9 (higher,
    # and lower is better); South's 5 cases are small numbers, so North alone is placed
    assert (caseloads["ci"], caseloads["compared"]) == (
        "13.8 to 33.3",
        "significantly worse than the LA",
    )
    assert (caseloads["low"], caseloads["high"]) == ("22.0 (North)", "22.0 (North)")


def test_caseloads_by_team_come_from_the_workers_in_post(serving):
    workers = data.caseloads("852", AS_AT, "North")
    assert sorted(workers["sw_id"]) == ["W1", "W3"]
    assert managers.team_caseloads(workers).to_dict("records") == [
        {"team": "North CIC", "workers": 2, "case_holders": 2, "fte": 1.0, "cases": 22,
         "cases_per_fte": 22.0, "above_threshold": 2},
    ]  # fmt: skip


def test_each_district_lists_its_children_to_act_on(serving):
    def children(name, district):
        return list(managers.in_district(data.action_list(name, "852"), name, district)["child"])

    assert children("pep", "North") == ["K3"]
    assert children("care_leavers", "North") == ["L2"]
    # K8's worker W6 (South) left; K11 was never allocated: both count in Unallocated
    assert children("cla_unallocated", "South") == ["K8"]
    assert children("cla_unallocated", "Unallocated") == ["K11", "K8"]  # 282, 14 days in care


def test_a_childs_timeline_comes_from_the_mart(serving):
    events = data.child_events("852", "K9")
    assert list(zip(events["event_type"], events["label"], strict=True)) == [
        ("allocation", "Allocated to W1"),
        ("period_of_care", "Period of care 1"),
        ("placement", "Placement U4"),
    ]
    assert not data.child_profile("852", "K9")["is_looked_after_at_as_at"]  # left on 10/01


@pytest.mark.parametrize(
    ("render", "expected"),
    [
        (lambda: district_view.page("North", {"la": "852"}), "Action lists — as at 10 Mar 2025"),
        (lambda: district_view.page("Unallocated", {"la": "852"}), "Unallocated is not a place"),
        (lambda: districts_view.page({"la": "852"}), "Districts of Southampton"),
        (lambda: child_view.page("K1", {"la": "852"}), "Looked after on 10 Mar 2025 Yes"),
    ],
)
def test_the_pages_render_on_the_published_marts(serving, render, expected):
    from dash.development.base_component import Component

    tree = render()

    def text(node):
        if isinstance(node, str):
            return node
        if isinstance(node, list | tuple):
            return " ".join(text(n) for n in node)
        if isinstance(node, Component):
            return text(getattr(node, "children", None) or "")
        return ""

    assert expected in " ".join(text(tree).split())
