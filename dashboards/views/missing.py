"""Missing episodes and return home interviews (KPI section A) for the LA and each district."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, figures, ids, scoring, signals, urlstate
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.components.chart import chart
from dashboards.components.controls import filters_section, labelled_select
from dashboards.components.grid import column, data_grid
from dashboards.components.kpi_bits import kpi_tile
from dashboards.views.common import (
    PERIOD_COLUMNS,
    kpi_href,
    kpi_meta,
    lookup,
    period_rows,
    resolve_la,
)

SECTION_A = (
    "rhi_offered_pct",
    "rhi_accepted_pct",
    "rhi_within_72h_pct",
    "missing_episodes",
    "away_episodes",
    "missing_cla_pct",
)
PERIOD_TYPE = "month"
TABLE_COLUMNS = [column("period", "Month"), *PERIOD_COLUMNS[1:]]


@dataclass(frozen=True)
class Context:
    """What the data of one LA offers the page's filters."""

    la: str | None
    districts: list[str]
    kpis: list[dict[str, Any]]
    months: list[str]  # "YYYY-MM", oldest first
    month_labels: dict[str, str]


@data.memo
def context(la: str | None) -> Context:
    """Shared per snapshot: read-only."""
    catalogue = data.catalogue()
    kpis = [kpi_meta(catalogue, kpi_id) for kpi_id in SECTION_A]  # RHI first: the ILACS point
    months: list[str] = []
    labels: dict[str, str] = {}
    if la:
        for row in data.periods(la, PERIOD_TYPE).to_dict("records"):
            key = fmt.month_key(row["period_start"])
            months.append(key)
            labels[key] = fmt.period_label(
                PERIOD_TYPE, row["period_start"], row["period_end"], row["is_partial"]
            )
    return Context(
        la=la,
        districts=data.districts(la) if la else [],
        kpis=kpis,
        months=months,
        month_labels=labels,
    )


def resolve(query: Mapping[str, Any], la: str | None = None) -> urlstate.MissingState:
    """Check ``query`` (and the LA, from the query unless given) against the data."""
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes, stored=la)
    ctx = context(la)
    return urlstate.resolve_missing(
        query,
        la=la,
        districts=ctx.districts,
        kpis=[k["kpi_id"] for k in ctx.kpis],
        months=ctx.months,
        messages=notes,
    )


def _in_range(frame: pd.DataFrame, start: str | None, end: str | None) -> pd.DataFrame:
    month = frame["period_start"].map(fmt.month_key) if not frame.empty else frame["period_start"]
    keep = pd.Series(True, index=frame.index)
    if start:
        keep &= month >= start
    if end:
        keep &= month <= end
    return frame[keep]


def _tiles(state: urlstate.MissingState, ctx: Context, frame: pd.DataFrame) -> list:
    """The heading and one tile per KPI for the end month."""
    tiles = []
    upto = _in_range(frame, None, state.end)
    for kpi in ctx.kpis:
        kpi_id, unit, polarity = kpi["kpi_id"], kpi.get("unit"), kpi.get("polarity") or "info"
        decimals = fmt.decimals_for(unit, kpi.get("decimals"))
        points = scoring.comparison_points(upto[upto["kpi_id"] == kpi_id])
        latest = points.latest
        target, tolerance = lookup().target(kpi_id, state.breakdown, state.la)
        href = kpi_href(kpi_id, la=state.la, district=state.district, breakdown=state.breakdown)
        if latest is None:
            tiles.append(
                kpi_tile(
                    name=kpi["name"],
                    href=href,
                    value=fmt.NO_FIGURE,
                    period=f"not available for “{urlstate.RHI_BREAKDOWNS[state.breakdown]}”",
                    fraction="",
                    rag=None,
                    target="",
                    vs_previous=None,
                    vs_year_ago=None,
                )
            )
            continue
        status = latest.get("status")
        tiles.append(
            kpi_tile(
                name=kpi["name"],
                href=href,
                value=fmt.format_value(latest["value"], unit, decimals, status),
                period=fmt.period_label(
                    PERIOD_TYPE, latest["period_start"], latest["period_end"], latest["is_partial"]
                ),
                fraction=fmt.fraction_text(latest["numerator"], latest["denominator"])
                if unit == "percent" and status == "ok"
                else "",
                rag=scoring.rag(latest["value"], target, tolerance, polarity, decimals, status),
                target="" if target is None else fmt.format_value(target, unit, decimals),
                vs_previous=scoring.change_between(latest, points.previous, polarity, decimals),
                vs_year_ago=scoring.change_between(latest, points.year_ago, polarity, decimals),
                signal=signals.kpi_signal(upto[upto["kpi_id"] == kpi_id], kpi, target),
            )
        )
    heading = html.H2(f"Figures for {ctx.month_labels.get(state.end or '', '')}", className="h4")
    return [heading, dbc.Row(tiles)]


