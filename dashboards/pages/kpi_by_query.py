"""/kpi?kpi=<kpi_id> — sends the browser on to /kpi/<kpi_id> with the rest of the query."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboards import ids, urlstate
from dashboards.auth import Access

dash.register_page(
    __name__, path="/kpi", name="KPI", title="KPI", nav=False, access=Access.AGGREGATES
)


def layout(kpi=None, **query):
    kpi_id = urlstate.first(kpi)
    if not kpi_id:
        return [
            html.H1("Which KPI?"),
            html.P(["Choose a KPI from the ", dcc.Link("KPI dictionary", href="/dictionary"), "."]),
        ]
    target = f"/kpi/{kpi_id}" + urlstate.encode({k: urlstate.first(v) for k, v in query.items()})
    return [
        dcc.Location(id=ids.KPI_REDIRECT, href=target, refresh=True),
        html.P(["Opening ", dcc.Link(kpi_id, href=target), "…"]),
    ]
