"""/partners — each partner the board holds to account: its KPIs with their SPC status and
targets, and the board's open actions for it. Query string: ``la``."""

from __future__ import annotations

import dash
from dash import html

from dashboards import data
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.views import partners as view

dash.register_page(
    __name__,
    path="/partners",
    name="Partners",
    title="Partners",
    description="Each partner's KPIs, SPC status and the board's open actions.",
    order=0,
    nav=True,
    access=Access.AGGREGATES,
)


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Partners"), messages.no_snapshot()]
