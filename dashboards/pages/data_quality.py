"""/data-quality — extract status, freshness and failing rows (data engineers).

Query string: ``la`` (an LA code or ``ALL``), ``year`` (a collection year or ``ALL``),
``severity`` (``error`` / ``warning`` / ``ALL``), ``rule`` (a rule code or ``ALL``),
``file`` (a file as named in the landing folder, or ``ALL``).
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, ctx, html
from dash.exceptions import PreventUpdate

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.components.urlsync import register_url_sync
from dashboards.views import data_quality as view

dash.register_page(
    __name__,
    path="/data-quality",
    name="Data quality",
    title="Data quality",
    description="Blocked extracts and why, data freshness, failing rows (data engineers).",
    order=5,
    nav=True,
    access=Access.DATA_QUALITY,
)

CONTROLS = {
    "la": ids.DQ_LA,
    "year": ids.DQ_YEAR,
    "severity": ids.DQ_SEVERITY,
    "rule": ids.DQ_RULE,
    "file": ids.DQ_FILE,
}


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Data quality"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    register_url_sync(
        app,
        location=ids.DQ_URL,
        stores=[],
        controls=CONTROLS,
        outputs=[
            Output(ids.DQ_MESSAGES, "children"),
            Output(ids.DQ_CONTENT, "children"),
            Output(ids.DQ_YEAR, "options"),
            Output(ids.DQ_RULE, "options"),
            Output(ids.DQ_FILE, "options"),
        ],
        resolve=lambda query: view.resolve(query),
        render=view.render,
    )

    @app.callback(
        Output(ids.DQ_DOWNLOAD, "data"),
        Input(ids.DQ_DOWNLOAD_CSV, "n_clicks"),
        Input(ids.DQ_DOWNLOAD_EXCEL, "n_clicks"),
        *[State(control, "value") for control in CONTROLS.values()],
        prevent_initial_call=True,
    )
    def download(csv_clicks, excel_clicks, *values):
        if not (csv_clicks or excel_clicks):
            raise PreventUpdate  # the buttons were re-rendered, not clicked
        kind = "excel" if ctx.triggered_id == ids.DQ_DOWNLOAD_EXCEL else "csv"
        return view.download(dict(zip(CONTROLS, values, strict=True)), kind)