def _trend(state: urlstate.MissingState, ctx: Context, frame: pd.DataFrame) -> html.Div:
    kpi = next((k for k in ctx.kpis if k["kpi_id"] == state.kpi), None)
    if kpi is None or state.la is None:
        return chart(ids.MISSING_TREND, figures.empty_figure("No KPI chosen"), "Empty chart.")
    unit = kpi.get("unit")
    series = _in_range(frame[frame["kpi_id"] == state.kpi], state.start, state.end)
    reference = None
    if state.district != urlstate.ALL_DISTRICTS:
        reference = _in_range(
            data.kpi_values(state.la, [state.kpi], data.LA_TOTAL, state.breakdown, PERIOD_TYPE),
            state.start,
            state.end,
        )
    target, tolerance = lookup().target(state.kpi, state.breakdown, state.la)
    name = kpi["name"]
    place = "all districts" if state.district == urlstate.ALL_DISTRICTS else state.district
    fig = figures.trend_figure(
        series,
        name=f"{name} — {place}",
        unit=unit,
        decimals=kpi.get("decimals"),
        polarity=kpi.get("polarity"),
        target=target,
        tolerance=tolerance,
        comparators=lookup().comparators(state.kpi, state.breakdown),
        reference=reference,
    )
    description = figures.describe_trend(
        series, name=f"{name} ({place})", unit=unit, decimals=kpi.get("decimals"), target=target
    )
    return chart(ids.MISSING_TREND, fig, description)


def table_rows(state: urlstate.MissingState, ctx: Context, frame: pd.DataFrame) -> list[dict]:
    """The chart's KPI by month, newest first, with numerator and denominator."""
    kpi = next((k for k in ctx.kpis if k["kpi_id"] == state.kpi), None)
    rows = _in_range(frame[frame["kpi_id"] == state.kpi], state.start, state.end)
    if kpi is None or rows.empty:
        return []
    return period_rows(rows.sort_values("period_end", ascending=False), kpi)


def table_heading(state: urlstate.MissingState, ctx: Context) -> str:
    kpi = next((k for k in ctx.kpis if k["kpi_id"] == state.kpi), {"name": "KPI"})
    place = "all districts" if state.district == urlstate.ALL_DISTRICTS else state.district
    return f"{kpi['name']} by month — {place}, {urlstate.RHI_BREAKDOWNS[state.breakdown].lower()}"


def render(state: urlstate.MissingState) -> tuple[list, list, html.Div, str, list[dict]]:
    """(messages, tiles, trend, table heading, table rows) for ``state``."""
    ctx = context(state.la)
    if state.la is None:
        empty = figures.empty_figure("No KPI values in the published snapshot")
        return (
            [messages.notice("The published snapshot holds no KPI values yet.", "info")],
            [],
            chart(ids.MISSING_TREND, empty, "Empty chart: no KPI values."),
            "",
            [],
        )
    frame = data.kpi_values(
        state.la, [k["kpi_id"] for k in ctx.kpis], state.district, state.breakdown, PERIOD_TYPE
    )
    return (
        messages.query_messages(state.messages),
        _tiles(state, ctx, frame),
        _trend(state, ctx, frame),
        table_heading(state, ctx),
        table_rows(state, ctx, frame),
    )


def page(query: Mapping[str, Any]) -> list:
    """The whole page for a query string (the page's ``layout``)."""
    state = resolve(query)
    ctx = context(state.la)
    notes, tiles, trend, heading, rows = render(state)
    month_choices = {m: ctx.month_labels[m] for m in reversed(ctx.months)}
    filters = dbc.Row(
        [
            labelled_select(
                ids.MISSING_DISTRICT,
                "District",
                {urlstate.ALL_DISTRICTS: "All districts", **{d: d for d in ctx.districts}},
                state.district,
                width=3,
            ),
            labelled_select(
                ids.MISSING_BREAKDOWN,
                "Missing from",
                urlstate.RHI_BREAKDOWNS,
                state.breakdown,
                width=2,
            ),
            labelled_select(
                ids.MISSING_KPI,
                "KPI in the chart",
                {k["kpi_id"]: k["name"] for k in ctx.kpis},
                state.kpi,
                width=3,
            ),
            labelled_select(ids.MISSING_START, "From", month_choices, state.start, width=2),
            labelled_select(ids.MISSING_END, "To", month_choices, state.end, width=2),
        ],
        className="filters",
    )
    return [
        dcc.Location(id=ids.MISSING_URL, refresh=False),
        dcc.Store(id=ids.MISSING_LA, data=state.la),
        html.H1("Missing episodes and return home interviews"),
        html.P(
            "Return home interviews (RHI) after missing episodes, for the whole authority or "
            "one district. An episode is counted once an interview is due (three days after "
            "the child's return); away-without-authorisation episodes are shown separately.",
            className="lead",
        ),
        html.Div(notes, id=ids.MISSING_MESSAGES, **{"aria-live": "polite"}),
        filters_section(filters),
        html.Section(tiles, id=ids.MISSING_TILES),
        html.Section(
            [html.H2("Trend", className="h4"), html.Div(trend, id=ids.MISSING_TREND_WRAPPER)]
        ),
        html.Section(
            [
                html.H2(heading, id=ids.MISSING_TABLE_HEADING, className="h4"),
                data_grid(ids.MISSING_TABLE, rows, TABLE_COLUMNS, label="Figures by month"),
            ]
        ),
    ]
