"""The board's charts (dashboards/spc_figures.py) on hand-made frames: the SPC overlay,
districts with intervals, the funnel plot and their text alternatives."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboards import figures, intervals, signals, spc_figures

LATEST = pd.DataFrame(
    {
        # LA 30/40 = 75 %; North 9/10 (Wilson 59.6 % to 98.2 %: similar); South 2/10
        # (5.7 % to 51.0 %: worse); East no cases; West 1/2 (small numbers)
        "district": ["ALL", "North", "South", "East", "West"],
        "numerator": [30, 9, 2, 0, 1],
        "denominator": [40, 10, 10, 0, 2],
        "value": [75.0, 90.0, 20.0, None, 50.0],
        "status": ["ok", "ok", "ok", "no_cases", "ok"],
    }
)


def stats(threshold=10):
    return spc_figures.district_stats(
        LATEST, kpi_id="k", unit="percent", decimals=1, polarity="higher", threshold=threshold
    )


def test_each_district_gets_its_interval_and_verdict_and_the_la_is_apart():
    rows, la_row = stats()
    assert la_row["district"] == "ALL"
    by = {r["district"]: r for r in rows}
    assert set(by) == {"North", "South", "East", "West"}
    assert (by["North"]["ci"], by["North"]["verdict"]) == ("59.6% to 98.2%", intervals.SIMILAR)
    assert (by["South"]["ci"], by["South"]["verdict"]) == ("5.7% to 51.0%", intervals.WORSE)
    assert by["East"]["interval"] is None and by["East"]["words"] == "–"
    assert by["West"]["small"] and by["West"]["verdict"] is None
    assert (
        "South: 20.0% (2 of 10); 95% interval 5.7% to 51.0%; significantly worse"
        in (by["South"]["hover"])
    )


def test_the_interval_chart_groups_districts_by_verdict_with_error_bars():
    rows, _ = stats()
    fig = spc_figures.district_intervals_figure(
        rows, unit="percent", decimals=1, la_value=75.0, target=80.0
    )
    traces = {t.name: t for t in fig.data}
    assert list(traces["Significantly worse than the LA"].y) == ["South"]
    south = traces["Significantly worse than the LA"]
    assert south.error_x.arrayminus[0] == pytest.approx(20.0 - 5.7, abs=0.05)
    assert list(traces["Similar to the LA"].y) == ["North"]
    assert list(traces[spc_figures.NOT_COMPARED].y) == ["West"]  # East has no figure
    # places A to Z top down, small numbers last
    assert list(fig.layout.yaxis.categoryarray)[::-1] == ["North", "South", "West"]
    assert [a.text for a in fig.layout.annotations] == ["LA 75.0%", "Target 80.0%"]


def test_the_districts_are_described_by_significance():
    rows, _ = stats()
    text = spc_figures.describe_districts(rows, "RHI offered", 10)
    assert "Significantly different from the LA: South (significantly worse than the LA)." in (text)
    assert "Fewer than 10 cases, not compared: West." in text


def test_the_funnel_plot_draws_95_and_998_limits_around_the_la():
    rows, la_row = stats()
    fig = spc_figures.funnel_figure(rows, unit="percent", decimals=1, kpi_id="k", la_row=la_row)
    names = [t.name for t in fig.data]
    assert names.count("95% limits") == 2 and names.count("99.8% limits") == 2
    upper = next(t for t in fig.data if t.name == "95% limits" and t.showlegend)
    at_ten = list(upper.x).index(10.0)  # the curve runs through each district's size
    assert upper.y[at_ten] == pytest.approx(100 * intervals.proportion_funnel(0.75, 10)[1])
    worse = next(t for t in fig.data if t.name == "Significantly worse than the LA")
    assert list(worse.x) == [10.0] and list(worse.text) == ["South"]
    assert figures.empty_figure("x").layout.annotations  # (the empty case's chart)
    count = spc_figures.funnel_figure(rows, unit="count", decimals=0, kpi_id="k", la_row=la_row)
    assert "needs district figures with a denominator" in count.layout.annotations[0].text


def series(values, start=dt.date(2024, 1, 1)):
    starts = [pd.Timestamp(start) + pd.DateOffset(months=i) for i in range(len(values))]
    return pd.DataFrame(
        {
            "period_type": "month",
            "period_start": starts,
            "period_end": [s + pd.offsets.MonthEnd(0) for s in starts],
            "is_partial": False,
            "numerator": values,
            "denominator": None,
            "value": values,
            "status": "ok",
        }
    )


def test_the_trend_gets_the_mean_limits_and_special_cause_points():
    frame = series([10.0, 12.0] * 8 + [25.0])
    signal = signals.kpi_signal(frame, {"kpi_id": "k", "polarity": "higher"}, None)
    trend = figures.trend_figure(frame, name="k", unit="count")
    fig = spc_figures.with_spc(trend, signal, "count", 0)
    traces = {t.name: t for t in fig.data}
    assert traces["Mean"].y[0] == pytest.approx(201 / 17)
    assert list(traces["Special cause: improving"].y) == [25.0]
    assert spc_figures.baseline_text(signal) == (
        "Mean and process limits from all 17 months, Jan 2024 to May 2025"
    )
    # a baseline fixed to the first 16 months is shaded and said
    fixed = signals.kpi_signal(frame, {"kpi_id": "k", "polarity": "higher"}, None, baseline=16)
    shaded = spc_figures.with_spc(trend, fixed, "count", 0)
    assert any(
        s.type == "rect" and s.fillcolor == spc_figures.BASELINE_FILL for s in shaded.layout.shapes
    )
    assert spc_figures.baseline_text(fixed).startswith(
        "Mean and process limits from a baseline of 16 months, Jan 2024 to Apr 2025"
    )
    assert "1 of 17 points are special cause" in spc_figures.describe_spc(fixed, "k", "count")


def test_too_few_points_leave_the_trend_alone():
    frame = series([10.0, 12.0, 11.0])
    signal = signals.kpi_signal(frame, {"kpi_id": "k", "polarity": "higher"}, None)
    trend = figures.trend_figure(frame, name="k", unit="count")
    assert spc_figures.with_spc(trend, signal, "count", 0) is trend
    assert "Too few points for SPC: 3" in spc_figures.describe_spc(signal, "k", "count")
