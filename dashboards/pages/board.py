"""/board — the board summary (the front of the board pack). Query string: ``la``,
``part`` (``summary``, ``exceptions``, ``actions``, ``changes``; every part by default)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.board import service
from dashboards.components import messages
from dashboards.views import board as view

dash.register_page(
    __name__,
    path="/board",
    name="Board summary",
    title="Board summary",
    description="Every KPI with its SPC icons, the exceptions, partners' actions, changes.",
    order=0,
    nav=True,
    access=Access.AGGREGATES,
)


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Board summary"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.BOARD_MEETING_MESSAGE, "children"),
        Input(ids.BOARD_MEETING_SAVE, "n_clicks"),
        State(ids.BOARD_MEETING_DATE, "value"),
        State(ids.BOARD_PAGE_LA, "data"),
        prevent_initial_call=True,
    )
    def record_meeting(clicks, day, la):
        """Record a board meeting (analysts and managers): "what changed" starts there."""
        if not clicks or not la:
            raise PreventUpdate
        try:
            saved = service.record_meeting(str(la), day)
        except service.Refused as err:
            return html.Div(str(err), className="alert alert-danger", role="alert")
        return html.Div(
            f"{saved.message} Reload the page to compare with it.",
            className="alert alert-success",
            role="status",
        )
