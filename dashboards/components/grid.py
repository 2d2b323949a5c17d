"""AG Grid tables, each with "Download CSV" (AG Grid's own CSV export, in the browser) and
"Download Excel" (an .xlsx built on the server by ``dashboards.export``: AG Grid's Excel
export is an Enterprise feature) buttons. Both export the rows as shown: filtered and
sorted in the grid. The Excel file is made from the rows the browser already holds (it
reads no data), and both downloads are audited."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import MATCH, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import export, ids
from dashboards.auth import audit
from dashboards.components.controls import download_button

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
                [
                    download_button("Download CSV", ids.grid_export(name), of=label),
                    download_button("Download Excel", ids.grid_excel(name), of=label),
                    dcc.Download(id=ids.grid_download(name)),
                ],
                className="d-flex justify-content-end gap-2 mb-2 downloads",
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
        if n_clicks:  # the browser writes the file from the grid's rows: recorded here
            audit("download", what=f"{_grid_name()}.csv")
        return bool(n_clicks)

    @app.callback(
        Output(ids.grid_download(MATCH), "data"),
        Input(ids.grid_excel(MATCH), "n_clicks"),
        State(ids.grid(MATCH), "virtualRowData"),
        State(ids.grid(MATCH), "rowData"),
        State(ids.grid(MATCH), "columnDefs"),
        prevent_initial_call=True,
    )
    def export_excel(n_clicks, shown_rows, all_rows, column_defs) -> dict[str, Any]:
        if not n_clicks:
            raise PreventUpdate  # the button was (re-)rendered, not clicked
        return excel_download(_grid_name(), shown_rows, all_rows, column_defs)


def _grid_name() -> str:
    """The grid a download callback is for (from its output's pattern-matching id)."""
    return str(ctx.outputs_list["id"]["index"])


def excel_download(
    name: str,
    shown_rows: list[dict[str, Any]] | None,
    all_rows: list[dict[str, Any]] | None,
    column_defs: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """``dcc.Download`` data of the grid ``name`` as ``<name>.xlsx``: the rows as shown
    (``virtualRowData``: filtered and sorted), else every row (before the grid reported)."""
    rows = shown_rows if shown_rows is not None else (all_rows or [])
    audit("download", what=f"{name}.xlsx", rows=len(rows))
    content = export.xlsx_bytes(rows, column_defs, sheet=name, title=name)
    return dcc.send_bytes(content, f"{name}.xlsx", type=export.XLSX_MIMETYPE)
