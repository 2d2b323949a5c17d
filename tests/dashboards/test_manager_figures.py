"""The spine chart and the child timeline, and the sentences that describe them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_managers import CATALOGUE, FRAME, TARGETS

from dashboards import managers
from dashboards.manager_figures import (
    describe_spine,
    describe_timeline,
    spine_figure,
    timeline_figure,
)

D = dt.date
DAY_MS = 86_400_000


def traces(fig):
    return {t.name: t for t in fig.data}


def test_the_spine_runs_across_the_range_of_the_places_and_leaves_out_info_kpis():
    comparison = managers.compare_district(FRAME, CATALOGUE, TARGETS, "B", "850")
    fig = spine_figure(comparison, "B")
    by_name = traces(fig)
    # k_count is shown for information: not on the chart
    assert list(by_name["B"].y) == ["A percentage", "A ratio"]
    # A percentage: places 50 (A), 70 (B), 70 (C), LA 60 -> B best (1.0), LA half way;
    # A ratio (lower is better): 12 (A, best), 15 (B), 18 (C), LA 15 -> B and LA at 0.5
    assert list(by_name["B"].x) == [1.0, 0.5]
    assert list(by_name["LA total"].x) == [0.5, 0.5]
    assert list(by_name["Other districts"].x) == [0.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    assert list(by_name["Range of the districts"].base) == [0.0, 0.0]
    assert list(by_name["Range of the districts"].x) == [1.0, 1.0]
    assert "A percentage — B: 70.0% (similar to the LA)" in by_name["B"].hovertext
    assert list(fig.layout.xaxis.ticktext) == [
        "Worse end of the range",
        "Better end of the range",
    ]


def test_the_spine_is_described_in_a_sentence():
    comparison = managers.compare_district(FRAME, CATALOGUE, TARGETS, "A", "850")
    assert describe_spine(comparison, "A") == (
        "Chart placing A within the range of the districts on 2 KPIs, with the LA total; "
        "not significantly different from the LA on any. The table below lists every "
        "figure with its 95% interval."
    )
    c = managers.compare_district(FRAME, CATALOGUE, TARGETS, "C", "850")
    assert "significantly better than the LA on 1 (A percentage)" in describe_spine(c, "C")


def test_a_district_with_no_figures_gets_an_empty_chart_that_says_so():
    fig = spine_figure(pd.DataFrame(), "Nowhere")
    assert fig.layout.annotations[0].text == "No KPI figures to compare for Nowhere"
    assert describe_spine(pd.DataFrame(), "Nowhere").endswith("no KPI figures.")


EVENTS = pd.DataFrame(
    [
        ("period_of_care", "period 1", D(2023, 6, 1), None, "Period of care 1", "started P / C2"),
        ("placement", "placement 1.1", D(2023, 6, 1), D(2024, 8, 15), "Placement U4", None),
        ("placement", "placement 1.2", D(2024, 8, 15), None, "Placement U5", None),
        ("missing", "2025-01-30", D(2025, 1, 30), D(2025, 2, 1), "Missing from care", "2 day(s)"),
        ("rhi", "2025-01-30", D(2025, 2, 3), None, "Return home interview offered", None),
        ("review", "2024-12-01", D(2024, 12, 1), None, "Review", "PN1"),
    ],
    columns=["event_type", "event_ref", "start_date", "end_date", "label", "detail"],
)  # fmt: skip


def test_the_timeline_draws_spans_as_bars_and_single_days_as_markers_in_lanes():
    fig = timeline_figure(EVENTS, as_at=D(2025, 2, 14))
    by_name = traces(fig)
    assert list(fig.layout.yaxis.categoryarray) == [
        "Periods of care",
        "Placements",
        "Missing episodes",
        "Return interviews",
        "Reviews",
    ]
    # the open period runs to the date of the data: 1 Jun 2023 -> 14 Feb 2025 = 624 days
    period = by_name["Periods of care"]
    assert period.type == "bar" and list(period.base) == ["2023-06-01"]
    assert list(period.x) == [624 * DAY_MS]
    # 1 Jun 2023 -> 15 Aug 2024 = 441 days; 15 Aug 2024 -> 14 Feb 2025 = 183 days
    placements = by_name["Placements"]
    assert list(placements.x) == [441 * DAY_MS, 183 * DAY_MS]
    assert list(placements.text) == ["Placement U4", "Placement U5"]
    assert placements.hovertext[1] == "Placement U5: 15 Aug 2024 – ongoing"
    missing = by_name["Missing episodes"]
    assert missing.type == "scatter" and missing.marker.symbol == "circle"
    assert missing.hovertext == ("Missing from care: 30 Jan 2025 – 1 Feb 2025; 2 day(s)",)
    assert by_name["Return interviews"].marker.symbol == "diamond"
    assert fig.layout.annotations[0].text == "Data as at 14 Feb 2025"


def test_a_long_care_history_opens_on_its_dated_events_with_a_slider_for_the_rest():
    fig = timeline_figure(EVENTS, as_at=D(2025, 2, 14))
    # the care started 1 Jun 2023, more than a year before the first dated event (the
    # review on 1 Dec 2024): open 60 days before it, to 15 days after the date of the data
    assert fig.layout.xaxis.range == ("2024-10-02", "2025-03-01")
    assert fig.layout.xaxis.rangeslider.visible
    recent = EVENTS[EVENTS["start_date"] >= D(2024, 1, 1)]  # within a year: the whole story
    assert timeline_figure(recent, as_at=D(2025, 2, 14)).layout.xaxis.range is None


def test_the_timeline_is_described_in_a_sentence():
    assert describe_timeline(EVENTS, "C001", D(2025, 2, 14)) == (
        "Timeline of child C001 from 1 Jun 2023 to 14 Feb 2025: 1 period of care, "
        "2 placements, 1 missing episode, 1 return interview record and 1 review. It opens "
        "at 2 Oct 2024; the slider below shows every year. The tables below list every event."
    )


@pytest.mark.parametrize("as_at", [None, D(2025, 2, 14)])
def test_a_child_with_no_events_gets_an_empty_timeline(as_at):
    empty = EVENTS.iloc[0:0]
    assert timeline_figure(empty, as_at).layout.annotations[0].text == (
        "No events recorded for this child"
    )
    assert describe_timeline(empty, "C002") == "Timeline of child C002: no events recorded."
