"""Charts of the board's statistics: a KPI's trend drawn as an SPC (XmR) chart, and the
districts with their 95 % intervals or on a funnel plot, each with its text alternative.
Pure functions from frames and ``signals.Signal`` / ``intervals`` results to
``go.Figure``; no Dash, no I/O.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboards import figures, intervals, spc
from dashboards import formatting as fmt
from dashboards.signals import Signal

#: Making Data Count's colours in GOV.UK shades: improvement blue, concern orange, a
#: change with no better direction purple, common cause grey.
BLUE, ORANGE, PURPLE, GREY, DARK = "#1d70b8", "#f47738", "#4c2c92", "#505a5f", "#0b0c0c"
_AXIS = {"percent": "Per cent", "count": "Number", "rate": "Rate", "ratio": "Ratio"}
BASELINE_FILL = "rgba(80, 90, 95, 0.10)"
SPECIAL_LOOK = {  # special cause kind -> (legend name, colour, marker symbol)
    "improvement": ("Special cause: improving", BLUE, "circle"),
    "concern": ("Special cause: concerning", ORANGE, "square"),
    "neither_high": ("Special cause: higher than usual", PURPLE, "diamond"),
    "neither_low": ("Special cause: lower than usual", PURPLE, "diamond"),
}
COMPARISON_LOOK = {  # verdict -> (colour, marker symbol)
    intervals.BETTER: (BLUE, "circle"),
    intervals.WORSE: (ORANGE, "square"),
    intervals.HIGHER: (PURPLE, "diamond"),
    intervals.LOWER: (PURPLE, "diamond"),
    intervals.SIMILAR: (GREY, "circle"),
    None: ("#b1b4b6", "circle-open"),
}


NOT_COMPARED = "Not compared (small numbers or a count)"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _dict(fig: go.Figure) -> tuple[list[dict], dict]:
    out = fig.to_plotly_json()
    return list(out.get("data", [])), dict(out.get("layout", {}))


def baseline_text(signal: Signal) -> str:
    """``"Mean and process limits from all 55 months, Apr 2022 to Oct 2026"``."""
    result = signal.spc
    if result is None or not result.eligible:
        return ""
    rows = signal.rows
    first = rows[0]
    last = rows[result.baseline_points - 1]
    kind = {"month": "months", "term": "terms", "year": "years"}.get(
        first.get("period_type") or "month", "periods"
    )

    def label(row: dict) -> str:
        return fmt.period_label(
            row.get("period_type") or "month", row["period_start"], row["period_end"]
        )

    span = f"{label(first)} to {label(last)}"
    if result.baseline_points == len(rows):
        return f"Mean and process limits from all {len(rows)} {kind}, {span}"
    return (
        f"Mean and process limits from a baseline of {result.baseline_points} {kind}, "
        f"{span}, extended over the {len(rows) - result.baseline_points} after it"
    )


def with_spc(trend: go.Figure, signal: Signal, unit: str | None, decimals: Any = None):
    """``trend`` (``figures.trend_figure`` of the same series) with the SPC mean, process
    limits, the baseline shaded and the special-cause points marked."""
    result = signal.spc
    if result is None or not result.eligible:
        return trend
    data, layout = _dict(trend)
    places = fmt.decimals_for(unit, decimals)
    xs = [row["period_start"] for row in signal.rows]
    extra: list[dict] = []
    for name, y, dash, width in (
        ("Mean", result.mean, "solid", 1.5),
        ("Process limits", result.upper_limit, "dash", 1.5),
        ("Lower process limit", result.lower_limit, "dash", 1.5),
    ):
        extra.append(
            {
                "type": "scatter",
                "x": [xs[0], xs[-1]],
                "y": [y, y],
                "mode": "lines",
                "line": {"color": GREY, "dash": dash, "width": width},
                "name": name,
                "legendgroup": "limits" if "limit" in name.lower() else "mean",
                "showlegend": name != "Lower process limit",
                "hovertext": [f"{name}: {fmt.format_value(y, unit, places + 1)}"] * 2,
                "hoverinfo": "text",
            }
        )
    for kind, (name, colour, symbol) in SPECIAL_LOOK.items():
        points = [i for i, s in enumerate(result.special) if s == kind]
        if not points:
            continue
        extra.append(
            {
                "type": "scatter",
                "x": [xs[i] for i in points],
                "y": [result.values[i] for i in points],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "size": 13,
                    "symbol": symbol,
                    "line": {"color": "#0b0c0c", "width": 1},
                },
                "name": name,
                "hovertext": [
                    f"{fmt.format_value(result.values[i], unit, places)}: {name.lower()} ("
                    + ", ".join(spc.RULE_TEXT[r] for r in sorted({r for r, _ in result.rules[i]}))
                    + ")"
                    for i in points
                ],
                "hoverinfo": "text",
            }
        )
    shapes = list(layout.get("shapes", []))
    notes = list(layout.get("annotations", []))
    end = signal.rows[result.baseline_points - 1]["period_start"]
    if result.baseline_points < len(signal.rows):
        shapes.append(
            {
                "type": "rect",
                "x0": xs[0],
                "x1": end,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "fillcolor": BASELINE_FILL,
                "layer": "below",
                "line": {"width": 0},
            }
        )
        notes.append(
            {
                "showarrow": False,
                "text": "Baseline",
                "x": xs[0],
                "xanchor": "left",
                "xref": "x",
                "y": 1,
                "yanchor": "top",
                "yref": "y domain",
            }
        )
    layout["shapes"] = shapes
    layout["annotations"] = notes
    return figures.figure(data + extra, layout)


def describe_spc(signal: Signal, name: str, unit: str | None, decimals: Any = None) -> str:
    """The SPC part of the trend chart's text alternative."""
    result = signal.spc
    if result is None or not result.eligible:
        return signal.reason
    places = fmt.decimals_for(unit, decimals)
    special = sum(1 for s in result.special if s)
    return (
        f"{baseline_text(signal)}: mean {fmt.format_value(result.mean, unit, places)}, "
        f"process limits {fmt.format_value(result.lower_limit, unit, places)} to "
        f"{fmt.format_value(result.upper_limit, unit, places)}; {special} of "
        f"{len(result.values)} points are special cause. {signal.note()}"
    )


