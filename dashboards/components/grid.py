"""AG Grid tables, each with a "Download CSV" button (AG Grid's own CSV export)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, html

from dashboards import ids

LONG_TABLE_ROWS = 15


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for ``rowData``: dates as ISO text, NaN/NaT/NA as null."""
    out = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                value = (
                    value.date().isoformat() if value == value.normalize() else value.isoformat()
                )
            elif (
                value is pd.NaT
                or value is pd.NA
                or (isinstance(value, float) and math.isnan(value))
            ):
                value = None
            clean[str(key)] = value
        out.append(clean)
    return out


def column(field: str, header: str, *, numeric: bool = False, **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"field": field, "headerName": header}
    if numeric:
        spec.update(type="rightAligned", filter="agNumberColumnFilter")
    spec.update(extra)
    return spec


def data_grid(
    name: str,
    rows: pd.DataFrame | list[dict[str, Any]],
    columns: Sequence[dict[str, Any]],
    *,
    label: str,
    height: int | None = None,
    column_size: str | None = "responsiveSizeToFit",
) -> html.Div:
    """A sortable, filterable grid named ``name`` (its CSV is ``<name>.csv``)."""
    row_data = records(rows) if isinstance(rows, pd.DataFrame) else rows
    if height is None and len(row_data) > LONG_TABLE_ROWS:
        height = 520  # scroll inside the grid rather than push the page down
    grid_style = {"height": f"{height}px"} if height else {}
    return html.Div(
        [
            html.Div(
                dbc.Button(
                    ["Download CSV", html.Span(f" of {label}", className="visually-hidden")],
                    id=ids.grid_export(name),
                    color="secondary",
                    outline=True,
                    size="sm",
                    n_clicks=0,
                ),
                className="d-flex justify-content-end mb-2",
            ),
            dag.AgGrid(
                id=ids.grid(name),
                rowData=row_data,
                columnDefs=list(columns),
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                columnSize=column_size,
                csvExportParams={"fileName": f"{name}.csv"},
                dashGridOptions={
                    "domLayout": "normal" if height else "autoHeight",
                    "ensureDomOrder": True,  # screen readers read cells in visual order
                    "enableCellTextSelection": True,
                },
                style=grid_style,
            ),
        ],
        className="data-grid mb-4",
        **{"aria-label": label},
        role="region",
    )


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.grid(MATCH), "exportDataAsCsv"),
        Input(ids.grid_export(MATCH), "n_clicks"),
        prevent_initial_call=True,
    )
    def export_csv(n_clicks: int | None) -> bool:
        return bool(n_clicks)
