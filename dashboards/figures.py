"""Charts: pure functions from DataFrames to ``go.Figure``, plus the text alternatives
that describe them to screen-reader users. No Dash, no I/O.

A series frame has the columns of ``marts.kpi_values`` (``period_type``, ``period_start``,
``period_end``, ``is_partial``, ``numerator``, ``denominator``, ``value``, ``status``).
Values that are "no cases" or "not supplied" are gaps in a line, never zeros.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboards import formatting as fmt

# House palette: GOV.UK colours, each at least 4.5:1 on white.
BLUE = "#1d70b8"
DARK = "#0b0c0c"
GREY = "#505a5f"
AMBER_BAND = "rgba(255, 221, 0, 0.40)"
COMPARATOR_DASHES = {"England": "dot", "South East": "dashdot", "Statistical neighbours": "dash"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@functools.cache
def _template() -> dict[str, Any]:
    return pio.templates["simple_white"].to_plotly_json()


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``extra``, nested dicts merged (as ``update_layout`` merges)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def base_layout(*, height: int, y_title: str = "", **extra: Any) -> dict[str, Any]:
    """The house layout (template, font, legend below, light y grid), updated by ``extra``."""
    layout = {
        "template": _template(),
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "font": {"family": FONT, "size": 14, "color": DARK},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#e6e6e6", "showgrid": True},
    }
    return _merge(layout, extra)


def figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from plain trace and layout dicts, without Plotly's property validation
    (which costs tens of milliseconds a chart); the dicts are written to match what
    Plotly's own helpers (``add_hline``…) write."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def hline(y: float, line: dict, text: str, position: str) -> tuple[dict, dict]:
    """(shape, annotation) of ``Figure.add_hline(y, line=…, annotation_text=…,
    annotation_position=…)`` for "top left" and "bottom right"."""
    shape = {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y,
             "yref": "y", "line": line}  # fmt: skip
    right = position.endswith("right")
    note = {"showarrow": False, "text": text, "x": 1 if right else 0,
            "xanchor": "right" if right else "left", "xref": "x domain", "y": y,
            "yanchor": "bottom" if position.startswith("top") else "top", "yref": "y"}  # fmt: skip
    return shape, note


def vline(x: Any, line: dict, text: str, position: str) -> tuple[dict, dict]:
    """(shape, annotation) of ``Figure.add_vline`` for "top left" and "top right"."""
    shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1,
             "yref": "y domain", "line": line}  # fmt: skip
    note = {"showarrow": False, "text": text, "x": x,
            "xanchor": "left" if position.endswith("right") else "right", "xref": "x",
            "y": 1, "yanchor": "top", "yref": "y domain"}  # fmt: skip
    return shape, note


def _y_title(unit: str | None) -> str:
    return {"percent": "Per cent", "count": "Number", "rate": "Rate", "ratio": "Ratio"}.get(
        unit or "", ""
    )


def _plot_values(series: pd.DataFrame) -> pd.Series:
    ok = series["status"].fillna("ok").eq("ok")
    return pd.to_numeric(series["value"], errors="coerce").where(ok)


def _hover_text(series: pd.DataFrame, unit: str | None, decimals: int) -> list[str]:
    texts = []
    for row in series.to_dict("records"):
        label = fmt.period_label(
            row.get("period_type") or "month",
            row["period_start"],
            row["period_end"],
            row.get("is_partial"),
        )
        value = fmt.format_value(row.get("value"), unit, decimals, row.get("status"))
        counts = fmt.fraction_text(row.get("numerator"), row.get("denominator"))
        texts.append(f"{label}: {value}" + (f" ({counts})" if counts and unit != "count" else ""))
    return texts


def empty_figure(message: str, height: int = 320) -> go.Figure:
    """A blank chart that says why it is blank."""
    note = {"font": {"size": 16}, "showarrow": False, "text": message, "x": 0.5,
            "xref": "paper", "y": 0.5, "yref": "paper"}  # fmt: skip
    layout = base_layout(
        height=height, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False}
    )
    return figure([], layout)


def trend_figure(
    series: pd.DataFrame,
    *,
    name: str,
    unit: str | None,
    decimals: Any = None,
    polarity: str | None = None,
    target: float | None = None,
    tolerance: float | None = None,
    comparators: dict[str, dict | None] | None = None,
    reference: pd.DataFrame | None = None,
    reference_name: str = "LA total",
    height: int = 380,
) -> go.Figure:
    """A KPI's line over time with its target, the amber band and published comparators.

    The amber band is the zone that misses the target by no more than the tolerance (below
    the target when higher is better, above it when lower is better).
    """
    places = fmt.decimals_for(unit, decimals)
    if series.empty:
        return empty_figure(f"No figures for {name} in this selection", height)
    series = series.sort_values("period_end")
    data: list[dict[str, Any]] = []
    shapes: list[dict] = []
    notes: list[dict] = []
    if reference is not None and not reference.empty:
        reference = reference.sort_values("period_end")
        data.append(
            {
                "type": "scatter",
                "x": reference["period_start"],
                "y": _plot_values(reference),
                "name": reference_name,
                "mode": "lines",
                "line": {"color": GREY, "dash": "dash", "width": 2},
                "hovertext": _hover_text(reference, unit, places),
                "hoverinfo": "text",
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": series["period_start"],
            "y": _plot_values(series),
            "name": name,
            "mode": "lines+markers",
            "line": {"color": BLUE, "width": 3},
            "marker": {"size": 7, "symbol": "circle"},
            "connectgaps": False,
            "hovertext": _hover_text(series, unit, places),
            "hoverinfo": "text",
        }
    )
    if target is not None:
        if tolerance and polarity in ("higher", "lower"):
            low, high = (
                (target - tolerance, target)
                if polarity == "higher"
                else (target, target + tolerance)
            )
            shapes.append({"type": "rect", "x0": 0, "x1": 1, "xref": "x domain", "y0": low,
                           "y1": high, "yref": "y", "fillcolor": AMBER_BAND, "layer": "below",
                           "line": {"width": 0}})  # fmt: skip
        shape, note = hline(
            target,
            {"color": DARK, "dash": "dash", "width": 2},
            f"Target {fmt.format_value(target, unit, places)}",
            "top left",
        )
        shapes.append(shape)
        notes.append(note)
    for comparator, figure_ in (comparators or {}).items():
        if figure_ is None:
            continue
        year = f" ({figure_['year']})" if figure_.get("year") else ""
        shape, note = hline(
            figure_["value"],
            {"color": GREY, "dash": COMPARATOR_DASHES.get(comparator, "dot"), "width": 1.5},
            f"{comparator}{year} {fmt.format_value(figure_['value'], unit, places)}",
            "bottom right",
        )
        shapes.append(shape)
        notes.append(note)
    layout = base_layout(
        height=height,
        y_title=_y_title(unit),
        xaxis={"tickformat": "%b %Y", "title": {"text": ""}},
        yaxis={"rangemode": "tozero"} if unit in ("percent", "count", "rate", "ratio") else {},
    )
    if shapes:
        layout["shapes"] = shapes
    if notes:
        layout["annotations"] = notes
    return figure(data, layout)


SPARK_WIDTH, SPARK_HEIGHT, SPARK_MARGIN = 140, 40, 2


def sparkline_svg(series: pd.DataFrame, unit: str | None = None) -> str:
    """A small line with no axes, for a scorecard row, as SVG markup (decorative: the row
    states the value). Time runs left to right in proportion; a value that is "no cases"
    or "not supplied" breaks the line; percentages are drawn from zero.

    Plain SVG, not a Plotly figure: a scorecard draws dozens of these, and each Plotly
    graph costs the server milliseconds to build and the browser far more to draw.
    """
    if series.empty:
        return _spark_svg(np.array([]), np.array([]), unit)
    series = series.sort_values("period_end")
    return _spark_svg(_spark_x(series), _spark_y(series), unit)


def sparkline_svgs(series: pd.DataFrame, units: Mapping[str, str | None]) -> dict[str, str]:
    """``sparkline_svg`` of every KPI in ``series`` (the series of many KPIs, with their
    ``kpi_id``), in one pass: {kpi_id: svg}."""
    if series.empty:
        return {}
    ordered = series.sort_values(["kpi_id", "period_end"], kind="stable")
    kpis = ordered["kpi_id"].to_numpy()
    xs, ys = _spark_x(ordered), _spark_y(ordered)
    starts = np.flatnonzero(np.r_[True, kpis[1:] != kpis[:-1]])
    ends = np.r_[starts[1:], len(kpis)]
    return {
        kpis[a]: _spark_svg(xs[a:b], ys[a:b], units.get(kpis[a]))
        for a, b in zip(starts, ends, strict=True)
    }


def _spark_x(series: pd.DataFrame) -> np.ndarray:
    starts = pd.to_datetime(series["period_start"]).to_numpy(dtype="datetime64[ns]")
    return starts.astype("int64").astype(float)


def _spark_y(series: pd.DataFrame) -> np.ndarray:
    return _plot_values(series).to_numpy(dtype=float, na_value=np.nan)


def _spark_svg(xs: np.ndarray, ys: np.ndarray, unit: str | None) -> str:
    lines: list[list[str]] = []
    known = ys[~np.isnan(ys)]
    if len(known):
        low, high = float(known.min()), float(known.max())
        if unit == "percent":
            low, high = min(low, 0.0), max(high, 0.0)
        x0, x1 = float(xs.min()), float(xs.max())
        inner_w = SPARK_WIDTH - 2 * SPARK_MARGIN
        inner_h = SPARK_HEIGHT - 2 * SPARK_MARGIN
        # One period, or one value throughout: in the middle.
        px = np.full_like(xs, SPARK_MARGIN + inner_w / 2)
        if x1 > x0:
            px = SPARK_MARGIN + inner_w * (xs - x0) / (x1 - x0)
        py = np.full_like(ys, SPARK_MARGIN + inner_h / 2)
        if high > low:
            py = SPARK_MARGIN + inner_h * (high - ys) / (high - low)
        line: list[str] = []
        for x, y, value in zip(px.tolist(), py.tolist(), ys.tolist(), strict=True):
            if math.isnan(value):
                line = []
                continue
            if not line:
                lines.append(line)
            line.append(f"{round(x, 1):g},{round(y, 1):g}")
    paths = "".join(f'<polyline points="{" ".join(line)}"/>' for line in lines if len(line) > 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
        f'<g fill="none" stroke="{BLUE}" stroke-width="2" stroke-linejoin="round" '
        f'stroke-linecap="round">{paths}</g></svg>'
    )


def describe_trend(
    series: pd.DataFrame,
    *,
    name: str,
    unit: str | None,
    decimals: Any = None,
    target: float | None = None,
) -> str:
    """One sentence saying what the trend chart shows (its text alternative)."""
    if series.empty:
        return f"Line chart of {name}: no figures for this selection."
    series = series.sort_values("period_end")
    places = fmt.decimals_for(unit, decimals)
    first, last = series.iloc[0], series.iloc[-1]
    period_type = last.get("period_type") or "month"
    start = fmt.period_label(period_type, first["period_start"], first["period_end"])
    end = fmt.period_label(
        period_type, last["period_start"], last["period_end"], last.get("is_partial")
    )
    latest = fmt.format_value(last["value"], unit, places, last["status"])
    text = f"Line chart of {name} from {start} to {end}; latest {latest}"
    if target is not None:
        text += f"; target {fmt.format_value(target, unit, places)}"
    return text + ". The table below lists every figure."