# ##### Districts: intervals and funnel plot


def district_intervals_figure(
    rows: list[dict],
    *,
    unit: str | None,
    decimals: Any,
    la_value: float | None,
    target: float | None,
    links: dict[str, str] | None = None,
) -> go.Figure:
    """Each district's figure with its 95 % interval, the LA as a line: compared places
    A–Z, then small-number districts (hollow, never judged). ``rows`` are
    ``district_stats`` records."""
    places = fmt.decimals_for(unit, decimals)
    shown = [r for r in rows if r["interval"] is not None]
    if not shown:
        return figures.empty_figure("No district figures with intervals for this period")
    shown = sorted(shown, key=lambda r: (r["small"], r["district"]))[::-1]
    traces = []
    for verdict, (colour, symbol) in COMPARISON_LOOK.items():
        group = [r for r in shown if r["verdict"] == verdict]
        if not group:
            continue
        name = _sentence(intervals.COMPARISON_TEXT[verdict]) if verdict else NOT_COMPARED
        traces.append(
            {
                "type": "scatter",
                "x": [r["interval"].value for r in group],
                "y": [r["district"] for r in group],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "size": 11,
                    "symbol": symbol,
                    "line": {"color": "#0b0c0c", "width": 1},
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [r["interval"].high - r["interval"].value for r in group],
                    "arrayminus": [r["interval"].value - r["interval"].low for r in group],
                    "color": "#0b0c0c",
                    "thickness": 1.5,
                    "width": 5,
                },
                "name": name,
                "hovertext": [r["hover"] for r in group],
                "hoverinfo": "text",
            }
        )
    shapes, notes = [], []
    if la_value is not None:
        shape, note = figures.vline(
            la_value,
            {"color": "#0b0c0c", "dash": "dash", "width": 2},
            f"LA {fmt.format_value(la_value, unit, places)}",
            "top left",
        )
        shapes.append(shape)
        notes.append(note)
    if target is not None:
        shape, note = figures.vline(
            target,
            {"color": GREY, "dash": "dot", "width": 2},
            f"Target {fmt.format_value(target, unit, places)}",
            "top right",
        )
        shapes.append(shape)
        notes.append(note)
    names = [r["district"] for r in shown]
    yaxis: dict[str, Any] = {"categoryorder": "array", "categoryarray": names}
    if links:
        from html import escape

        yaxis.update(
            tickvals=names,
            ticktext=[
                f'<a href="{escape(links[d])}" target="_self">{escape(d)}</a>'
                if d in links
                else escape(d)
                for d in names
            ],
        )
    layout = figures.base_layout(
        height=max(280, 34 * len(shown) + 120),
        margin={"l": 150, "r": 30, "t": 30, "b": 40},
        xaxis={
            "title": {"text": _AXIS.get(unit or "", "Value") + " (95% interval)"},
            "rangemode": "tozero",
        },
        yaxis=yaxis,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    )
    if shapes:
        layout["shapes"], layout["annotations"] = shapes, notes
    return figures.figure(traces, layout)


