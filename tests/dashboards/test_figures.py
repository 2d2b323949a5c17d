"""Charts are pure functions of DataFrames; no browser needed."""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go

from dashboards import figures


def series(values, statuses=None, partial_last=True):
    months = pd.date_range("2024-11-01", periods=len(values), freq="MS")
    statuses = statuses or ["ok"] * len(values)
    ends = [m + pd.offsets.MonthEnd(0) for m in months]
    if partial_last and ends:
        ends[-1] = months[-1] + pd.Timedelta(days=13)
    return pd.DataFrame(
        {
            "period_type": "month",
            "period_start": months,
            "period_end": ends,
            "is_partial": [partial_last and i == len(values) - 1 for i in range(len(values))],
            "numerator": [None if v is None else v / 5 for v in values],
            "denominator": 20.0,
            "value": values,
            "status": statuses,
        }
    )


def _y(trace) -> list:
    return list(trace.y)


def test_trend_draws_no_cases_as_a_gap_never_as_zero():
    fig = figures.trend_figure(
        series([80.0, None, 90.0], ["ok", "no_cases", "ok"]), name="RHI offered", unit="percent"
    )
    y = _y(fig.data[0])
    assert y[0] == 80.0 and y[2] == 90.0
    assert y[1] is None or math.isnan(y[1])
    assert fig.data[0].connectgaps is False
    assert "no cases" in fig.data[0].hovertext[1]


def test_trend_shades_the_amber_band_on_the_missing_side_of_the_target():
    higher = figures.trend_figure(
        series([80.0, 90.0]), name="k", unit="percent", polarity="higher", target=90, tolerance=5
    )
    band = next(s for s in higher.layout.shapes if s.type == "rect")
    assert (band.y0, band.y1) == (85, 90)
    lower = figures.trend_figure(
        series([8.0, 11.0]), name="k", unit="percent", polarity="lower", target=10, tolerance=2
    )
    band = next(s for s in lower.layout.shapes if s.type == "rect")
    assert (band.y0, band.y1) == (10, 12)
    target_line = next(s for s in lower.layout.shapes if s.type == "line")
    assert target_line.y0 == 10
    assert any("Target 10.0%" in a.text for a in lower.layout.annotations)


def test_trend_draws_published_comparators_and_skips_unpublished_ones():
    fig = figures.trend_figure(
        series([60.0, 65.0]),
        name="k",
        unit="percent",
        comparators={"England": {"value": 63.0, "year": "2024"}, "South East": None},
    )
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["England (2024) 63.0%"]


def test_trend_adds_the_la_total_as_a_dashed_reference_line():
    fig = figures.trend_figure(
        series([50.0, 60.0]), name="Winchester", unit="percent", reference=series([80.0, 90.0])
    )
    assert [t.name for t in fig.data] == ["LA total", "Winchester"]
    assert fig.data[0].line.dash == "dash"


def test_an_empty_series_gives_a_chart_that_says_so():
    fig = figures.trend_figure(series([]), name="RHI offered", unit="percent")
    assert isinstance(fig, go.Figure)
    assert "No figures for RHI offered" in fig.layout.annotations[0].text


def _polylines(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(n) for n in point.split(",")) for point in points.split()]
        for points in re.findall(r'<polyline points="([^"]*)"', svg)
    ]


def test_sparkline_is_a_small_axisless_line():
    svg = figures.sparkline_svg(series([1.0, 2.0, 3.0]), "count")
    assert 'width="140" height="40"' in svg and "<text" not in svg
    (line,) = _polylines(svg)
    assert [x for x, _ in line] == sorted(x for x, _ in line)  # oldest on the left
    assert [y for _, y in line] == [38.0, 20.0, 2.0]  # 1 at the bottom, 3 at the top
    assert _polylines(figures.sparkline_svg(series([]))) == []


def test_sparkline_breaks_at_no_cases_and_draws_percentages_from_zero():
    svg = figures.sparkline_svg(
        series([50.0, 60.0, None, 80.0, 100.0], ["ok", "ok", "no_cases", "ok", "ok"]), "percent"
    )
    first, second = _polylines(svg)
    assert [y for _, y in first] == [20.0, 16.4] and [y for _, y in second] == [9.2, 2.0]


def test_descriptions_say_what_a_screen_reader_user_cannot_see():
    text = figures.describe_trend(
        series([80.0, 90.0]), name="RHI offered", unit="percent", decimals=1, target=90
    )
    assert text.startswith("Line chart of RHI offered from Nov 2024 to Dec 2024 (to 14 Dec 2024)")
    assert "latest 90.0%" in text and "target 90.0%" in text
