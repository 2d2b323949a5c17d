"""/kpi/<kpi_id> — one KPI. Query string: ``la``, ``district`` (a district or ``ALL``,
for the trend and the table by period), ``breakdown`` (e.g. ``care``, ``19-21``)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.components.urlsync import register_url_sync
from dashboards.views import board_memory
from dashboards.views import kpi as view


def _title(kpi_id: str | None = None) -> str:
    """The browser tab's title: the KPI's name when the catalogue knows it."""
    try:
        catalogue = data.catalogue()
    except data.NoSnapshot:
        return "KPI"
    names = dict(zip(catalogue["kpi_id"], catalogue["name"], strict=True))
    return str(names.get(kpi_id, "KPI"))


dash.register_page(
    __name__,
    path_template="/kpi/<kpi_id>",
    name="KPI",
    title=_title,
    description="One KPI: trend, districts, figures and definition.",
    nav=False,
    access=Access.AGGREGATES,
)


def layout(kpi_id: str | None = None, **query):
    try:
        return view.page(kpi_id, query)
    except data.NoSnapshot:
        return [html.H1("KPI"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    board_memory.register_callbacks(app)  # commentary and board actions (the KPI page's)

    @app.callback(
        Output(ids.KPI_RANKING, "figure"),
        Input(ids.KPI_DISTRICT_CHART, "value"),
        State(ids.KPI_DISTRICT_CHART_STATE, "data"),
        prevent_initial_call=True,
    )
    def district_chart(choice, stored):
        """Districts as intervals or as a funnel plot (the KPI page's radio buttons)."""
        if not stored or choice not in ("intervals", "funnel"):
            raise PreventUpdate
        try:
            return view.district_chart(choice, stored)
        except data.NoSnapshot:
            raise PreventUpdate from None

    register_url_sync(
        app,
        location=ids.KPI_URL,
        stores=[ids.KPI_LA, ids.KPI_ID],
        controls={"district": ids.KPI_DISTRICT, "breakdown": ids.KPI_BREAKDOWN},
        outputs=[Output(ids.KPI_MESSAGES, "children"), Output(ids.KPI_CONTENT, "children")],
        resolve=lambda query, la, kpi_id: view.resolve(query, la, kpi_id),
        render=view.render,
    )