def funnel_figure(
    rows: list[dict], *, unit: str | None, decimals: Any, kpi_id: str, la_row: dict | None
) -> go.Figure:
    """A funnel plot: each district's figure against its size (denominator), with the
    95 % and 99.8 % limits around the LA's value. Proportions and rates only."""
    places = fmt.decimals_for(unit, decimals)
    shown = [r for r in rows if r["interval"] is not None]
    if unit not in ("percent", "rate", "ratio") or la_row is None or not shown:
        return figures.empty_figure("A funnel plot needs district figures with a denominator")
    la_num, la_den = (
        fmt.safe_float(la_row.get("numerator")),
        fmt.safe_float(la_row.get("denominator")),
    )
    if not la_num or not la_den:
        return figures.empty_figure("The LA has no figure to draw the funnel around")
    sizes = [fmt.safe_float(r["row"].get("denominator")) or 0 for r in shown]
    top = max(max(sizes), 1.0) * 1.15
    lines: list[dict] = []
    if unit == "percent":
        benchmark = la_num / la_den
        # a smooth curve, through each district's own size
        grid = np.unique(np.r_[np.round(np.geomspace(1, max(top, 2), 80), 2), sizes])
        for level, dash in ((0.95, "dash"), (0.998, "dot")):
            limits = [intervals.proportion_funnel(benchmark, n, level) for n in grid]
            for side, index in (("lower", 0), ("upper", 1)):
                lines.append(
                    _funnel_line(
                        list(grid), [100 * lim[index] for lim in limits], level, dash, side
                    )
                )
        centre = 100 * benchmark
    else:
        multiplier = intervals.rate_multiplier(kpi_id, unit)
        benchmark = (la_num / multiplier) / la_den  # events per unit of exposure
        max_events = max(top * benchmark * 1.5, 5)
        events = np.unique(np.round(np.geomspace(1, max_events, 80)))
        for level, dash in ((0.95, "dash"), (0.998, "dot")):
            low_pts, high_pts = [], []
            for e in events:
                (x1, y1), (x2, y2) = intervals.rate_funnel_point(benchmark, float(e), level)
                if x1 <= top:
                    low_pts.append((x1, y1 * multiplier))
                if 0 < x2 <= top and math.isfinite(y2):
                    high_pts.append((x2, y2 * multiplier))
            for side, pts in (("lower", low_pts), ("upper", high_pts)):
                pts.sort()
                lines.append(
                    _funnel_line([p[0] for p in pts], [p[1] for p in pts], level, dash, side)
                )
        centre = la_num / la_den
    traces = [*lines]
    traces.append(
        {
            "type": "scatter",
            "x": [0, top],
            "y": [centre, centre],
            "mode": "lines",
            "line": {"color": "#0b0c0c", "width": 2},
            "hoverinfo": "skip",
            "name": f"LA {fmt.format_value(centre, unit, places)}",
        }
    )
    for verdict, (colour, symbol) in COMPARISON_LOOK.items():
        group = [(r, s) for r, s in zip(shown, sizes, strict=True) if r["verdict"] == verdict]
        if not group:
            continue
        traces.append(
            {
                "type": "scatter",
                "x": [s for _, s in group],
                "y": [r["interval"].value for r, _ in group],
                "mode": "markers+text",
                "text": [r["district"] for r, _ in group],
                "textposition": "top center",
                "textfont": {"size": 11},
                "marker": {
                    "color": colour,
                    "size": 11,
                    "symbol": symbol,
                    "line": {"color": "#0b0c0c", "width": 1},
                },
                "name": _sentence(intervals.COMPARISON_TEXT[verdict]) if verdict else NOT_COMPARED,
                "hovertext": [r["hover"] for r, _ in group],
                "hoverinfo": "text",
            }
        )
    size_name = "Denominator" if unit == "percent" else "Exposure (denominator)"
    layout = figures.base_layout(
        height=440,
        y_title=_AXIS.get(unit or "", ""),
        xaxis={"title": {"text": size_name}, "rangemode": "tozero", "range": [0, top]},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    )
    return figures.figure(traces, layout)


