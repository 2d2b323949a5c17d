"""Charts: pure functions from DataFrames to ``go.Figure``, plus the text alternatives
that describe them to screen-reader users. No Dash, no I/O.

A series frame has the columns of ``marts.kpi_values`` (``period_type``, ``period_start``,
``period_end``, ``is_partial``, ``numerator``, ``denominator``, ``value``, ``status``).
Values that are "no cases" or "not supplied" are gaps in a line, never zeros.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards import formatting as fmt

# House palette: GOV.UK colours, each at least 4.5:1 on white.
BLUE = "#1d70b8"
DARK = "#0b0c0c"
GREY = "#505a5f"
AMBER_BAND = "rgba(255, 221, 0, 0.40)"
COMPARATOR_DASHES = {"England": "dot", "South East": "dashdot", "Statistical neighbours": "dash"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def _base_layout(fig: go.Figure, *, height: int, y_title: str = "") -> go.Figure:
    fig.update_layout(
        template="simple_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        font={"family": FONT, "size": 14, "color": DARK},
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        yaxis={"title": {"text": y_title}, "gridcolor": "#e6e6e6", "showgrid": True},
    )
    return fig


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
    fig = go.Figure()
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font_size=16
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, height=height)


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
    fig = go.Figure()
    if reference is not None and not reference.empty:
        reference = reference.sort_values("period_end")
        fig.add_trace(
            go.Scatter(
                x=reference["period_start"],
                y=_plot_values(reference),
                name=reference_name,
                mode="lines",
                line={"color": GREY, "dash": "dash", "width": 2},
                hovertext=_hover_text(reference, unit, places),
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=series["period_start"],
            y=_plot_values(series),
            name=name,
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
            marker={"size": 7, "symbol": "circle"},
            connectgaps=False,
            hovertext=_hover_text(series, unit, places),
            hoverinfo="text",
        )
    )
    if target is not None:
        if tolerance and polarity in ("higher", "lower"):
            low, high = (
                (target - tolerance, target)
                if polarity == "higher"
                else (target, target + tolerance)
            )
            fig.add_hrect(y0=low, y1=high, fillcolor=AMBER_BAND, line_width=0, layer="below")
        fig.add_hline(
            y=target,
            line={"color": DARK, "dash": "dash", "width": 2},
            annotation_text=f"Target {fmt.format_value(target, unit, places)}",
            annotation_position="top left",
        )
    for comparator, figure in (comparators or {}).items():
        if figure is None:
            continue
        year = f" ({figure['year']})" if figure.get("year") else ""
        fig.add_hline(
            y=figure["value"],
            line={"color": GREY, "dash": COMPARATOR_DASHES.get(comparator, "dot"), "width": 1.5},
            annotation_text=f"{comparator}{year} {fmt.format_value(figure['value'], unit, places)}",
            annotation_position="bottom right",
        )
    fig.update_xaxes(tickformat="%b %Y", title_text="")
    if unit in ("percent", "count", "rate", "ratio"):
        fig.update_yaxes(rangemode="tozero")
    return _base_layout(fig, height=height, y_title=_y_title(unit))


def sparkline_figure(series: pd.DataFrame, unit: str | None = None) -> go.Figure:
    """A small line with no axes, for a scorecard row (decorative: the row states the value).

    Built in one constructor call with no template: a scorecard draws dozens of these and
    each ``update_*`` call or template copy costs tens of milliseconds.
    """
    traces = []
    if not series.empty:
        series = series.sort_values("period_end")
        traces.append(
            {
                "type": "scatter",
                "x": list(series["period_start"]),
                "y": list(_plot_values(series)),
                "mode": "lines",
                "line": {"color": BLUE, "width": 2},
                "connectgaps": False,
                "hoverinfo": "skip",
            }
        )
    axis = {"visible": False, "fixedrange": True}
    return go.Figure(
        data=traces,
        layout={
            "template": "none",
            "height": 40,
            "width": 140,
            "margin": {"l": 2, "r": 2, "t": 2, "b": 2},
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "xaxis": axis,
            "yaxis": {**axis, "rangemode": "tozero" if unit == "percent" else "normal"},
        },
    )


def ranking_figure(
    latest: pd.DataFrame,
    *,
    unit: str | None,
    decimals: Any = None,
    polarity: str | None = None,
    target: float | None = None,
    la_total: float | None = None,
    links: dict[str, str] | None = None,
) -> go.Figure:
    """Districts side by side at the latest period, best first (largest first for info).

    ``latest`` has one row per district (the LA total row ``ALL`` is left out of the bars
    and drawn as a line). Districts with no figure are listed with their reason. A
    district in ``links`` (name -> URL) is a link in the axis labels.
    """
    places = fmt.decimals_for(unit, decimals)
    rows = latest[latest["district"] != "ALL"].copy()
    if rows.empty:
        return empty_figure("No district figures for this period")
    rows["plot_value"] = _plot_values(rows)
    rows["label"] = [
        fmt.format_value(r["value"], unit, places, r["status"]) for r in rows.to_dict("records")
    ]
    ascending = polarity == "lower"
    rows = rows.sort_values(["plot_value", "district"], ascending=[ascending, True])
    # Plotly draws the first category at the bottom: reverse so the best is on top.
    rows = rows.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=rows["plot_value"].fillna(0),
            y=rows["district"],
            orientation="h",
            marker={
                "color": [BLUE if pd.notna(v) else "rgba(0,0,0,0)" for v in rows["plot_value"]]
            },
            text=rows["label"],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"{r['district']}: {r['label']}"
                + (
                    f" ({fmt.fraction_text(r['numerator'], r['denominator'])})"
                    if unit != "count" and pd.notna(r["plot_value"])
                    else ""
                )
                for r in rows.to_dict("records")
            ],
            hoverinfo="text",
            name="District",
        )
    )
    if la_total is not None:
        fig.add_vline(
            x=la_total,
            line={"color": GREY, "dash": "dash", "width": 2},
            annotation_text=f"LA {fmt.format_value(la_total, unit, places)}",
            annotation_position="top left",
        )
    if target is not None:
        fig.add_vline(
            x=target,
            line={"color": DARK, "dash": "dot", "width": 2},
            annotation_text=f"Target {fmt.format_value(target, unit, places)}",
            annotation_position="top right",
        )
    if links:
        names = list(rows["district"])
        fig.update_yaxes(
            tickvals=names,
            ticktext=[
                f'<a href="{escape(links[d])}" target="_self">{escape(d)}</a>' if d in links else d
                for d in names
            ],
        )
    height = max(260, 34 * len(rows) + 90)
    fig = _base_layout(fig, height=height)
    fig.update_layout(showlegend=False, margin={"l": 130, "r": 80, "t": 30, "b": 40})
    fig.update_xaxes(title_text=_y_title(unit), rangemode="tozero")
    return fig


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


def describe_ranking(latest: pd.DataFrame, *, name: str, unit: str | None, decimals: Any = None):
    """One sentence naming the best and worst districts in the ranking chart."""
    rows = latest[(latest["district"] != "ALL") & latest["status"].fillna("ok").eq("ok")]
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return f"Bar chart of {name} by district: no district figures."
    places = fmt.decimals_for(unit, decimals)
    high = rows.loc[rows["value"].idxmax()]
    low = rows.loc[rows["value"].idxmin()]
    return (
        f"Bar chart of {name} by district: highest {high['district']} "
        f"({fmt.format_value(high['value'], unit, places)}), lowest {low['district']} "
        f"({fmt.format_value(low['value'], unit, places)}). The table below lists every district."
    )
