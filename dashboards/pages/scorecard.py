"""/ — the board scorecard. Query string: ``la``."""

from __future__ import annotations

import dash
from dash import Input, Output, State, ctx, html

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.views import scorecard as view

dash.register_page(
    __name__,
    path="/",
    name="Board scorecard",
    title="Board scorecard",
    description="Every KPI for the whole authority: latest, target, RAG, comparators.",
    order=0,
    nav=True,
    access=Access.AGGREGATES,
)


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Board scorecard"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.SCORECARD_DOWNLOAD, "data"),
        Input(ids.SCORECARD_DOWNLOAD_BUTTON, "n_clicks"),
        Input(ids.SCORECARD_EXCEL_BUTTON, "n_clicks"),
        State(ids.SCORECARD_LA, "data"),
        prevent_initial_call=True,
    )
    def download(csv_clicks, excel_clicks, la):
        return view.download(
            la, "excel" if ctx.triggered_id == ids.SCORECARD_EXCEL_BUTTON else "csv"
        )