def _funnel_line(xs: list, ys: list, level: float, dash: str, side: str) -> dict:
    name = f"{level:.1%} limits".replace(".0%", "%")
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "line": {"color": GREY, "dash": dash, "width": 1.5},
        "name": name,
        "legendgroup": name,
        "showlegend": side == "upper",
        "hoverinfo": "skip",
    }


def describe_districts(rows: list[dict], name: str, threshold: float) -> str:
    """The district chart's text alternative: which districts differ significantly."""
    judged = [r for r in rows if r["verdict"] not in (None, intervals.SIMILAR)]
    small = [r["district"] for r in rows if r["small"]]
    parts = [f"Chart of {name} by district with 95% confidence intervals and the LA value."]
    if judged:
        parts.append(
            "Significantly different from the LA: "
            + "; ".join(
                f"{r['district']} ({intervals.COMPARISON_TEXT[r['verdict']]})" for r in judged
            )
            + "."
        )
    else:
        parts.append("No district is significantly different from the LA.")
    if small:
        parts.append(f"Fewer than {threshold:g} cases, not compared: {', '.join(small)}.")
    return " ".join(parts) + " The table below lists every district."


def district_stats(
    by_district: pd.DataFrame,
    *,
    kpi_id: str,
    unit: str | None,
    decimals: Any,
    polarity: str | None,
    threshold: float,
    la_total: str = "ALL",
) -> tuple[list[dict], dict | None]:
    """(one record per district: its row, interval, small-numbers mark, verdict against
    the LA and hover text; the LA's row) from ``data.district_latest`` rows."""
    places = fmt.decimals_for(unit, decimals)
    records = by_district.to_dict("records")
    la_row = next((r for r in records if r["district"] == la_total), None)
    la_interval = intervals.kpi_interval(la_row, kpi_id, unit) if la_row else None
    la_value = (
        la_interval.value
        if la_interval
        else (
            fmt.safe_float(la_row.get("value")) if la_row and la_row.get("status") == "ok" else None
        )
    )
    out = []
    for row in records:
        if row["district"] == la_total:
            continue
        interval = intervals.kpi_interval(row, kpi_id, unit)
        small = intervals.is_small(interval, threshold)
        verdict = intervals.compare(interval, la_value, polarity, unit, threshold)
        shown = fmt.format_value(row.get("value"), unit, places, row.get("status"))
        ci = (
            f"{fmt.format_value(interval.low, unit, places)} to "
            f"{fmt.format_value(interval.high, unit, places)}"
            if interval
            else ""
        )
        words = intervals.comparison_text(verdict, interval, unit, threshold, row.get("status"))
        counts = fmt.fraction_text(row.get("numerator"), row.get("denominator"))
        hover = f"{row['district']}: {shown}"
        if counts and unit == "percent":
            hover += f" ({counts})"
        if ci:
            hover += f"; 95% interval {ci}"
        hover += f"; {words}"
        out.append(
            {
                "district": row["district"],
                "row": row,
                "interval": interval,
                "small": small,
                "verdict": verdict,
                "shown": shown,
                "ci": ci,
                "words": words,
                "hover": hover,
            }
        )
    return out, la_row


def la_interval_text(la_row: dict | None, *, kpi_id: str, unit: str | None, decimals: Any) -> str:
    """The LA's own 95 % interval as text ("" without one)."""
    if la_row is None:
        return ""
    interval = intervals.kpi_interval(la_row, kpi_id, unit)
    if interval is None:
        return ""
    places = fmt.decimals_for(unit, decimals)
    return (
        f"{fmt.format_value(interval.low, unit, places)} to "
        f"{fmt.format_value(interval.high, unit, places)}"
    )
